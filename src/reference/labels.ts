/**
 * Float64 reference for scikit-learn 1.2.1's label measures (`mutual_info_score`,
 * `normalized_mutual_info_score`, `adjusted_mutual_info_score`), computed from a contingency
 * table of counts (row-major, rows = classes of labels_true, columns = classes of labels_pred).
 *
 * The mathematics is evaluated as exactly as float64 allows (compensated sums, the expected MI
 * through an exact hypergeometric recurrence instead of log-gamma differences); sklearn's
 * special cases are reproduced on purpose:
 * - MI is exactly 0 when either side has a single cluster, and MI is clipped at 0;
 * - NMI and AMI are 1 when both sides have a single cluster;
 * - NMI is 0 when MI is 0;
 * - the expected MI is 0 when either side has a single cluster, and AMI's denominator is kept
 *   at least ε in magnitude (so a one-sided single cluster gives (0 − 0)/ε = 0 for every mean).
 * Empty rows and columns of a table are ignored (a table built from labels has none).
 * Invalid tables (negative or non-finite counts, zero total; fractional counts for AMI) give NaN.
 */

import { CompensatedSum, entropyRow, isValidRow, scaledSum } from './rows.js';
import { mutualInformationTable } from './joint.js';

export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

/** numpy's float64 machine epsilon, sklearn's floor for AMI's denominator. */
const EPSILON = 2 ** -52;

/** AMI's denominator (mean entropy − expected MI) at or below this fraction of the mean is 0/0. */
export const DEGENERATE = 1e-12;

/**
 * Stop walking a hypergeometric tail once the rest of it is below this fraction of the
 * (mode-relative) probability mass: the terms left out are then invisible in float64.
 */
const TAIL_CUTOFF = 2 ** -64;

/** Row and column sums of a table (compensated: counts may be fractional), without the empty ones. */
function marginals(data: ArrayLike<number>, rows: number, cols: number): {
  rowSums: Float64Array; colSums: Float64Array; total: number;
} {
  const r = new Float64Array(rows);
  for (let x = 0; x < rows; x++) r[x] = scaledSum(data, x * cols, cols, 1);
  const c = new Float64Array(cols);
  for (let y = 0; y < cols; y++) {
    const acc = new CompensatedSum();
    for (let x = 0; x < rows; x++) acc.add(data[x * cols + y]);
    c[y] = acc.value;
  }
  return {
    rowSums: r.filter((v) => v > 0),
    colSums: c.filter((v) => v > 0),
    total: scaledSum(r, 0, rows, 1),
  };
}

/** sklearn `mutual_info_score(contingency=table)`, in nats. */
export function miFromTable(data: ArrayLike<number>, rows: number, cols: number): number {
  const n = rows * cols;
  if (!isValidRow(data, 0, n)) return NaN;
  const { rowSums, colSums, total } = marginals(data, rows, cols);
  if (total === 0) return NaN;
  // A single cluster on either side has zero entropy, and MI ≤ min(H(X), H(Y)).
  if (rowSums.length === 1 || colSums.length === 1) return 0;
  // The normalized-table MI is sklearn's formula; it is already clamped at 0.
  return mutualInformationTable(data, 0, rows, cols);
}

/** sklearn's `entropy(labels)` from the class counts: 0 for fewer than two non-empty classes. */
export function entropyOfCounts(counts: ArrayLike<number>): number {
  let nonEmpty = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) nonEmpty++;
  return nonEmpty < 2 ? 0 : entropyRow(counts, 0, counts.length, 'scipy');
}

/** sklearn's `_generalized_average`. */
function generalizedMean(u: number, v: number, method: AverageMethod): number {
  switch (method) {
    case 'min': return Math.min(u, v);
    case 'max': return Math.max(u, v);
    case 'geometric': return Math.sqrt(u * v);
    case 'arithmetic': return (u + v) / 2;
  }
}

