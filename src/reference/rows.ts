/**
 * Float64 reference for the per-row measures: entropy, cross-entropy, KL and Jensen-Shannon.
 *
 * This is the oracle the WebAssembly kernels are tested against and the `js` backend, so it
 * favours accuracy over speed:
 * - every sum is compensated, so long rows do not drift;
 * - rows are normalized by division, never by multiplying with 1/sum (which overflows when the
 *   sum is subnormal);
 * - a row sum that overflows is recomputed at an exact power-of-two scale;
 * - a log-ratio whose ratio would overflow or underflow falls back to a difference of logs
 *   (as newer scipy's `rel_entr` does), so valid input never gives NaN.
 *
 * Rows arrive already shaped (offset + length into an `ArrayLike<number>`); their values are
 * checked here: a row with a negative, NaN or infinite element, or (scipy convention) a zero sum,
 * gives NaN, and so does a convention the measure does not define (entropy and cross-entropy
 * have no `keras` form, JSD only the `scipy` one). Results are in nats.
 */

export type Convention = 'scipy' | 'raw' | 'keras';

/** Smallest positive normal float64: quotients below it have lost precision. */
export const MIN_NORMAL = 2 ** -1022;

/** Exact power-of-two scale applied to a sum that overflows (and to raw weights that do). */
const DOWN = 2 ** -64;
const LOG_DOWN = -64 * Math.LN2;

/** Keras' `backend.epsilon()`: both inputs are clipped to [KERAS_EPSILON, 1]. */
const KERAS_EPSILON = 1e-7;

/** Neumaier-compensated sum: its error does not grow with the number of terms. */
export class CompensatedSum {
  private hi = 0;
  private lo = 0;

  add(x: number): void {
    const t = this.hi + x;
    if (!Number.isFinite(t)) {
      // An overflowed or infinite partial sum carries no rounding error worth tracking
      // (and the correction below would turn it into NaN).
      this.hi = t;
      return;
    }
    this.lo += Math.abs(this.hi) >= Math.abs(x) ? this.hi - t + x : x - t + this.hi;
    this.hi = t;
  }

  get value(): number {
    return this.hi + this.lo;
  }
}

/** True when every element is finite and non-negative (`-0` counts as zero). */
export function isValidRow(x: ArrayLike<number>, off: number, n: number): boolean {
  for (let i = off, end = off + n; i < end; i++) {
    const v = x[i];
    if (!(v >= 0 && v < Infinity)) return false;
  }
  return true;
}

/** Compensated Σ x_i·scale over a row (`scale` is 1 or an exact power of two). */
export function scaledSum(x: ArrayLike<number>, off: number, n: number, scale: number): number {
  const acc = new CompensatedSum();
  for (let i = off, end = off + n; i < end; i++) acc.add(x[i] * scale);
  return acc.value;
}

/**
 * Total of a non-negative row, kept as `sum / scale` so that it is finite even when the plain
 * sum overflows (`scale` is then 2^-64; elements themselves are never rescaled, see `share`).
 */
export interface Mass {
  readonly sum: number;
  readonly scale: number;
  /** log of the true total (log(sum) − log(scale)). */
  readonly logTotal: number;
}

export function rowMass(x: ArrayLike<number>, off: number, n: number): Mass {
  const sum = scaledSum(x, off, n, 1);
  if (sum !== Infinity) return { sum, scale: 1, logTotal: Math.log(sum) };
  const scaled = scaledSum(x, off, n, DOWN);
  return { sum: scaled, scale: DOWN, logTotal: Math.log(scaled) - LOG_DOWN };
}

/** x / total, by division (x/sum ≤ 2^64 when rescaled, so it cannot overflow). */
export function share(x: number, m: Mass): number {
  return (x / m.sum) * m.scale;
}

/**
 * log(x / total) given s = share(x, m): log(s) while s is normal, else log(x) − log(total),
 * which stays exact where the share is subnormal or underflowed to 0.
 */
