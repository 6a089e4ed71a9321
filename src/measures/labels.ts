// contingency, mutualInfoScore, normalizedMutualInfoScore, adjustedMutualInfoScore and
// mutualInfoScores: arguments and options checked here, labels coded to dense classes here,
// the counting and the measures computed by a backend, errors located on the caller's data.
import type { CodeMatrix, ComputeBackend, FeatureScoresJob, LabelMeasure, LabelScoreJob } from '../backend.js';
import { codeError, codeLabeling, isTypedArray, type LabelCoding } from '../codes.js';
import { InfodivError } from '../errors.js';
import { ENGINE_MATRIX, rowSource, type EngineMatrixTag, type RowSource } from '../input.js';
import { elementError, elementProblem } from '../locate.js';
import { invalidPolicy, logOfBase, outArray, type InvalidPolicy, throwClearing } from '../options.js';
import type { AverageMethod, ContingencyTable, FeatureScoreOptions, LabelScoreOptions } from '../types.js';

const AVERAGE_METHODS: readonly AverageMethod[] = ['arithmetic', 'geometric', 'min', 'max'];
const MEASURES: readonly LabelMeasure[] = ['mi', 'nmi', 'ami'];

const NAMES = { true: 'labels_true', pred: 'labels_pred', table: 'contingency' } as const;

function averageMethodOf(opts: { averageMethod?: unknown } | undefined): AverageMethod {
  const m = opts?.averageMethod ?? 'arithmetic';
  if (typeof m !== 'string' || !(AVERAGE_METHODS as readonly string[]).includes(m)) {
    throw new InfodivError('INVALID_OPTION', `averageMethod must be one of ${AVERAGE_METHODS.map((a) => `'${a}'`).join(', ')}, got ${String(m)}`);
  }
  return m as AverageMethod;
}

/** A single 2-D argument (number[][], array of typed rows, or a Matrix) is a contingency table. */
export function isTable(x: unknown): boolean {
  if (Array.isArray(x)) return x.length > 0 && (Array.isArray(x[0]) || isTypedArray(x[0]));
  return typeof x === 'object' && x !== null && !isTypedArray(x) && 'data' in x && 'rows' in x && 'cols' in x;
}

/** Codes two labelings of equal length; a bad label in either is reported at the lowest index. */
function codePair(a: unknown, b: unknown): [LabelCoding, LabelCoding] {
  const length = (x: unknown, name: string): number => {
    if (Array.isArray(x) || isTypedArray(x)) return x.length;
    throw new InfodivError('INVALID_OPTION', `${name} must be an array of labels or a typed array`, name);
  };
  const na = length(a, NAMES.true), nb = length(b, NAMES.pred);
  if (na === 0 || nb === 0) throw new InfodivError('EMPTY', `${na === 0 ? NAMES.true : NAMES.pred} is empty`, na === 0 ? NAMES.true : NAMES.pred);
  if (na !== nb) throw new InfodivError('LENGTH_MISMATCH', `${NAMES.true} has ${na} labels, ${NAMES.pred} has ${nb}`, NAMES.pred);
  let ca: LabelCoding | InfodivError, cb: LabelCoding | InfodivError;
  try { ca = codeLabeling(NAMES.true, a); } catch (e) { ca = asError(e); }
  try { cb = codeLabeling(NAMES.pred, b); } catch (e) { cb = asError(e); }
  if (ca instanceof InfodivError && cb instanceof InfodivError) throw cb.index![0] < ca.index![0] ? cb : ca;
  if (ca instanceof InfodivError) throw ca;
  if (cb instanceof InfodivError) throw cb;
  return [ca, cb];
}

function asError(e: unknown): InfodivError {
  if (e instanceof InfodivError && e.index !== null) return e;
  throw e;
}

/** Errors about the values (not shapes or options) become NaN under onInvalid: 'nan'. */
const VALUE_ERRORS = new Set(['NON_FINITE', 'NEGATIVE_VALUE', 'ZERO_SUM', 'NOT_INTEGER']);