/** sklearn `normalized_mutual_info_score` from a contingency table. */
export function nmiFromTable(
  data: ArrayLike<number>, rows: number, cols: number, averageMethod: AverageMethod,
): number {
  if (!isValidRow(data, 0, rows * cols)) return NaN;
  const { rowSums, colSums, total } = marginals(data, rows, cols);
  if (total === 0) return NaN;
  // Neither labeling splits the data: a perfect match.
  if (rowSums.length === 1 && colSums.length === 1) return 1;
  const mi = miFromTable(data, rows, cols);
  if (mi === 0) return 0;
  return mi / generalizedMean(entropyOfCounts(rowSums), entropyOfCounts(colSums), averageMethod);
}

/** sklearn `adjusted_mutual_info_score` from a contingency table of integer counts. */
export function amiFromTable(
  data: ArrayLike<number>, rows: number, cols: number, averageMethod: AverageMethod,
): number {
  const n = rows * cols;
  if (!isValidRow(data, 0, n)) return NaN;
  for (let i = 0; i < n; i++) if (!Number.isInteger(data[i])) return NaN;
  const { rowSums, colSums, total } = marginals(data, rows, cols);
  if (total === 0) return NaN;
  if (rowSums.length === 1 && colSums.length === 1) return 1;
  const mi = miFromTable(data, rows, cols);
  const emi = expectedMutualInformation(rowSums, colSums, total);
  const mean = generalizedMean(entropyOfCounts(rowSums), entropyOfCounts(colSums), averageMethod);
  // Every arrangement of the labels reaching the largest MI the mean allows (identical labelings
  // of distinct labels; for 'min', one side all-distinct) makes the formula 0/0 up to rounding,
  // which sklearn turns into 0 or 1 by chance. Here it is 1, like NMI there.
  if (rowSums.length > 1 && colSums.length > 1 && mean - emi <= DEGENERATE * mean) return 1;
  // sklearn keeps the denominator's sign but at least ε in magnitude, which avoids 0/0 when the
  // expectation equals the maximum and turns (0 − 0)/0 into 0.
  let denominator = mean - emi;
  denominator = denominator < 0 ? Math.min(denominator, -EPSILON) : Math.max(denominator, EPSILON);
  return (mi - emi) / denominator;
}

/**
 * Expected mutual information (nats) of two labelings with the given class sizes under the
 * permutation model, as sklearn's `expected_mutual_information`:
 * Σ_ij Σ_k (k/N) log(N k / (a_i b_j)) · P(k), k ~ Hypergeometric(N, a_i, b_j).
 * Instead of log-gamma differences (which lose ~N log N · ε), each P(k) is built by the exact
 * ratio recurrence from the mode outwards and normalized by the summed probabilities.
 * Like sklearn, it is 0 when either side has a single class. Sizes must be integers.
 */
export function expectedMutualInformation(
  rowSums: ArrayLike<number>, colSums: ArrayLike<number>, n: number,
): number {
  if (rowSums.length <= 1 || colSums.length <= 1) return 0;
  let emi = 0;
  for (let i = 0; i < rowSums.length; i++) {
    for (let j = 0; j < colSums.length; j++) emi += expectedCellTerm(rowSums[i], colSums[j], n);
  }
  return emi;
}

/**
 * Pairs whose hypergeometric variance is at least this take the moment expansion instead of the
 * walk below, whose length grows with the standard deviation (counts of 10^14 took seconds per
 * pair, 10^18 hours). The expansion's error, O(1/μ²) relative, is then below 1e-12.
 */
const WIDE = 2 ** 20;

/**
 * E[(k/N) log(k/μ)], μ = ab/N, from the Taylor expansion of x log(x/μ) about μ to fourth order:
 * (m2/(2μ) − m3/(6μ²) + m4/(12μ³))/N with the hypergeometric central moments m2 (given), m3 and
 * m4 ≈ 3·m2² (the rest of m4, like the fifth- and sixth-order terms, is O(1/μ²) relative).
 */
