// Counting label codes into contingency tables (int32 counts, row-major: rows = classes of the
// first labeling or of a feature, columns = classes of the second labeling or of the target).
//
// The host codes labels to dense class indices before they get here. A table larger than the
// host's arena is counted one tile at a time (one pass over the codes per tile), so countPairs
// only counts the pairs that fall inside the tile.
//
// A code matrix (rows = samples, columns = features) arrives in the caller's own element type,
// copied byte for byte: converting a Uint8Array to int32 on the host would cost more than the
// counting. The kernels are instantiated once per element type and picked by a type code.

export const CODE_F64: i32 = 0;
export const CODE_F32: i32 = 1;
export const CODE_I32: i32 = 2;
export const CODE_U32: i32 = 3;
export const CODE_I16: i32 = 4;
export const CODE_U16: i32 = 5;
export const CODE_I8: i32 = 6;
export const CODE_U8: i32 = 7;

/**
 * Adds the pairs (a[i], b[i]), i < n, that fall in the tile [x0, x0 + rows) × [y0, y0 + cols)
 * to the tile's counts (int32, rows × cols, row-major).
 */
export function countPairs(a: usize, b: usize, n: i32, x0: i32, rows: i32, y0: i32, cols: i32, tile: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<i32>(a + o) - x0;
    const y = load<i32>(b + o) - y0;
    // One unsigned comparison per side tests both ends of the range.
    if (<u32>x < <u32>rows && <u32>y < <u32>cols) {
      const cell = tile + ((<usize>x * <usize>cols + <usize>y) << 2);
      store<i32>(cell, load<i32>(cell) + 1);
    }
  }
}

/**
 * Groups by first code the second codes of the samples whose first code falls in [x0, x0 + rows):
 * b[i] goes to order[cursor[a[i] − x0]], and that cursor (int32, set by the host to the group's
 * start) moves on. Counting a table with far more cells than samples this way costs O(samples).
 */
export function groupPairs(a: usize, b: usize, n: i32, x0: i32, rows: i32, cursor: usize, order: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<i32>(a + o) - x0;
    if (<u32>x < <u32>rows) {
      const at = cursor + (<usize>x << 2);
      const pos = load<i32>(at);
      store<i32>(order + (<usize>pos << 2), load<i32>(b + o));
      store<i32>(at, pos + 1);
    }
  }
}

/** Largest valid code: codes index int32-addressed tables, and 2^31 − 1 marks an invalid column. */
const MAX_CODE: i32 = 0x7ffffffe;
const INVALID: i32 = 0x7fffffff;

/** A code as itself, anything else (negative, fractional, non-finite, too large) as INVALID. */
// @ts-ignore: decorator
@inline function codeOf<T>(v: T): i32 {
  if (isFloat<T>()) {
    const x = <f64>v;
    return x >= 0.0 && x <= <f64>MAX_CODE && x == Math.floor(x) ? <i32>x : INVALID;
  }
  // Negative values of signed types (and u32 values ≥ 2^31) are above MAX_CODE as unsigned.
  const x = <i32>v;
  return <u32>x > <u32>MAX_CODE ? INVALID : x;
}