export function logShare(x: number, s: number, m: Mass): number {
  return s >= MIN_NORMAL ? Math.log(s) : Math.log(x) - m.logTotal;
}

/** log(a/b) for a, b > 0: one log of the ratio while it is normal and finite, else log a − log b. */
function logRatio(a: number, b: number): number {
  const r = a / b;
  return r >= MIN_NORMAL && r < Infinity ? Math.log(r) : Math.log(a) - Math.log(b);
}

/**
 * Evaluates a raw-convention sum, whose terms p_i·L_i can overflow although the total may not:
 * if the sum at weight 1 is not finite, it is redone with weights 2^-64 and scaled back, which
 * turns a spurious Inf − Inf into the right finite or infinite value.
 */
function rawSum(sumAt: (weight: number) => number): number {
  const s = sumAt(1);
  return Number.isFinite(s) ? s : sumAt(DOWN) / DOWN;
}

/**
 * Shannon entropy of one row. `scipy`: the row is normalized first (H = −Σ (p/P) log(p/P));
 * `raw`: Σ entr(p) = −Σ p log p on the row as given. 0·log 0 = 0.
 */
export function entropyRow(
  p: ArrayLike<number>, pOff: number, n: number, convention: Convention,
): number {
  if (convention === 'keras' || !isValidRow(p, pOff, n)) return NaN;
  const acc = new CompensatedSum();
  if (convention === 'raw') {
    // Only terms with p > 1 are negative and only they can overflow, so no Inf − Inf here.
    for (let i = pOff, end = pOff + n; i < end; i++) {
      const a = p[i];
      if (a > 0) acc.add(-a * Math.log(a));
    }
    return acc.value;
  }
  const P = rowMass(p, pOff, n);
  if (P.sum === 0) return NaN;
  for (let i = pOff, end = pOff + n; i < end; i++) {
    const a = p[i];
    const r = share(a, P);
    if (r > 0) acc.add(-r * logShare(a, r, P));
  }
  return acc.value;
}

/**
 * Cross-entropy −Σ p log q of one row pair. `scipy`: both rows normalized first; `raw`:
 * −Σ xlogy(p, q). A p_i > 0 where q_i = 0 gives +Infinity.
 */
export function crossEntropyRow(
  p: ArrayLike<number>, pOff: number, q: ArrayLike<number>, qOff: number, n: number,
  convention: Convention,
): number {
  if (convention === 'keras' || !isValidRow(p, pOff, n) || !isValidRow(q, qOff, n)) return NaN;
  if (convention === 'raw') {
    if (hasUncoveredMass(p, pOff, q, qOff, n)) return Infinity;
    return rawSum((weight) => {
      const acc = new CompensatedSum();
      for (let i = 0; i < n; i++) {
        const a = p[pOff + i];
        if (a > 0) acc.add(-a * (Math.log(q[qOff + i]) * weight));
      }
      return acc.value;
    });
  }
  const P = rowMass(p, pOff, n);
  const Q = rowMass(q, qOff, n);
  if (P.sum === 0 || Q.sum === 0) return NaN;
  if (hasUncoveredMass(p, pOff, q, qOff, n)) return Infinity;
  const acc = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const r = share(p[pOff + i], P);
    if (r === 0) continue;
    const b = q[qOff + i];
    acc.add(-r * logShare(b, share(b, Q), Q));
  }
  return acc.value;
}

/**
 * Kullback-Leibler divergence D(p‖q) of one row pair.
 * - `scipy`: both rows normalized; p_i = 0 contributes 0, p_i > 0 with q_i = 0 gives +Infinity.
 * - `raw`: Σ rel_entr(p, q) on the rows as given (can be negative).
 * - `keras`: both rows clipped to [1e-7, 1], then Σ p log(p/q); never infinite.
 */
