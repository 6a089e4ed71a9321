// The error path: after a kernel marked a row invalid (NaN), find the first offending element
// on the caller's own data — lowest column first, and at equal columns the earlier argument.
import { InfodivError, where } from './errors.js';
import type { RowSource } from './input.js';

/** Row of `src` that pairs with output row r (a one-row source is broadcast). */
export function rowOf(src: RowSource, r: number): number {
  return src.rows === 1 ? 0 : r;
}

export function indexOf(src: RowSource, r: number, c: number): number[] {
  return src.oneD ? [c] : [r, c];
}

/** What is wrong with one caller element, if anything. */
export function elementProblem(v: unknown): 'NON_FINITE' | 'NEGATIVE_VALUE' | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'NON_FINITE';
  return v < 0 ? 'NEGATIVE_VALUE' : null;
}

/** A caller's element for a message; never throws (JSON.stringify does on BigInt and cycles). */
function shown(v: unknown): string {
  if (typeof v === 'number' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'object' || typeof v === 'function') return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
  return `${typeof v} ${String(v)}`;
}

export function elementError(code: 'NON_FINITE' | 'NEGATIVE_VALUE', name: string, v: unknown, index: number[]): InfodivError {
  const what = code === 'NON_FINITE' ? 'a non-finite value' : 'a negative value';
  return new InfodivError(code, `${name} has ${what} (${shown(v)})${where(index)}`, name, index);
}

/** First element of the paired rows that is not a finite non-negative number, as an error. */
export function badElement(sources: readonly RowSource[], r: number): InfodivError | null {
  const cols = sources[0].cols;
  for (let c = 0; c < cols; c++) {
    for (const src of sources) {
      const sr = rowOf(src, r);
      const v = src.get(sr, c);
      const problem = elementProblem(v);
      if (problem) return elementError(problem, src.name, v, indexOf(src, sr, c));
    }
  }
  return null;
}

function rowSum(src: RowSource, r: number): number {
  let s = 0;
  for (let c = 0; c < src.cols; c++) s += src.get(r, c) as number;
  return s;
}

/** The error for output row r, which a backend reported invalid. */
export function rowError(sources: readonly RowSource[], r: number): InfodivError {
  const bad = badElement(sources, r);
  if (bad) return bad;
  for (const src of sources) {
    const sr = rowOf(src, r);
    if (rowSum(src, sr) === 0) {
      const at = src.oneD ? '' : ` (row ${sr})`;
      return new InfodivError('ZERO_SUM', `${src.name} sums to zero${at}: it cannot be normalized`, src.name, null);
    }
  }
  throw new Error(`infodiv internal error: row ${r} was reported invalid but no cause was found`);
}
