// Channel measures on the WebAssembly backends (assembly/channel.ts). Channels stream through
// the arena in chunks for the mutual information; the capacity iterates on one channel at a
// time, which must sit in memory with its scratch for the whole iteration: a channel too large
// for the arena gets a block above it for the duration of the call.
import type { CapacityJob, ChannelJob } from '../backend.js';
import type { CapacityResult } from '../types.js';
import { CAP_CAPACITY, CAP_GAP, CAP_ITERATIONS, type KernelExports } from '../wasm/abi.js';
import type { WasmHeap } from '../wasm/heap.js';
import { invalidCapacity } from './js-labels.js';

const align = (n: number) => Math.ceil(n / 64) * 64;

export class WasmChannels {
  constructor(private readonly heap: WasmHeap, private readonly k: KernelExports) {}

  /** Runs fn on `bytes` of memory: the arena when they fit, else a block released afterwards. */
  private withSpace<T>(bytes: number, fn: (at: number) => T): T {
    const heap = this.heap;
    if (bytes <= heap.arenaBytes) return fn(heap.arena);
    const at = heap.alloc(bytes);
    try {
      return fn(at);
    } finally {
      heap.release(at, bytes);
    }
  }

  channelInformation(job: ChannelJob): number {
    const { heap, k } = this;
    const { px, W, count, nx, ny, out } = job;
    const oneW = W.rows === nx, onePx = px.rows === 1;
    const scratchBytes = align(k.channelScratchBytes(nx, ny, 0) >>> 0);
    // A W or px used for every channel is copied once; the others come per chunk of channels.
    const fixed = scratchBytes + (oneW ? align(nx * ny * 8) : 0) + (onePx ? align(nx * 8) : 0) + 3 * 64;
    const perChannel = (oneW ? 0 : nx * ny * 8) + (onePx ? 0 : nx * 8) + 8;
    const chunk = Math.max(1, Math.min(count, Math.floor((heap.arenaBytes - fixed) / perChannel)));
    let bad = 0;
    this.withSpace(fixed + chunk * perChannel, (base) => {
      const scratch = base;
      const wAt = scratch + scratchBytes;
      const pxAt = wAt + align((oneW ? 1 : chunk) * nx * ny * 8);
      const outAt = pxAt + align((onePx ? 1 : chunk) * nx * 8);
      if (oneW) W.copy(0, nx, 0, ny, heap.f64, wAt >> 3);
      if (onePx) px.copy(0, 1, 0, nx, heap.f64, pxAt >> 3);
      for (let t0 = 0; t0 < count; t0 += chunk) {
        const t1 = Math.min(count, t0 + chunk);
        if (!oneW) W.copy(t0 * nx, t1 * nx, 0, ny, heap.f64, wAt >> 3);
        if (!onePx) px.copy(t0, t1, 0, nx, heap.f64, pxAt >> 3);
        bad += k.channelInformation(pxAt, onePx ? 0 : nx, wAt, oneW ? 0 : nx * ny, t1 - t0, nx, ny, scratch, outAt);
        out.set(heap.f64.subarray(outAt >> 3, (outAt >> 3) + t1 - t0), t0);
      }
    });
    return bad;
  }

  channelCapacity(job: CapacityJob): CapacityResult[] {
    const { heap, k } = this;
    const { W, count, nx, ny, tol, maxIter } = job;
    const scratchBytes = align(k.channelScratchBytes(nx, ny, 1) >>> 0);
    const wBytes = align(nx * ny * 8);
    return this.withSpace(scratchBytes + wBytes + 64, (base) => {
      const scratch = base, wAt = base + scratchBytes, outAt = wAt + wBytes;
      const results: CapacityResult[] = [];
      for (let t = 0; t < count; t++) {
        W.copy(t * nx, (t + 1) * nx, 0, ny, heap.f64, wAt >> 3);
        if (k.channelCapacity(wAt, nx, ny, tol, maxIter, scratch, outAt) !== 0) {
          results.push(invalidCapacity(nx));
          continue;
        }
        const f = heap.f64;
        const gap = f[(outAt >> 3) + CAP_GAP];
        results.push({
          capacity: f[(outAt >> 3) + CAP_CAPACITY],
          inputDistribution: f.slice(scratch >> 3, (scratch >> 3) + nx),
          iterations: f[(outAt >> 3) + CAP_ITERATIONS],
          gap,
          converged: gap <= tol,
        });
      }
      return results;
    });
  }
}
