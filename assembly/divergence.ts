// Entropy, cross-entropy and KL divergence over rows: one logarithm per element.
//
// One pass per row accumulates S = Σ p·log x (x = p, q or p/q), the row sums P and Q and the
// row minima. The scipy convention needs no second look at the row:
//   H(p/P)          = log P − S/P
//   CE(p/P, q/Q)    = log Q − S/P          (S = Σ p·log q)
//   KL(p/P ‖ q/Q)   = S/P + log(Q/P)       (S = Σ p·log(p/q))
// Validation rides along: minima reject negatives and −∞, a finite sum rejects NaN and +∞.
// The vector body takes the log's fast core (normal finite arguments only, in the split form of
// vmath.ts; float32 KL in its ratio form) and instead tracks the smallest and largest argument
// over the lanes where p ≠ 0: where p = 0 the term is 0·finite = 0 without a mask. A row that
// fails a check, has an argument outside the core's range (q = 0 < p, a ratio that over- or
// underflows, a subnormal), a sum outside the safe range or a non-finite result goes to
// carefulRow, which decides between an error (NaN) and an exact value.
import { lanes, lane2, fold, splat, add, div, pmin, pmax, minOf, maxOf, wLogMantissa, wExponent } from './lanes';
import { ratioExponentF32x4, scaledF32x4, halfLogNearRatioF32x4 } from './vmath';
import { carefulRow } from './careful';
import {
  M_ENTROPY, M_CROSS, M_KL, CONV_SCIPY, CONV_KERAS, KERAS_EPS, MIN_NORMAL_F32, MIN_NORMAL_F64, MAX_F32, MAX_F64,
  SAFE_MIN_F64, SAFE_MAX_F64, SAFE_MIN_F32, SAFE_MAX_F32, isF32,
} from './common';

// Per-instance accumulators of the row (or row segment) just processed. Wasm globals are
// private to an instance, so worker threads sharing one memory do not see each other's.
let gS: f64 = 0, gP: f64 = 0, gQ: f64 = 0, gMinP: f64 = 0, gMinQ: f64 = 0;
// Range of the log's arguments where p ≠ 0 (vector body only; the scalar tail uses a full log).
let gLoX: f64 = 1, gHiX: f64 = 1;

// Partial sums are folded into float64 every BLOCK elements: the float32 rounding error then
// stays bounded by ~BLOCK/8 ulps of a block, however long the row.
const BLOCK: i32 = 64;

/** Scalar term for one element (tails and the scalar build), in float64. */
// @ts-ignore: decorator
@inline function term(measure: i32, keras: bool, eps: f64, p: f64, q: f64): f64 {
  if (keras) {
    const pc = Math.min(Math.max(p, eps), 1.0);
    const qc = Math.min(Math.max(q, eps), 1.0);
    return pc * Math.log(pc / qc);
  }
  const x = measure == M_ENTROPY ? p : measure == M_CROSS ? q : p / q;
  return p > 0.0 ? p * Math.log(x) : 0.0;
}

/** v clipped to [eps, 1] (Keras). */
// @ts-ignore: decorator
@inline function clip<T>(v: v128, eps: v128, one: v128): v128 {
  return isF32<T>() ? f32x4.pmin(f32x4.pmax(v, eps), one) : f64x2.pmin(f64x2.pmax(v, eps), one);
}

/** The log's argument: p, q or p/q. */
// @ts-ignore: decorator
@inline function arg<T>(measure: i32, p: v128, q: v128): v128 {
  if (measure == M_KL) return div<T>(p, q);
  return measure == M_CROSS ? q : p;
}

// x where p ≠ 0 and NaN (all ones) where p = 0: pmin and pmax return their first operand when
// the second is NaN, so the p = 0 lanes drop out of the argument range at the cost of two ops.
// @ts-ignore: decorator
@inline function whereP<T>(x: v128, p: v128, zero: v128): v128 {
  return v128.or(x, isF32<T>() ? f32x4.eq(p, zero) : f64x2.eq(p, zero));
}

// float32 KL takes log(p/q) in the ratio form of vmath.ts: one division per vector instead of
// two (the quotient's and the log's), and log(p/q) keeps its digits as p/q → 1. W1 (interleaved
// in one process) went from 696 to 718 M elements/s with the copy and 937 to 989 zero-copy.
// float64 KL keeps p/q: there the ratio form measured 2% slower, its extra integer work costing
// more than the division saved. The ratio form needs p and q at least RATIO_MIN where p ≠ 0, and
// q below 2^127 everywhere, which a row sum of at most SAFE_MAX_F32 implies (finish checks both).
const RATIO_MIN_F32: f64 = 2.350988701644575e-38; // 2^-125

