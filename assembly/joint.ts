// Joint tables P[x][y] (rows = X, columns = Y), normalized by their total T. With n the cells,
// a the row sums and b the column sums, everything follows from three sums of v·log v:
//   H(X,Y) = log T − Σn log n / T
//   H(Y|X) = (Σa log a − Σn log n) / T
//   I(X;Y) = (Σn log n − Σa log a − Σb log b) / T + log T
// so a table costs one logarithm per cell (no division), plus one per row and per column.
// Tables whose total is outside the safe range are redone with every cell scaled by an exact
// power of two 2^k (the measures do not depend on the scale). |k| can exceed 1023 (a table of
// subnormals), so the scale is applied as two representable factors.
import { wLogMantissaF64x2, wExponentF64x2 } from './vmath';
import { SAFE_MIN_F64, SAFE_MAX_F64 } from './common';

export const J_MI: i32 = 0;
export const J_JOINT: i32 = 1;
export const J_COND: i32 = 2;

// State of the table being summed: Σ n log n, Σ a log a, T, min, max.
let gNlogN: f64 = 0, gAlogA: f64 = 0, gT: f64 = 0, gMin: f64 = 0, gMax: f64 = 0;

// @ts-ignore: decorator
@inline function xlogx(v: f64): f64 {
  return v > 0.0 ? v * Math.log(v) : 0.0;
}

/**
 * Folds `rows` rows of a table (cells scaled by 2^k when `scaled`) into the state and the column
 * sums. Every cell is 0 or normal here: 0·finite = 0, and a subnormal cell's term is far below
 * rounding of T ≥ 2^-907.
 */
// @ts-ignore: decorator
@inline function addRowsWith(tp: usize, rows: i32, cols: i32, colSums: usize, k: i32, scaled: bool): void {
  const rowBytes = <usize>cols << 3;
  const sa = NativeMath.scalbn(1.0, k >> 1), sb = NativeMath.scalbn(1.0, k - (k >> 1));
  for (let x = 0; x < rows; x++) {
    const row = tp + <usize>x * rowBytes;
    let a = 0.0, s = 0.0, mn = gMin, mx = gMax;
    let y = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f64x2.splat(0), va0 = f64x2.splat(sa), vb0 = f64x2.splat(sb);
      let va = zero, vl = zero, vk = zero, vmn = f64x2.splat(mn), vmx = f64x2.splat(mx);
      for (; y + 4 <= cols; y += 4) {
        const o = <usize>y << 3;
        const raw0 = v128.load(row + o), raw1 = v128.load(row + o, 16);
        vmn = f64x2.pmin(vmn, f64x2.pmin(raw0, raw1));
        vmx = f64x2.pmax(vmx, f64x2.pmax(raw0, raw1));
        const v0 = scaled ? f64x2.mul(f64x2.mul(raw0, va0), vb0) : raw0;
        const v1 = scaled ? f64x2.mul(f64x2.mul(raw1, va0), vb0) : raw1;
        va = f64x2.add(va, f64x2.add(v0, v1));
        v128.store(colSums + o, f64x2.add(v128.load(colSums + o), v0));
        v128.store(colSums + o, f64x2.add(v128.load(colSums + o, 16), v1), 16);
        vl = f64x2.add(vl, f64x2.add(wLogMantissaF64x2(v0, v0), wLogMantissaF64x2(v1, v1)));
        vk = f64x2.add(vk, f64x2.add(wExponentF64x2(v0, v0), wExponentF64x2(v1, v1)));
      }
      if (y + 2 <= cols) {
        const o = <usize>y << 3;
        const raw0 = v128.load(row + o);
        vmn = f64x2.pmin(vmn, raw0);
        vmx = f64x2.pmax(vmx, raw0);
        const v0 = scaled ? f64x2.mul(f64x2.mul(raw0, va0), vb0) : raw0;
        va = f64x2.add(va, v0);
        v128.store(colSums + o, f64x2.add(v128.load(colSums + o), v0));
        vl = f64x2.add(vl, wLogMantissaF64x2(v0, v0));
        vk = f64x2.add(vk, wExponentF64x2(v0, v0));
        y += 2;
      }
      a = f64x2.extract_lane(va, 0) + f64x2.extract_lane(va, 1);
      s = f64x2.extract_lane(vl, 0) + f64x2.extract_lane(vl, 1) + Math.LN2 * (f64x2.extract_lane(vk, 0) + f64x2.extract_lane(vk, 1));
      mn = Math.min(mn, Math.min(f64x2.extract_lane(vmn, 0), f64x2.extract_lane(vmn, 1)));
      mx = Math.max(mx, Math.max(f64x2.extract_lane(vmx, 0), f64x2.extract_lane(vmx, 1)));
    }
    for (; y < cols; y++) {
      const raw = load<f64>(row + (<usize>y << 3));
      mn = Math.min(mn, raw);
      mx = Math.max(mx, raw);
      const v = scaled ? raw * sa * sb : raw;
      a += v;
      store<f64>(colSums + (<usize>y << 3), load<f64>(colSums + (<usize>y << 3)) + v);
      s += xlogx(v);
    }
    gMin = mn; gMax = mx;
    gT += a;
    gNlogN += s;
    gAlogA += xlogx(a);
  }
}

