// The `js` backend: the plain-TypeScript float64 reference, fed row by row. It is the oracle
// the WebAssembly backends are tested against and the baseline in benchmarks.
import type { ComputeBackend, RowJob, TableJob } from '../backend.js';
import { InfodivError } from '../errors.js';
import type { DType } from '../input.js';
import { conditionalEntropyTable, jointEntropyTable, mutualInformationTable } from '../reference/joint.js';
import { crossEntropyRow, entropyRow, jsdRow, klRow } from '../reference/rows.js';
import type { EngineMatrix, FloatArray } from '../types.js';

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
