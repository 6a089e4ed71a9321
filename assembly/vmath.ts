// Vectorized natural logarithm for the kernels: f64x2 and f32x4, plus scalar twins for tails.
//
// METHOD (both widths, no tables: wasm SIMD has no gather)
//   1. Subnormals (0 < x < smallest normal), branch-free with one select: their bits b are
//      replaced by a "virtual" bit pattern with an exponent field below zero, which step 2
//      handles unchanged: f64 bits(x·2^52) − (52 << 52); f32 bits(float(b)) − (149 << 23),
//      since a float32 subnormal is x = b·2^−149 and b < 2^23 converts exactly.
//   2. Range reduction in integers: t = b − bits(√½); k = t >> MANT_BITS (arithmetic);
//      m = b − (k << MANT_BITS). Then x = 2^k·m with m in [√½, √2), exactly.
//      (One subtraction and one shift instead of compare/select: 1.6× faster in the probe.)
//   3. f = m − 1 (exact), s = f/(m+1) = f/(2+f), z = s², and
//        log(m) = log(1+f) = 2·atanh(s) = 2s + s·R(z),  R(z) ≈ (2·atanh(s) − 2s)/s
//      with a minimax polynomial R in z = s², |s| ≤ 3 − 2√2 ≈ 0.1716.
//   4. log(x) = k·ln2_hi + (log(m) + k·ln2_lo): ln2_hi has trailing zero bits, so k·ln2_hi
//      is exact; the split keeps ln2's rounding error out of the result (a single rounded
//      ln2 gave a systematic bias: 5e-9 relative on KL sums in float32, vs 4e-11 split).
//   5. Special values, branch-free, after the main path (which stays finite for them):
//        pmax(x − MAX, r)   : x = +Inf → +Inf, x = NaN → NaN (pmax returns its first
//                             operand when the comparison is false, i.e. on NaN)
//        r | (x < 0 mask)   : negative (incl. −Inf) → all-ones bits = NaN
//        r + (x == 0 ? −Inf : +0): ±0 → −Inf
//
// FLOAT64  logF64x2: the fdlibm e_log.c scheme (Sun Microsystems, 1993), re-implemented:
//     log(1+f) = f − hfsq + s·(hfsq + R(z)),  hfsq = f²/2
//   (fdlibm switches to a cheaper f − s·(f − R) on part of the range; one formula here.)
//   R(z) = Lg1·z + Lg2·z² + … + Lg7·z⁷, evaluated as odd/even halves in w = z²:
//     Lg1..Lg7 : fdlibm's minimax coefficients for (2·atanh(s) − 2s)/s on |s| ≤ 0.1716,
//                close to the Taylor values 2/3, 2/5, 2/7, 2/9, 2/11, 2/13, 2/15;
//                |R − (2·atanh(s) − 2s)/s| ≤ 2^−58.47 (checked with mpmath, 200 bits).
//     ln2_hi = 0x3FE62E42FEE00000 (ln2 rounded to 32 significant bits; |k| ≤ 1074 keeps k·ln2_hi exact)
//     ln2_lo = 0x3DEA39EF35793C76 (ln2 − ln2_hi, to double precision)
//   Measured max error: see MEASURED below.
//
// FLOAT32  logF32x4: the same reduction, and the shorter form
//     log(1+f) = f − s·(f − R(z))        (2s = f − s·f since s·(2+f) = f)
//   R(z) = C1·z + C2·z² + C3·z³, coefficients fitted for this file (Lawson/minimax on
//   z in [0, (3−2√2)²], then rounded to float32): |R − (2·atanh(s) − 2s)/s| ≤ 1.75e-9
//   (2^−29.1), a relative error ≤ 2^−30 on log(m), far below float32 rounding.
//     C1 = 0x3F2AAABD ≈ 2/3, C2 = 0x3ECCAF5D ≈ 2/5, C3 = 0x3E98F179 ≈ 2/7 (+ the z⁴… tail)
//     ln2_hi = 0x3F318000 = 0.693359375 (9 significant bits: k·ln2_hi exact for |k| ≤ 255)
//     ln2_lo = 0xB95E8083 = −2.12194440e-4 (ln2 − ln2_hi rounded to float32)
//   A division-free alternative (Cephes logf: degree-8 polynomial in f, no s) was measured
//   and rejected: similar accuracy, 10% (Estrin) to 27% (Horner) slower in the KL loop: the
//   division costs less than the 10 extra multiply/adds and 6 extra constants.
//
// MEASURED max error (build/probe.wasm on Node 20; test/vmath.test.ts re-checks the bounds):
//   logF64x2: 0.83 ulp against the correctly rounded log (mpmath, 140 bits) on 690,000 inputs:
//             10^U(−308, 308), e^U(−745, 709.7), [0.5, 2), 1 ± 1e-3, subnormals (uniform and
//             log-uniform), and the neighbourhoods of √½, √2, 2√2 and √½/2 where the reduction
//             switches k. Mean 0.25 ulp. (V8's own Math.log on the same inputs: 0.84 ulp.)
//   logF32x4: 0.954 ulp, exhaustively over all 2,139,095,039 positive finite float32 inputs,
//             subnormals included, against Math.log of the input in float64. Mean 0.25 ulp;
//             no input above 1 ulp.
//   Both: ±0 → −Inf, +Inf → +Inf, NaN and x < 0 (incl. −Inf) → NaN, log(1) = +0, exactly.
//
// OP COUNT per vector (wasm SIMD instructions, v128.const not counted):
//   logF64x2: 45 = 19 core (incl. 1 f64x2.div) + 15 polynomial + 4 subnormal + 7 special values
//             (15 mul, 10 add, 5 sub, 3 i64x2.sub, 2 and, 2 lt, eq, pmax, or, bitselect,
//             shuffle, i32x4.shr_s, convert_low, div); 18 distinct constants.
//   logF32x4: 32 = 15 core (incl. 1 f32x4.div) + 6 polynomial + 4 subnormal + 7 special values
//             (7 mul, 5 add, 5 sub, 3 i32x4.sub, 2 lt, 2 convert, eq, pmax, or, and, bitselect,
//             shr_s, shl, div); 12 distinct constants (V8 rebuilds each one inside loops, with 3
//             instructions; in the float32 KL loop, loading them from a static table instead
//             measured no faster).
//
// SCALAR TWINS logF64 / logF32: the same operations in the same order on one lane, so a
// kernel's scalar tail gives bit-identical results to its vector body, and the scalar build
// (no SIMD) gives the same logs as the SIMD build. They are not NativeMath (Math.log /
// Mathf.log), which round differently (both are < 1 ulp, but not the same ulp).
//
// SIMD-free builds: every v128 use is inside the vector functions; AssemblyScript compiles a
// function only when it is called, so a build that calls only logF64/logF32 needs no simd.

