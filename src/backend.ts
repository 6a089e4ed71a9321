// What every compute backend (WebAssembly SIMD, WebAssembly scalar, plain TypeScript) offers
// the public API. Backends only compute: shapes and options are checked before, errors are
// located after (an invalid row comes back as NaN).
import type { DType, EngineMatrixTag, RowSource } from './input.js';
import type { AverageMethod, CapacityResult, Convention, EngineMatrix, NumericTypedArray } from './types.js';

export type RowMeasure = 'entropy' | 'crossEntropy' | 'kl' | 'jsd';
export type TableMeasure = 'mi' | 'joint' | 'cond';

export interface RowJob {
  measure: RowMeasure;
  convention: Convention;
  p: RowSource;
  /** null for entropy. A one-row source is used against every row of the other. */
  q: RowSource | null;
  /** Number of output rows. */
  rows: number;
  /** Receives one value in nats per row (NaN for an invalid row). */
  out: Float64Array;
}

/** `count` tables of rows × cols stacked in `cells` (count·rows rows). */
export interface TableJob {
  measure: TableMeasure;
  cells: RowSource;
  count: number;
  rows: number;
  cols: number;
  out: Float64Array;
}

export type PairMeasure = 'crossEntropy' | 'kl' | 'jsd';

/** Every row of `a` against every row of `b` (or of `a` when b is null). */
export interface PairJob {
  measure: PairMeasure;
  convention: Convention;
  a: RowSource;
  /** null: `a` against itself; a symmetric measure (jsd) is then computed once per pair. */
  b: RowSource | null;
  /** rows(a) × rows(b or a), row-major, nats; NaN in the row (column) of an invalid row of a (b). */
  out: Float64Array;
  /** Set to 1 for each invalid row of a (of b; unused when b is null). */
  badA: Uint8Array;
  badB: Uint8Array;
}

export type LabelMeasure = 'mi' | 'nmi' | 'ami';

/** A labeling coded as class indices 0..classes−1, with the size of every class (0 allowed). */
export interface CodedLabels {
  readonly codes: Int32Array;
  readonly classes: number;
  readonly sizes: Float64Array;
}

export interface LabelScoreJob {
  measure: LabelMeasure;
  averageMethod: AverageMethod;
}

/** Non-negative integer codes, rows = samples, columns = features, in the caller's element type. */
export interface CodeMatrix {
  /** A live view (an engine matrix's memory can move). */
  readonly data: NumericTypedArray;
  readonly rows: number;
  readonly cols: number;
  readonly engine: EngineMatrixTag | null;
}

export interface FeatureScoresJob extends LabelScoreJob {
  target: CodedLabels;
  /** Label arrays coded on demand (null: invalid, reported by the caller), or a code matrix. */
  features: { kind: 'labels'; count: number; code(f: number): CodedLabels | null } | { kind: 'matrix'; matrix: CodeMatrix };
  /** One score per feature (MI in nats); NaN for a feature with invalid codes. */
  out: Float64Array;
}

/** Channels W (count·nx rows of ny) with input distributions px (1 row for all, or count rows). */
export interface ChannelJob {
  px: RowSource;
  W: RowSource;
  count: number;
  nx: number;
  ny: number;
  /** I(X;Y) in nats per channel; NaN for an invalid px or W (including a row of W not summing to 1). */
  out: Float64Array;
}

export interface CapacityJob {
  W: RowSource;
  count: number;
  nx: number;
  ny: number;
  tol: number;
  maxIter: number;
}

export interface ComputeBackend {
  readonly kind: 'simd' | 'scalar' | 'js';
  /** Fills job.out; returns how many rows are invalid (NaN). */
  rowMeasure(job: RowJob): number;
  /** Fills job.out; returns how many tables are invalid (NaN). */
  tableMeasure(job: TableJob): number;
  /** Fills job.out and marks the invalid rows in job.badA / job.badB. */
  pairwise(job: PairJob): void;
  /** Counts of the label pairs (row-major a.classes × b.classes). */
  contingency(a: CodedLabels, b: CodedLabels): Float64Array;
  /** scikit-learn's MI (nats), NMI or AMI of two coded labelings. */
  labelScore(job: LabelScoreJob, a: CodedLabels, b: CodedLabels): number;
  /** The same from a contingency table; NaN when the table is invalid (AMI: also fractional). */
  tableScore(job: LabelScoreJob, table: RowSource): number;
  /** Fills job.out; returns how many features are invalid (NaN). */
  featureScores(job: FeatureScoresJob): number;
  /** Fills job.out; returns how many channels are invalid (NaN). */
  channelInformation(job: ChannelJob): number;
  /** One result per channel, capacity in nats; NaN capacity for an invalid channel. */
  channelCapacity(job: CapacityJob): CapacityResult[];
  matrix(rows: number, cols: number, dtype: DType): EngineMatrix;
  /** Bytes of memory the backend holds (WebAssembly memory size; 0 for js). */
  memoryBytes(): number;
}
