// Jensen–Shannon divergence over rows (scipy's jensenshannon, squared):
//   JSD = ½ Σ [ p'·log(p'/m) + q'·log(q'/m) ],  p' = p/P, q' = q/Q, m = (p' + q')/2.
// The normalized values enter the logarithms, so each row is read twice: once for P and Q
// (and validation), then for the terms while the row is still in cache. p'/m ≤ 2 never
// overflows; identical rows give p'/m = 1 exactly and so exactly 0. The vector body uses the
// log's fast core without masks: where p' = 0 the term is 0·finite = 0, and a quotient p'/m
// below the normal range needs p' < 2^-126 (2^-1022 in float64), a term far below rounding.
import { lanes, lane2, fold, splat, add, mul, div, pmin, minOf, wLogMantissa, wExponent } from './lanes';
import { carefulRow } from './careful';
import { M_JSD, CONV_SCIPY, SAFE_MIN_F64, SAFE_MAX_F64, SAFE_MIN_F32, SAFE_MAX_F32, isF32 } from './common';

let gSum: f64 = 0, gMin: f64 = 0, gT: f64 = 0;

// Partial sums are folded into float64 every BLOCK elements (float32 rounding stays bounded).
const BLOCK: i32 = 64;

/** Adds the sum and folds the minimum of n elements at x into gSum / gMin. */
// @ts-ignore: decorator
@inline function sumMin<T>(x: usize, n: i32): void {
  let s = 0.0, mn = gMin;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    let acc = f64x2.splat(0), vm = splat<T>(mn);
    while (j + 2 * L <= n) {
      const end = min(n & ~(2 * L - 1), j + BLOCK);
      let b = splat<T>(0);
      for (; j < end; j += 2 * L) {
        const at = x + (<usize>j << alignof<T>());
        const a0 = v128.load(at), a1 = v128.load(at, 16);
        b = add<T>(b, add<T>(a0, a1));
        vm = pmin<T>(vm, pmin<T>(a0, a1));
      }
      acc = fold<T>(acc, b);
    }
    s = lane2(acc);
    mn = Math.min(mn, minOf<T>(vm));
  }
  for (; j < n; j++) {
    const v = <f64>load<T>(x + (<usize>j << alignof<T>()));
    s += v;
    mn = Math.min(mn, v);
  }
  gSum += s;
  gMin = mn;
}

// @ts-ignore: decorator
@inline function scalarTerm(p: f64, q: f64, a: f64, b: f64): f64 {
  const x = p * a, y = q * b, s = x + y;
  let t = 0.0;
  if (x > 0.0) t = x * Math.log((x + x) / s);
  if (y > 0.0) t += y * Math.log((y + y) / s);
  return t;
}

/**
 * Adds Σ [x·log(x/m) + y·log(y/m)] over n elements into gT, with x = a·p, y = b·q. The logs
 * are in the split form of vmath.ts: Σ w·log m per block, Σ w·k with ln2 applied in float64.
 */
// @ts-ignore: decorator
@inline function terms<T>(pp: usize, qp: usize, n: i32, a: f64, b: f64): void {
  let s = 0.0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const va = splat<T>(a), vb = splat<T>(b), half = splat<T>(0.5), zero = splat<T>(0);
    let vl = f64x2.splat(0), vk = vl;
    while (j + L <= n) {
      const end = min(n & ~(L - 1), j + BLOCK);
      let bl = zero, bk = zero;
      for (; j + 2 * L <= end; j += 2 * L) {
        const pa = pp + (<usize>j << alignof<T>()), qa = qp + (<usize>j << alignof<T>());
        const x0 = mul<T>(v128.load(pa), va), y0 = mul<T>(v128.load(qa), vb);
        const x1 = mul<T>(v128.load(pa, 16), va), y1 = mul<T>(v128.load(qa, 16), vb);
        const m0 = mul<T>(add<T>(x0, y0), half), m1 = mul<T>(add<T>(x1, y1), half);
        const rx0 = div<T>(x0, m0), ry0 = div<T>(y0, m0), rx1 = div<T>(x1, m1), ry1 = div<T>(y1, m1);
        bl = add<T>(bl, add<T>(add<T>(wLogMantissa<T>(x0, rx0), wLogMantissa<T>(y0, ry0)),
          add<T>(wLogMantissa<T>(x1, rx1), wLogMantissa<T>(y1, ry1))));
        bk = add<T>(bk, add<T>(add<T>(wExponent<T>(x0, rx0), wExponent<T>(y0, ry0)),
          add<T>(wExponent<T>(x1, rx1), wExponent<T>(y1, ry1))));
      }
      for (; j < end; j += L) {
        const x0 = mul<T>(v128.load(pp + (<usize>j << alignof<T>())), va), y0 = mul<T>(v128.load(qp + (<usize>j << alignof<T>())), vb);
        const m0 = mul<T>(add<T>(x0, y0), half);
        const rx0 = div<T>(x0, m0), ry0 = div<T>(y0, m0);
        bl = add<T>(bl, add<T>(wLogMantissa<T>(x0, rx0), wLogMantissa<T>(y0, ry0)));
        bk = add<T>(bk, add<T>(wExponent<T>(x0, rx0), wExponent<T>(y0, ry0)));
      }
      vl = fold<T>(vl, bl); vk = fold<T>(vk, bk);
    }
    s = lane2(vl) + Math.LN2 * lane2(vk);
  }
  for (; j < n; j++) {
    s += scalarTerm(<f64>load<T>(pp + (<usize>j << alignof<T>())), <f64>load<T>(qp + (<usize>j << alignof<T>())), a, b);
  }
  gT += s;
}