// ---------------------------------------------------------------- float64

const SQRT_HALF_BITS_F64: i64 = 0x3FE6A09E667F3BCD; // bits of √½: m lands in [√½, √2)
const MIN_NORMAL_F64: f64 = 2.2250738585072014e-308; // 2^−1022
const TWO52: f64 = 4503599627370496.0; // subnormal scale 2^52 (exact)
const LN2_HI_F64: f64 = 6.93147180369123816490e-01; // 0x3FE62E42FEE00000
const LN2_LO_F64: f64 = 1.90821492927058770002e-10; // 0x3DEA39EF35793C76
const LG1: f64 = 6.666666666666735130e-01; // 0x3FE5555555555593
const LG2: f64 = 3.999999999940941908e-01; // 0x3FD999999997FA04
const LG3: f64 = 2.857142874366239149e-01; // 0x3FD2492494229359
const LG4: f64 = 2.222219843214978396e-01; // 0x3FCC71C51D8E78AF
const LG5: f64 = 1.818357216161805012e-01; // 0x3FC7466496CB03DE
const LG6: f64 = 1.531383769920937332e-01; // 0x3FC39A09D078C69F
const LG7: f64 = 1.479819860511658591e-01; // 0x3FC2F112DF3E5244

/** Natural log of both f64 lanes; see the header for method, accuracy and special values. */
// @ts-ignore: decorator
@inline export function logF64x2(x: v128): v128 {
  const negInf = f64x2.splat(-Infinity);
  // 1. subnormals: bits(x·2^52) − (52 << 52), a "virtual" pattern the core reduces unchanged
  const tiny = f64x2.lt(x, f64x2.splat(MIN_NORMAL_F64));
  const b = v128.bitselect(i64x2.sub(f64x2.mul(x, f64x2.splat(TWO52)), i64x2.splat(<i64>52 << 52)), x, tiny);
  // 2.–4.
  let r = logPositiveF64x2(b);
  // 5. special values
  r = f64x2.pmax(f64x2.sub(x, f64x2.splat(f64.MAX_VALUE)), r);
  r = v128.or(r, f64x2.lt(x, f64x2.splat(0)));
  return f64x2.add(r, v128.and(f64x2.eq(x, f64x2.splat(0)), negInf));
}