function handle(policy: InvalidPolicy, e: unknown): number {
  if (policy.mode === 'nan' && e instanceof InfodivError && VALUE_ERRORS.has(e.code)) {
    policy.errors?.push(e);
    return NaN;
  }
  throw e;
}

export function contingencyTable(backend: ComputeBackend, a: unknown, b: unknown): ContingencyTable {
  const [ca, cb] = codePair(a, b);
  return { data: backend.contingency(ca, cb), rows: ca.classes, cols: cb.classes, rowLabels: ca.labels, colLabels: cb.labels };
}

/** The first element of a table that is not a valid count, as an error (null if all are). */
function tableCellError(table: RowSource, integers: boolean): InfodivError | null {
  for (let r = 0; r < table.rows; r++) {
    for (let c = 0; c < table.cols; c++) {
      const v = table.get(r, c);
      const problem = elementProblem(v);
      if (problem) return elementError(problem, table.name, v, [r, c]);
      if (integers && !Number.isInteger(v)) {
        return new InfodivError('NOT_INTEGER', `${table.name} has a fractional count (${String(v)}) at row ${r}, column ${c}: AMI needs integer counts`, table.name, [r, c]);
      }
    }
  }
  return null;
}

/**
 * MI (nats, then `base`), NMI or AMI of two labelings `(a, b, opts)` or of a contingency table
 * `(table, opts)`.
 */
export function labelScore(backend: ComputeBackend, measure: LabelMeasure, args: unknown[]): number {
  const table = isTable(args[0]);
  const opts = (table ? args[1] : args[2]) as LabelScoreOptions | undefined;
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new InfodivError('INVALID_OPTION', 'options must be an object');
  const job: LabelScoreJob = { measure, averageMethod: averageMethodOf(opts) };
  // Checked for every measure, though NMI and AMI are ratios that do not depend on it.
  const divisor = logOfBase(opts?.base);
  const policy = invalidPolicy(opts);
  let v: number;
  if (table) {
    const cells = rowSource(NAMES.table, args[0]);
    v = backend.tableScore(job, cells);
    if (Number.isNaN(v)) {
      const err = tableCellError(cells, measure === 'ami')
        ?? new InfodivError('ZERO_SUM', `${NAMES.table} sums to zero`, NAMES.table, null);
      return handle(policy, err);
    }
  } else {
    if (args[1] === undefined) throw new InfodivError('INVALID_OPTION', `${NAMES.pred} is missing (a single argument must be a 2-D contingency table)`, NAMES.pred);
    let coded: [LabelCoding, LabelCoding];
    try {
      coded = codePair(args[0], args[1]);
    } catch (e) {
      return handle(policy, e);
    }
    v = backend.labelScore(job, coded[0], coded[1]);
  }
  return measure === 'mi' ? v / divisor : v;
}

const isMatrixLike = (x: unknown): x is { data: unknown; rows: unknown; cols: unknown } =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !isTypedArray(x) && 'data' in x && 'rows' in x && 'cols' in x;

/** A Matrix of codes, checked for shape; its values are checked by the backend. */
function codeMatrix(x: { data: unknown; rows: unknown; cols: unknown }, samples: number): CodeMatrix {
  const { rows, cols } = x;
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0 || typeof cols !== 'number' || !Number.isInteger(cols) || cols < 0) {
    throw new InfodivError('INVALID_OPTION', 'features: rows and cols must be non-negative integers', 'features');
  }
  const data = x.data;
  if (!isTypedArray(data)) throw new InfodivError('INVALID_OPTION', 'features: data must be a typed array', 'features');
  if (data.length !== rows * cols) {
    throw new InfodivError('LENGTH_MISMATCH', `features: data has ${data.length} elements but rows × cols = ${rows * cols}`, 'features');
  }
  if (rows === 0 || cols === 0) throw new InfodivError('EMPTY', `features is empty (${rows} × ${cols})`, 'features');
  if (rows !== samples) throw new InfodivError('LENGTH_MISMATCH', `features has ${rows} rows (samples), target has ${samples} labels`, 'features');
  const engine = (x as { [ENGINE_MATRIX]?: EngineMatrixTag })[ENGINE_MATRIX] ?? null;
  // An engine matrix's memory can move when the engine grows it: read `data` afresh each time.
  return { get data() { return x.data as CodeMatrix['data']; }, rows, cols, engine };
}

