// The fuzz oracle. Values come from the `js` backend (the float64 reference); which error a call
// must throw is worked out here, from API.md alone: the first offending element in row-major
// order (the earlier argument first at equal positions) is NON_FINITE or NEGATIVE_VALUE at its
// index; failing that, a row or table that must be normalized but sums to zero is ZERO_SUM with
// index null. The library's own locating code (src/locate.ts) is what this checks.
import { InfodivError } from '../../src/errors.js';
import type { Engine } from '../../src/engine.js';

export interface ExpectedError {
  code: string;
  argument: string | null;
  index: number[] | null;
}

/** An argument as the model sees it: stored elements in row-major order. */
export interface View {
  name: string;
  oneD: boolean;
  rows: number;
  cols: number;
  values: readonly unknown[];
}

export function elementCode(v: unknown): 'NON_FINITE' | 'NEGATIVE_VALUE' | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'NON_FINITE';
  return v < 0 ? 'NEGATIVE_VALUE' : null;
}

const rowOf = (v: View, r: number) => (v.rows === 1 ? 0 : r);

function rowSum(v: View, r: number): number {
  let s = 0;
  for (let c = 0; c < v.cols; c++) s += v.values[r * v.cols + c] as number;
  return s;
}

/** The error of every output row (null for a valid row) of a row measure over `views`. */
export function rowErrors(views: readonly View[], rows: number, normalize: boolean): (ExpectedError | null)[] {
  const cols = views[0].cols;
  const errors: (ExpectedError | null)[] = [];
  for (let r = 0; r < rows; r++) {
    let err: ExpectedError | null = null;
    for (let c = 0; c < cols && !err; c++) {
      for (const v of views) {
        const sr = rowOf(v, r);
        const code = elementCode(v.values[sr * cols + c]);
        if (code) { err = { code, argument: v.name, index: v.oneD ? [c] : [sr, c] }; break; }
      }
    }
    if (!err && normalize) {
      const zero = views.find((v) => rowSum(v, rowOf(v, r)) === 0);
      if (zero) err = { code: 'ZERO_SUM', argument: zero.name, index: null };
    }
    errors.push(err);
  }
  return errors;
}

/** The error of every table of `count` tables of rows × cols (index [x, y], or [t, x, y] in a batch). */
export function tableErrors(values: readonly unknown[], count: number, rows: number, cols: number, single: boolean, name: string): (ExpectedError | null)[] {
  const errors: (ExpectedError | null)[] = [];
  for (let t = 0; t < count; t++) {
    let err: ExpectedError | null = null;
    let total = 0;
    for (let k = 0; k < rows * cols && !err; k++) {
      const v = values[t * rows * cols + k];
      const code = elementCode(v);
      const x = Math.floor(k / cols), y = k % cols;
      if (code) err = { code, argument: name, index: single ? [x, y] : [t, x, y] };
      else total += v as number;
    }
    if (!err && total === 0) err = { code: 'ZERO_SUM', argument: name, index: null };
    errors.push(err);
  }
  return errors;
}

export function describeError(e: unknown): string {
  if (e instanceof InfodivError) return `InfodivError ${e.code} argument ${e.argument} index ${JSON.stringify(e.index)}: ${e.message}`;
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

function sameError(e: unknown, want: ExpectedError): boolean {
  return e instanceof InfodivError && e.code === want.code && e.argument === want.argument
    && JSON.stringify(e.index) === JSON.stringify(want.index);
}

/** fn must throw exactly `want` (an InfodivError with that code, argument and index). */
export function expectThrows(label: string, fn: () => unknown, want: ExpectedError): void {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    if (!sameError(e, want)) throw new Error(`${label}: expected ${JSON.stringify(want)}, got ${describeError(e)}`);
    return;
  }
  throw new Error(`${label}: expected ${JSON.stringify(want)}, got a result ${String(result)}`);
}

/** The errors collected with onInvalid 'nan' must be the model's, in order. */
export function expectErrors(label: string, got: readonly unknown[], want: readonly ExpectedError[]): void {
  if (got.length !== want.length || !got.every((e, i) => sameError(e, want[i]))) {
    throw new Error(`${label}: collected errors ${JSON.stringify(got.map(describeError))}, expected ${JSON.stringify(want)}`);
  }
}

