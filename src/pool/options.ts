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

export function threadCount(threads: unknown, cores: number): number {
  if (threads === 'auto') return Math.max(1, cores);
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new InfodivError('INVALID_OPTION', `threads must be an integer ≥ 1 or 'auto', got ${String(threads)}`);
  }
  return threads;
}

/**
 * Without `minParallelRows`, a batch goes to the workers when it has at least 2 rows and
 * MIN_PARALLEL_ELEMENTS elements (rows × columns; cells for tables): the work, not the row count,
 * decides whether the pool's fixed cost (~200 µs a call: messages, waking the workers) pays off.
 * Measured on this project's 2-core machine (Node 20, simd, KL of plain float64 batches of 32,
 * 256 and 1024 columns): 2 workers tie with the calling thread at 300,000–500,000 elements and
 * are 1.2–1.3× faster at 1,048,576.
 */
export const MIN_PARALLEL_ELEMENTS = 1 << 19;

/** Whether a batch of `rows` rows (tables) and `elements` elements runs on the pool. */
export type UsePool = (rows: number, elements: number) => boolean;

export function usePoolOf(minParallelRows: unknown): UsePool {
  if (minParallelRows === undefined) return (rows, elements) => rows >= 2 && elements >= MIN_PARALLEL_ELEMENTS;
  if (typeof minParallelRows !== 'number' || !(Number.isInteger(minParallelRows) || minParallelRows === Infinity) || minParallelRows < 0) {
    throw new InfodivError('INVALID_OPTION', `minParallelRows must be a non-negative integer, got ${String(minParallelRows)}`);
  }
  return (rows) => rows >= minParallelRows;
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
