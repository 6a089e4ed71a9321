// The careful path: a plain float64 pass over one row that is exact where the fast kernels
// take shortcuts. It runs only for rows the fast path flags (invalid values, sums outside the
// safe range, a non-finite result), so it favours clarity over speed: every row is rescaled
// by an exact power of two, normalized by division (as scipy does), and a ratio p/q that
// leaves the normal range falls back to log p − log q, as newer scipy's rel_entr does.
import { M_ENTROPY, M_CROSS, M_KL, M_JSD, CONV_SCIPY, CONV_KERAS, KERAS_EPS, isF32 } from './common';

// @ts-ignore: decorator
@inline function at<T>(base: usize, j: i32): f64 {
  return <f64>load<T>(base + (<usize>j << alignof<T>()));
}

/** Exponent e with 2^e <= x < 2^(e+1), for finite x > 0 (subnormals included). */
function exponentOf(x: f64): i32 {
  let bits = reinterpret<u64>(x);
  let e = <i32>((bits >> 52) & 0x7ff);
  if (e == 0) {
    bits = reinterpret<u64>(x * 18446744073709551616.0); // 2^64 lifts a subnormal into the normal range
    return <i32>((bits >> 52) & 0x7ff) - 1023 - 64;
  }
  return e - 1023;
}

/** log(a / b) for a, b > 0, also where the quotient over- or underflows. */
function logRatio(a: f64, b: f64): f64 {
  const r = a / b;
  if (r >= 2.2250738585072014e-308 && r < Infinity) return Math.log(r);
  return Math.log(a) - Math.log(b);
}

/** Largest element of a row, or −1 when any element is negative or not finite. */
function checkedMax<T>(base: usize, n: i32): f64 {
  let m = 0.0;
  for (let j = 0; j < n; j++) {
    const v = at<T>(base, j);
    if (!(v >= 0.0) || v == Infinity) return -1.0;
    if (v > m) m = v;
  }
  return m;
}

/**
 * One row of `measure` in nats, or NaN when the row is invalid (negative or non-finite values,
 * or a zero sum under the scipy convention). `q` is ignored for entropy.
 */
export function carefulRow<T>(measure: i32, conv: i32, pp: usize, qp: usize, n: i32): f64 {
  const needQ = measure != M_ENTROPY;
  const maxP = checkedMax<T>(pp, n);
  if (maxP < 0.0) return NaN;
  let maxQ = 1.0;
  if (needQ) {
    maxQ = checkedMax<T>(qp, n);
    if (maxQ < 0.0) return NaN;
  }
  const normalize = conv == CONV_SCIPY || measure == M_JSD;
  // Scale each row so that its largest element lies in [1, 2): sums stay finite and well above
  // the subnormal range, and scaling by a power of two is exact.
  let sp = 0, sq = 0;
  let sumP = 1.0, sumQ = 1.0;
  if (normalize) {
    if (maxP == 0.0 || (needQ && maxQ == 0.0)) return NaN;
    sp = -exponentOf(maxP);
    sumP = 0.0;
    for (let j = 0; j < n; j++) sumP += NativeMath.scalbn(at<T>(pp, j), sp);
    if (needQ) {
      sq = -exponentOf(maxQ);
      sumQ = 0.0;
      for (let j = 0; j < n; j++) sumQ += NativeMath.scalbn(at<T>(qp, j), sq);
    }
  }
  const total = termSum<T>(measure, conv, pp, qp, n, normalize, sp, sq, sumP, sumQ, 1.0);
  if (measure == M_JSD) return total > 0.0 ? total : 0.0;
  // Raw terms p·log x, or partial sums, can overflow although the total does not (Inf − Inf = NaN,
  // or −Inf reached before the larger positive terms): redo the sum with every log scaled by
  // 2^-64, exactly, and scale it back (which overflows only if the total does, with its sign).
  if (!normalize && !isFinite(total)) return termSum<T>(measure, conv, pp, qp, n, false, 0, 0, 1.0, 1.0, RESCALE) / RESCALE;
  return total;
}

const MIN_NORMAL: f64 = 2.2250738585072014e-308;
const RESCALE: f64 = 5.421010862427522e-20; // 2^-64

/**
 * log of the share x' = x·2^s / sum of an element x > 0: from x' while it is normal, else from x
 * itself, since x' has lost digits or underflowed to 0 (a tiny element of a row whose sum is huge).
 */
function logShare(x: f64, share: f64, s: i32, sum: f64): f64 {
  return share >= MIN_NORMAL ? Math.log(share) : Math.log(x) + <f64>s * Math.LN2 - Math.log(sum);
}

/**
 * Σ over the row of the terms of `measure`, each log multiplied by `weight`. Rows are normalized
 * as carefulRow set up (scale 2^sp, 2^sq, then divided by sumP, sumQ); raw rows have sp = sq = 0
 * and sums 1. Neumaier summation: this path also serves rows of millions of elements.
 */
function termSum<T>(measure: i32, conv: i32, pp: usize, qp: usize, n: i32, normalize: bool, sp: i32, sq: i32, sumP: f64, sumQ: f64, weight: f64): f64 {
  const needQ = measure != M_ENTROPY;
  const eps = isF32<T>() ? <f64><f32>KERAS_EPS : KERAS_EPS;
  let s = 0.0, c = 0.0;
  for (let j = 0; j < n; j++) {
    const p0 = at<T>(pp, j), q0 = needQ ? at<T>(qp, j) : 0.0;
    let p = p0, q = q0;
    if (normalize) {
      p = NativeMath.scalbn(p0, sp) / sumP;
      if (needQ) q = NativeMath.scalbn(q0, sq) / sumQ;
    }
    let t = 0.0;
    if (conv == CONV_KERAS) {
      p = Math.min(Math.max(p, eps), 1.0);
      q = Math.min(Math.max(q, eps), 1.0);
      t = p * Math.log(p / q);
    } else if (measure == M_ENTROPY) {
      if (p > 0.0) t = -p * (Math.log(p) * weight);
    } else if (measure != M_JSD && p0 > 0.0 && q0 == 0.0) {
      // Cross-entropy and KL are infinite where the caller's p > 0 meets q = 0, also when p's
      // share underflowed to 0 (and a q share that underflowed is no zero).
      t = Infinity;
    } else if (measure == M_CROSS) {
      if (p > 0.0) t = -p * (logShare(q0, q, sq, sumQ) * weight);
    } else if (measure == M_KL) {
      if (p > 0.0) {
        if (q >= MIN_NORMAL && p >= MIN_NORMAL) t = p * (logRatio(p, q) * weight);
        else t = p * ((logShare(p0, p, sp, sumP) - logShare(q0, q, sq, sumQ)) * weight);
      }
    } else {
      // log(x/m) = log(2x/(p + q)): m = (p + q)/2 rounds to 0 when both shares are the smallest
      // subnormals, p + q does not.
      const pq = p + q;
      if (p > 0.0) t = p * logRatio(p + p, pq);
      if (q > 0.0) t += q * logRatio(q + q, pq);
      t *= 0.5;
    }
    const u = s + t;
    c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
    s = u;
  }
  return s == Infinity || s == -Infinity ? s : s + c;
}
