// Labels → dense class codes, the only per-sample work done in TypeScript for the label measures.
// Class k is the k-th smallest distinct label: numbers ascending, then strings in code-point
// order (numpy's order, via the reference's codeLabels); `1` and `'1'` are different labels,
// `0` and `-0` the same. Integer labels spanning a small range take a dense path (a lookup table
// instead of a Map), which is what feature matrices and most clusterings look like.
import type { CodedLabels } from './backend.js';
import { InfodivError } from './errors.js';
import { elementError } from './locate.js';
import { codeLabels } from './reference/labels.js';
import type { NumericTypedArray } from './types.js';

/** Coded labels plus the sorted distinct labels themselves. */
export interface LabelCoding extends CodedLabels {
  readonly labels: (number | string)[];
}

/** Largest code a code matrix may hold (codes index int32-addressed tables; 2^31 − 1 is the kernels' mark). */
export const MAX_CODE = 2 ** 31 - 2;

export function isTypedArray(x: unknown): x is NumericTypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

const isIntegerArray = (x: NumericTypedArray) => !(x instanceof Float32Array || x instanceof Float64Array);

/** The error for a label that is neither a finite number nor a string. */
function labelError(name: string, v: unknown, index: number[]): InfodivError {
  const shown = typeof v === 'number' ? String(v) : v === null ? 'null' : typeof v;
  return new InfodivError('NON_FINITE', `${name} has a label that is not a finite number or a string (${shown})`, name, index);
}

/** A dense range is coded through a lookup table when it is at most this many times the sample count. */
const DENSE_SPAN_FACTOR = 4;
const DENSE_SPAN_MIN = 1024;

/**
 * Codes one labeling; `where(i)` turns a sample index into the error index the caller reports
 * (`[i]` for one labeling, `[f, i]` for feature f of several).
 */
export function codeLabeling(name: string, x: unknown, where: (i: number) => number[] = (i) => [i]): LabelCoding {
  let values: ArrayLike<unknown>;
  if (isTypedArray(x)) values = x;
  else if (Array.isArray(x)) values = x;
  else throw new InfodivError('INVALID_OPTION', `${name} must be an array of labels or a typed array`, name);
  const n = values.length;
  if (n === 0) throw new InfodivError('EMPTY', `${name} is empty`, name);
  let integers = true, strings = false;
  let lo = Infinity, hi = -Infinity;
  if (isTypedArray(x) && isIntegerArray(x)) {
    // Starting from an element keeps the comparisons in integers (a third faster than ±Infinity).
    lo = hi = x[0];
    for (let i = 1; i < n; i++) {
      const v = x[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw labelError(name, v, where(i));
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (integers && !Number.isInteger(v)) integers = false;
      } else if (typeof v === 'string') {
        strings = true;
      } else {
        throw labelError(name, v, where(i));
      }
    }
  }
  if (!strings && integers && hi - lo < Math.max(DENSE_SPAN_MIN, DENSE_SPAN_FACTOR * n)) {
    return codeDense(values as ArrayLike<number>, lo, hi);
  }
  const { codes, labels } = codeLabels(values as ArrayLike<number | string>);
  const sizes = new Float64Array(labels.length);
  for (let i = 0; i < n; i++) sizes[codes[i]]++;
  return { codes, classes: labels.length, sizes, labels };
}

/** Integer labels in [lo, hi]: one counting pass, then ranks through a table of the span. */
function codeDense(values: ArrayLike<number>, lo: number, hi: number): LabelCoding {
  const n = values.length;
  const counts = new Int32Array(hi - lo + 1);
  for (let i = 0; i < n; i++) counts[values[i] - lo]++;
  // rank[v] is the class of label lo + v (read only for labels that occur).
  const rank = new Int32Array(counts.length);
  let classes = 0;
  for (let v = 0; v < counts.length; v++) if (counts[v] !== 0) rank[v] = classes++;
  const sizes = new Float64Array(classes);
  const labels: number[] = new Array<number>(classes);
  for (let v = 0, k = 0; v < counts.length; v++) {
    if (counts[v] === 0) continue;
    sizes[k] = counts[v];
    // lo + v is never -0: a -0 label is the label 0.
    labels[k++] = lo + v + 0;
  }
  // Labels 0..k−1 all in use are their own codes (codes are never written to).
  if (values instanceof Int32Array && lo === 0 && classes === counts.length) return { codes: values, classes, sizes, labels };
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = rank[values[i] - lo];
  return { codes, classes, sizes, labels };
}

/** What is wrong with an element of a code matrix, if anything. */
export function codeProblem(v: unknown): InfodivError['code'] | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'NON_FINITE';
  if (v < 0) return 'NEGATIVE_VALUE';
  if (!Number.isInteger(v)) return 'NOT_INTEGER';
  return v > MAX_CODE ? 'INVALID_OPTION' : null;
}

/** The error for element [row, col] of a code matrix, or null when it is a valid code. */
export function codeError(name: string, v: unknown, row: number, col: number): InfodivError | null {
  const problem = codeProblem(v);
  if (problem === null) return null;
  if (problem === 'NON_FINITE' || problem === 'NEGATIVE_VALUE') return elementError(problem, name, v, [row, col]);
  const what = problem === 'NOT_INTEGER' ? 'is not an integer' : `is above the largest code ${MAX_CODE}`;
  return new InfodivError(problem, `${name} at row ${row}, column ${col}: code ${String(v)} ${what}`, name, [row, col]);
}

/**
 * Column `col` of a code matrix as coded labels, or null when it holds an invalid code. The
 * codes are the caller's own (empty classes included) unless their range is much larger than
 * the sample count, in which case they are re-coded densely.
 */
export function columnCodes(data: NumericTypedArray, rows: number, cols: number, col: number): CodedLabels | null {
  const column = new Float64Array(rows);
  let hi = 0;
  for (let r = 0; r < rows; r++) {
    const v = data[r * cols + col];
    if (codeProblem(v) !== null) return null;
    column[r] = v;
    if (v > hi) hi = v;
  }
  if (hi >= Math.max(DENSE_SPAN_MIN, DENSE_SPAN_FACTOR * rows)) return codeLabeling('features', column);
  const sizes = new Float64Array(hi + 1);
  const codes = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    codes[r] = column[r];
    sizes[column[r]]++;
  }
  return { codes, classes: hi + 1, sizes };
}
