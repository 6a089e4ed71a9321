// Jensen–Shannon divergence over rows (scipy's jensenshannon, squared):
//   JSD = ½ Σ [ p'·log(p'/m) + q'·log(q'/m) ],  p' = p/P, q' = q/Q, m = (p' + q')/2.
// The normalized values enter the logarithms, so each row is read twice: once for P and Q
// (and validation), then for the terms while the row is still in cache. p'/m ≤ 2 never
// overflows; identical rows give p'/m = 1 exactly and so exactly 0. The vector body uses the
// log's fast core without masks: where p' = 0 the term is 0·finite = 0, and a quotient p'/m
// below the normal range needs p' < 2^-126 (2^-1022 in float64), a term far below rounding.
import { wLogMantissaF32x4, wExponentF32x4, wLogMantissaF64x2, wExponentF64x2 } from './vmath';
import { carefulRow } from './careful';
import { M_JSD, CONV_SCIPY, SAFE_MIN_F64, SAFE_MAX_F64, SAFE_MIN_F32, SAFE_MAX_F32, isF32 } from './common';

let gSum: f64 = 0, gMin: f64 = 0, gT: f64 = 0;

const BLOCK_F32: i32 = 64;

// @ts-ignore: decorator
@inline function lane2(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// @ts-ignore: decorator
@inline function widenSum(acc: v128, v: v128): v128 {
  return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
}

/** Adds the sum and folds the minimum of n elements at x into gSum / gMin. */
// @ts-ignore: decorator
@inline function sumMin<T>(x: usize, n: i32): void {
  let s = 0.0, mn = gMin;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    if (isF32<T>()) {
      let acc = f64x2.splat(0), vm = f32x4.splat(<f32>mn);
      while (j + 8 <= n) {
        const end = min(n & ~7, j + BLOCK_F32);
        let b = f32x4.splat(0);
        for (; j < end; j += 8) {
          const a0 = v128.load(x + (<usize>j << 2)), a1 = v128.load(x + (<usize>j << 2), 16);
          b = f32x4.add(b, f32x4.add(a0, a1));
          vm = f32x4.pmin(vm, f32x4.pmin(a0, a1));
        }
        acc = widenSum(acc, b);
      }
      s = lane2(acc);
      mn = Math.min(mn, <f64>Mathf.min(Mathf.min(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)),
        Mathf.min(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3))));
    } else {
      let a = f64x2.splat(0), b = a, vm = f64x2.splat(mn);
      for (; j + 4 <= n; j += 4) {
        const a0 = v128.load(x + (<usize>j << 3)), a1 = v128.load(x + (<usize>j << 3), 16);
        a = f64x2.add(a, a0); b = f64x2.add(b, a1);
        vm = f64x2.pmin(vm, f64x2.pmin(a0, a1));
      }
      s = lane2(f64x2.add(a, b));
      mn = Math.min(mn, Math.min(f64x2.extract_lane(vm, 0), f64x2.extract_lane(vm, 1)));
    }
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
    if (isF32<T>()) {
      const va = f32x4.splat(<f32>a), vb = f32x4.splat(<f32>b), half = f32x4.splat(0.5), zero = f32x4.splat(0);
      let vl = f64x2.splat(0), vk = vl;
      while (j + 4 <= n) {
        const end = min(n & ~3, j + BLOCK_F32);
        let bl = zero, bk = zero;
        for (; j + 8 <= end; j += 8) {
          const o = <usize>j << 2;
          const x0 = f32x4.mul(v128.load(pp + o), va), y0 = f32x4.mul(v128.load(qp + o), vb);
          const x1 = f32x4.mul(v128.load(pp + o, 16), va), y1 = f32x4.mul(v128.load(qp + o, 16), vb);
          const m0 = f32x4.mul(f32x4.add(x0, y0), half), m1 = f32x4.mul(f32x4.add(x1, y1), half);
          const rx0 = f32x4.div(x0, m0), ry0 = f32x4.div(y0, m0), rx1 = f32x4.div(x1, m1), ry1 = f32x4.div(y1, m1);
          bl = f32x4.add(bl, f32x4.add(f32x4.add(wLogMantissaF32x4(x0, rx0), wLogMantissaF32x4(y0, ry0)),
            f32x4.add(wLogMantissaF32x4(x1, rx1), wLogMantissaF32x4(y1, ry1))));
          bk = f32x4.add(bk, f32x4.add(f32x4.add(wExponentF32x4(x0, rx0), wExponentF32x4(y0, ry0)),
            f32x4.add(wExponentF32x4(x1, rx1), wExponentF32x4(y1, ry1))));
        }
        for (; j < end; j += 4) {
          const o = <usize>j << 2;
          const x0 = f32x4.mul(v128.load(pp + o), va), y0 = f32x4.mul(v128.load(qp + o), vb);
          const m0 = f32x4.mul(f32x4.add(x0, y0), half);
          const rx0 = f32x4.div(x0, m0), ry0 = f32x4.div(y0, m0);
          bl = f32x4.add(bl, f32x4.add(wLogMantissaF32x4(x0, rx0), wLogMantissaF32x4(y0, ry0)));
          bk = f32x4.add(bk, f32x4.add(wExponentF32x4(x0, rx0), wExponentF32x4(y0, ry0)));
        }
        vl = widenSum(vl, bl); vk = widenSum(vk, bk);
      }
      s = lane2(vl) + Math.LN2 * lane2(vk);
    } else {
      const va = f64x2.splat(a), vb = f64x2.splat(b), half = f64x2.splat(0.5), zero = f64x2.splat(0);
      let vl = zero, vk = zero;
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 3;
        const x0 = f64x2.mul(v128.load(pp + o), va), y0 = f64x2.mul(v128.load(qp + o), vb);
        const x1 = f64x2.mul(v128.load(pp + o, 16), va), y1 = f64x2.mul(v128.load(qp + o, 16), vb);
        const m0 = f64x2.mul(f64x2.add(x0, y0), half), m1 = f64x2.mul(f64x2.add(x1, y1), half);
        const rx0 = f64x2.div(x0, m0), ry0 = f64x2.div(y0, m0), rx1 = f64x2.div(x1, m1), ry1 = f64x2.div(y1, m1);
        vl = f64x2.add(vl, f64x2.add(f64x2.add(wLogMantissaF64x2(x0, rx0), wLogMantissaF64x2(y0, ry0)),
          f64x2.add(wLogMantissaF64x2(x1, rx1), wLogMantissaF64x2(y1, ry1))));
        vk = f64x2.add(vk, f64x2.add(f64x2.add(wExponentF64x2(x0, rx0), wExponentF64x2(y0, ry0)),
          f64x2.add(wExponentF64x2(x1, rx1), wExponentF64x2(y1, ry1))));
      }
      if (j + 2 <= n) {
        const o = <usize>j << 3;
        const x0 = f64x2.mul(v128.load(pp + o), va), y0 = f64x2.mul(v128.load(qp + o), vb);
        const m0 = f64x2.mul(f64x2.add(x0, y0), half);
        const rx0 = f64x2.div(x0, m0), ry0 = f64x2.div(y0, m0);
        vl = f64x2.add(vl, f64x2.add(wLogMantissaF64x2(x0, rx0), wLogMantissaF64x2(y0, ry0)));
        vk = f64x2.add(vk, f64x2.add(wExponentF64x2(x0, rx0), wExponentF64x2(y0, ry0)));
        j += 2;
      }
      s = lane2(vl) + Math.LN2 * lane2(vk);
    }
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