/** True when sums and minima of p and q allow the fast path. */
// @ts-ignore: decorator
@inline function fastOk(sp: f64, mp: f64, sq: f64, mq: f64, f32: bool): bool {
  const lo = f32 ? SAFE_MIN_F32 : SAFE_MIN_F64, hi = f32 ? SAFE_MAX_F32 : SAFE_MAX_F64;
  return mp >= 0.0 && mq >= 0.0 && sp >= lo && sp <= hi && sq >= lo && sq <= hi;
}

// @ts-ignore: decorator
@inline function rows<T>(pp: usize, pStride: i32, qp: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  const pStep = <usize>pStride << alignof<T>();
  const qStep = <usize>qStride << alignof<T>();
  let bad = 0;
  for (let i = 0; i < nrows; i++) {
    const p = pp + <usize>i * pStep, q = qp + <usize>i * qStep;
    gSum = 0; gMin = 0;
    sumMin<T>(p, cols);
    const sp = gSum, mp = gMin;
    gSum = 0; gMin = 0;
    sumMin<T>(q, cols);
    let v: f64 = NaN;
    if (fastOk(sp, mp, gSum, gMin, isF32<T>())) {
      gT = 0;
      terms<T>(p, q, cols, 1.0 / sp, 1.0 / gSum);
      v = Math.max(0.0, 0.5 * gT);
    }
    if (!(v < Infinity)) {
      v = carefulRow<T>(M_JSD, CONV_SCIPY, p, q, cols);
      if (isNaN(v)) bad++;
    }
    store<f64>(out + (<usize>i << 3), v);
  }
  return bad;
}

export function jsdRowsF32(p: usize, pStride: i32, q: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  return rows<f32>(p, pStride, q, qStride, nrows, cols, out);
}
export function jsdRowsF64(p: usize, pStride: i32, q: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  return rows<f64>(p, pStride, q, qStride, nrows, cols, out);
}

// Segments of rows longer than the host's arena. Pass 1: state[0..1] = (sum, min) of one
// input, zeroed by the host, accumulated per segment. Pass 2: state[2] accumulates the terms.
export function sumMinSegmentF32(x: usize, n: i32, state: usize): void {
  gSum = load<f64>(state); gMin = load<f64>(state, 8);
  sumMin<f32>(x, n);
  store<f64>(state, gSum); store<f64>(state, gMin, 8);
}
export function sumMinSegmentF64(x: usize, n: i32, state: usize): void {
  gSum = load<f64>(state); gMin = load<f64>(state, 8);
  sumMin<f64>(x, n);
  store<f64>(state, gSum); store<f64>(state, gMin, 8);
}
export function jsdSegmentF32(p: usize, q: usize, n: i32, a: f64, b: f64, state: usize): void {
  gT = load<f64>(state);
  terms<f32>(p, q, n, a, b);
  store<f64>(state, gT);
}
export function jsdSegmentF64(p: usize, q: usize, n: i32, a: f64, b: f64, state: usize): void {
  gT = load<f64>(state);
  terms<f64>(p, q, n, a, b);
  store<f64>(state, gT);
}
/** Whether sums (sp, sq) and minima (mp, mq) of a streamed row allow the fast terms. */
export function jsdFastOk(sp: f64, mp: f64, sq: f64, mq: f64, f32: bool): bool {
  return fastOk(sp, mp, sq, mq, f32);
}
