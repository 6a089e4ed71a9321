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
/** What `pairwise` computes for every pair of rows. */
export type PairwiseMeasure = 'kl' | 'crossEntropy' | 'jsd' | 'jsDistance';
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

/** A labeling: numbers (finite) or strings; `1` and `'1'` are different labels. */
export type Labels = readonly (number | string)[] | NumericTypedArray;
/** How NMI and AMI average the two entropies (scikit-learn's `average_method`). */
export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

export interface LabelScoreOptions {
  /** MI's logarithm base (e by default); NMI and AMI do not depend on it. */
  base?: number;
  /** NMI and AMI: `'arithmetic'` (default), `'geometric'`, `'min'` or `'max'`. */
  averageMethod?: AverageMethod;
  /** `'throw'` (default) or `'nan'`: invalid labels or counts give NaN instead of an error. */
  onInvalid?: 'throw' | 'nan';
  errors?: InfodivError[];
}

export interface FeatureScoreOptions extends CommonOptions {
  /** `'mi'` (default), `'nmi'` or `'ami'`. */
  measure?: 'mi' | 'nmi' | 'ami';
  averageMethod?: AverageMethod;
}

/** Counts of every pair of labels: rows = labels of the first labeling, sorted; columns = of the second. */
export interface ContingencyTable {
  data: Float64Array;
  rows: number;
  cols: number;
  rowLabels: (number | string)[];
  colLabels: (number | string)[];
}

export interface CapacityOptions {
  /** Base of the capacity (e by default); `tol` and `gap` are always in nats. */
  base?: number;
  /** Stop once the certified gap between the bounds is at most this (nats, default 1e-12). */
  tol?: number;
  /** Most bound evaluations (default 100000); the best result so far is then returned unconverged. */
  maxIter?: number;
  onInvalid?: 'throw' | 'nan';
  errors?: InfodivError[];
}

export interface CapacityResult {
  /** I(X;Y) of `inputDistribution` in the requested base: within `gap` nats below the capacity. */
  capacity: number;
  inputDistribution: Float64Array;
  /** Bound evaluations performed. */
  iterations: number;
  /** Certified upper bound minus `capacity`, in nats. */
  gap: number;
  converged: boolean;
}
