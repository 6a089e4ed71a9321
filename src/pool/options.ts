// The options that only threaded engines read: `threads` and `minParallelRows` at creation,
// `signal` and `onProgress` per call.
import { InfodivError } from '../errors.js';

/** Per-call options of a threaded engine's functions. */
export interface CallControl {
  /** Aborting rejects the call (with the signal's reason, an AbortError by default) and stops its work. */
  signal?: AbortSignal;
  /** Called as rows (tables for the table functions) complete; the last call has rowsDone = rowsTotal. */
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
}

/**
 * Default `minParallelRows`. Measured on a 2-core machine (Node 20, simd): with rows of 256
 * float64, KL over a batch of plain arrays on 2 workers first beats the calling thread at about
 * 1,000 rows (a call through the pool costs a few hundred µs of messages and start-up of the
 * pipeline, the calling thread computes ~2.5 rows/µs of that width).
 */
export const DEFAULT_MIN_PARALLEL_ROWS = 1000;

export function threadCount(threads: unknown, cores: number): number {
  if (threads === 'auto') return Math.max(1, cores);
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new InfodivError('INVALID_OPTION', `threads must be an integer ≥ 1 or 'auto', got ${String(threads)}`);
  }
  return threads;
}

export function minParallelRowsOf(v: unknown): number {
  if (v === undefined) return DEFAULT_MIN_PARALLEL_ROWS;
  if (typeof v !== 'number' || !(Number.isInteger(v) || v === Infinity) || v < 0) {
    throw new InfodivError('INVALID_OPTION', `minParallelRows must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

export function callControl(opts: unknown): CallControl {
  if (typeof opts !== 'object' || opts === null) return {};
  const { signal, onProgress } = opts as { signal?: unknown; onProgress?: unknown };
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal && 'addEventListener' in signal)) {
    throw new InfodivError('INVALID_OPTION', 'signal must be an AbortSignal');
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new InfodivError('INVALID_OPTION', 'onProgress must be a function');
  return { signal: signal as AbortSignal | undefined, onProgress: onProgress as CallControl['onProgress'] };
}
