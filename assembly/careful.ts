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
  let sp = 1, sq = 1;
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
  const eps = isF32<T>() ? <f64><f32>KERAS_EPS : KERAS_EPS;
  // Neumaier summation: this path also serves rows of millions of elements.
  let s = 0.0, c = 0.0;
  for (let j = 0; j < n; j++) {
    let p = at<T>(pp, j), q = needQ ? at<T>(qp, j) : 0.0;
    if (normalize) {
      p = NativeMath.scalbn(p, sp) / sumP;
      if (needQ) q = NativeMath.scalbn(q, sq) / sumQ;
    }
    let t = 0.0;
    if (conv == CONV_KERAS) {
      p = Math.min(Math.max(p, eps), 1.0);
      q = Math.min(Math.max(q, eps), 1.0);
      t = p * Math.log(p / q);
    } else if (measure == M_ENTROPY) {
      if (p > 0.0) t = -p * Math.log(p);
    } else if (measure == M_CROSS) {
      if (p > 0.0) t = q > 0.0 ? -p * Math.log(q) : Infinity;
    } else if (measure == M_KL) {
      if (p > 0.0) t = q > 0.0 ? p * logRatio(p, q) : Infinity;
    } else {
      const m = 0.5 * (p + q);
      if (p > 0.0) t = p * logRatio(p, m);
      if (q > 0.0) t += q * logRatio(q, m);
      t *= 0.5;
    }
    const u = s + t;
    c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
    s = u;
  }
  const total = s + c;
  if (measure == M_JSD) return total > 0.0 ? total : 0.0;
  return s == Infinity || s == -Infinity ? s : total;
}
