// Reading the options every function shares, with typed errors for bad values.
import { InfodivError } from './errors.js';
import type { CommonOptions, Convention } from './types.js';

/** Divisor that turns nats into the requested base (1 for nats). */
export function logOfBase(base: unknown): number {
  if (base === undefined) return 1;
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 0 || base === 1) {
    throw new InfodivError('INVALID_BASE', `base must be a positive finite number other than 1, got ${String(base)}`);
  }
  return Math.log(base);
}

/**
 * The divisor for a Jensen-Shannon distance: its base must be above 1, since below 1 the
 * divergence is negative and has no square root (scipy returns NaN there).
 */
export function logOfDistanceBase(base: unknown): number {
  const divisor = logOfBase(base);
  if (divisor < 0) throw new InfodivError('INVALID_BASE', `jsDistance needs a base above 1, got ${String(base)}`);
  return divisor;
}

export function conventionOf(opts: { convention?: unknown } | undefined, allowed: readonly Convention[]): Convention {
  const c = opts?.convention ?? 'scipy';
  if (typeof c !== 'string' || !(allowed as readonly string[]).includes(c)) {
    throw new InfodivError('INVALID_OPTION', `convention must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(c)}`);
  }
  return c as Convention;
}

export interface InvalidPolicy {
  mode: 'throw' | 'nan';
  errors: InfodivError[] | undefined;
}

export function invalidPolicy(opts: CommonOptions | undefined): InvalidPolicy {
  const mode = opts?.onInvalid ?? 'throw';
  if (mode !== 'throw' && mode !== 'nan') {
    throw new InfodivError('INVALID_OPTION', `onInvalid must be 'throw' or 'nan', got ${String(mode)}`);
  }
  const errors = opts?.errors;
  if (errors !== undefined && !Array.isArray(errors)) throw new InfodivError('INVALID_OPTION', 'errors must be an array');
  return { mode, errors };
}

/** Throws `err`, leaving no results in the first n elements of out: a call that throws returns none. */
export function throwClearing(out: Float64Array, n: number, err: unknown): never {
  out.fill(NaN, 0, n);
  throw err;
}

/** The caller's `out` array, checked, or a new one. */
export function outArray(opts: CommonOptions | undefined, n: number): Float64Array {
  const out = opts?.out;
  if (out === undefined) return new Float64Array(n);
  if (!(out instanceof Float64Array)) throw new InfodivError('INVALID_OPTION', 'out must be a Float64Array');
  if (out.length < n) throw new InfodivError('LENGTH_MISMATCH', `out has ${out.length} elements, ${n} are needed`, 'out');
  return out;
}