/** p·(log m)/2 of p/q = 2^k·m (ratio form); 0 where p = 0, also where q = 0 (0/0 there). */
// @ts-ignore: decorator
@inline function wHalfLogRatioF32x4(keras: bool, p: v128, q: v128, zero: v128): v128 {
  const t = f32x4.mul(p, halfLogNearRatioF32x4(scaledF32x4(p, ratioExponentF32x4(p, q)), q));
  return keras ? t : v128.andnot(t, f32x4.eq(p, zero));
}

/** p·k of p/q = 2^k·m (ratio form). */
// @ts-ignore: decorator
@inline function wRatioExponentF32x4(p: v128, q: v128): v128 {
  return f32x4.mul(p, f32x4.convert_i32x4_s(ratioExponentF32x4(p, q)));
}

/**
 * Accumulates one row segment into the globals (which the caller has reset).
 *
 * Validation in the vector body, per measure (the sums catch NaN and +∞ everywhere):
 *   entropy: min over p ≠ 0 of p (the argument) catches negatives and subnormals;
 *   cross:   min p, min q, and min over p ≠ 0 of q;
 *   KL:      min q, and the range of p/q over p ≠ 0: a negative p gives a negative ratio unless
 *            q is negative too, which min q catches; q = 0 < p gives +∞, caught by the maximum;
 *            float32 (ratio form): min q, and min over p ≠ 0 of min(p, q), which catches negative
 *            p and arguments too small for the form; Q ≤ SAFE_MAX_F32 bounds q from above;
 *   Keras:   min p and min q (clipped arguments are always in range).
 * The main loop takes 16 float32 (8 float64) elements per step: with fewer, V8's loop overhead
 * and the constant loads of the log cost a tenth of the time.
 */
