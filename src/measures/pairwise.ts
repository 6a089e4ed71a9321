// pairwise(measure, A, B?, opts): a rows(A) × rows(B) matrix of one two-row measure, like
// scipy's cdist (with B) and squareform(pdist) (without). Shapes and options are checked here,
// a backend fills the matrix, and invalid rows become typed errors on the caller's data.
import type { ComputeBackend, PairMeasure } from '../backend.js';
import { InfodivError } from '../errors.js';
import { rowSource, type RowSource } from '../input.js';
import { elementError, elementProblem, indexOf } from '../locate.js';
import { conventionOf, invalidPolicy, logOfBase, logOfDistanceBase, outArray, throwClearing } from '../options.js';
import type { Convention, DivergenceOptions, Matrix, PairwiseMeasure } from '../types.js';

const CONVENTIONS: Record<PairwiseMeasure, readonly Convention[]> = {
  kl: ['scipy', 'raw', 'keras'],
  crossEntropy: ['scipy', 'raw'],
  jsd: ['scipy'],
  jsDistance: ['scipy'],
};

const KERNEL: Record<PairwiseMeasure, PairMeasure> = { kl: 'kl', crossEntropy: 'crossEntropy', jsd: 'jsd', jsDistance: 'jsd' };

/** Is this third argument the options (B omitted) rather than B? */
function isOptions(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x) && !('data' in x);
}

/** The error of an invalid row, with its position for ordering (a zero sum sorts after the row's elements). */
function rowError(src: RowSource, r: number): { err: InfodivError; col: number } {
  for (let c = 0; c < src.cols; c++) {
    const v = src.get(r, c);
    const problem = elementProblem(v);
    // A vector argument is one row; its errors are indexed like any vector's, [i].
    if (problem) return { err: elementError(problem, src.name, v, indexOf(src, r, c)), col: c };
  }
  const err = new InfodivError('ZERO_SUM', `${src.name} row ${r} sums to zero: it cannot be normalized`, src.name, null);
  return { err, col: src.cols };
}

export function computePairwise(backend: ComputeBackend, measure: unknown, A: unknown, B: unknown, options: unknown): Matrix<Float64Array> {
  if (typeof measure !== 'string' || !(measure in CONVENTIONS)) {
    throw new InfodivError('INVALID_OPTION', `measure must be one of ${Object.keys(CONVENTIONS).map((m) => `'${m}'`).join(', ')}, got ${String(measure)}`, 'measure');
  }
  const m = measure as PairwiseMeasure;
  const omitted = B === undefined || B === null || (options === undefined && isOptions(B));
  const opts = (omitted && B !== undefined && B !== null ? B : options) as DivergenceOptions | undefined;
  const convention = conventionOf(opts, CONVENTIONS[m]);
  const divisor = m === 'jsDistance' ? logOfDistanceBase(opts?.base) : logOfBase(opts?.base);
  const policy = invalidPolicy(opts);
  const a = rowSource('A', A);
  const b = omitted ? null : rowSource('B', B);
  if (b && b.cols !== a.cols) {
    throw new InfodivError('LENGTH_MISMATCH', `A has ${a.cols} elements per row, B has ${b.cols}`, 'B');
  }
  const rows = a.rows, cols = b ? b.rows : a.rows;
  const out = outArray(opts, rows * cols);
  const badA = new Uint8Array(a.rows), badB = new Uint8Array(b ? b.rows : 0);
  backend.pairwise({ measure: KERNEL[m], convention, a, b, out, badA, badB });

  // Errors in row-major order of the caller's elements, A before B at the same position.
  const found: { err: InfodivError; row: number; col: number; arg: number }[] = [];
  for (const [arg, src, bad] of [[0, a, badA], [1, b, badB]] as const) {
    if (!src) continue;
    for (let r = 0; r < bad.length; r++) if (bad[r]) found.push({ ...rowError(src, r), row: r, arg });
  }
  if (found.length > 0) {
    found.sort((x, y) => x.row - y.row || x.col - y.col || x.arg - y.arg);
    if (policy.mode === 'throw') throwClearing(out, rows * cols, found[0].err);
    policy.errors?.push(...found.map((f) => f.err));
  }
  const post = m === 'jsDistance';
  if (divisor !== 1 || post) {
    for (let k = 0; k < rows * cols; k++) {
      const v = out[k] / divisor;
      out[k] = post ? Math.sqrt(v) : v;
    }
  }
  return { data: out.length === rows * cols ? out : out.subarray(0, rows * cols), rows, cols };
}
