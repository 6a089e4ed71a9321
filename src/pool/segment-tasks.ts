// Rows too long for the arena, over the pool: each row runs through the same segments as on one
// thread (WasmBackend.segmentedRows: same kernels, same segment length, which depends on arenaBytes
// only), so results are bit-identical. The partial sums live in shared memory; a worker runs a
// group of a row's segments per message, in order, and a few rows are in flight at once.
import type { RowJob } from '../backend.js';
import type { Placement, WasmBackend } from '../backends/wasm.js';
import type { DType } from '../input.js';
import { CONV, M_CROSS, M_ENTROPY, M_KL, STATE_BYTES, type KernelExports } from '../wasm/abi.js';
import type { CallControl } from './options.js';
import { pipeline, type Task } from './pipeline.js';
import type { WorkerPool } from './pool.js';
import { MAX_TASK_BYTES, align } from './sizing.js';
import { TaskSlots } from './task-slots.js';
import { share } from './caller-task.js';
import type { CallerBackend } from './threaded-engine.js';

const MEASURE_CODE = { entropy: M_ENTROPY, crossEntropy: M_CROSS, kl: M_KL } as const;

type KernelCall = [keyof KernelExports, number[]];

/** A row's work stopped because its call failed or was aborted. */
const STOPPED = new Error('stopped');

/** Fills job.out on the pool, one row per task; null when the arena is too small to stream (the calling thread reports it). */
export function parallelSegmentedRows(
  backend: WasmBackend, pool: WorkerPool, caller: CallerBackend | null, job: RowJob, dtype: DType, sources: Placement[], control: CallControl,
): Promise<number> | null {
  const { heap } = backend;
  const main = heap.exports;
  const cols = job.p.cols;
  const f32 = dtype === 'f32' ? 1 : 0;
  const eb = f32 ? 4 : 8;
  const inputs = job.q ? [job.p, job.q] : [job.p];
  const seg = backend.segmentLength(dtype, inputs.length);
  if (seg < 4) return null;
  // Engine matrices are read in place; other inputs are copied segment by segment (see share).
  const copied = sources.filter((s) => s.inPlace < 0).length;
  const { workers, limit, caller: turns } = share(caller, pool.size, job, copied > 0, (r) => [r, r + 1]);
  // A worker runs a group of a row's segments per message, in order: the whole row for inputs in
  // place, else as many segments as MAX_TASK_BYTES of copied input. Each group has a slot of its
  // own, and a row holds up to two: one its kernels read, the next one being copied.
  const group = copied > 0 ? Math.max(1, Math.floor(MAX_TASK_BYTES / (copied * seg * eb))) : Math.ceil(cols / seg);
  const partBytes = align(group * seg * eb);
  const slots = copied > 0 ? new TaskSlots(heap, copied * partBytes, 2 * limit, true) : null;
  const conv = CONV[job.convention];

  /**
   * Streams row r through the kernels `calls(at, n)` gives for each segment (at: the segment's
   * inputs), a group of segments per message; the copy of the next group overlaps the kernels of
   * this one, which must end first (they carry the row's sums in order).
   */
  const stream = async (r: number, stopped: () => boolean, calls: (at: number[], n: number) => KernelCall[]) => {
    let running: { slot: number; done: Promise<number> } | null = null;
    const finish = async () => {
      if (!running) return;
      const { slot, done } = running;
      running = null;
      try {
        await done;
      } finally {
        // The slot outlives the kernels on it, also when one of them fails.
        if (slots) slots.give(slot);
      }
    };
    try {
      for (let g0 = 0; g0 < cols; g0 += group * seg) {
        if (stopped()) throw STOPPED;
        const g1 = Math.min(cols, g0 + group * seg);
        const slot = slots ? slots.take() : -1;
        let next = slot;
        // Where each input's part of the group starts: in place, or copied into the slot.
        const base = sources.map((s) => {
          const sr = s.src.rows === 1 ? 0 : r;
          if (s.inPlace >= 0) return s.inPlace + (sr * cols + g0) * eb;
          s.src.copy(sr, sr + 1, g0, g1, heap.view(dtype), next / eb);
          next += partBytes;
          return next - partBytes;
        });
        const list: KernelCall[] = [];
        for (let c0 = g0; c0 < g1; c0 += seg) list.push(...calls(base.map((b) => b + (c0 - g0) * eb), Math.min(g1, c0 + seg) - c0));
        try {
          await finish();
        } catch (e) {
          if (slots) slots.give(slot);
          throw e;
        }
        running = { slot, done: pool.runInOrder(list, workers) };
      }
    } finally {
      await finish();
    }
  };

  /** The row's value in nats, NaN where the fast path declines (as WasmBackend.segmentedRows). */
  const fast = async (r: number, state: number, stopped: () => boolean): Promise<number> => {
    const state2 = state + STATE_BYTES;
    heap.f64.fill(0, state / 8, (state2 + STATE_BYTES) / 8);
    if (job.measure === 'jsd') {
      const sumMin = f32 ? 'sumMinSegmentF32' : 'sumMinSegmentF64';
      await stream(r, stopped, (at, n) => [[sumMin, [at[0], n, state]], [sumMin, [at[1], n, state2]]]);
      const s = heap.f64;
      const sp = s[state / 8], mp = s[state / 8 + 1], sq = s[state2 / 8], mq = s[state2 / 8 + 1];
      if (!main.jsdFastOk(sp, mp, sq, mq, f32)) return NaN;
      heap.f64[state / 8 + 2] = 0;
      await stream(r, stopped, (at, n) => [[f32 ? 'jsdSegmentF32' : 'jsdSegmentF64', [at[0], at[1], n, 1 / sp, 1 / sq, state + 16]]]);
      return Math.max(0, 0.5 * heap.f64[state / 8 + 2]);
    }
    const m = MEASURE_CODE[job.measure];
    await stream(r, stopped, (at, n) => [[f32 ? 'divSegmentF32' : 'divSegmentF64', [m, conv, at[0], job.q ? at[1] : at[0], n, state]]]);
    return main.divFinish(m, conv, f32, state);
  };

  const start = (r: number, stopped: () => boolean): Task => {
    const state = heap.alloc(2 * STATE_BYTES);
    let value = NaN;
    const done = fast(r, state, stopped).then((v) => {
      value = v < Infinity ? v : backend.referenceRow(job, r);
      return Number.isNaN(value) ? 1 : 0;
    });
    return {
      done,
      rows: 1,
      collect: () => {
        job.out[r] = value;
      },
      release: () => heap.release(state, 2 * STATE_BYTES),
    };
  };
  return pipeline(job.rows, limit, job.rows, control, start, () => slots?.free(), turns);
}