// Separate wasm functions for the two loops: inlined side by side, the optimizer would fold them
// into one loop testing `scaled` at run time (see divergence.ts).
function addRowsUnscaled(tp: usize, rows: i32, cols: i32, colSums: usize): void {
  addRowsWith(tp, rows, cols, colSums, 0, false);
}

function addRowsScaled(tp: usize, rows: i32, cols: i32, colSums: usize, k: i32): void {
  addRowsWith(tp, rows, cols, colSums, k, true);
}

/** Folds `rows` rows of a table (cells scaled by 2^k) into the state and the column sums. */
function addRows(tp: usize, rows: i32, cols: i32, colSums: usize, k: i32): void {
  if (k == 0) addRowsUnscaled(tp, rows, cols, colSums);
  else addRowsScaled(tp, rows, cols, colSums, k);
}

/** Exponent e with 2^e <= x < 2^(e+1), for finite x > 0. */
function exponentOf(x: f64): i32 {
  const bits = reinterpret<u64>(x);
  const e = <i32>((bits >> 52) & 0x7ff);
  if (e == 0) return <i32>((reinterpret<u64>(x * 18446744073709551616.0) >> 52) & 0x7ff) - 1023 - 64;
  return e - 1023;
}

function measureOf(measure: i32, cols: i32, colSums: usize): f64 {
  const t = gT;
  // A joint entropy is never negative; rounding of the difference can take one cell to −7e-15.
  if (measure == J_JOINT) return Math.max(0.0, Math.log(t) - gNlogN / t);
  if (measure == J_COND) return Math.max(0.0, (gAlogA - gNlogN) / t);
  let blogb = 0.0;
  for (let y = 0; y < cols; y++) blogb += xlogx(load<f64>(colSums + (<usize>y << 3)));
  return Math.max(0.0, (gNlogN - gAlogA - blogb) / t + Math.log(t));
}

// @ts-ignore: decorator
@inline function resetState(cols: i32, colSums: usize): void {
  gNlogN = 0; gAlogA = 0; gT = 0; gMin = 0; gMax = 0;
  memory.fill(colSums, 0, <usize>cols << 3);
}

/** The k for which 2^k brings a table with total t and largest cell mx into the safe range; 0 when it is in range. */
function rescaleFor(t: f64, mx: f64): i32 {
  if (t >= SAFE_MIN_F64 && t <= SAFE_MAX_F64) return 0;
  return -exponentOf(t < Infinity ? t : mx);
}

/**
 * `count` tables of rows×cols float64 at tp, one value (nats) per table into out; colSums is
 * scratch for `cols` f64. Invalid tables (negative or non-finite cells, zero total) give NaN;
 * returns how many.
 */
export function tablesF64(measure: i32, tp: usize, count: i32, rows: i32, cols: i32, colSums: usize, out: usize): i32 {
  const tableBytes = <usize>rows * <usize>cols << 3;
  let bad = 0;
  for (let k = 0; k < count; k++) {
    const t = tp + <usize>k * tableBytes;
    resetState(cols, colSums);
    addRows(t, rows, cols, colSums, 0);
    let v: f64 = NaN;
    if (gMin >= 0.0 && gMax < Infinity && gT > 0.0) {
      const k = rescaleFor(gT, gMax);
      if (k != 0) {
        resetState(cols, colSums);
        addRows(t, rows, cols, colSums, k);
      }
      v = measureOf(measure, cols, colSums);
    } else {
      bad++;
    }
    store<f64>(out + (<usize>k << 3), v);
  }
  return bad;
}

// A table larger than the host's arena arrives in row segments. state = 5 f64 (Σn log n,
// Σa log a, T, min, max) and colSums are zeroed by the host before the first segment. Pass 1
// runs with k = 0; when tableScale then reports a k other than 0 the host zeroes the state and
// streams the table again with that k.
export function tableSegment(tp: usize, rows: i32, cols: i32, colSums: usize, state: usize, k: i32): void {
  gNlogN = load<f64>(state); gAlogA = load<f64>(state, 8); gT = load<f64>(state, 16);
  gMin = load<f64>(state, 24); gMax = load<f64>(state, 32);
  addRows(tp, rows, cols, colSums, k);
  store<f64>(state, gNlogN); store<f64>(state, gAlogA, 8); store<f64>(state, gT, 16);
  store<f64>(state, gMin, 24); store<f64>(state, gMax, 32);
}
/** NaN when the streamed table is invalid, 0 when it is in range, else the k to redo it with. */
export function tableScale(state: usize): f64 {
  const t = load<f64>(state, 16), mn = load<f64>(state, 24), mx = load<f64>(state, 32);
  if (!(mn >= 0.0 && mx < Infinity && t > 0.0)) return NaN;
  return <f64>rescaleFor(t, mx);
}
export function tableFinish(measure: i32, cols: i32, colSums: usize, state: usize): f64 {
  gNlogN = load<f64>(state); gAlogA = load<f64>(state, 8); gT = load<f64>(state, 16);
  return measureOf(measure, cols, colSums);
}
