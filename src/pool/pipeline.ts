// Runs one call's tasks through the pool with a bounded number in flight. Starting a task is work
// on the calling thread (copying its input into shared memory), so the copy of the next task
// overlaps the workers' compute of the previous ones; results are copied out as tasks complete.
// Where the call allows it (CallerTurns), the calling thread also computes tasks itself, one at a
// time and in steps between the workers' replies, whenever the workers have all they may hold.
import type { CallControl } from './options.js';

/** One unit of work: started on the calling thread, computed by a worker (or by the calling thread). */
export interface Task {
  /** Settles when the task's kernels have run; resolves with the number of invalid rows. */
  done: Promise<number>;
  /** Rows (or tables) the task covers. */
  rows: number;
  /** Copies the results out, on the calling thread, once the task is done. */
  collect(): void;
  /** Frees the task's memory once no worker uses it (also after a failure). */
  release(): void;
}

/** Tasks the calling thread computes itself, and how it waits for the workers' replies between its steps. */
export interface CallerTurns {
  afterEvents(f: () => void): void;
  start(i: number, stopped: () => boolean): Task;
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Starts tasks 0..count-1 in order, at most `limit` at a time on the workers (and one more on the
 * calling thread, through `caller`), and resolves with the sum of their invalid rows. The first
 * failure or an abort rejects at once and stops starting tasks; `cleanup` runs when the last task
 * in flight has settled, so memory a worker still writes is never freed. Tasks that run in
 * several steps check `stopped()` between them.
 */
export function pipeline(
  count: number,
  limit: number,
  total: number,
  control: CallControl,
  start: (i: number, stopped: () => boolean) => Task,
  cleanup: () => void,
  caller: CallerTurns | null = null,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const { signal, onProgress } = control;
    // running counts every task in flight; queued only those on the workers, which `limit` bounds.
    let next = 0, running = 0, queued = 0, rowsDone = 0, bad = 0;
    let stopped = false, settled = false, callerTurn = false;
    const settle = () => {
      if (settled || running > 0 || (!stopped && next < count)) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      cleanup();
      if (!stopped) resolve(bad);
    };
    const stop = (error: unknown) => {
      if (stopped) return;
      stopped = true;
      reject(error);
      settle();
    };
    const onAbort = () => stop(abortReason(signal!));
    const isStopped = () => stopped;
    const fill = () => {
      while (!stopped && queued < limit && next < count) launch(start, false);
      if (caller && !callerTurn && !stopped && next < count) {
        callerTurn = true;
        caller.afterEvents(() => {
          if (!stopped && next < count) launch(caller.start, true);
          else callerTurn = false;
          fill();
          settle();
        });
      }
    };
    const launch = (begin: (i: number, stopped: () => boolean) => Task, onCaller: boolean) => {
      let task: Task;
      try {
        task = begin(next++, isStopped);
      } catch (e) {
        stop(e);
        return;
      }
      running++;
      if (!onCaller) queued++;
      const leave = () => {
        running--;
        if (onCaller) callerTurn = false;
        else queued--;
      };
      task.done.then(
        (n) => {
          leave();
          try {
            if (!stopped) {
              task.collect();
              bad += n;
              rowsDone += task.rows;
              onProgress?.(rowsDone, total);
            }
          } catch (e) {
            stop(e);
          } finally {
            task.release();
          }
          fill();
          settle();
        },
        (e: unknown) => {
          leave();
          task.release();
          stop(e);
          settle();
        },
      );
    };
    if (signal?.aborted) {
      stop(abortReason(signal));
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    fill();
    settle();
  });
}
