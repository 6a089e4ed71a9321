// Measures of labelings from their contingency counts (scikit-learn's mutual_info_score,
// normalized_mutual_info_score, adjusted_mutual_info_score), in nats.
//
// With N samples, cell counts n, row sums a and column sums b, the host combines
//   H(X,Y) = Σ n log(N/n) / N,   H(X) = Σ a log(N/a) / N,   H(Y) = Σ b log(N/b) / N,
//   I(X;Y) = H(X) + H(Y) − H(X,Y).
// Every term is non-negative, so the three sums lose nothing to cancellation, and additive
// over cells, so a table counted tile by tile is summed tile by tile.
//
// The expected mutual information of AMI is a sum over every pair (row sum a, column sum b) of
// E[(k/N) log(N k/(a b))], k ~ Hypergeometric(N, a, b). The host passes the distinct row and
// column sums with their multiplicities, so equal cluster sizes are evaluated once.
import { logF64, logF64x2 } from './vmath';
import { lane2 } from './lanes';

/** Elements summed in vector registers before joining the compensated total. */
const BLOCK: i32 = 64;

// Compensated (Neumaier) running total of the block sums: its error does not grow with the
// number of blocks. Wasm globals are per instance, so threads sharing memory do not collide.
let gHi: f64 = 0, gLo: f64 = 0;

// @ts-ignore: decorator
@inline function addTotal(x: f64): void {
  const t = gHi + x;
  // An overflowed total has no rounding error worth tracking (and its correction would be NaN).
  if (Math.abs(t) < Infinity) gLo += Math.abs(gHi) >= Math.abs(x) ? gHi - t + x : x - t + gHi;
  gHi = t;
}

/** c·log(total/c) for c > 0, else 0 (logF64: the same log as the vector lanes, bit for bit). */
// @ts-ignore: decorator
@inline function entropyTerm(c: f64, total: f64): f64 {
  return c > 0.0 ? c * logF64(total / c) : 0.0;
}

/** The same for two lanes; lanes with c = 0 (whose log is of +Infinity) are masked to 0. */
// @ts-ignore: decorator
@inline function entropyTerms2(c: v128, total: v128): v128 {
  return v128.and(f64x2.mul(c, logF64x2(f64x2.div(total, c))), f64x2.gt(c, f64x2.splat(0)));
}

/** Σ c·log(total/c) over n counts of type T (int32 or float64) at p (0·log = 0). */
// @ts-ignore: decorator
@inline function entropyTerms<T>(p: usize, n: i32, total: f64): f64 {
  gHi = 0; gLo = 0;
  let i = 0;
  while (i < n) {
    const end = min(n, i + BLOCK);
    let s = 0.0;
    if (ASC_FEATURE_SIMD) {
      const vt = f64x2.splat(total);
      let acc = f64x2.splat(0);
      for (; i + 2 <= end; i += 2) {
        const at = p + (<usize>i << alignof<T>());
        const c = isInteger<T>() ? f64x2.convert_low_i32x4_s(v128.load64_zero(at)) : v128.load(at);
        acc = f64x2.add(acc, entropyTerms2(c, vt));
      }
      s = lane2(acc);
    }
    for (; i < end; i++) s += entropyTerm(<f64>load<T>(p + (<usize>i << alignof<T>())), total);
    addTotal(s);
  }
  return gHi + gLo;
}

/** Σ c·log(total/c) over n int32 counts (0·log = 0): N times the entropy of the counts. */
export function entropyTermsI32(p: usize, n: i32, total: f64): f64 {
  return entropyTerms<i32>(p, n, total);
}

/** Σ c·log(total/c) over n float64 counts (0·log = 0). */
export function entropyTermsF64(p: usize, n: i32, total: f64): f64 {
  return entropyTerms<f64>(p, n, total);
}

/**
 * Σ c·log(total/c) over the cells of `rows` rows given as groups of column codes (group r is
 * order[start[r] .. start[r+1]), see groupPairs): each group is counted into `counts` (int32 per
 * column, zero on entry and left zero), then every cell is taken once, at its first code.
 */