/** The first invalid code of column `col` (or of the whole matrix, row-major, when col < 0). */
function matrixCodeError(m: CodeMatrix, col: number): InfodivError {
  const data = m.data;
  for (let r = 0; r < m.rows; r++) {
    for (let c = col < 0 ? 0 : col; c < (col < 0 ? m.cols : col + 1); c++) {
      const err = codeError('features', data[r * m.cols + c], r, c);
      if (err) return err;
    }
  }
  throw new Error('infodiv internal error: a feature was reported invalid but all its codes are valid');
}

/**
 * One score per feature against one target: features as an array of label arrays (one per
 * feature) or a Matrix of non-negative integer codes (rows = samples, columns = features).
 */
export function featureScores(backend: ComputeBackend, features: unknown, target: unknown, opts: FeatureScoreOptions | undefined): Float64Array {
  const measure = opts?.measure ?? 'mi';
  if (!(MEASURES as readonly string[]).includes(measure)) {
    throw new InfodivError('INVALID_OPTION', `measure must be one of ${MEASURES.map((m) => `'${m}'`).join(', ')}, got ${String(measure)}`);
  }
  const averageMethod = averageMethodOf(opts);
  // Checked for every measure; only MI has a unit.
  const base = logOfBase(opts?.base);
  const divisor = measure === 'mi' ? base : 1;
  const policy = invalidPolicy(opts);
  const coded = codeLabeling('target', target);
  const n = coded.codes.length;
  let spec: FeatureScoresJob['features'];
  let count: number;
  const labelErrors = new Map<number, InfodivError>();
  if (isMatrixLike(features)) {
    const matrix = codeMatrix(features, n);
    spec = { kind: 'matrix', matrix };
    count = matrix.cols;
  } else if (Array.isArray(features)) {
    count = features.length;
    if (count === 0) throw new InfodivError('EMPTY', 'features holds no features', 'features');
    for (let f = 0; f < count; f++) {
      const x: unknown = features[f];
      if (!Array.isArray(x) && !isTypedArray(x)) throw new InfodivError('INVALID_OPTION', `features[${f}] must be an array of labels or a typed array`, 'features');
      if (x.length !== n) throw new InfodivError('LENGTH_MISMATCH', `features[${f}] has ${x.length} labels, target has ${n}`, 'features');
    }
    spec = {
      kind: 'labels',
      count,
      code: (f) => {
        try {
          return codeLabeling('features', features[f], (i) => [f, i]);
        } catch (e) {
          if (policy.mode === 'throw' || !(e instanceof InfodivError)) throw e;
          labelErrors.set(f, e);
          return null;
        }
      },
    };
  } else {
    throw new InfodivError('INVALID_OPTION', 'features must be an array of label arrays or a { data, rows, cols } matrix of codes', 'features');
  }
  const out = outArray(opts, count);
  try {
    const bad = backend.featureScores({ measure, averageMethod, target: coded, features: spec, out });
    if (bad > 0 && spec.kind === 'matrix' && policy.mode === 'throw') throw matrixCodeError(spec.matrix, -1);
  } catch (e) {
    throwClearing(out, count, e);
  }
  for (let f = 0; f < count; f++) {
    if (Number.isNaN(out[f])) {
      policy.errors?.push(labelErrors.get(f) ?? matrixCodeError((spec as { matrix: CodeMatrix }).matrix, f));
    } else if (divisor !== 1) {
      out[f] /= divisor;
    }
  }
  return out.length === count ? out : out.subarray(0, count);
}