// @ts-ignore: decorator
@inline function accumulate<T>(measure: i32, keras: bool, pp: usize, qp: usize, n: i32): void {
  const needQ = measure != M_ENTROPY;
  const minP = keras || measure == M_CROSS;
  const ranged = !keras;
  const ratio = measure == M_KL && isF32<T>();
  const eps = isF32<T>() ? <f64><f32>KERAS_EPS : KERAS_EPS;
  let s = 0.0, sp = 0.0, sq = 0.0, mp = gMinP, mq = gMinQ, lo = gLoX, hi = gHiX;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const zero = splat<T>(0), veps = splat<T>(eps), one = splat<T>(1);
    let vs = f64x2.splat(0), vk = vs, vp = vs, vq = vs;
    let vmp = splat<T>(mp), vmq = splat<T>(mq), vlo = splat<T>(lo), vhi = splat<T>(hi);
    while (j + L <= n) {
      const end = min(n & ~(L - 1), j + BLOCK);
      let bs = zero, bk = zero, bp = zero, bq = zero;
      for (; j + 4 * L <= end; j += 4 * L) {
        const pa = pp + (<usize>j << alignof<T>()), qa = qp + (<usize>j << alignof<T>());
        let p0 = v128.load(pa), p1 = v128.load(pa, 16), p2 = v128.load(pa, 32), p3 = v128.load(pa, 48);
        let q0 = zero, q1 = zero, q2 = zero, q3 = zero;
        bp = add<T>(bp, add<T>(add<T>(p0, p1), add<T>(p2, p3)));
        if (minP) vmp = pmin<T>(vmp, pmin<T>(pmin<T>(p0, p1), pmin<T>(p2, p3)));
        if (needQ) {
          q0 = v128.load(qa); q1 = v128.load(qa, 16); q2 = v128.load(qa, 32); q3 = v128.load(qa, 48);
          bq = add<T>(bq, add<T>(add<T>(q0, q1), add<T>(q2, q3)));
          vmq = pmin<T>(vmq, pmin<T>(pmin<T>(q0, q1), pmin<T>(q2, q3)));
        }
        if (keras) {
          p0 = clip<T>(p0, veps, one); p1 = clip<T>(p1, veps, one); p2 = clip<T>(p2, veps, one); p3 = clip<T>(p3, veps, one);
          q0 = clip<T>(q0, veps, one); q1 = clip<T>(q1, veps, one); q2 = clip<T>(q2, veps, one); q3 = clip<T>(q3, veps, one);
        }
        if (ratio) {
          if (ranged) {
            vlo = pmin<T>(pmin<T>(vlo, whereP<T>(pmin<T>(p0, q0), p0, zero)), whereP<T>(pmin<T>(p1, q1), p1, zero));
            vlo = pmin<T>(pmin<T>(vlo, whereP<T>(pmin<T>(p2, q2), p2, zero)), whereP<T>(pmin<T>(p3, q3), p3, zero));
          }
          bs = add<T>(bs, add<T>(add<T>(wHalfLogRatioF32x4(keras, p0, q0, zero), wHalfLogRatioF32x4(keras, p1, q1, zero)),
            add<T>(wHalfLogRatioF32x4(keras, p2, q2, zero), wHalfLogRatioF32x4(keras, p3, q3, zero))));
          bk = add<T>(bk, add<T>(add<T>(wRatioExponentF32x4(p0, q0), wRatioExponentF32x4(p1, q1)), add<T>(wRatioExponentF32x4(p2, q2), wRatioExponentF32x4(p3, q3))));
          continue;
        }
        const x0 = arg<T>(measure, p0, q0), x1 = arg<T>(measure, p1, q1), x2 = arg<T>(measure, p2, q2), x3 = arg<T>(measure, p3, q3);
        if (ranged) {
          vlo = pmin<T>(pmin<T>(vlo, whereP<T>(x0, p0, zero)), whereP<T>(x1, p1, zero));
          vlo = pmin<T>(pmin<T>(vlo, whereP<T>(x2, p2, zero)), whereP<T>(x3, p3, zero));
          if (measure == M_KL) vhi = pmax<T>(pmax<T>(pmax<T>(pmax<T>(vhi, x0), x1), x2), x3);
        }
        bs = add<T>(bs, add<T>(add<T>(wLogMantissa<T>(p0, x0), wLogMantissa<T>(p1, x1)), add<T>(wLogMantissa<T>(p2, x2), wLogMantissa<T>(p3, x3))));
        bk = add<T>(bk, add<T>(add<T>(wExponent<T>(p0, x0), wExponent<T>(p1, x1)), add<T>(wExponent<T>(p2, x2), wExponent<T>(p3, x3))));
      }
      // The last vectors of a row shorter than a step, one at a time.
      for (; j < end; j += L) {
        let p0 = v128.load(pp + (<usize>j << alignof<T>())), q0 = zero;
        bp = add<T>(bp, p0);
        if (minP) vmp = pmin<T>(vmp, p0);
        if (needQ) {
          q0 = v128.load(qp + (<usize>j << alignof<T>()));
          bq = add<T>(bq, q0);
          vmq = pmin<T>(vmq, q0);
        }
        if (keras) { p0 = clip<T>(p0, veps, one); q0 = clip<T>(q0, veps, one); }
        if (ratio) {
          if (ranged) vlo = pmin<T>(vlo, whereP<T>(pmin<T>(p0, q0), p0, zero));
          bs = add<T>(bs, wHalfLogRatioF32x4(keras, p0, q0, zero));
          bk = add<T>(bk, wRatioExponentF32x4(p0, q0));
          continue;
        }
        const x0 = arg<T>(measure, p0, q0);
        if (ranged) {
          vlo = pmin<T>(vlo, whereP<T>(x0, p0, zero));
          if (measure == M_KL) vhi = pmax<T>(vhi, x0);
        }
        bs = add<T>(bs, wLogMantissa<T>(p0, x0));
        bk = add<T>(bk, wExponent<T>(p0, x0));
      }
      vs = fold<T>(vs, bs); vk = fold<T>(vk, bk); vp = fold<T>(vp, bp);
      if (needQ) vq = fold<T>(vq, bq);
    }
    // The ratio form sums half logs (see vmath.ts); doubling is exact.
    s = (ratio ? 2 * lane2(vs) : lane2(vs)) + Math.LN2 * lane2(vk); sp = lane2(vp); sq = lane2(vq);
    if (minP) mp = Math.min(mp, minOf<T>(vmp));
    if (needQ) mq = Math.min(mq, minOf<T>(vmq));
    lo = minOf<T>(vlo);
    hi = maxOf<T>(vhi);
  }
  // Scalar tail (and the whole row in the scalar build): two accumulators break the add chain.
  let s1 = 0.0;
  for (; j + 2 <= n; j += 2) {
    const p0 = <f64>load<T>(pp + (<usize>j << alignof<T>()));
    const p1 = <f64>load<T>(pp + (<usize>(j + 1) << alignof<T>()));
    let q0 = 0.0, q1 = 0.0;
    if (needQ) {
      q0 = <f64>load<T>(qp + (<usize>j << alignof<T>()));
      q1 = <f64>load<T>(qp + (<usize>(j + 1) << alignof<T>()));
      sq += q0 + q1;
      mq = Math.min(mq, Math.min(q0, q1));
    }
    sp += p0 + p1;
    mp = Math.min(mp, Math.min(p0, p1));
    s += term(measure, keras, eps, p0, q0);
    s1 += term(measure, keras, eps, p1, q1);
  }
  if (j < n) {
    const p0 = <f64>load<T>(pp + (<usize>j << alignof<T>()));
    let q0 = 0.0;
    if (needQ) {
      q0 = <f64>load<T>(qp + (<usize>j << alignof<T>()));
      sq += q0;
      mq = Math.min(mq, q0);
    }
    sp += p0;
    mp = Math.min(mp, p0);
    s += term(measure, keras, eps, p0, q0);
  }
  gS += s + s1; gP += sp; gQ += sq; gMinP = mp; gMinQ = mq; gLoX = lo; gHiX = hi;
}

