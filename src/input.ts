// Turning what callers pass (number[], typed arrays, number[][], Matrix) into row sources the
// backends stream from. Nothing here copies the whole input: sources copy rows on demand, and
// the check that plain-array elements are numbers happens in that copy (a non-number becomes
// NaN there, which the kernels reject; the error is then located on the caller's array).
import { InfodivError } from './errors.js';
import type { FloatArray, NumericTypedArray } from './types.js';

export type DType = 'f32' | 'f64';

/** Marks matrices whose memory lives in an engine (see wasm/heap.ts). */
export const ENGINE_MATRIX = Symbol('infodiv.engineMatrix');

export interface EngineMatrixTag {
  readonly owner: object;
  readonly byteOffset: () => number;
  readonly dtype: DType;
}

export interface RowSource {
  /** Name of the argument, for errors. */
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** The caller passed a single vector. */
  readonly oneD: boolean;
  /** 'f32' only when every element is stored as float32. */
  readonly dtype: DType;
  /** Present when the data already lives in an engine's memory. */
  readonly engine: EngineMatrixTag | null;
  /** Copies elements [c0, c1) of rows r0..r1-1 (c0 = 0, c1 = cols for whole rows) to dst at off. */
  copy(r0: number, r1: number, c0: number, c1: number, dst: FloatArray, off: number): void;
  /** The caller's element, unconverted (for error reports). */
  get(r: number, c: number): unknown;
}

function isTypedArray(x: unknown): x is NumericTypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

function copyPlain(src: readonly unknown[], from: number, to: number, dst: FloatArray, off: number): void {
  for (let k = from; k < to; k++) {
    const v = src[k];
    dst[off++] = typeof v === 'number' ? v : NaN;
  }
}

class FlatSource implements RowSource {
  readonly dtype: DType;
  constructor(
    readonly name: string,
    private readonly data: NumericTypedArray,
    readonly rows: number,
    readonly cols: number,
    readonly oneD: boolean,
    readonly engine: EngineMatrixTag | null,
  ) {
    this.dtype = data instanceof Float32Array ? 'f32' : 'f64';
  }
  copy(r0: number, r1: number, c0: number, c1: number, dst: FloatArray, off: number): void {
    const cols = this.cols;
    if (c0 === 0 && c1 === cols) {
      dst.set(this.data.subarray(r0 * cols, r1 * cols), off);
      return;
    }
    for (let r = r0; r < r1; r++, off += c1 - c0) dst.set(this.data.subarray(r * cols + c0, r * cols + c1), off);
  }
  get(r: number, c: number): unknown {
    return this.data[r * this.cols + c];
  }
}

class PlainVectorSource implements RowSource {
  readonly rows = 1;
  readonly oneD = true;
  readonly dtype: DType = 'f64';
  readonly engine = null;
  readonly cols: number;
  constructor(readonly name: string, private readonly data: readonly unknown[]) {
    this.cols = data.length;
  }
  copy(_r0: number, _r1: number, c0: number, c1: number, dst: FloatArray, off: number): void {
    copyPlain(this.data, c0, c1, dst, off);
  }
  get(_r: number, c: number): unknown {
    return this.data[c];
  }
}

class NestedSource implements RowSource {
  readonly oneD = false;
  readonly engine = null;
  readonly dtype: DType;
  readonly rows: number;
  constructor(readonly name: string, private readonly data: readonly (readonly unknown[] | NumericTypedArray)[], readonly cols: number) {
    this.rows = data.length;
    this.dtype = data.every((r) => r instanceof Float32Array) ? 'f32' : 'f64';
  }
  copy(r0: number, r1: number, c0: number, c1: number, dst: FloatArray, off: number): void {
    for (let r = r0; r < r1; r++, off += c1 - c0) {
      const row = this.data[r];
      if (isTypedArray(row)) dst.set(c0 === 0 && c1 === row.length ? row : row.subarray(c0, c1), off);
      else copyPlain(row, c0, c1, dst, off);
    }
  }
  get(r: number, c: number): unknown {
    return this.data[r][c];
  }
}

function badArgument(name: string, what: string): InfodivError {
  return new InfodivError('INVALID_OPTION', `${name} must be ${what}`, name);
}

function isMatrixLike(x: unknown): x is { data: unknown; rows: unknown; cols: unknown } {
  return typeof x === 'object' && x !== null && 'data' in x && 'rows' in x && 'cols' in x;
}

function checkCount(name: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw badArgument(name, `a matrix with a non-negative integer ${what}`);
  return v;
}

/** A Matrix `{ data, rows, cols }` (row-major). */
export function matrixSource(name: string, m: { data: unknown; rows: unknown; cols: unknown }): RowSource {
  const rows = checkCount(name, 'rows', m.rows), cols = checkCount(name, 'cols', m.cols);
  const data = m.data;
  if (!isTypedArray(data)) throw badArgument(name, 'a matrix whose data is a typed array');
  if (data.length !== rows * cols) {
    throw new InfodivError('LENGTH_MISMATCH', `${name}: data has ${data.length} elements but rows × cols = ${rows * cols}`, name);
  }
  if (rows === 0 || cols === 0) throw new InfodivError('EMPTY', `${name} is empty (${rows} × ${cols})`, name);
  const tag = (m as { [ENGINE_MATRIX]?: EngineMatrixTag })[ENGINE_MATRIX] ?? null;
  return new FlatSource(name, data, rows, cols, false, tag);
}

/**
 * A vector (→ 1 row, oneD) or a batch of rows. `number[][]` rows must all have the same length.
 */
export function rowSource(name: string, x: unknown): RowSource {
  if (isTypedArray(x)) {
    if (x.length === 0) throw new InfodivError('EMPTY', `${name} is empty`, name);
    return new FlatSource(name, x, 1, x.length, true, null);
  }
  if (Array.isArray(x)) {
    if (x.length === 0) throw new InfodivError('EMPTY', `${name} is empty`, name);
    const first = x[0];
    if (Array.isArray(first) || isTypedArray(first)) {
      const cols = first.length;
      for (let r = 0; r < x.length; r++) {
        const row = x[r];
        if (!Array.isArray(row) && !isTypedArray(row)) throw badArgument(name, 'a batch whose rows are all arrays');
        if (row.length !== cols) {
          throw new InfodivError('LENGTH_MISMATCH', `${name}: row ${r} has ${row.length} elements, row 0 has ${cols} (ragged batch)`, name);
        }
      }
      if (cols === 0) throw new InfodivError('EMPTY', `${name} has empty rows`, name);
      return new NestedSource(name, x, cols);
    }
    return new PlainVectorSource(name, x);
  }
  if (isMatrixLike(x)) return matrixSource(name, x);
  throw badArgument(name, 'a number[], a typed array, an array of rows or a { data, rows, cols } matrix');
}

/** 'f32' when every source stores float32, else 'f64' (mixed inputs compute in float64). */
export function commonDType(...sources: (RowSource | null)[]): DType {
  return sources.every((s) => s === null || s.dtype === 'f32') ? 'f32' : 'f64';
}
