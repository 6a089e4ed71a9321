// Pairwise divergences: every row of A against every row of B, one tile of rows of each at a
// time (the host streams the tiles through its arena).
//
// pairPrep turns a tile of raw rows into float64 rows the pair loop can use directly, once per
// row instead of once per pair, plus one self term per row:
//   KL(p‖q) = Σ p'·log p' − Σ p'·log q'   first argument: p' and Σ p'·log p'; second: log q'
//   CE(p, q) = −Σ p'·log q'               (the same rows, no self term)
//   JSD(p, q) = ½ (Σ p'·log p' + Σ q'·log q') − Σ m·log m,  m = (p' + q')/2
//                                         both arguments: p'/2 (so m = x + y) and Σ p'·log p'
// so a KL or cross-entropy pair costs one multiply-add per element and a JSD pair one logarithm.
// p' is the row normalized (scipy), as given (raw) or clipped to [1e-7, 1] (keras).
//
// Pairs are computed in float64 whatever the input type: the formulas above subtract sums of
// size |Σ p' log p'|, and float32 logarithms would leave an error of ~1e-7 of that size.
// Every self term goes through the same code as the pair terms, so a row against itself gives
// exactly 0. Rows the fast path cannot take exactly (a sum outside the safe range, a share
// below 2^-1020) are flagged, and their pairs run carefulRow on the raw input; pairs with an
// invalid row are NaN.
import { logF64x2, logF64, wLogMantissaF64x2, wExponentF64x2 } from './vmath';
import { carefulRow } from './careful';
import { M_CROSS, M_KL, M_JSD, CONV_SCIPY, CONV_KERAS, KERAS_EPS, SAFE_MIN_F64, SAFE_MAX_F64, isF32 } from './common';
import { lane2 } from './lanes';

// Row flags, stored by pairPrep (read by the host to locate errors).
const F_ZEROS: i32 = 1; // the row has zeros: its log row has −∞ entries, so its products are masked
const F_CAREFUL: i32 = 2;
const F_INVALID: i32 = 4; // negative or non-finite values, or a zero sum where rows are normalized

// Shares below 2^-1020 take the careful path: a subnormal share has lost bits to the division,
// and the pair loop's fast log core needs m = (p' + q')/2 normal.
const MIN_SHARE: f64 = 8.900295434028806e-308;

// Rows of B are taken in groups of about this many bytes, which stay in L1 while every row of
// the A tile passes over them.
const GROUP_BYTES: i32 = 16384;

/** dst[j] = log src[j] (−∞ where src[j] = 0); src may be dst. */
// @ts-ignore: decorator
@inline function logRow(src: usize, dst: usize, n: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      v128.store(dst + o, logF64x2(v128.load(src + o)));
    }
  }
  for (; j < n; j++) {
    const x = load<f64>(src + (<usize>j << 3));
    store<f64>(dst + (<usize>j << 3), logF64(x));
  }
}

/**
 * Σ x[j]·y[j]. `masked` skips the terms with x[j] = 0, where y[j] may be −∞; with finite y both
 * forms give the same bits, so a row and its own log agree however they are flagged.
 */
// @ts-ignore: decorator
@inline function dot(x: usize, y: usize, n: i32, masked: bool): f64 {
  let s = 0.0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    // Four accumulators, so that the latency of the adds does not bound the loop.
    const zero = f64x2.splat(0);
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    for (; j + 8 <= n; j += 8) {
      const o = <usize>j << 3;
      const x0 = v128.load(x + o), x1 = v128.load(x + o, 16), x2 = v128.load(x + o, 32), x3 = v128.load(x + o, 48);
      let t0 = f64x2.mul(x0, v128.load(y + o)), t1 = f64x2.mul(x1, v128.load(y + o, 16));
      let t2 = f64x2.mul(x2, v128.load(y + o, 32)), t3 = f64x2.mul(x3, v128.load(y + o, 48));
      if (masked) {
        t0 = v128.and(t0, f64x2.gt(x0, zero));
        t1 = v128.and(t1, f64x2.gt(x1, zero));
        t2 = v128.and(t2, f64x2.gt(x2, zero));
        t3 = v128.and(t3, f64x2.gt(x3, zero));
      }
      a0 = f64x2.add(a0, t0);
      a1 = f64x2.add(a1, t1);
      a2 = f64x2.add(a2, t2);
      a3 = f64x2.add(a3, t3);
    }
    s = lane2(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
  }
  let s1 = 0.0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const x0 = load<f64>(x + o), x1 = load<f64>(x + o, 8);
    s += masked && !(x0 > 0.0) ? 0.0 : x0 * load<f64>(y + o);
    s1 += masked && !(x1 > 0.0) ? 0.0 : x1 * load<f64>(y + o, 8);
  }
  if (j < n) {
    const x0 = load<f64>(x + (<usize>j << 3));
    s += masked && !(x0 > 0.0) ? 0.0 : x0 * load<f64>(y + (<usize>j << 3));
  }
  return s + s1;
}

