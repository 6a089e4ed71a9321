/**
 * Float64 reference for measures of a joint table P[x][y] (row-major, rows = X, columns = Y).
 *
 * The table is normalized by its total first, so counts are valid input. A table with a
 * negative, NaN or infinite entry, or a zero total, gives NaN. Results are in nats.
 *
 * Marginals are summed at the same power-of-two scale as the total (see `rowMass`), so an
 * overflowing total stays finite; every log-ratio is taken between quantities of one scale.
 */

import {
  CompensatedSum, MIN_NORMAL, entropyRow, isValidRow, rowMass, scaledSum,
} from './rows.js';

/** Joint entropy H(X,Y): the entropy of the flattened, normalized table. */
export function jointEntropyTable(
  data: ArrayLike<number>, off: number, rows: number, cols: number,
): number {
  return entropyRow(data, off, rows * cols, 'scipy');
}

/** Conditional entropy H(Y|X) = Σ_x P(x) H(Y | X = x). */
export function conditionalEntropyTable(
  data: ArrayLike<number>, off: number, rows: number, cols: number,
): number {
  const n = rows * cols;
  if (!isValidRow(data, off, n)) return NaN;
  const total = rowMass(data, off, n);
  if (total.sum === 0) return NaN;
  const acc = new CompensatedSum();
  for (let x = 0; x < rows; x++) {
    const rowOff = off + x * cols;
    const px = scaledSum(data, rowOff, cols, total.scale) / total.sum;
    // A row whose weight underflows to 0 contributes nothing representable.
    if (px > 0) acc.add(px * entropyRow(data, rowOff, cols, 'scipy'));
  }
  return acc.value;
}

/**
 * Mutual information I(X;Y) = Σ P(x,y) log(P(x,y) / (P(x) P(y))), clamped at 0 (a true MI is
 * never negative; rounding can make an independent table give −1e-17).
 */
export function mutualInformationTable(
  data: ArrayLike<number>, off: number, rows: number, cols: number,
): number {
  const n = rows * cols;
  if (!isValidRow(data, off, n)) return NaN;
  const total = rowMass(data, off, n);
  if (total.sum === 0) return NaN;
  const scale = total.scale;
  const t = total.sum;
  const colSum = new Float64Array(cols);
  for (let y = 0; y < cols; y++) {
    const acc = new CompensatedSum();
    for (let x = 0; x < rows; x++) acc.add(data[off + x * cols + y] * scale);
    colSum[y] = acc.value;
  }
  const logT = Math.log(t);
  const acc = new CompensatedSum();
  for (let x = 0; x < rows; x++) {
    const rowOff = off + x * cols;
    const rowSum = scaledSum(data, rowOff, cols, scale);
    if (rowSum === 0) continue;
    for (let y = 0; y < cols; y++) {
      // At the overflow scale a cell only flushes to 0 when its weight c/t underflows anyway.
      const c = data[rowOff + y] * scale;
      const w = c / t;
      if (w === 0) continue;
      // P(x,y)/(P(x)P(y)) = (c/rowSum)/(colSum/t): both factors are ≤ 1 and normal for any cell
      // whose weight is normal, so the product of two ratios stays accurate.
      const ratio = (c / rowSum) / (colSum[y] / t);
      const l = ratio >= MIN_NORMAL && ratio < Infinity
        ? Math.log(ratio)
        : Math.log(c) - Math.log(rowSum) - Math.log(colSum[y]) + logT;
      acc.add(w * l);
    }
  }
  return Math.max(0, acc.value);
}
