// entropy, crossEntropy, kl, jsd over the pool: the batch is cut into ranges of whole rows, one
// kernel call each, so every row is computed by the same kernel as on one thread and results are
// bit-identical. Rows too long for the arena stream in segments instead (./segment-tasks.ts).
import type { RowJob } from '../backend.js';
import type { DType } from '../input.js';
import { CONV, type KernelExports } from '../wasm/abi.js';
import type { CallControl } from './options.js';
import { pipeline, type Task } from './pipeline.js';
import { parallelSegmentedRows } from './segment-tasks.js';
import type { PoolBackend } from './threaded-engine.js';
import { IN_FLIGHT_PER_WORKER, TASK_ARENAS, align, itemsPerTask } from './sizing.js';

type KernelName = keyof KernelExports;

function rowKernel(job: RowJob, dtype: DType, ptrs: number[], strides: number[], rows: number, cols: number, out: number): [KernelName, number[]] {
  const conv = CONV[job.convention];
  const f32 = dtype === 'f32';
  switch (job.measure) {
    case 'entropy':
      return [f32 ? 'entropyRowsF32' : 'entropyRowsF64', [conv, ptrs[0], rows, cols, out]];
    case 'crossEntropy':
      return [f32 ? 'crossEntropyRowsF32' : 'crossEntropyRowsF64', [conv, ptrs[0], strides[0], ptrs[1], strides[1], rows, cols, out]];
    case 'kl':
      return [f32 ? 'klRowsF32' : 'klRowsF64', [conv, ptrs[0], strides[0], ptrs[1], strides[1], rows, cols, out]];
    case 'jsd':
      return [f32 ? 'jsdRowsF32' : 'jsdRowsF64', [ptrs[0], strides[0], ptrs[1], strides[1], rows, cols, out]];
  }
}

/** Runs a kernel on the calling thread's instance, settled like a worker's reply. */
function callKernel(kernels: KernelExports, kernel: KernelName, args: number[]): Promise<number> {
  try {
    return Promise.resolve((kernels[kernel] as (...a: number[]) => number)(...args));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Fills job.out on the pool and resolves with the number of invalid rows; null when it cannot (see parallelSegmentedRows). */
export function parallelRows({ backend, pool, afterEvents }: PoolBackend, job: RowJob, control: CallControl): Promise<number> | null {
  const { dtype, sources, chunkRows } = backend.rowLayout(job);
  if (chunkRows < 1) return parallelSegmentedRows(backend, pool, job, dtype, control);
  const heap = backend.heap;
  const cols = job.p.cols;
  const eb = dtype === 'f32' ? 4 : 8;
  const rowBytes = cols * eb;
  const strides = sources.map((s) => (s.broadcast ? 0 : cols));
  // Engine matrices are used in place and broadcast rows are copied once per call; only the
  // other inputs are copied, task by task.
  const broadcastBytes = sources.reduce((n, s) => n + (s.inPlace < 0 && s.broadcast ? align(rowBytes) : 0), 0);
  const callRegion = broadcastBytes > 0 ? heap.alloc(broadcastBytes) : -1;
  let at = callRegion;
  const base = sources.map((s) => {
    if (s.inPlace >= 0) return s.inPlace;
    if (!s.broadcast) return -1;
    s.src.copy(0, 1, 0, cols, heap.view(dtype), at / eb);
    at += align(rowBytes);
    return at - align(rowBytes);
  });
  const copied = base.filter((b) => b < 0).length;
  // Copying input into shared memory is the calling thread's work, and on a machine with as many
  // cores as workers it then competes with them for a core: copy for one worker fewer and
  // compute tasks on the calling thread instead. (W7, KL 65,536 × 1024 float32 from plain arrays,
  // 2 threads on 2 cores: 1.1× one thread with two workers, 1.4× with one worker and the caller.)
  const callerComputes = copied > 0 && afterEvents !== null;
  const workers = callerComputes ? pool.size - 1 : pool.size;
  // Copied inputs need task scratch; inputs used in place only need room for the results.
  const fit = copied > 0 ? chunkRows * TASK_ARENAS : job.rows;
  const rowsPerTask = itemsPerTask(job.rows, rowBytes * sources.length, pool.size, fit);

  const start = (i: number, _stopped: () => boolean, onCaller: boolean): Task => {
    const r0 = i * rowsPerTask, r1 = Math.min(job.rows, r0 + rowsPerTask), n = r1 - r0;
    const bytes = copied * align(n * rowBytes) + n * 8;
    const region = heap.alloc(bytes);
    const view = heap.view(dtype);
    let next = region;
    const ptrs = sources.map((s, k) => {
      if (base[k] >= 0) return s.broadcast ? base[k] : base[k] + r0 * rowBytes;
      s.src.copy(r0, r1, 0, cols, view, next / eb);
      next += align(n * rowBytes);
      return next - align(n * rowBytes);
    });
    const out = next;
    const [kernel, args] = rowKernel(job, dtype, ptrs, strides, n, cols, out);
    return {
      done: onCaller ? callKernel(heap.exports, kernel, args) : pool.run(kernel, args, workers),
      rows: n,
      collect: () => job.out.set(heap.f64.subarray(out / 8, out / 8 + n), r0),
      release: () => heap.release(region, bytes),
    };
  };
  const release = () => {
    if (callRegion >= 0) heap.release(callRegion, broadcastBytes);
  };
  return pipeline(Math.ceil(job.rows / rowsPerTask), workers * IN_FLIGHT_PER_WORKER, job.rows, control, start, release, callerComputes ? afterEvents : null);
}