function scanT<T>(p: usize, rows: i32, stride: i32, cols: i32, hi: usize): void {
  const rowBytes = <usize>stride * sizeof<T>();
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    if (sizeof<T>() == 1 && !isSigned<T>()) {
      // Bytes are always valid codes: 16 columns at a time, their maxima kept in a register
      // down the rows, then widened to int32 and folded into hi.
      for (; c + 16 <= cols; c += 16) {
        let m = i8x16.splat(0);
        for (let r = 0; r < rows; r++) m = i8x16.max_u(m, v128.load(p + <usize>r * rowBytes + <usize>c));
        const lo = i16x8.extend_low_i8x16_u(m), up = i16x8.extend_high_i8x16_u(m);
        const at = hi + (<usize>c << 2);
        v128.store(at, i32x4.max_s(v128.load(at), i32x4.extend_low_i16x8_u(lo)));
        v128.store(at, i32x4.max_s(v128.load(at, 16), i32x4.extend_high_i16x8_u(lo)), 16);
        v128.store(at, i32x4.max_s(v128.load(at, 32), i32x4.extend_low_i16x8_u(up)), 32);
        v128.store(at, i32x4.max_s(v128.load(at, 48), i32x4.extend_high_i16x8_u(up)), 48);
      }
    } else if (sizeof<T>() == 4 && isInteger<T>()) {
      // 32-bit integers, 4 columns at a time: a value above MAX_CODE as unsigned (negative,
      // or a u32 ≥ 2^31) becomes INVALID, which then wins every maximum.
      const limit = i32x4.splat(MAX_CODE), invalid = i32x4.splat(INVALID);
      for (; c + 4 <= cols; c += 4) {
        let m = i32x4.splat(-1);
        for (let r = 0; r < rows; r++) {
          const v = v128.load(p + <usize>r * rowBytes + (<usize>c << 2));
          m = i32x4.max_s(m, v128.bitselect(invalid, v, i32x4.gt_u(v, limit)));
        }
        const at = hi + (<usize>c << 2);
        v128.store(at, i32x4.max_s(v128.load(at), m));
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    const row = p + <usize>r * rowBytes;
    for (let j = c; j < cols; j++) {
      const v = codeOf<T>(load<T>(row + <usize>j * sizeof<T>()));
      const at = hi + (<usize>j << 2);
      const m = load<i32>(at);
      store<i32>(at, v > m ? v : m);
    }
  }
}

/**
 * Folds `rows` rows of a code matrix (row length `stride` elements, of which the first `cols`
 * are scanned) into hi[c] (int32 per column, initialized by the host to −1): the largest code of
 * each column, or 2^31 − 1 once the column holds anything that is not a code.
 */
export function scanCodes(type: i32, p: usize, rows: i32, stride: i32, cols: i32, hi: usize): void {
  switch (type) {
    case CODE_F64: scanT<f64>(p, rows, stride, cols, hi); break;
    case CODE_F32: scanT<f32>(p, rows, stride, cols, hi); break;
    case CODE_I32: scanT<i32>(p, rows, stride, cols, hi); break;
    case CODE_U32: scanT<u32>(p, rows, stride, cols, hi); break;
    case CODE_I16: scanT<i16>(p, rows, stride, cols, hi); break;
    case CODE_U16: scanT<u16>(p, rows, stride, cols, hi); break;
    case CODE_I8: scanT<i8>(p, rows, stride, cols, hi); break;
    default: scanT<u8>(p, rows, stride, cols, hi);
  }
}

function countT<T>(p: usize, rows: i32, stride: i32, cols: i32, target: usize, offsets: usize, tables: usize, tcols: i32): void {
  const rowBytes = <usize>stride * sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const row = p + <usize>r * rowBytes;
    const y = load<i32>(target + (<usize>r << 2));
    for (let c = 0; c < cols; c++) {
      const off = load<i32>(offsets + (<usize>c << 2));
      if (off < 0) continue;
      const x = <i32>load<T>(row + <usize>c * sizeof<T>());
      const cell = tables + ((<usize>off + <usize>x * <usize>tcols + <usize>y) << 2);
      store<i32>(cell, load<i32>(cell) + 1);
    }
  }
}

/**
 * One pass over `rows` rows of a code matrix for all of its first `cols` columns: the pair
 * (code of column c, target[r]) is counted into column c's table, which starts `offsets[c]`
 * int32 cells after `tables` and has `tcols` columns. A negative offset skips the column
 * (invalid codes, or a column counted elsewhere). Codes must have been scanned valid.
 */
export function countCodes(type: i32, p: usize, rows: i32, stride: i32, cols: i32, target: usize, offsets: usize, tables: usize, tcols: i32): void {
  switch (type) {
    case CODE_F64: countT<f64>(p, rows, stride, cols, target, offsets, tables, tcols); break;
    case CODE_F32: countT<f32>(p, rows, stride, cols, target, offsets, tables, tcols); break;
    case CODE_I32: countT<i32>(p, rows, stride, cols, target, offsets, tables, tcols); break;
    case CODE_U32: countT<u32>(p, rows, stride, cols, target, offsets, tables, tcols); break;
    case CODE_I16: countT<i16>(p, rows, stride, cols, target, offsets, tables, tcols); break;
    case CODE_U16: countT<u16>(p, rows, stride, cols, target, offsets, tables, tcols); break;
    case CODE_I8: countT<i8>(p, rows, stride, cols, target, offsets, tables, tcols); break;
    default: countT<u8>(p, rows, stride, cols, target, offsets, tables, tcols);
  }
}
