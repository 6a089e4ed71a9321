// mutualInformation, jointEntropy, conditionalEntropy over the pool: batches of whole tables per
// kernel call, as on one thread. Tables too large for the arena stream in row segments on the
// calling thread instead.
import type { TableJob } from '../backend.js';
import type { WasmBackend } from '../backends/wasm.js';
import { J_COND, J_JOINT, J_MI } from '../wasm/abi.js';
import type { CallControl } from './options.js';
import { pipeline, type Task } from './pipeline.js';
import type { WorkerPool } from './pool.js';
import { IN_FLIGHT_PER_WORKER, TASK_ARENAS, align, itemsPerTask } from './sizing.js';
import { TaskSlots } from './task-slots.js';

const TABLE_CODE = { mi: J_MI, joint: J_JOINT, cond: J_COND } as const;

/** Fills job.out on the pool and resolves with the number of invalid tables; null when tables must stream in segments. */
export function parallelTables(backend: WasmBackend, pool: WorkerPool, job: TableJob, control: CallControl): Promise<number> | null {
  const perChunk = backend.tablesPerChunk(job);
  if (perChunk < 1) return null;
  const heap = backend.heap;
  const { rows, cols, count } = job;
  const tableBytes = rows * cols * 8;
  const tablesPerTask = itemsPerTask(count, tableBytes, pool.size, perChunk * TASK_ARENAS);

  const limit = pool.size * IN_FLIGHT_PER_WORKER;
  const slots = new TaskSlots(heap, align(cols * 8) + align(tablesPerTask * tableBytes) + tablesPerTask * 8, limit, true);

  const start = (i: number): Task => {
    const t0 = i * tablesPerTask, t1 = Math.min(count, t0 + tablesPerTask), n = t1 - t0;
    const colSums = slots.take();
    const body = colSums + align(cols * 8);
    const out = body + align(n * tableBytes);
    job.cells.copy(t0 * rows, t1 * rows, 0, cols, heap.f64, body / 8);
    return {
      done: pool.run('tablesF64', [TABLE_CODE[job.measure], body, n, rows, cols, colSums, out]),
      rows: n,
      collect: () => job.out.set(heap.f64.subarray(out / 8, out / 8 + n), t0),
      release: () => slots.give(colSums),
    };
  };
  return pipeline(Math.ceil(count / tablesPerTask), limit, count, control, start, () => slots.free());
}