/**
 * Magnitude of the terms a row measure's rounding scales with (the conformance rule's C):
 * 1 + Σ (p'+q')(|log p'| + |log q'| + 1) over the shares p', q' (or the raw values). Shares are
 * formed by dividing by the largest element first, so rows whose sum overflows are handled.
 */
export function termScale(p: ArrayLike<number>, q: ArrayLike<number>, normalize: boolean): number {
  const logShares = (row: ArrayLike<number>): [number[], number[]] => {
    const x = Array.from(row);
    if (!normalize) return [x, x.map((v) => (v > 0 ? Math.log(v) : 0))];
    const max = x.reduce((m, v) => (v > m ? v : m), -Infinity);
    if (!(max > 0)) return [x.map(() => 0), x.map(() => 0)];
    const sum = x.reduce((s, v) => s + v / max, 0);
    return [x.map((v) => v / max / sum), x.map((v) => (v > 0 ? Math.log(v) - Math.log(max) - Math.log(sum) : 0))];
  };
  const [a, la] = logShares(p), [b, lb] = logShares(q);
  let c = 1;
  for (let i = 0; i < a.length; i++) c += (a[i] + b[i]) * (Math.abs(la[i]) + Math.abs(lb[i]) + 1);
  return c;
}

/** |got − want| ≤ tol, or both the same non-finite value. */
export function expectClose(label: string, got: number, want: number, tol: number): void {
  if (!Number.isFinite(want)) {
    if (!Object.is(got, want)) throw new Error(`${label}: got ${got}, reference ${want}`);
    return;
  }
  if (!(Math.abs(got - want) <= tol)) throw new Error(`${label}: got ${got}, reference ${want}, |diff| ${Math.abs(got - want)} > ${tol}`);
}

/**
 * A fixed call whose answer must never change: run after every case, it shows that no earlier
 * call (failed or not) left the engine in a bad state.
 */
export function canary(engine: Engine): number[] {
  const p = [[0.1, 0.2, 0.3, 0.4, 0, 5e-324, 1e-300], [3, 1, 4, 1, 5, 9, 2]];
  const q = [0.4, 0.3, 0.2, 0.1, 1e-310, 0.5, 0.5];
  return [
    ...(engine.kl(p, q) as Float64Array), ...(engine.jsd(p, q) as Float64Array),
    engine.mutualInformation([[1, 2], [3, 4]]) as number, engine.adjustedMutualInfoScore([0, 0, 1, 1, 2], [0, 1, 1, 1, 2]),
    engine.channelMutualInformation([1, 3], [[0.25, 0.75], [0.5, 0.5]]) as number,
  ];
}

/** What a caller's `out` is filled with before a call, to see what the call wrote. */
export const SENTINEL = 12345.5;

/** The result lives in the caller's out: out itself, or its first `rows` elements; the rest untouched. */
export function expectOutResult(label: string, out: Float64Array, result: number | Float64Array, rows: number): void {
  if (typeof result === 'number') {
    if (!Object.is(out[0], result)) throw new Error(`${label}: out[0] = ${out[0]}, result ${result}`);
  } else if (result.buffer !== out.buffer || result.byteOffset !== out.byteOffset || result.length !== rows) {
    throw new Error(`${label}: the result is not the first ${rows} elements of out`);
  }
  for (let k = rows; k < out.length; k++) if (out[k] !== SENTINEL) throw new Error(`${label}: out[${k}] beyond the results was written`);
}

/** After a throw, out holds no results: its first `rows` elements are NaN, the rest untouched. */
export function expectOutAfterThrow(label: string, out: Float64Array, rows: number): void {
  for (let k = 0; k < rows; k++) if (!Number.isNaN(out[k])) throw new Error(`${label}: out[${k}] = ${out[k]} after a throw (expected NaN)`);
  for (let k = rows; k < out.length; k++) if (out[k] !== SENTINEL) throw new Error(`${label}: out[${k}] beyond the results was written`);
}
