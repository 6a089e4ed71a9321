/** Error codes of API.md; `code` is the stable, machine-readable part of every failure. */
export type ErrorCode =
  | 'LENGTH_MISMATCH'
  | 'NEGATIVE_VALUE'
  | 'NON_FINITE'
  | 'EMPTY'
  | 'ZERO_SUM'
  | 'INVALID_BASE'
  | 'INVALID_OPTION'
  | 'NOT_STOCHASTIC'
  | 'NOT_INTEGER'
  | 'NOT_INITIALIZED'
  | 'ENGINE_CLOSED'
  | 'WORKER_FAILED'
  | 'OUT_OF_MEMORY';

export const ERROR_CODES: readonly ErrorCode[] = [
  'LENGTH_MISMATCH', 'NEGATIVE_VALUE', 'NON_FINITE', 'EMPTY', 'ZERO_SUM', 'INVALID_BASE',
  'INVALID_OPTION', 'NOT_STOCHASTIC', 'NOT_INTEGER', 'NOT_INITIALIZED', 'ENGINE_CLOSED',
  'WORKER_FAILED', 'OUT_OF_MEMORY',
];

export class InfodivError extends Error {
  readonly code: ErrorCode;
  /** Name of the offending argument (`'p'`, `'q'`, `'W'`, `'labels_true'`, ...) or null. */
  readonly argument: string | null;
  /** `[i]` (1-D) or `[row, col]` (2-D) of the first offending element, or null. */
  readonly index: number[] | null;

  constructor(code: ErrorCode, message: string, argument: string | null = null, index: number[] | null = null) {
    super(message);
    this.name = 'InfodivError';
    this.code = code;
    this.argument = argument;
    this.index = index;
  }

  /** Plain object that survives structured cloning (worker threads). */
  toJSON(): { code: ErrorCode; message: string; argument: string | null; index: number[] | null } {
    return { code: this.code, message: this.message, argument: this.argument, index: this.index };
  }

  static fromJSON(o: { code: ErrorCode; message: string; argument: string | null; index: number[] | null }): InfodivError {
    return new InfodivError(o.code, o.message, o.argument, o.index);
  }
}

/**
 * The runtime's failure to allocate — a RangeError from an ArrayBuffer, typed array or array
 * that is too large for this process — as OUT_OF_MEMORY; any other error unchanged.
 */
export function asOutOfMemory(e: unknown): unknown {
  if (e instanceof RangeError && /allocation failed|invalid (typed )?array( buffer)? length/i.test(e.message)) {
    return new InfodivError('OUT_OF_MEMORY', `infodiv could not allocate the memory this call needs (${e.message})`);
  }
  return e;
}

/** Formats `[row, col]` or `[i]` for messages. */
export function where(index: number[] | null): string {
  if (!index) return '';
  return index.length === 1 ? ` at index ${index[0]}` : ` at row ${index[0]}, column ${index[1]}`;
}
