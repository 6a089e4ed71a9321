// mutualInformation, jointEntropy, conditionalEntropy of joint tables (rows = X, columns = Y),
// one table or a batch of tables.
import type { ComputeBackend, TableJob, TableMeasure } from '../backend.js';
import { InfodivError } from '../errors.js';
import { matrixSource, rowSource, type RowSource } from '../input.js';
import { elementError, elementProblem } from '../locate.js';
import { invalidPolicy, logOfBase, outArray, throwClearing } from '../options.js';
import type { CommonOptions } from '../types.js';

export interface TableInput {
  cells: RowSource;
  count: number;
  rows: number;
  cols: number;
  /** One table given (→ a number), else a batch (→ Float64Array). */
  single: boolean;
}

const isTyped = (x: unknown) => ArrayBuffer.isView(x) && !(x instanceof DataView);

/** Reads one table (number[][], Matrix) or a batch (number[][][], { data, tables, rows, cols }). */
export function tableInput(name: string, x: unknown): TableInput {
  if (typeof x === 'object' && x !== null && !Array.isArray(x) && 'tables' in x) {
    const b = x as { data: unknown; tables: unknown; rows: unknown; cols: unknown };
    const count = b.tables, rows = b.rows;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0) {
      throw new InfodivError('INVALID_OPTION', `${name}: tables and rows must be non-negative integers`, name);
    }
    const cells = matrixSource(name, { data: b.data, rows: count * rows, cols: b.cols });
    return { cells, count, rows, cols: cells.cols, single: false };
  }
  if (Array.isArray(x) && x.length > 0 && Array.isArray(x[0]) && x[0].length > 0 && (Array.isArray(x[0][0]) || isTyped(x[0][0]))) {
    const rows = x[0].length;
    for (let t = 0; t < x.length; t++) {
      if (!Array.isArray(x[t]) || x[t].length !== rows) {
        throw new InfodivError('LENGTH_MISMATCH', `${name}: table ${t} has ${Array.isArray(x[t]) ? x[t].length : 0} rows, table 0 has ${rows}`, name);
      }
    }
    const cells = rowSource(name, (x as unknown[][]).flat(1));
    return { cells, count: x.length, rows, cols: cells.cols, single: false };
  }
  if (Array.isArray(x) && x.length > 0 && !Array.isArray(x[0]) && !isTyped(x[0])) {
    throw new InfodivError('INVALID_OPTION', `${name} must be a 2-D table (rows = X, columns = Y)`, name);
  }
  const cells = rowSource(name, x);
  if (cells.oneD) throw new InfodivError('INVALID_OPTION', `${name} must be a 2-D table (rows = X, columns = Y)`, name);
  return { cells, count: 1, rows: cells.rows, cols: cells.cols, single: true };
}

/** The error for table t, which a backend reported invalid. */
export function tableError(input: TableInput, t: number): InfodivError {
  const { cells, rows, cols, single } = input;
  for (let x = 0; x < rows; x++) {
    for (let y = 0; y < cols; y++) {
      const v = cells.get(t * rows + x, y);
      const problem = elementProblem(v);
      if (problem) return elementError(problem, cells.name, v, single ? [x, y] : [t, x, y]);
    }
  }
  const at = single ? '' : ` (table ${t})`;
  return new InfodivError('ZERO_SUM', `${cells.name} sums to zero${at}: it cannot be normalized`, cells.name, null);
}

/** Options and shapes checked before any table is computed (the thread pool computes in between). */
export function prepareTables(measure: TableMeasure, table: unknown, opts: CommonOptions | undefined, name = 'P') {
  const divisor = logOfBase(opts?.base);
  const policy = invalidPolicy(opts);
  const input = tableInput(name, table);
  if (input.count === 0) throw new InfodivError('EMPTY', `${name} holds no tables`, name);
  const out = outArray(opts, input.count);
  const job: TableJob = { measure, cells: input.cells, count: input.count, rows: input.rows, cols: input.cols, out };
  return { divisor, policy, input, out, job };
}

export type PreparedTables = ReturnType<typeof prepareTables>;

export function computeTables(backend: ComputeBackend, measure: TableMeasure, table: unknown, opts: CommonOptions | undefined, name = 'P'): number | Float64Array {
  const prep = prepareTables(measure, table, opts, name);
  return finishTables(prep, backend.tableMeasure(prep.job));
}

/** Base conversion, error reporting and the return shape, once out holds nats (NaN = invalid). */
export function finishTables(prep: PreparedTables, bad: number): number | Float64Array {
  const { divisor, policy, input, out } = prep;
  let left = bad;
  for (let t = 0; t < input.count; t++) {
    if (Number.isNaN(out[t]) && left > 0) {
      left--;
      const err = tableError(input, t);
      if (policy.mode === 'throw') throwClearing(out, input.count, err);
      policy.errors?.push(err);
    } else if (divisor !== 1) {
      out[t] /= divisor;
    }
  }
  return input.single ? out[0] : out.length === input.count ? out : out.subarray(0, input.count);
}