export function groupedEntropyTerms(order: usize, start: usize, rows: i32, counts: usize, total: f64): f64 {
  gHi = 0; gLo = 0;
  for (let r = 0; r < rows; r++) {
    const from = load<i32>(start + (<usize>r << 2)), to = load<i32>(start + (<usize>r << 2), 4);
    for (let j = from; j < to; j++) {
      const at = counts + (<usize>load<i32>(order + (<usize>j << 2)) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
    let s = 0.0;
    for (let j = from; j < to; j++) {
      const at = counts + (<usize>load<i32>(order + (<usize>j << 2)) << 2);
      const c = load<i32>(at);
      if (c > 0) {
        s += entropyTerm(<f64>c, total);
        store<i32>(at, 0);
      }
    }
    addTotal(s);
  }
  return gHi + gLo;
}

/** Row sums of an int32 table into out (f64); returns how many rows are non-empty. */
export function rowSumsI32(p: usize, rows: i32, cols: i32, out: usize): i32 {
  let nonEmpty = 0;
  for (let x = 0; x < rows; x++) {
    const row = p + ((<usize>x * <usize>cols) << 2);
    let s: i64 = 0;
    for (let y = 0; y < cols; y++) s += load<i32>(row + (<usize>y << 2));
    store<f64>(out + (<usize>x << 3), <f64>s);
    if (s > 0) nonEmpty++;
  }
  return nonEmpty;
}

// Statistics of a float64 table (given by the caller), gathered row segment by row segment.
export const TS_MIN: i32 = 0;          // smallest cell (negative → invalid)
export const TS_MAX: i32 = 1;          // largest cell (+Infinity → invalid)
export const TS_MIN_POSITIVE: i32 = 2; // smallest positive cell (+Infinity if none)
export const TS_FRACTIONAL: i32 = 3;   // cells that are not integers (NaN counts here too)
export const TS_TOTAL: i32 = 4;        // compensated total: high part
export const TS_TOTAL_LO: i32 = 5;     // and low part
export const TS_SLOTS: i32 = 6;

/**
 * Folds `rows` rows of a float64 table into the statistics at `stats` (TS_SLOTS f64, set up by
 * the host: min +Inf, max −Inf, minPositive +Inf, the rest 0), writes each row's sum to
 * rowSums and adds the cells to colSums (cols f64). NaN cells make min NaN.
 */
export function tableStatsF64(p: usize, rows: i32, cols: i32, rowSums: usize, colSums: usize, stats: usize): void {
  let mn = load<f64>(stats, TS_MIN << 3), mx = load<f64>(stats, TS_MAX << 3);
  let mp = load<f64>(stats, TS_MIN_POSITIVE << 3), frac = load<f64>(stats, TS_FRACTIONAL << 3);
  gHi = load<f64>(stats, TS_TOTAL << 3); gLo = load<f64>(stats, TS_TOTAL_LO << 3);
  for (let x = 0; x < rows; x++) {
    const row = p + ((<usize>x * <usize>cols) << 3);
    let s = 0.0;
    for (let y = 0; y < cols; y++) {
      const v = load<f64>(row + (<usize>y << 3));
      // min/max propagate NaN, so one NaN cell makes the table invalid.
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
      if (v > 0.0 && v < mp) mp = v;
      if (!(v == Math.floor(v))) frac += 1.0;
      s += v;
      const at = colSums + (<usize>y << 3);
      store<f64>(at, load<f64>(at) + v);
    }
    store<f64>(rowSums + (<usize>x << 3), s);
    addTotal(s);
  }
  store<f64>(stats, mn, TS_MIN << 3); store<f64>(stats, mx, TS_MAX << 3);
  store<f64>(stats, mp, TS_MIN_POSITIVE << 3); store<f64>(stats, frac, TS_FRACTIONAL << 3);
  store<f64>(stats, gHi, TS_TOTAL << 3); store<f64>(stats, gLo, TS_TOTAL_LO << 3);
}

/**
 * Hypergeometric tails are walked until what is left of them is below this fraction of the
 * mass walked so far. Left-out terms then change a pair's expectation by less than
 * 2^-80 · log N, far below rounding even summed over millions of pairs.
 */
const TAIL: f64 = 8.271806125530277e-25; // 2^-80

/**
 * Pairs whose hypergeometric variance is at least this take the moment expansion below instead
 * of the walk, whose length grows with the standard deviation (counts of 10^14 took seconds per
 * pair, 10^18 hours). The expansion's error, O(1/μ²) relative, is then below 1e-12.
 */
const WIDE: f64 = 1048576.0; // 2^20

/**
 * E[(k/N) log(k/μ)], μ = ab/N, from the Taylor expansion of x log(x/μ) about μ to fourth order:
 * (m2/(2μ) − m3/(6μ²) + m4/(12μ³))/N with the hypergeometric central moments m2 (given), m3 and
 * m4 ≈ 3·m2² (the rest of m4, like the fifth- and sixth-order terms, is O(1/μ²) relative).
 */
function wideExpectation(a: f64, b: f64, n: f64, mu: f64, m2: f64): f64 {
  const r = m2 / mu;
  const s = r * ((n - 2.0 * a) / n) * ((n - 2.0 * b) / (n - 2.0)); // m3 / μ
  return (0.5 * r - s / (6.0 * mu) + 0.25 * r * r / mu) / n;
}

/**
 * E[(k/N) log(N k/(a b))] for k ~ Hypergeometric(N, a, b), a, b ≥ 1 (the k = 0 term is 0).
 * Probabilities are taken relative to the mode and built by the ratio recurrence outwards
 * from it (P(k+1)/P(k) = (a−k)(b−k) / ((k+1)(N−a−b+k+1))), so no log-gamma is needed and
 * nothing overflows; the walk stops once the remaining tail, bounded by a geometric series
 * (the ratios only shrink away from the mode), cannot matter. The sum is divided by the mass
 * walked, which normalizes the probabilities.
 */
function pairExpectation(a: f64, b: f64, n: f64): f64 {
  const mu = a / n * b;
  const m2 = mu * ((n - a) / n) * ((n - b) / (n - 1.0));
  if (m2 >= WIDE) return wideExpectation(a, b, n, mu, m2);
  const lo = Math.max(0.0, a + b - n);
  const hi = Math.min(a, b);
  const rest = n - a - b;
  const shift = logF64(n / (a * b));
  const mode = Math.min(hi, Math.max(lo, Math.floor((a + 1.0) * (b + 1.0) / (n + 2.0))));
  let mass = 1.0;
  let sum = mode > 0.0 ? mode * (logF64(mode) + shift) : 0.0;
  let p = 1.0;
  for (let k = mode; k < hi; k += 1.0) {
    const r = (a - k) * (b - k) / ((k + 1.0) * (rest + k + 1.0));
    p *= r;
    mass += p;
    sum += p * (k + 1.0) * (logF64(k + 1.0) + shift);
    if (r < 1.0 && p * r < TAIL * mass * (1.0 - r)) break;
  }
  p = 1.0;
  for (let k = mode; k > lo; k -= 1.0) {
    const r = k * (rest + k) / ((a - k + 1.0) * (b - k + 1.0));
    p *= r;
    mass += p;
    if (k > 1.0) sum += p * (k - 1.0) * (logF64(k - 1.0) + shift);
    if (r < 1.0 && p * r < TAIL * mass * (1.0 - r)) break;
  }
  return sum / (n * mass);
}

/**
 * Expected mutual information (nats) of two labelings of n samples under the permutation
 * model, over the distinct row sums aVals (aMult rows each, na values) and the distinct column
 * sums bVals (bMult columns each, nb values). The host splits long lists into blocks and adds
 * the blocks' results.
 */
export function expectedMutualInfo(aVals: usize, aMult: usize, na: i32, bVals: usize, bMult: usize, nb: i32, n: f64): f64 {
  gHi = 0; gLo = 0;
  for (let i = 0; i < na; i++) {
    const a = load<f64>(aVals + (<usize>i << 3));
    let s = 0.0;
    for (let j = 0; j < nb; j++) {
      s += load<f64>(bMult + (<usize>j << 3)) * pairExpectation(a, load<f64>(bVals + (<usize>j << 3)), n);
    }
    addTotal(load<f64>(aMult + (<usize>i << 3)) * s);
  }
  return gHi + gLo;
}