/** Scalar twin of logF64x2: identical operations, so identical results lane by lane. */
// @ts-ignore: decorator
@inline export function logF64(x: f64): f64 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let b = reinterpret<i64>(x);
  if (x < MIN_NORMAL_F64) b = reinterpret<i64>(x * TWO52) - (<i64>52 << 52);
  const t = b - SQRT_HALF_BITS_F64;
  const k = <f64><i32>(t >> 52);
  const m = reinterpret<f64>(b - ((t >> 52) << 52));
  const f = m - 1.0;
  const s = f / (m + 1.0);
  const z = s * s;
  const w = z * z;
  const r1 = w * (LG2 + w * (LG4 + w * LG6));
  const r2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const hfsq = 0.5 * (f * f);
  const sr = s * (hfsq + (r1 + r2)) + k * LN2_LO_F64;
  return k * LN2_HI_F64 - ((hfsq - sr) - f);
}

// logPositiveF64x2 reads its constants from this table: V8 (Node 20) rebuilds every v128.const
// inside a loop with three instructions per iteration, a load is one.
const POSITIVE_F64 = memory.data<u64>([
  <u64>SQRT_HALF_BITS_F64, <u64>SQRT_HALF_BITS_F64, 0xFFF0000000000000, 0xFFF0000000000000, // +0, +16
  0x3FF0000000000000, 0x3FF0000000000000, 0x3FE0000000000000, 0x3FE0000000000000, // 1, 0.5: +32, +48
  reinterpret<u64>(LG1), reinterpret<u64>(LG1), reinterpret<u64>(LG2), reinterpret<u64>(LG2), // +64, +80
  reinterpret<u64>(LG3), reinterpret<u64>(LG3), reinterpret<u64>(LG4), reinterpret<u64>(LG4), // +96, +112
  reinterpret<u64>(LG5), reinterpret<u64>(LG5), reinterpret<u64>(LG6), reinterpret<u64>(LG6), // +128, +144
  reinterpret<u64>(LG7), reinterpret<u64>(LG7), reinterpret<u64>(LN2_LO_F64), reinterpret<u64>(LN2_LO_F64), // +160, +176
  reinterpret<u64>(LN2_HI_F64), reinterpret<u64>(LN2_HI_F64), // +192
]);

/**
 * logF64x2 for lanes the caller knows are positive, normal and finite, or 0 (which gives the
 * finite −1023·ln2, so 0·log 0 = 0 without a mask): steps 2–4 only, the same operations, so
 * the same bits as logF64x2 on those lanes. In the pairwise JSD loop (assembly/pairwise.ts)
 * it is 1.4× faster than logF64x2 plus a zero mask.
 */
