// Rows too long for the arena, over the pool: each row streams through a region of its own in the
// same segments as on one thread (WasmBackend.segmentedRows: same kernels, same segment length,
// which depends on arenaBytes only), so results are bit-identical. The partial sums live in shared
// memory, so any worker can take a row's next segment; the segments of one row run in order, and
// a few rows are in flight at once.
import type { RowJob } from '../backend.js';
import type { WasmBackend } from '../backends/wasm.js';
import type { DType } from '../input.js';
import { CONV, M_CROSS, M_ENTROPY, M_KL, STATE_BYTES, type KernelExports } from '../wasm/abi.js';
import type { CallControl } from './options.js';
import { pipeline, type Task } from './pipeline.js';
import type { WorkerPool } from './pool.js';
import { IN_FLIGHT_PER_WORKER, align } from './sizing.js';

const MEASURE_CODE = { entropy: M_ENTROPY, crossEntropy: M_CROSS, kl: M_KL } as const;

type KernelCall = [keyof KernelExports, number[]];

/** A row's work stopped because its call failed or was aborted. */
const STOPPED = new Error('stopped');

/** Fills job.out on the pool, one row per task; null when the arena is too small to stream (the calling thread reports it). */
export function parallelSegmentedRows(backend: WasmBackend, pool: WorkerPool, job: RowJob, dtype: DType, control: CallControl): Promise<number> | null {
  const { heap } = backend;
  const main = heap.exports;
  const cols = job.p.cols;
  const f32 = dtype === 'f32' ? 1 : 0;
  const eb = f32 ? 4 : 8;
  const inputs = job.q ? [job.p, job.q] : [job.p];
  const seg = backend.segmentLength(dtype, inputs.length);
  if (seg < 4) return null;
  const bytes = 2 * STATE_BYTES + inputs.length * align(seg * eb);
  const conv = CONV[job.convention];

  /** Copies each segment of row r in, then runs `calls(n)` on the pool (in parallel) before the next. */
  const stream = async (r: number, at: number[], stopped: () => boolean, calls: (n: number) => KernelCall[]) => {
    for (let c0 = 0; c0 < cols; c0 += seg) {
      if (stopped()) throw STOPPED;
      const c1 = Math.min(cols, c0 + seg);
      const view = heap.view(dtype);
      inputs.forEach((s, i) => {
        const sr = s.rows === 1 ? 0 : r;
        s.copy(sr, sr + 1, c0, c1, view, at[i] / eb);
      });
      // allSettled: the region must outlive every kernel on it, also when one of them fails.
      const settled = await Promise.allSettled(calls(c1 - c0).map(([kernel, args]) => pool.run(kernel, args)));
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
    }
  };

  /** The row's value in nats, NaN where the fast path declines (as WasmBackend.segmentedRows). */
  const fast = async (r: number, region: number, stopped: () => boolean): Promise<number> => {
    const state = region, state2 = region + STATE_BYTES, data = state2 + STATE_BYTES;
    const at = inputs.map((_, i) => data + i * align(seg * eb));
    heap.f64.fill(0, state / 8, data / 8);
    if (job.measure === 'jsd') {
      const sumMin = f32 ? 'sumMinSegmentF32' : 'sumMinSegmentF64';
      await stream(r, at, stopped, (n) => [[sumMin, [at[0], n, state]], [sumMin, [at[1], n, state2]]]);
      const s = heap.f64;
      const sp = s[state / 8], mp = s[state / 8 + 1], sq = s[state2 / 8], mq = s[state2 / 8 + 1];
      if (!main.jsdFastOk(sp, mp, sq, mq, f32)) return NaN;
      heap.f64[state / 8 + 2] = 0;
      await stream(r, at, stopped, (n) => [[f32 ? 'jsdSegmentF32' : 'jsdSegmentF64', [at[0], at[1], n, 1 / sp, 1 / sq, state + 16]]]);
      return Math.max(0, 0.5 * heap.f64[state / 8 + 2]);
    }
    const m = MEASURE_CODE[job.measure];
    await stream(r, at, stopped, (n) => [[f32 ? 'divSegmentF32' : 'divSegmentF64', [m, conv, at[0], job.q ? at[1] : at[0], n, state]]]);
    return main.divFinish(m, conv, f32, state);
  };

  const start = (r: number, stopped: () => boolean): Task => {
    const region = heap.alloc(bytes);
    let value = NaN;
    const done = fast(r, region, stopped).then((v) => {
      value = v < Infinity ? v : backend.referenceRow(job, r);
      return Number.isNaN(value) ? 1 : 0;
    });
    return {
      done,
      rows: 1,
      collect: () => {
        job.out[r] = value;
      },
      release: () => heap.release(region, bytes),
    };
  };
  return pipeline(job.rows, pool.size * IN_FLIGHT_PER_WORKER, job.rows, control, start, () => {});
}
