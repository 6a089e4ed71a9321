// Test-only module (build/probe.wasm, simd target options): exposes the vector logarithms of
// vmath.ts element by element for test/vmath.test.ts, plus minimal KL loops for timing.
// Not part of the package. Pointers are byte offsets into this module's own memory; callers
// place data above heapBase().
import { logF64x2, logF32x4, logF64, logF32, ratioExponentF32x4, scaledF32x4, halfLogNearRatioF32x4 } from './vmath';

export function heapBase(): usize {
  return __heap_base;
}

/** dst[i] = log(src[i]) through logF64x2 for every element (the tail uses a splat). */
export function logF64Array(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, logF64x2(v128.load(src + o)));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(dst + o, f64x2.extract_lane(logF64x2(f64x2.splat(load<f64>(src + o))), 0));
  }
}

/** dst[i] = log(src[i]) through logF32x4 for every element (the tail uses a splat). */
export function logF32Array(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, logF32x4(v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, f32x4.extract_lane(logF32x4(f32x4.splat(load<f32>(src + o))), 0));
  }
}

/** dst[i] = logF64(src[i]), the scalar twin. */
export function logF64ScalarArray(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(dst + o, logF64(load<f64>(src + o)));
  }
}

/** dst[i] = logF32(src[i]), the scalar twin. */
export function logF32ScalarArray(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, logF32(load<f32>(src + o)));
  }
}

/**
 * log(p[i]/q[i]) in the ratio form KL uses: k[i] and L[i] with log(p/q) = k·ln2 + L, for
 * p and q positive and normal (the tail uses a splat).
 */
export function logRatioF32Array(p: usize, q: usize, k: usize, L: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o), qv = v128.load(q + o);
    const kv = ratioExponentF32x4(pv, qv);
    v128.store(k + o, kv);
    const h = halfLogNearRatioF32x4(scaledF32x4(pv, kv), qv);
    v128.store(L + o, f32x4.add(h, h));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = f32x4.splat(load<f32>(p + o)), qv = f32x4.splat(load<f32>(q + o));
    const kv = ratioExponentF32x4(pv, qv);
    store<i32>(k + o, i32x4.extract_lane(kv, 0));
    const h = f32x4.extract_lane(halfLogNearRatioF32x4(scaledF32x4(pv, kv), qv), 0);
    store<f32>(L + o, h + h);
  }
}

/** Σ p·log(p/q) over float32 (timing only: no zero handling). Terms are promoted to float64. */
export function klF32(p: usize, q: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = a0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const p0 = v128.load(p + o), p1 = v128.load(p + o, 16);
    const t0 = f32x4.mul(p0, logF32x4(f32x4.div(p0, v128.load(q + o))));
    const t1 = f32x4.mul(p1, logF32x4(f32x4.div(p1, v128.load(q + o, 16))));
    a0 = f64x2.add(a0, f64x2.add(f64x2.promote_low_f32x4(t0), f64x2.promote_low_f32x4(i32x4.shuffle(t0, t0, 2, 3, 2, 3))));
    a1 = f64x2.add(a1, f64x2.add(f64x2.promote_low_f32x4(t1), f64x2.promote_low_f32x4(i32x4.shuffle(t1, t1, 2, 3, 2, 3))));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    s += <f64>(pi * logF32(pi / load<f32>(q + o)));
  }
  return s;
}

/** Σ p·log(p/q) over float64 (timing only: no zero handling). */
export function klF64(p: usize, q: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = a0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    const p0 = v128.load(p + o), p1 = v128.load(p + o, 16);
    a0 = f64x2.add(a0, f64x2.mul(p0, logF64x2(f64x2.div(p0, v128.load(q + o)))));
    a1 = f64x2.add(a1, f64x2.mul(p1, logF64x2(f64x2.div(p1, v128.load(q + o, 16)))));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const pi = load<f64>(p + o);
    s += pi * logF64(pi / load<f64>(q + o));
  }
  return s;
}