// @ts-ignore: decorator
@inline export function logPositiveF64x2(x: v128): v128 {
  const t = reduceF64x2(x);
  const k = exponentF64x2(t);
  const m = mantissaF64x2(x, t);
  const f = f64x2.sub(m, v128.load(POSITIVE_F64, 32));
  const s = f64x2.div(f, f64x2.add(m, v128.load(POSITIVE_F64, 32)));
  const hfsq = f64x2.mul(v128.load(POSITIVE_F64, 48), f64x2.mul(f, f));
  const sr = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, atanhTailF64x2(s))), f64x2.mul(k, v128.load(POSITIVE_F64, 176)));
  return f64x2.sub(f64x2.mul(k, v128.load(POSITIVE_F64, 192)), f64x2.sub(f64x2.sub(hfsq, sr), f));
}

// Split form, for kernels that sum w·log x: log x = k·ln2 + log m, and the kernel keeps
// Σ w·log m and Σ w·k apart, applying ln2 once, in float64, to the second sum. That drops the
// four k·ln2_hi / k·ln2_lo operations and two constants per vector, and ln2 is then rounded
// once per sum instead of once per element. Arguments as for logPositiveF64x2.

/** Step 2's integer difference t = bits(x) − bits(√½), which exponentF64x2 and mantissaF64x2 share. */
// @ts-ignore: decorator
@inline export function reduceF64x2(x: v128): v128 {
  return i64x2.sub(x, v128.load(POSITIVE_F64));
}

/** k of x = 2^k·m as f64 lanes, from t = reduceF64x2(x). */
// @ts-ignore: decorator
@inline export function exponentF64x2(t: v128): v128 {
  return f64x2.convert_low_i32x4_s(i32x4.shr_s(i32x4.shuffle(t, t, 1, 3, 1, 3), 20));
}

/** m of x = 2^k·m, in [√½, √2), from t = reduceF64x2(x). */
// @ts-ignore: decorator
@inline export function mantissaF64x2(x: v128, t: v128): v128 {
  return i64x2.sub(x, v128.and(t, v128.load(POSITIVE_F64, 16)));
}

/** log m for m in [√½, √2): fdlibm's k = 0 case, f − (hfsq − s·(hfsq + R)). */
// @ts-ignore: decorator
@inline export function logMantissaF64x2(m: v128): v128 {
  const f = f64x2.sub(m, v128.load(POSITIVE_F64, 32));
  const s = f64x2.div(f, f64x2.add(m, v128.load(POSITIVE_F64, 32)));
  const hfsq = f64x2.mul(v128.load(POSITIVE_F64, 48), f64x2.mul(f, f));
  return f64x2.sub(f, f64x2.sub(hfsq, f64x2.mul(s, f64x2.add(hfsq, atanhTailF64x2(s)))));
}

/** R(z), z = s², as r1 + r2 (odd and even halves in w = z²). */
// @ts-ignore: decorator
@inline function atanhTailF64x2(s: v128): v128 {
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const r1 = f64x2.mul(w, f64x2.add(v128.load(POSITIVE_F64, 80), f64x2.mul(w, f64x2.add(v128.load(POSITIVE_F64, 112), f64x2.mul(w, v128.load(POSITIVE_F64, 144))))));
  const r2 = f64x2.mul(z, f64x2.add(v128.load(POSITIVE_F64, 64), f64x2.mul(w, f64x2.add(v128.load(POSITIVE_F64, 96),
    f64x2.mul(w, f64x2.add(v128.load(POSITIVE_F64, 128), f64x2.mul(w, v128.load(POSITIVE_F64, 160))))))));
  return f64x2.add(r1, r2);
}

/** w·log m of x = 2^k·m: the first sum of the split form. */
// @ts-ignore: decorator
@inline export function wLogMantissaF64x2(w: v128, x: v128): v128 {
  return f64x2.mul(w, logMantissaF64x2(mantissaF64x2(x, reduceF64x2(x))));
}

