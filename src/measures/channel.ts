// channelMutualInformation and channelCapacity of discrete memoryless channels W[x][y] = p(y|x):
// shapes and options checked here, the channels computed by a backend, errors located on the
// caller's data.
import type { ComputeBackend } from '../backend.js';
import { InfodivError } from '../errors.js';
import { rowSource, type RowSource } from '../input.js';
import { elementError, elementProblem } from '../locate.js';
import { invalidPolicy, logOfBase, outArray, throwClearing } from '../options.js';
import type { CapacityOptions, CapacityResult, CommonOptions } from '../types.js';
import { tableInput, type TableInput } from './tables.js';

/** A row of W must sum to 1 within this. */
export const STOCHASTIC_TOL = 1e-9;

/**
 * True when row values v(0..ny−1), summed left to right (as the kernels sum them, so both sides
 * agree at the boundary), differ from 1 by more than the tolerance.
 */
export function rowNotStochastic(v: (y: number) => number, ny: number): boolean {
  let s = 0;
  for (let y = 0; y < ny; y++) s += v(y);
  return !(Math.abs(s - 1) <= STOCHASTIC_TOL);
}

const DEFAULT_TOL = 1e-12;
const DEFAULT_MAX_ITER = 100000;

/** The error of channel t (its W is table wt of W), which a backend reported invalid. */
function channelError(W: TableInput, wt: number, px: RowSource | null, pr: number): InfodivError {
  const { cells, rows: nx, cols: ny, single } = W;
  if (px) {
    for (let x = 0; x < nx; x++) {
      const v = px.get(pr, x);
      const problem = elementProblem(v);
      if (problem) return elementError(problem, px.name, v, px.oneD ? [x] : [pr, x]);
    }
  }
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) {
      const v = cells.get(wt * nx + x, y);
      const problem = elementProblem(v);
      if (problem) return elementError(problem, cells.name, v, single ? [x, y] : [wt, x, y]);
    }
  }
  for (let x = 0; x < nx; x++) {
    if (rowNotStochastic((y) => cells.get(wt * nx + x, y) as number, ny)) {
      const index = single ? [x] : [wt, x];
      return new InfodivError('NOT_STOCHASTIC', `row ${x} of ${cells.name}${single ? '' : ` (channel ${wt})`} does not sum to 1`, cells.name, index);
    }
  }
  if (px) return new InfodivError('ZERO_SUM', `${px.name} sums to zero: it cannot be normalized`, px.name, null);
  throw new Error(`infodiv internal error: channel ${wt} was reported invalid but no cause was found`);
}

function channelsOf(W: unknown): TableInput {
  const input = tableInput('W', W);
  if (input.count === 0) throw new InfodivError('EMPTY', 'W holds no channels', 'W');
  return input;
}

/**
 * I(X;Y) of input distribution(s) px (normalized first, like scipy) through channel(s) W. One
 * px with a batch of channels, a batch of px with one channel, or a batch of each (pairwise).
 */
export function channelInformation(backend: ComputeBackend, px: unknown, W: unknown, opts: CommonOptions | undefined): number | Float64Array {
  const divisor = logOfBase(opts?.base);
  const policy = invalidPolicy(opts);
  const channels = channelsOf(W);
  const p = rowSource('px', px);
  const { count: wCount, rows: nx, cols: ny } = channels;
  if (p.cols !== nx) throw new InfodivError('LENGTH_MISMATCH', `px has ${p.cols} entries but W has ${nx} rows (inputs)`, 'px');
  if (p.rows !== 1 && wCount !== 1 && p.rows !== wCount) {
    throw new InfodivError('LENGTH_MISMATCH', `px has ${p.rows} rows but W holds ${wCount} channels`, 'px');
  }
  const count = Math.max(p.rows, wCount);
  const out = outArray(opts, count);
  const bad = backend.channelInformation({ px: p, W: channels.cells, count, nx, ny, out });
  let left = bad;
  for (let t = 0; t < count; t++) {
    if (Number.isNaN(out[t]) && left > 0) {
      left--;
      const err = channelError(channels, wCount === 1 ? 0 : t, p, p.rows === 1 ? 0 : t);
      if (policy.mode === 'throw') throwClearing(out, count, err);
      policy.errors?.push(err);
    } else if (divisor !== 1) {
      out[t] /= divisor;
    }
  }
  if (channels.single && p.oneD) return out[0];
  return out.length === count ? out : out.subarray(0, count);
}

/**
 * W with every row that sums to 1 within STOCHASTIC_TOL divided by its sum: such rows are the
 * distributions p(y|x) up to rounding, and Blahut-Arimoto's bounds only meet on exact
 * distributions (a row off by 5e-10 kept the gap near 2.5e-10, so `tol` was never reached).
 * Other rows are passed on unchanged for the backend to reject.
 */
function stochasticRows(W: RowSource): RowSource {
  const row = new Float64Array(W.cols);
  return {
    name: W.name, rows: W.rows, cols: W.cols, oneD: W.oneD, dtype: 'f64', engine: null,
    get: (r, c) => W.get(r, c),
    copy(r0, r1, c0, c1, dst, off) {
      for (let r = r0; r < r1; r++, off += c1 - c0) {
        W.copy(r, r + 1, 0, W.cols, row, 0);
        const sum = rowNotStochastic((y) => row[y], W.cols) ? 1 : row.reduce((a, b) => a + b, 0);
        for (let c = c0; c < c1; c++) dst[off + c - c0] = row[c] / sum;
      }
    },
  };
}

/** Capacity of channel W by Blahut-Arimoto (or one result per channel of a batch). */
export function channelCapacity(backend: ComputeBackend, W: unknown, opts: CapacityOptions | undefined): CapacityResult | CapacityResult[] {
  const divisor = logOfBase(opts?.base);
  const policy = invalidPolicy(opts);
  const tol = opts?.tol ?? DEFAULT_TOL;
  if (typeof tol !== 'number' || !(tol >= 0 && tol < Infinity)) throw new InfodivError('INVALID_OPTION', `tol must be a finite number ≥ 0, got ${String(tol)}`);
  const maxIter = opts?.maxIter ?? DEFAULT_MAX_ITER;
  if (typeof maxIter !== 'number' || !Number.isInteger(maxIter) || maxIter < 1 || maxIter > 2 ** 31 - 1) {
    throw new InfodivError('INVALID_OPTION', `maxIter must be an integer from 1 to 2^31 − 1, got ${String(maxIter)}`);
  }
  const channels = channelsOf(W);
  const results = backend.channelCapacity({ W: stochasticRows(channels.cells), count: channels.count, nx: channels.rows, ny: channels.cols, tol, maxIter });
  results.forEach((r, t) => {
    if (Number.isNaN(r.capacity)) {
      const err = channelError(channels, t, null, 0);
      if (policy.mode === 'throw') throw err;
      policy.errors?.push(err);
    } else if (divisor !== 1) {
      r.capacity /= divisor;
    }
  });
  return channels.single ? results[0] : results;
}
