// Codes shared by the kernels and src/wasm/abi.ts: keep both in step.

export const M_ENTROPY: i32 = 0;
export const M_CROSS: i32 = 1;
export const M_KL: i32 = 2;
export const M_JSD: i32 = 3;

export const CONV_SCIPY: i32 = 0;
export const CONV_RAW: i32 = 1;
export const CONV_KERAS: i32 = 2;

// Row sums outside this range take the careful path: below it p·log p of the smallest terms
// loses digits (subnormals), above it a term p·log x could overflow before dividing by the sum.
export const SAFE_MIN_F64: f64 = 8.289046058458095e-274; // 2^-907
export const SAFE_MAX_F64: f64 = 1.0715086071862673e301; // 2^1000
// float32 terms are formed in float32 arithmetic: same reasoning with float32's range.
export const SAFE_MIN_F32: f64 = 8.077935669463161e-28; // 2^-90
export const SAFE_MAX_F32: f64 = 1.329227995784916e36; // 2^120

// Smallest normal numbers: the log's fast core needs arguments at least this large.
export const MIN_NORMAL_F64: f64 = 2.2250738585072014e-308; // 2^-1022
export const MIN_NORMAL_F32: f64 = 1.1754943508222875e-38; // 2^-126
export const MAX_F64: f64 = 1.7976931348623157e308;
export const MAX_F32: f64 = 3.4028234663852886e38;

// Keras' backend epsilon (tf.keras.backend.epsilon()).
export const KERAS_EPS: f64 = 1e-7;

/** Is T float32 (else float64)? Folded at compile time. */
// @ts-ignore: decorator
@inline export function isF32<T>(): bool {
  return sizeof<T>() == 4;
}