/** w·k of x = 2^k·m: the second sum of the split form. */
// @ts-ignore: decorator
@inline export function wExponentF64x2(w: v128, x: v128): v128 {
  return f64x2.mul(w, exponentF64x2(reduceF64x2(x)));
}

// ---------------------------------------------------------------- float32

const SQRT_HALF_BITS_F32: i32 = 0x3F3504F3; // bits of √½ rounded down: m lands in [0.70710677, 1.4142135]
const MIN_NORMAL_BITS_F32: i32 = 0x00800000; // 2^−126
const LN2_HI_F32: f32 = 0.693359375; // 0x3F318000
const LN2_LO_F32: f32 = -2.12194440e-4; // 0xB95E8083
const C1: f32 = 0.6666677594184875; // 0x3F2AAABD
const C2: f32 = 0.3997754156589508; // 0x3ECCAF5D
const C3: f32 = 0.29871729016304016; // 0x3E98F179

// logPositiveF32x4 reads its constants from this table (one load each instead of V8's three
// instructions to rebuild a v128.const inside a loop).
const POSITIVE_F32 = memory.data<u32>([
  <u32>SQRT_HALF_BITS_F32, <u32>SQRT_HALF_BITS_F32, <u32>SQRT_HALF_BITS_F32, <u32>SQRT_HALF_BITS_F32, // +0
  0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, // 1: +16
  reinterpret<u32>(C1), reinterpret<u32>(C1), reinterpret<u32>(C1), reinterpret<u32>(C1), // +32
  reinterpret<u32>(C2), reinterpret<u32>(C2), reinterpret<u32>(C2), reinterpret<u32>(C2), // +48
  reinterpret<u32>(C3), reinterpret<u32>(C3), reinterpret<u32>(C3), reinterpret<u32>(C3), // +64
  reinterpret<u32>(LN2_LO_F32), reinterpret<u32>(LN2_LO_F32), reinterpret<u32>(LN2_LO_F32), reinterpret<u32>(LN2_LO_F32), // +80
  reinterpret<u32>(LN2_HI_F32), reinterpret<u32>(LN2_HI_F32), reinterpret<u32>(LN2_HI_F32), reinterpret<u32>(LN2_HI_F32), // +96
]);

/**
 * logF32x4 for lanes the caller knows are positive, normal and finite (steps 2–4 only, the same
 * operations, so the same bits). Other lanes give finite garbage, never a trap: callers mask
 * them or check the argument's range. 0 gives a finite value, so 0·log 0 needs no mask.
 */
// @ts-ignore: decorator
@inline export function logPositiveF32x4(x: v128): v128 {
  const one = v128.load(POSITIVE_F32, 16);
  // 2. x = 2^k·m, m in [√½, √2)
  const k = exponentF32x4(x);
  const m = mantissaF32x4(x, k);
  // 3. log(1+f) = f − s·(f − R)
  const f = f32x4.sub(m, one);
  const s = f32x4.div(f, f32x4.add(m, one));
  const kf = f32x4.convert_i32x4_s(k);
  // 4. (log(1+f) + k·ln2_lo) + k·ln2_hi
  const lm = f32x4.sub(f, f32x4.sub(f32x4.mul(s, f32x4.sub(f, atanhTailF32x4(s))), f32x4.mul(kf, v128.load(POSITIVE_F32, 80))));
  return f32x4.add(lm, f32x4.mul(kf, v128.load(POSITIVE_F32, 96)));
}

// Split form (see the float64 one above): Σ w·log m and Σ w·k kept apart.

/** k of x = 2^k·m as i32 lanes (x positive, normal and finite). */
// @ts-ignore: decorator
@inline export function exponentF32x4(x: v128): v128 {
  return i32x4.shr_s(i32x4.sub(x, v128.load(POSITIVE_F32)), 23);
}