/**
 * Turns the accumulated globals into the row's value in nats. Returns NaN with `needsCareful`
 * semantics: the caller re-runs the row through carefulRow (the batch kernels do; for rows
 * streamed in segments the host does).
 */
function finish(measure: i32, conv: i32, f32: bool): f64 {
  const needQ = measure != M_ENTROPY;
  // The vector minima (pmin) skip NaN; the sums do not, so together they catch every bad value.
  if (!(gMinP >= 0.0) || !(gP < Infinity)) return NaN;
  if (needQ && (!(gMinQ >= 0.0) || !(gQ < Infinity))) return NaN;
  const ratio = measure == M_KL && f32 && conv != CONV_KERAS;
  if (!(gLoX >= (ratio ? RATIO_MIN_F32 : f32 ? MIN_NORMAL_F32 : MIN_NORMAL_F64)) || !(gHiX <= (f32 ? MAX_F32 : MAX_F64))) return NaN;
  // Outside the safe range the terms lose digits or could overflow; P = 0 lands here too.
  const lo = f32 ? SAFE_MIN_F32 : SAFE_MIN_F64, hi = f32 ? SAFE_MAX_F32 : SAFE_MAX_F64;
  if (!(gP >= lo && gP <= hi)) return NaN;
  if (ratio && !(gQ <= hi)) return NaN;
  let r = gS;
  if (conv == CONV_SCIPY) {
    if (needQ && !(gQ > 0.0)) return NaN;
    // Entropy and cross-entropy of normalized rows are never negative; rounding of the
    // difference can take a one-hot row to −6e-17.
    if (measure == M_ENTROPY) r = Math.max(0.0, Math.log(gP) - gS / gP);
    else if (measure == M_CROSS) r = Math.max(0.0, Math.log(gQ) - gS / gP);
    else r = gS / gP + Math.log(gQ / gP);
  } else if (conv != CONV_KERAS && measure != M_KL) {
    r = -gS;
  }
  // ±∞ may be right (q = 0 < p) or an overflowed ratio: the careful path tells them apart.
  return r - r == 0.0 ? r : NaN;
}

// @ts-ignore: decorator
@inline function reset(): void {
  gS = 0; gP = 0; gQ = 0; gMinP = 0; gMinQ = 0; gLoX = 1; gHiX = 1;
}

/**
 * Rows of `measure` for a batch of rows×cols. Strides are in elements: cols for a batch, 0 for
 * a single row used against every row of the other argument. Writes one value (nats) per row to out and NaN
 * for invalid rows; returns the number of invalid rows.
 */
// @ts-ignore: decorator
@inline function rows<T>(measure: i32, conv: i32, keras: bool, pp: usize, pStride: i32, qp: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  const pStep = <usize>pStride << alignof<T>();
  const qStep = <usize>qStride << alignof<T>();
  let bad = 0;
  for (let i = 0; i < nrows; i++) {
    const p = pp + <usize>i * pStep, q = qp + <usize>i * qStep;
    reset();
    accumulate<T>(measure, keras, p, q, cols);
    let v = finish(measure, conv, isF32<T>());
    if (isNaN(v)) {
      v = carefulRow<T>(measure, conv, p, q, cols);
      if (isNaN(v)) bad++;
    }
    store<f64>(out + (<usize>i << 3), v);
  }
  return bad;
}

// Every (type, measure, clipping) gets a wasm function of its own. Two inlined copies of the
// loop in one function, differing only in a constant, come out of the optimizer folded into
// one loop that tests a runtime flag (and spills for it): 15% slower.
function klKerasRows<T>(p: usize, pStride: i32, q: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  return rows<T>(M_KL, CONV_KERAS, true, p, pStride, q, qStride, nrows, cols, out);
}

