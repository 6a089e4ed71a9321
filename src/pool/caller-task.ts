// Rows computed on the calling thread while the workers compute others: through a second module
// instance over memory of its own (copying into it is fast, unlike into shared memory), with the
// same kernels, so the results are those of one thread.
import type { RowJob } from '../backend.js';
import type { RowSource } from '../input.js';
import type { CallerTurns, Task } from './pipeline.js';
import { IN_FLIGHT_PER_WORKER } from './sizing.js';
import type { CallerBackend } from './threaded-engine.js';

/** Rows r0..r1-1 of a source; a one-row source (used against every row) stays as it is. */
function rowRange(s: RowSource, r0: number, r1: number): RowSource {
  if (s.rows === 1) return s;
  return {
    name: s.name, rows: r1 - r0, cols: s.cols, oneD: s.oneD, dtype: s.dtype, engine: null,
    copy: (a, b, c0, c1, dst, off) => s.copy(r0 + a, r0 + b, c0, c1, dst, off),
    get: (r, c) => s.get(r0 + r, c),
  };
}

/**
 * Rows r0..r1-1 computed on the calling thread, in its own memory, straight into job.out, `step`
 * rows per turn of the event loop, so that a worker's reply waits for one step at most.
 */
function callerTask(caller: CallerBackend, job: RowJob, r0: number, r1: number, step: number, stopped: () => boolean): Task {
  const done = new Promise<number>((resolve, reject) => {
    let at = r0, bad = 0;
    const next = () => {
      if (stopped()) return resolve(bad);
      try {
        const end = Math.min(r1, at + step);
        const part: RowJob = { ...job, p: rowRange(job.p, at, end), q: job.q && rowRange(job.q, at, end), rows: end - at, out: job.out.subarray(at, end) };
        bad += caller.backend.rowMeasure(part);
        at = end;
      } catch (e) {
        return reject(e);
      }
      if (at < r1) caller.afterEvents(next);
      else resolve(bad);
    };
    next();
  });
  return { done, rows: r1 - r0, collect: () => {}, release: () => {} };
}

/** How a row call shares its tasks between the workers and the calling thread. */
export interface Sharing {
  /** The workers its tasks go to. */
  workers: number;
  /** Tasks in flight on them. */
  limit: number;
  /** The calling thread's tasks, or null where it only feeds the workers. */
  caller: CallerTurns | null;
}

/**
 * With copied input (the calling thread's work: copying into shared memory), the calling thread
 * feeds one worker fewer and computes tasks itself, in its own memory, whenever the workers have
 * all they may hold: one arena of rows per step, one row where rows are longer than the arena.
 * `rowsOf(i)` gives task i's rows.
 */
export function share(caller: CallerBackend | null, poolSize: number, job: RowJob, copied: boolean, rowsOf: (i: number) => [number, number]): Sharing {
  const helping = copied ? caller : null;
  const workers = helping ? poolSize - 1 : poolSize;
  const limit = workers * IN_FLIGHT_PER_WORKER;
  if (!helping) return { workers, limit, caller: null };
  const step = Math.max(1, helping.backend.rowLayout(job).chunkRows);
  return {
    workers,
    limit,
    caller: {
      afterEvents: helping.afterEvents,
      start: (i, stopped) => callerTask(helping, job, ...rowsOf(i), step, stopped),
    },
  };
}
