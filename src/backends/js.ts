// The `js` backend: the plain-TypeScript float64 reference, fed row by row. It is the oracle
// the WebAssembly backends are tested against and the baseline in benchmarks.
import type {
  CapacityJob, ChannelJob, CodedLabels, ComputeBackend, FeatureScoresJob, LabelScoreJob, PairJob, RowJob, TableJob,
} from '../backend.js';
import * as labels from './js-labels.js';
import { InfodivError } from '../errors.js';
import type { DType, RowSource } from '../input.js';
import { conditionalEntropyTable, jointEntropyTable, mutualInformationTable } from '../reference/joint.js';
import { crossEntropyRow, entropyRow, isValidRow, jsdRow, klRow } from '../reference/rows.js';
import type { CapacityResult, EngineMatrix, FloatArray } from '../types.js';

const TABLE = { mi: mutualInformationTable, joint: jointEntropyTable, cond: conditionalEntropyTable } as const;

export class JsBackend implements ComputeBackend {
  readonly kind = 'js' as const;

  memoryBytes(): number {
    return 0;
  }

  matrix(rows: number, cols: number, dtype: DType): EngineMatrix {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new InfodivError('INVALID_OPTION', `matrix dimensions must be non-negative integers, got ${rows} × ${cols}`);
    }
    const data: FloatArray = dtype === 'f32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
    return { data, rows, cols, free() {} };
  }

  rowMeasure(job: RowJob): number {
    const { p, q, rows, out, convention } = job;
    const cols = p.cols;
    const a = new Float64Array(cols);
    const b = new Float64Array(cols);
    let bad = 0;
    // A broadcast row is converted once.
    if (p.rows === 1) p.copy(0, 1, 0, cols, a, 0);
    if (q && q.rows === 1) q.copy(0, 1, 0, cols, b, 0);
    for (let r = 0; r < rows; r++) {
      if (p.rows !== 1) p.copy(r, r + 1, 0, cols, a, 0);
      if (q && q.rows !== 1) q.copy(r, r + 1, 0, cols, b, 0);
      let v: number;
      switch (job.measure) {
        case 'entropy': v = entropyRow(a, 0, cols, convention); break;
        case 'crossEntropy': v = crossEntropyRow(a, 0, b, 0, cols, convention); break;
        case 'kl': v = klRow(a, 0, b, 0, cols, convention); break;
        case 'jsd': v = jsdRow(a, 0, b, 0, cols); break;
      }
      if (Number.isNaN(v)) bad++;
      out[r] = v;
    }
    return bad;
  }

  /** Every pair through the reference functions; a symmetric measure over A alone is mirrored. */
  pairwise(job: PairJob): void {
    const a = toRows(job.a), b = job.b ? toRows(job.b) : a;
    const cols = job.a.cols, rowsA = job.a.rows, rowsB = job.b ? job.b.rows : rowsA;
    const normalize = job.convention === 'scipy';
    const badA = job.badA, badB = job.b ? job.badB : badA;
    for (let r = 0; r < rowsA; r++) if (!rowIsValid(a, r * cols, cols, normalize)) badA[r] = 1;
    if (job.b) for (let r = 0; r < rowsB; r++) if (!rowIsValid(b, r * cols, cols, normalize)) badB[r] = 1;
    const symmetric = job.b === null && job.measure === 'jsd';
    for (let i = 0; i < rowsA; i++) {
      for (let j = symmetric ? i : 0; j < rowsB; j++) {
        let v = NaN;
        if (!badA[i] && !badB[j]) {
          switch (job.measure) {
            case 'crossEntropy': v = crossEntropyRow(a, i * cols, b, j * cols, cols, job.convention); break;
            case 'kl': v = klRow(a, i * cols, b, j * cols, cols, job.convention); break;
            case 'jsd': v = jsdRow(a, i * cols, b, j * cols, cols); break;
          }
        }
        job.out[i * rowsB + j] = v;
        if (symmetric) job.out[j * rowsB + i] = v;
      }
    }
  }

  contingency(a: CodedLabels, b: CodedLabels): Float64Array {
    return labels.contingencyOf(a, b);
  }

  labelScore(job: LabelScoreJob, a: CodedLabels, b: CodedLabels): number {
    return labels.labelScore(job, a, b);
  }

  tableScore(job: LabelScoreJob, table: RowSource): number {
    return labels.tableScore(job, table);
  }

  featureScores(job: FeatureScoresJob): number {
    return labels.featureScores(job);
  }

  channelInformation(job: ChannelJob): number {
    return labels.channelInformation(job);
  }

  channelCapacity(job: CapacityJob): CapacityResult[] {
    return labels.channelCapacity(job);
  }

  tableMeasure(job: TableJob): number {
    const { rows, cols, count, out } = job;
    const cells = new Float64Array(rows * cols);
    const fn = TABLE[job.measure];
    let bad = 0;
    for (let t = 0; t < count; t++) {
      job.cells.copy(t * rows, (t + 1) * rows, 0, cols, cells, 0);
      const v = fn(cells, 0, rows, cols);
      if (Number.isNaN(v)) bad++;
      out[t] = v;
    }
    return bad;
  }
}

function toRows(src: RowSource): Float64Array {
  const all = new Float64Array(src.rows * src.cols);
  src.copy(0, src.rows, 0, src.cols, all, 0);
  return all;
}

/** Finite and non-negative, and (when rows are normalized) not all zero. */
function rowIsValid(x: Float64Array, off: number, n: number, normalize: boolean): boolean {
  if (!isValidRow(x, off, n)) return false;
  if (!normalize) return true;
  for (let i = off; i < off + n; i++) if (x[i] > 0) return true;
  return false;
}