function wideCellTerm(a: number, b: number, n: number, mu: number, m2: number): number {
  const r = m2 / mu;
  const s = r * ((n - 2 * a) / n) * ((n - 2 * b) / (n - 2)); // m3 / μ
  return (0.5 * r - s / (6 * mu) + (0.25 * r * r) / mu) / n;
}

/** E[(k/N) log(N k/(a b))] over k ~ Hypergeometric(N, a, b), with the k = 0 term being 0. */
function expectedCellTerm(a: number, b: number, n: number): number {
  const mu = (a / n) * b;
  const variance = mu * ((n - a) / n) * ((n - b) / (n - 1));
  if (variance >= WIDE) return wideCellTerm(a, b, n, mu, variance);
  const lo = Math.max(0, a + b - n);
  const hi = Math.min(a, b);
  if (hi === 0) return 0;
  const ab = a * b;
  const term = (k: number): number => (k === 0 ? 0 : (k / n) * Math.log((n * k) / ab));
  // Probabilities relative to the mode (the largest one), so nothing overflows.
  const mode = Math.min(hi, Math.max(lo, Math.floor(((a + 1) * (b + 1)) / (n + 2))));
  let mass = 1;
  let sum = term(mode);
  // Upwards: P(k+1)/P(k) = (a−k)(b−k) / ((k+1)(N−a−b+k+1)), decreasing in k.
  for (let k = mode, p = 1; k < hi; k++) {
    const ratio = ((a - k) * (b - k)) / ((k + 1) * (n - a - b + k + 1));
    p *= ratio;
    mass += p;
    sum += p * term(k + 1);
    if (ratio < 1 && (p * ratio) / (1 - ratio) < TAIL_CUTOFF) break;
  }
  // Downwards: P(k−1)/P(k) = k(N−a−b+k) / ((a−k+1)(b−k+1)), decreasing as k falls.
  for (let k = mode, p = 1; k > lo; k--) {
    const ratio = (k * (n - a - b + k)) / ((a - k + 1) * (b - k + 1));
    p *= ratio;
    mass += p;
    sum += p * term(k - 1);
    if (ratio < 1 && (p * ratio) / (1 - ratio) < TAIL_CUTOFF) break;
  }
  return sum / mass;
}

/** Labels coded as dense class indices, with the sorted distinct labels. */
export interface CodedLabels {
  codes: Int32Array;
  labels: (number | string)[];
}

/**
 * Codes a labeling as class indices 0..k−1 in the order of the sorted distinct labels:
 * numbers ascending, then strings in code-point order (numpy's order); `1` and `'1'` are
 * different labels, `0` and `-0` the same. Labels must already be finite numbers or strings.
 */
export function codeLabels(labels: ArrayLike<number | string>): CodedLabels {
  const distinct = new Map<number | string, number>();
  for (let i = 0; i < labels.length; i++) distinct.set(labels[i], 0);
  const sorted = [...distinct.keys()].sort(compareLabels);
  sorted.forEach((label, index) => distinct.set(label, index));
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = distinct.get(labels[i]) as number;
  return { codes, labels: sorted };
}

function compareLabels(a: number | string, b: number | string): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return compareCodePoints(a, b);
}

/**
 * Code-point order of two strings. JavaScript's `<` compares UTF-16 units, which puts
 * characters above U+FFFF (surrogate pairs) before U+E000–U+FFFF; remapping the first
 * differing unit restores the code-point order numpy uses.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** Contingency counts (row-major, rows = classes of `a`, columns = classes of `b`). */
export function contingencyFromCodes(
  a: ArrayLike<number>, b: ArrayLike<number>, ka: number, kb: number,
): Float64Array {
  const table = new Float64Array(ka * kb);
  for (let i = 0; i < a.length; i++) table[a[i] * kb + b[i]] += 1;
  return table;
}