/**
 * Σ m·log m with m = x[j] + y[j] (rows hold halves of the shares); m = 0 adds nothing. Every m
 * is 0 or in [2^-1020, 1] (smaller shares take the careful path), as the log's fast core needs.
 * The vector body uses the split form of vmath.ts: Σ m·log(mantissa) + ln2·Σ m·k.
 */
// @ts-ignore: decorator
@inline function mixSum(x: usize, y: usize, n: i32): f64 {
  let s = 0.0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f64x2.splat(0);
    let vl = zero, vk = zero;
    for (; j + 8 <= n; j += 8) {
      const o = <usize>j << 3;
      const m0 = f64x2.add(v128.load(x + o), v128.load(y + o));
      const m1 = f64x2.add(v128.load(x + o, 16), v128.load(y + o, 16));
      const m2 = f64x2.add(v128.load(x + o, 32), v128.load(y + o, 32));
      const m3 = f64x2.add(v128.load(x + o, 48), v128.load(y + o, 48));
      vl = f64x2.add(vl, f64x2.add(f64x2.add(wLogMantissaF64x2(m0, m0), wLogMantissaF64x2(m1, m1)),
        f64x2.add(wLogMantissaF64x2(m2, m2), wLogMantissaF64x2(m3, m3))));
      vk = f64x2.add(vk, f64x2.add(f64x2.add(wExponentF64x2(m0, m0), wExponentF64x2(m1, m1)),
        f64x2.add(wExponentF64x2(m2, m2), wExponentF64x2(m3, m3))));
    }
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const m0 = f64x2.add(v128.load(x + o), v128.load(y + o));
      vl = f64x2.add(vl, wLogMantissaF64x2(m0, m0));
      vk = f64x2.add(vk, wExponentF64x2(m0, m0));
    }
    s = lane2(vl) + Math.LN2 * lane2(vk);
  }
  // Scalar build (and an odd last element): two accumulators break the add chain.
  let s1 = 0.0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const m0 = load<f64>(x + o) + load<f64>(y + o), m1 = load<f64>(x + o, 8) + load<f64>(y + o, 8);
    if (m0 > 0.0) s += m0 * logF64(m0);
    if (m1 > 0.0) s1 += m1 * logF64(m1);
  }
  if (j < n) {
    const m0 = load<f64>(x + (<usize>j << 3)) + load<f64>(y + (<usize>j << 3));
    if (m0 > 0.0) s += m0 * logF64(m0);
  }
  return s + s1;
}

/**
 * Prepares one raw row into `row` (cols float64) and stores its self term at `stat`; returns
 * the row's flags. `tmp` (cols float64) holds log p' while the KL self term is summed.
 */
