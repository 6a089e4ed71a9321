// Lane helpers generic over the element type T (f32: f32x4, f64: f64x2), folded at compile time,
// so that one kernel body serves both types.
import { wLogMantissaF32x4, wExponentF32x4, wLogMantissaF64x2, wExponentF64x2 } from './vmath';
import { isF32 } from './common';

/** Elements per vector. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 {
  return <i32>(16 / sizeof<T>());
}

/** Sum of the two f64 lanes. */
// @ts-ignore: decorator
@inline export function lane2(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Adds a block's partial sums to a float64 accumulator (float32 lanes widened first). */
// @ts-ignore: decorator
@inline export function fold<T>(acc: v128, v: v128): v128 {
  if (!isF32<T>()) return f64x2.add(acc, v);
  return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
}

// @ts-ignore: decorator
@inline export function splat<T>(x: f64): v128 {
  return isF32<T>() ? f32x4.splat(<f32>x) : f64x2.splat(x);
}

// @ts-ignore: decorator
@inline export function add<T>(a: v128, b: v128): v128 {
  return isF32<T>() ? f32x4.add(a, b) : f64x2.add(a, b);
}

// @ts-ignore: decorator
@inline export function mul<T>(a: v128, b: v128): v128 {
  return isF32<T>() ? f32x4.mul(a, b) : f64x2.mul(a, b);
}

// @ts-ignore: decorator
@inline export function div<T>(a: v128, b: v128): v128 {
  return isF32<T>() ? f32x4.div(a, b) : f64x2.div(a, b);
}

// @ts-ignore: decorator
@inline export function pmin<T>(a: v128, b: v128): v128 {
  return isF32<T>() ? f32x4.pmin(a, b) : f64x2.pmin(a, b);
}

// @ts-ignore: decorator
@inline export function pmax<T>(a: v128, b: v128): v128 {
  return isF32<T>() ? f32x4.pmax(a, b) : f64x2.pmax(a, b);
}

/** Smallest lane, in float64. */
// @ts-ignore: decorator
@inline export function minOf<T>(v: v128): f64 {
  if (!isF32<T>()) return Math.min(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
  return <f64>Mathf.min(Mathf.min(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), Mathf.min(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** Largest lane, in float64. */
// @ts-ignore: decorator
@inline export function maxOf<T>(v: v128): f64 {
  if (!isF32<T>()) return Math.max(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
  return <f64>Mathf.max(Mathf.max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), Mathf.max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** w·log m of x = 2^k·m (the split form of vmath.ts). */
// @ts-ignore: decorator
@inline export function wLogMantissa<T>(w: v128, x: v128): v128 {
  return isF32<T>() ? wLogMantissaF32x4(w, x) : wLogMantissaF64x2(w, x);
}

/** w·k of x = 2^k·m (the split form of vmath.ts). */
// @ts-ignore: decorator
@inline export function wExponent<T>(w: v128, x: v128): v128 {
  return isF32<T>() ? wExponentF32x4(w, x) : wExponentF64x2(w, x);
}