/** m of x = 2^k·m, in [√½, √2), from k = exponentF32x4(x). */
// @ts-ignore: decorator
@inline export function mantissaF32x4(x: v128, k: v128): v128 {
  return i32x4.sub(x, i32x4.shl(k, 23));
}

/** log m for m in [√½, √2): step 3, f − s·(f − R). */
// @ts-ignore: decorator
@inline export function logMantissaF32x4(m: v128): v128 {
  const one = v128.load(POSITIVE_F32, 16);
  const f = f32x4.sub(m, one);
  const s = f32x4.div(f, f32x4.add(m, one));
  return f32x4.sub(f, f32x4.mul(s, f32x4.sub(f, atanhTailF32x4(s))));
}

/** R(z) = z·(C1 + z·(C2 + z·C3)), z = s². */
// @ts-ignore: decorator
@inline function atanhTailF32x4(s: v128): v128 {
  const z = f32x4.mul(s, s);
  return f32x4.mul(z, f32x4.add(v128.load(POSITIVE_F32, 32), f32x4.mul(z, f32x4.add(v128.load(POSITIVE_F32, 48), f32x4.mul(z, v128.load(POSITIVE_F32, 64))))));
}

/** w·log m of x = 2^k·m: the first sum of the split form. */
// @ts-ignore: decorator
@inline export function wLogMantissaF32x4(w: v128, x: v128): v128 {
  return f32x4.mul(w, logMantissaF32x4(mantissaF32x4(x, exponentF32x4(x))));
}

/** w·k of x = 2^k·m: the second sum of the split form. */
// @ts-ignore: decorator
@inline export function wExponentF32x4(w: v128, x: v128): v128 {
  return f32x4.mul(w, f32x4.convert_i32x4_s(exponentF32x4(x)));
}

// Log of a ratio, for KL: log(p/q) without forming p/q. One division instead of two (the
// quotient's and the log's), and exact near p = q, where a rounded p/q loses the digits of
// log(p/q) ≈ p/q − 1.
//   1. k = round((bits(p) − bits(q)) / 2^23). A float's bits are a piecewise-linear log2, off by
//      at most 0.0861, so p' = p·2^−k (k taken from the exponent field: exact) gives
//      r = p'/q in [2^−0.5861, 2^0.5861] = [0.666, 1.501].
//   2. log(p/q) = k·ln2 + 2·atanh(s), s = (p' − q)/(p' + q), |s| ≤ 0.2004. p' − q is exact
//      (Sterbenz: q/2 ≤ p' ≤ 2q), so log(p/q) keeps its relative accuracy as p/q → 1.
//   3. 2·atanh(s) = 2s + s·z·P(z), z = s². P(z) = D1 + D2·z + D3·z², fitted for this file
//      (Lawson iteration on 4000 points of z in (0, 0.2004²], minimizing the relative error of
//      2·atanh(s), then rounded to float32): max relative error 3.2e-9 (2^−28.2) against mpmath.
//        D1 = 0x3F2AAADA, D2 = 0x3ECC9510, D3 = 0x3E9B7C0C
//      The kernel takes half of it, s + s·z·P(z)/2, with the coefficients halved (exactly), and
//      doubles the sum: one addition (s + s) fewer per vector.
// MEASURED (test/vmath.test.ts): L = log(p/q) − k·ln2 within 1.93 ulp of its exact value on
// 5 · 2^20 pairs (uniform, log-uniform over 2^±115, p/q within 1e-3 and 1e-6 of 1, and ratios
// at the edges of step 1's range); 1.5 ulp where p/q is within 1e-6 of 1. A rounded p/q then
// logF32x4 is off by up to 2^−24 absolute, i.e. 4 ulp of L = 0.25 and unboundedly many as L → 0.
// Valid for p ≥ 2^−125 and 2^−125 ≤ q < 2^127, so that p' is normal; kernels check the range
// per row. Other lanes give finite garbage or NaN, never a trap.