// @ts-ignore: decorator
@inline function prepRow<T>(measure: i32, conv: i32, second: bool, raw: usize, cols: i32, row: usize, stat: usize, tmp: usize): i32 {
  store<f64>(stat, 0.0);
  // Widen to float64 while summing and taking the minimum (which rejects negatives, NaN, −∞)
  // and the maximum (which rejects +∞; the sum can overflow on finite values, and such rows go
  // the careful way).
  let s0 = 0.0, s1 = 0.0, mn = Infinity, mx = 0.0;
  let j = 0;
  for (; j + 2 <= cols; j += 2) {
    const x0 = <f64>load<T>(raw + (<usize>j << alignof<T>())), x1 = <f64>load<T>(raw + (<usize>(j + 1) << alignof<T>()));
    store<f64>(row + (<usize>j << 3), x0);
    store<f64>(row + (<usize>j << 3), x1, 8);
    s0 += x0; s1 += x1;
    mn = Math.min(mn, Math.min(x0, x1));
    mx = Math.max(mx, Math.max(x0, x1));
  }
  if (j < cols) {
    const x0 = <f64>load<T>(raw + (<usize>j << alignof<T>()));
    store<f64>(row + (<usize>j << 3), x0);
    s0 += x0;
    mn = Math.min(mn, x0);
    mx = Math.max(mx, x0);
  }
  const sum = s0 + s1;
  if (!(mn >= 0.0) || !(mx < Infinity)) return F_INVALID;
  const normalize = conv == CONV_SCIPY;
  if (normalize && sum == 0.0) return F_INVALID;
  let flags = 0;
  if (conv == CONV_KERAS) {
    const eps = isF32<T>() ? <f64><f32>KERAS_EPS : KERAS_EPS;
    for (j = 0; j < cols; j++) {
      const at = row + (<usize>j << 3);
      store<f64>(at, Math.min(Math.max(load<f64>(at), eps), 1.0));
    }
  } else {
    if (!(sum >= SAFE_MIN_F64 && sum <= SAFE_MAX_F64)) return F_CAREFUL;
    if (mn == 0.0) flags = F_ZEROS;
    // Division (not a multiply by 1/sum), as scipy normalizes; JSD rows hold p'/2.
    const d = measure == M_JSD ? 2.0 * sum : sum;
    let small = Infinity;
    for (j = 0; j < cols; j++) {
      const at = row + (<usize>j << 3);
      const v = load<f64>(at);
      const x = normalize ? v / d : v;
      if (normalize) store<f64>(at, x);
      // A positive element whose share underflows to 0 (beside a huge one) is no zero: careful.
      if (v > 0.0) small = Math.min(small, x);
    }
    if (small < MIN_SHARE) return flags | F_CAREFUL;
  }
  if (measure == M_JSD) {
    store<f64>(stat, mixSum(row, row, cols));
  } else if (second) {
    logRow(row, row, cols);
  } else if (measure == M_KL) {
    logRow(row, tmp, cols);
    store<f64>(stat, flags & F_ZEROS ? dot(row, tmp, cols, true) : dot(row, tmp, cols, false));
  }
  return flags;
}

// A prepared tile of n rows at `prep`: n·cols float64 rows, then n float64 self terms, then
// n i32 flags (src/backends/wasm-pairwise.ts lays it out the same way).

// @ts-ignore: decorator
@inline function prepTile<T>(measure: i32, conv: i32, second: bool, raw: usize, n: i32, cols: i32, prep: usize, tmp: usize): i32 {
  const rowBytes = <usize>cols << 3, rawBytes = <usize>cols << alignof<T>();
  const stats = prep + <usize>n * rowBytes, flags = stats + (<usize>n << 3);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const f = prepRow<T>(measure, conv, second, raw + <usize>i * rawBytes, cols, prep + <usize>i * rowBytes, stats + (<usize>i << 3), tmp);
    store<i32>(flags + (<usize>i << 2), f);
    if (f & F_INVALID) bad++;
  }
  return bad;
}

/**
 * Prepares n raw rows (`second`: as the second argument of KL or cross-entropy) into the tile
 * at `prep`; returns how many rows are invalid. `tmp` is scratch of cols float64.
 */
export function pairPrepF32(measure: i32, conv: i32, second: bool, raw: usize, n: i32, cols: i32, prep: usize, tmp: usize): i32 {
  if (measure == M_JSD) return prepTile<f32>(M_JSD, conv, false, raw, n, cols, prep, tmp);
  if (measure == M_KL) return prepTile<f32>(M_KL, conv, second, raw, n, cols, prep, tmp);
  return prepTile<f32>(M_CROSS, conv, second, raw, n, cols, prep, tmp);
}
export function pairPrepF64(measure: i32, conv: i32, second: bool, raw: usize, n: i32, cols: i32, prep: usize, tmp: usize): i32 {
  if (measure == M_JSD) return prepTile<f64>(M_JSD, conv, false, raw, n, cols, prep, tmp);
  if (measure == M_KL) return prepTile<f64>(M_KL, conv, second, raw, n, cols, prep, tmp);
  return prepTile<f64>(M_CROSS, conv, second, raw, n, cols, prep, tmp);
}

