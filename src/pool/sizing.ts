// How a call is cut into tasks and how many run at once.

/** Large calls are cut into this many tasks per worker, so that workers finish together. */
const TASKS_PER_WORKER = 4;

/** Input bytes per task at least: smaller tasks cost more in messages than they save in compute. */
const MIN_TASK_BYTES = 256 << 10;

/** Input bytes per task at most, so that progress reports and aborts stay frequent. */
export const MAX_TASK_BYTES = 8 << 20;

/**
 * Items (rows, tables) per task: a few tasks per worker, each neither tiny nor huge, and never
 * more than `fit` (what the task's scratch holds).
 */
export function itemsPerTask(items: number, itemBytes: number, workers: number, fit: number): number {
  const even = Math.ceil(items / (workers * TASKS_PER_WORKER));
  const wanted = Math.min(Math.max(even, Math.floor(MIN_TASK_BYTES / itemBytes)), Math.floor(MAX_TASK_BYTES / itemBytes));
  return Math.max(1, Math.min(fit, wanted));
}

/**
 * A task's scratch holds up to this many arenas' worth of copied input. Measured with W7 (KL,
 * 65,536 × 1024 float32, plain arrays) on 2 threads: tasks of 1 arena (1 MiB) cost 18% more CPU
 * than one thread, in messages; tasks of 4 arenas cost about the same as one thread.
 */
export const TASK_ARENAS = 4;

/** Tasks in flight per worker: one computing while the next is copied and queued. */
export const IN_FLIGHT_PER_WORKER = 2;

export const align = (n: number): number => Math.ceil(n / 64) * 64;
