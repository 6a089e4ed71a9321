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
import { share } from './caller-task.js';
import { TASK_ARENAS, align, itemsPerTask } from './sizing.js';
import { TaskSlots } from './task-slots.js';

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

/** Fills job.out on the pool and resolves with the number of invalid rows; null when it cannot (see parallelSegmentedRows). */
export function parallelRows({ backend, pool, caller }: PoolBackend, job: RowJob, control: CallControl): Promise<number> | null {
  const { dtype, sources, chunkRows } = backend.rowLayout(job);
  if (chunkRows < 1) return parallelSegmentedRows(backend, pool, caller, job, dtype, sources, control);
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
  // Copied inputs need task scratch; inputs used in place only need room for the results.
  const fit = copied > 0 ? chunkRows * TASK_ARENAS : job.rows;
  const rowsPerTask = itemsPerTask(job.rows, rowBytes * sources.length, pool.size, fit);
  const rowsOf = (i: number): [number, number] => [i * rowsPerTask, Math.min(job.rows, (i + 1) * rowsPerTask)];
  const { workers, limit, caller: turns } = share(caller, pool.size, job, copied > 0, rowsOf);
  const slots = new TaskSlots(heap, copied * align(rowsPerTask * rowBytes) + rowsPerTask * 8, limit, copied > 0);

  const start = (i: number): Task => {
    const [r0, r1] = rowsOf(i), n = r1 - r0;
    const region = slots.take();
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
      done: pool.run(kernel, args, workers),
      rows: n,
      collect: () => job.out.set(heap.f64.subarray(out / 8, out / 8 + n), r0),
      release: () => slots.give(region),
    };
  };
  const release = () => {
    slots.free();
    if (callRegion >= 0) heap.release(callRegion, broadcastBytes);
  };
  return pipeline(Math.ceil(job.rows / rowsPerTask), limit, job.rows, control, start, release, turns);
}