// @ts-ignore: decorator
@inline function fastPair(measure: i32, conv: i32, a: usize, sa: f64, b: usize, sb: f64, fb: i32, cols: i32): f64 {
  if (measure == M_JSD) return Math.max(0.0, 0.5 * (sa + sb) - mixSum(a, b, cols));
  const cross = fb & F_ZEROS ? dot(a, b, cols, true) : dot(a, b, cols, false);
  if (measure == M_CROSS) return -cross;
  // Rounding can take a scipy KL of nearly equal rows below 0; raw and keras KL can be negative.
  return conv == CONV_SCIPY ? Math.max(0.0, sa - cross) : sa - cross;
}

/**
 * out[i·nb + j] = measure(row i of A, row j of B) for a prepared A tile of na rows and B tile of
 * nb rows (raw rows alongside, for the careful path). `upper`: A and B are the same tile of a
 * symmetric measure; only j ≥ i is computed and mirrored.
 */
// @ts-ignore: decorator
@inline function tile<T>(measure: i32, conv: i32, aRaw: usize, aPrep: usize, na: i32, bRaw: usize, bPrep: usize, nb: i32, cols: i32, out: usize, upper: bool): void {
  const rowBytes = <usize>cols << 3, rawBytes = <usize>cols << alignof<T>();
  const aStats = aPrep + <usize>na * rowBytes, aFlags = aStats + (<usize>na << 3);
  const bStats = bPrep + <usize>nb * rowBytes, bFlags = bStats + (<usize>nb << 3);
  const group = max(1, GROUP_BYTES / (cols << 3));
  const outRow = <usize>nb << 3;
  for (let j0 = 0; j0 < nb; j0 += group) {
    const j1 = min(nb, j0 + group);
    for (let i = 0; i < na; i++) {
      const a = aPrep + <usize>i * rowBytes;
      const sa = load<f64>(aStats + (<usize>i << 3));
      const fa = load<i32>(aFlags + (<usize>i << 2));
      for (let j = upper ? max(i, j0) : j0; j < j1; j++) {
        const fb = load<i32>(bFlags + (<usize>j << 2));
        let v: f64;
        if ((fa | fb) & F_INVALID) {
          v = NaN;
        } else if ((fa | fb) & F_CAREFUL) {
          v = carefulRow<T>(measure, conv, aRaw + <usize>i * rawBytes, bRaw + <usize>j * rawBytes, cols);
        } else {
          v = fastPair(measure, conv, a, sa, bPrep + <usize>j * rowBytes, load<f64>(bStats + (<usize>j << 3)), fb, cols);
        }
        store<f64>(out + <usize>i * outRow + (<usize>j << 3), v);
        if (upper) store<f64>(out + <usize>j * outRow + (<usize>i << 3), v);
      }
    }
  }
}

/** Fills the na × nb tile of results at out (row-major, nats). */
export function pairTileF32(measure: i32, conv: i32, aRaw: usize, aPrep: usize, na: i32, bRaw: usize, bPrep: usize, nb: i32, cols: i32, out: usize, upper: bool): void {
  if (measure == M_JSD) tile<f32>(M_JSD, CONV_SCIPY, aRaw, aPrep, na, bRaw, bPrep, nb, cols, out, upper);
  else if (measure == M_KL) tile<f32>(M_KL, conv, aRaw, aPrep, na, bRaw, bPrep, nb, cols, out, false);
  else tile<f32>(M_CROSS, conv, aRaw, aPrep, na, bRaw, bPrep, nb, cols, out, false);
}
export function pairTileF64(measure: i32, conv: i32, aRaw: usize, aPrep: usize, na: i32, bRaw: usize, bPrep: usize, nb: i32, cols: i32, out: usize, upper: bool): void {
  if (measure == M_JSD) tile<f64>(M_JSD, CONV_SCIPY, aRaw, aPrep, na, bRaw, bPrep, nb, cols, out, upper);
  else if (measure == M_KL) tile<f64>(M_KL, conv, aRaw, aPrep, na, bRaw, bPrep, nb, cols, out, false);
  else tile<f64>(M_CROSS, conv, aRaw, aPrep, na, bRaw, bPrep, nb, cols, out, false);
}