export function klRow(
  p: ArrayLike<number>, pOff: number, q: ArrayLike<number>, qOff: number, n: number,
  convention: Convention,
): number {
  if (!isValidRow(p, pOff, n) || !isValidRow(q, qOff, n)) return NaN;
  if (convention === 'keras') {
    const acc = new CompensatedSum();
    for (let i = 0; i < n; i++) {
      const a = clipKeras(p[pOff + i]);
      // a/b lies in [1e-7, 1e7]: a plain log of the ratio is exact enough.
      acc.add(a * Math.log(a / clipKeras(q[qOff + i])));
    }
    return acc.value;
  }
  if (convention === 'raw') {
    if (hasUncoveredMass(p, pOff, q, qOff, n)) return Infinity;
    return rawSum((weight) => {
      const acc = new CompensatedSum();
      for (let i = 0; i < n; i++) {
        const a = p[pOff + i];
        if (a > 0) acc.add(a * (logRatio(a, q[qOff + i]) * weight));
      }
      return acc.value;
    });
  }
  const P = rowMass(p, pOff, n);
  const Q = rowMass(q, qOff, n);
  if (P.sum === 0 || Q.sum === 0) return NaN;
  if (hasUncoveredMass(p, pOff, q, qOff, n)) return Infinity;
  const acc = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const a = p[pOff + i];
    const r = share(a, P);
    if (r === 0) continue;
    const b = q[qOff + i];
    const s = share(b, Q);
    const ratio = r / s;
    const l = ratio >= MIN_NORMAL && ratio < Infinity
      ? Math.log(ratio)
      : logShare(a, r, P) - logShare(b, s, Q);
    acc.add(r * l);
  }
  return acc.value;
}

/**
 * Jensen-Shannon divergence of one row pair (scipy convention: both rows normalized):
 * ½ Σ [p' log(p'/m) + q' log(q'/m)], m = (p' + q')/2, clamped at 0 (rounding can make
 * nearly equal rows slightly negative). Only the `scipy` convention is defined; the argument
 * keeps the signature uniform with the other two-row measures.
 */
export function jsdRow(
  p: ArrayLike<number>, pOff: number, q: ArrayLike<number>, qOff: number, n: number,
  convention: Convention = 'scipy',
): number {
  if (convention !== 'scipy' || !isValidRow(p, pOff, n) || !isValidRow(q, qOff, n)) return NaN;
  const P = rowMass(p, pOff, n);
  const Q = rowMass(q, qOff, n);
  if (P.sum === 0 || Q.sum === 0) return NaN;
  const acc = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const a = p[pOff + i];
    const b = q[qOff + i];
    const r = share(a, P);
    const s = share(b, Q);
    // log(x/m) = log(2x/(r+s)): r + s > 0 whenever x > 0, and the ratio is at most 2; this avoids
    // m = (r+s)/2 rounding to 0 for the smallest subnormal shares.
    const t = r + s;
    if (r > 0) acc.add(r * logToMixture(a, r, P, t));
    if (s > 0) acc.add(s * logToMixture(b, s, Q, t));
  }
  return Math.max(0, acc.value / 2);
}

/** log(x'/m) for share x' = share(x, M) > 0 and t = 2m (the sum of both shares). */
function logToMixture(x: number, s: number, M: Mass, t: number): number {
  const ratio = (2 * s) / t;
  return ratio >= MIN_NORMAL ? Math.log(ratio) : logShare(x, s, M) - (Math.log(t) - Math.LN2);
}

/** True when some p_i > 0 meets q_i = 0 (KL and cross-entropy are then +Infinity). */
function hasUncoveredMass(
  p: ArrayLike<number>, pOff: number, q: ArrayLike<number>, qOff: number, n: number,
): boolean {
  for (let i = 0; i < n; i++) if (p[pOff + i] > 0 && q[qOff + i] === 0) return true;
  return false;
}

function clipKeras(v: number): number {
  return v < KERAS_EPSILON ? KERAS_EPSILON : v > 1 ? 1 : v;
}
