// What every compute backend (WebAssembly SIMD, WebAssembly scalar, plain TypeScript) offers
// the public API. Backends only compute: shapes and options are checked before, errors are
// located after (an invalid row comes back as NaN).
import type { DType, RowSource } from './input.js';
import type { Convention, EngineMatrix } from './types.js';

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

export interface ComputeBackend {
  readonly kind: 'simd' | 'scalar' | 'js';
  /** Fills job.out; returns how many rows are invalid (NaN). */
  rowMeasure(job: RowJob): number;
  /** Fills job.out; returns how many tables are invalid (NaN). */
  tableMeasure(job: TableJob): number;
  matrix(rows: number, cols: number, dtype: DType): EngineMatrix;
  /** Bytes of memory the backend holds (WebAssembly memory size; 0 for js). */
  memoryBytes(): number;
}
