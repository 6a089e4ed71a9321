// Rows computed on the calling thread while the workers compute others: through a second module
// instance over memory of its own (copying into it is fast, unlike into shared memory), with the
// same kernels, so the results are those of one thread.
import type { RowJob } from '../backend.js';
import type { RowSource } from '../input.js';
import type { Task } from './pipeline.js';
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
 * Rows r0..r1-1 computed on the calling thread, in its own memory, straight into job.out: one arena
 * of rows per turn of the event loop, so that a worker's reply waits for one step at most.
 */
export function callerTask(caller: CallerBackend, job: RowJob, r0: number, r1: number, stopped: () => boolean): Task {
  const step = Math.max(1, caller.backend.rowLayout(job).chunkRows);
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