// Keras' clipping is defined for KL only (the host enforces it).
export function entropyRowsF32(conv: i32, p: usize, nrows: i32, cols: i32, out: usize): i32 {
  return rows<f32>(M_ENTROPY, conv, false, p, cols, 0, 0, nrows, cols, out);
}
export function entropyRowsF64(conv: i32, p: usize, nrows: i32, cols: i32, out: usize): i32 {
  return rows<f64>(M_ENTROPY, conv, false, p, cols, 0, 0, nrows, cols, out);
}
export function crossEntropyRowsF32(conv: i32, p: usize, pStride: i32, q: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  return rows<f32>(M_CROSS, conv, false, p, pStride, q, qStride, nrows, cols, out);
}
export function crossEntropyRowsF64(conv: i32, p: usize, pStride: i32, q: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  return rows<f64>(M_CROSS, conv, false, p, pStride, q, qStride, nrows, cols, out);
}
export function klRowsF32(conv: i32, p: usize, pStride: i32, q: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  if (conv == CONV_KERAS) return klKerasRows<f32>(p, pStride, q, qStride, nrows, cols, out);
  return rows<f32>(M_KL, conv, false, p, pStride, q, qStride, nrows, cols, out);
}
export function klRowsF64(conv: i32, p: usize, pStride: i32, q: usize, qStride: i32, nrows: i32, cols: i32, out: usize): i32 {
  if (conv == CONV_KERAS) return klKerasRows<f64>(p, pStride, q, qStride, nrows, cols, out);
  return rows<f64>(M_KL, conv, false, p, pStride, q, qStride, nrows, cols, out);
}

// Rows longer than the host's arena arrive in segments: state is 7 f64 (S, P, Q, minP, minQ,
// and the argument range as 1 − lo, hi − 1), zeroed by the host before the first segment;
// divFinish gives the value or NaN (then the host runs its exact reference over the row).
// @ts-ignore: decorator
@inline function segment<T>(measure: i32, keras: bool, p: usize, q: usize, n: i32, state: usize): void {
  gS = load<f64>(state); gP = load<f64>(state, 8); gQ = load<f64>(state, 16);
  gMinP = load<f64>(state, 24); gMinQ = load<f64>(state, 32);
  gLoX = 1.0 - load<f64>(state, 40); gHiX = 1.0 + load<f64>(state, 48);
  accumulate<T>(measure, keras, p, q, n);
  store<f64>(state, gS); store<f64>(state, gP, 8); store<f64>(state, gQ, 16);
  store<f64>(state, gMinP, 24); store<f64>(state, gMinQ, 32);
  store<f64>(state, 1.0 - gLoX, 40); store<f64>(state, gHiX - 1.0, 48);
}

// One wasm function per (type, measure, clipping), as for the rows above.
function entropySegment<T>(p: usize, n: i32, state: usize): void {
  segment<T>(M_ENTROPY, false, p, p, n, state);
}
function crossSegment<T>(p: usize, q: usize, n: i32, state: usize): void {
  segment<T>(M_CROSS, false, p, q, n, state);
}
function klSegment<T>(p: usize, q: usize, n: i32, state: usize): void {
  segment<T>(M_KL, false, p, q, n, state);
}
function klKerasSegment<T>(p: usize, q: usize, n: i32, state: usize): void {
  segment<T>(M_KL, true, p, q, n, state);
}

// @ts-ignore: decorator
@inline function segmentOf<T>(measure: i32, conv: i32, p: usize, q: usize, n: i32, state: usize): void {
  if (measure == M_ENTROPY) entropySegment<T>(p, n, state);
  else if (measure == M_CROSS) crossSegment<T>(p, q, n, state);
  else if (conv == CONV_KERAS) klKerasSegment<T>(p, q, n, state);
  else klSegment<T>(p, q, n, state);
}

export function divSegmentF32(measure: i32, conv: i32, p: usize, q: usize, n: i32, state: usize): void {
  segmentOf<f32>(measure, conv, p, q, n, state);
}
export function divSegmentF64(measure: i32, conv: i32, p: usize, q: usize, n: i32, state: usize): void {
  segmentOf<f64>(measure, conv, p, q, n, state);
}
export function divFinish(measure: i32, conv: i32, f32: bool, state: usize): f64 {
  gS = load<f64>(state); gP = load<f64>(state, 8); gQ = load<f64>(state, 16);
  gMinP = load<f64>(state, 24); gMinQ = load<f64>(state, 32);
  gLoX = 1.0 - load<f64>(state, 40); gHiX = 1.0 + load<f64>(state, 48);
  return finish(measure, conv, f32);
}
