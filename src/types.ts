import type { InfodivError } from './errors.js';

export type IntegerTypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;
export type FloatArray = Float32Array | Float64Array;
export type NumericTypedArray = FloatArray | IntegerTypedArray;
/** A vector: plain numbers, float or integer typed array (counts). */
export type Vector = readonly number[] | NumericTypedArray;

/** A batch of rows in row-major order. Engine-owned matrices also have `free()`. */
export interface Matrix<T extends NumericTypedArray = NumericTypedArray> {
  readonly data: T;
  readonly rows: number;
  readonly cols: number;
}

/** A matrix whose memory lives inside an engine: passing it to that engine copies nothing. */
export interface EngineMatrix<T extends FloatArray = FloatArray> extends Matrix<T> {
  /** Releases the memory; the matrix must not be used afterwards. */
  free(): void;
}

export type Batch = readonly (readonly number[] | NumericTypedArray)[] | Matrix;
export type VectorOrBatch = Vector | Batch;

export type Convention = 'scipy' | 'raw' | 'keras';
export type Backend = 'simd' | 'scalar' | 'js';

export interface CommonOptions {
  /** Logarithm base: e by default; any positive number other than 1. */
  base?: number;
  /** `'throw'` (default) or `'nan'`: a bad row gives NaN and the batch goes on. */
  onInvalid?: 'throw' | 'nan';
  /** With `onInvalid: 'nan'`: receives one InfodivError per bad row. */
  errors?: InfodivError[];
  /** Caller's array for the per-row results (reused across calls). */
  out?: Float64Array;
}

export interface DivergenceOptions extends CommonOptions {
  convention?: Convention;
}

/** A batch of joint tables or channels: `number[][][]` or a flat row-major block. */
export type TableBatch = readonly (readonly (readonly number[] | NumericTypedArray)[])[]
  | { readonly data: NumericTypedArray; readonly tables: number; readonly rows: number; readonly cols: number };
export type Table = readonly (readonly number[] | NumericTypedArray)[] | Matrix;