// Halves of D1, D2, D3.
const H1: f32 = 0.333334743976593; // 0x3EAAAADA
const H2: f32 = 0.19978737831115723; // 0x3E4C9510
const H3: f32 = 0.15184038877487183; // 0x3E1B7C0C

const RATIO_F32 = memory.data<u32>([
  0x00400000, 0x00400000, 0x00400000, 0x00400000, // 2^22, half of the exponent field's unit: +0
  reinterpret<u32>(H1), reinterpret<u32>(H1), reinterpret<u32>(H1), reinterpret<u32>(H1), // +16
  reinterpret<u32>(H2), reinterpret<u32>(H2), reinterpret<u32>(H2), reinterpret<u32>(H2), // +32
  reinterpret<u32>(H3), reinterpret<u32>(H3), reinterpret<u32>(H3), reinterpret<u32>(H3), // +48
]);

/** Step 1's k of p/q, as i32 lanes. */
// @ts-ignore: decorator
@inline export function ratioExponentF32x4(p: v128, q: v128): v128 {
  return i32x4.shr_s(i32x4.add(i32x4.sub(p, q), v128.load(RATIO_F32)), 23);
}

/** p' = p·2^−k, from k = ratioExponentF32x4(p, q). */
// @ts-ignore: decorator
@inline export function scaledF32x4(p: v128, k: v128): v128 {
  return i32x4.sub(p, i32x4.shl(k, 23));
}

/** log(a/b)/2 for a/b in [0.666, 1.501] (steps 2 and 3). */
// @ts-ignore: decorator
@inline export function halfLogNearRatioF32x4(a: v128, b: v128): v128 {
  const s = f32x4.div(f32x4.sub(a, b), f32x4.add(a, b));
  const z = f32x4.mul(s, s);
  const zP = f32x4.mul(z, f32x4.add(v128.load(RATIO_F32, 16), f32x4.mul(z, f32x4.add(v128.load(RATIO_F32, 32), f32x4.mul(z, v128.load(RATIO_F32, 48))))));
  // s·zP/2 is at most 1.4% of s, so the result keeps s's accuracy: 1.9 ulp against s·(2 + zP)'s 2.9.
  return f32x4.add(s, f32x4.mul(s, zP));
}

/** Natural log of the four f32 lanes; see the header for method, accuracy and special values. */
// @ts-ignore: decorator
@inline export function logF32x4(x: v128): v128 {
  // 1. subnormals: the integer bits n of x are exact as a float, and x = n·2^−149
  const tiny = f32x4.lt(x, i32x4.splat(MIN_NORMAL_BITS_F32));
  const b = v128.bitselect(i32x4.sub(f32x4.convert_i32x4_s(x), i32x4.splat(149 << 23)), x, tiny);
  // 2.–4.
  let r = logPositiveF32x4(b);
  // 5. special values
  r = f32x4.pmax(f32x4.sub(x, f32x4.splat(f32.MAX_VALUE)), r);
  r = v128.or(r, f32x4.lt(x, f32x4.splat(0)));
  return f32x4.add(r, v128.and(f32x4.eq(x, f32x4.splat(0)), f32x4.splat(-Infinity)));
}

/** Scalar twin of logF32x4: identical operations, so identical results lane by lane. */
// @ts-ignore: decorator
@inline export function logF32(x: f32): f32 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let b = reinterpret<i32>(x);
  if (b < MIN_NORMAL_BITS_F32) b = reinterpret<i32>(<f32>b) - (149 << 23);
  const k = (b - SQRT_HALF_BITS_F32) >> 23;
  const m = reinterpret<f32>(b - (k << 23));
  const f = m - <f32>1.0;
  const s = f / (m + <f32>1.0);
  const z = s * s;
  const R = z * (C1 + z * (C2 + z * C3));
  const kf = <f32>k;
  const lm = f - (s * (f - R) - kf * LN2_LO_F32);
  return lm + kf * LN2_HI_F32;
}
