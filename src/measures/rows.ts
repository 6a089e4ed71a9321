// entropy, crossEntropy, kl, jsd, jsDistance: shapes and options checked here, the rows computed
// by a backend, invalid rows turned into typed errors on the caller's data.
import type { ComputeBackend, RowMeasure } from '../backend.js';
import { InfodivError } from '../errors.js';
import { rowSource, type RowSource } from '../input.js';
import { rowError } from '../locate.js';
import { conventionOf, invalidPolicy, logOfBase, logOfDistanceBase, outArray, throwClearing } from '../options.js';
import type { Convention, DivergenceOptions } from '../types.js';

const CONVENTIONS: Record<RowMeasure, readonly Convention[]> = {
  entropy: ['scipy', 'raw'],
  crossEntropy: ['scipy', 'raw'],
  kl: ['scipy', 'raw', 'keras'],
  jsd: ['scipy'],
};

/** Output rows of a pair, or a LENGTH_MISMATCH naming what differs. */
function pairRows(p: RowSource, q: RowSource): number {
  if (p.cols !== q.cols) {
    throw new InfodivError('LENGTH_MISMATCH', `${p.name} has ${p.cols} elements per row, ${q.name} has ${q.cols}`, q.name);
  }
  if (p.rows !== q.rows && p.rows !== 1 && q.rows !== 1) {
    throw new InfodivError('LENGTH_MISMATCH', `${p.name} has ${p.rows} rows, ${q.name} has ${q.rows}`, q.name);
  }
  // A single vector against a batch is used against every row; two one-row batches stay a batch.
  if (p.rows === q.rows) return p.rows;
  const single = p.rows === 1 ? p : q;
  if (!single.oneD) {
    throw new InfodivError('LENGTH_MISMATCH', `${p.name} has ${p.rows} rows, ${q.name} has ${q.rows}`, q.name);
  }
  return Math.max(p.rows, q.rows);
}

export interface RowCall {
  measure: RowMeasure;
  p: unknown;
  q: unknown;
  opts: DivergenceOptions | undefined;
  names: [string, string];
  /** Applied to each valid value after the base (jsDistance: square root). */
  post?: (v: number) => number;
}

export function prepareRows(call: RowCall) {
  const convention = conventionOf(call.opts, CONVENTIONS[call.measure]);
  const divisor = call.post ? logOfDistanceBase(call.opts?.base) : logOfBase(call.opts?.base);
  const policy = invalidPolicy(call.opts);
  const p = rowSource(call.names[0], call.p);
  const q = call.measure === 'entropy' ? null : rowSource(call.names[1], call.q);
  const rows = q ? pairRows(p, q) : p.rows;
  const oneD = p.oneD && (q === null || q.oneD);
  const out = outArray(call.opts, rows);
  return { convention, divisor, policy, p, q, rows, oneD, out };
}

export type PreparedRows = ReturnType<typeof prepareRows>;

/** Base conversion, error reporting and the return shape, once out holds nats (NaN = invalid). */
export function finishRows(call: RowCall, prep: PreparedRows, bad: number): number | Float64Array {
  const { out, rows, divisor, policy, p, q } = prep;
  const sources = q ? [p, q] : [p];
  let left = bad;
  for (let r = 0; r < rows; r++) {
    const v = out[r];
    if (Number.isNaN(v) && left > 0) {
      left--;
      const err = rowError(sources, r);
      if (policy.mode === 'throw') throwClearing(out, rows, err);
      policy.errors?.push(err);
      continue;
    }
    let w = divisor === 1 ? v : v / divisor;
    if (call.post) w = call.post(w);
    out[r] = w;
  }
  return prep.oneD ? out[0] : out.length === rows ? out : out.subarray(0, rows);
}

export function computeRows(backend: ComputeBackend, call: RowCall): number | Float64Array {
  const prep = prepareRows(call);
  const bad = backend.rowMeasure({ measure: call.measure, convention: prep.convention, p: prep.p, q: prep.q, rows: prep.rows, out: prep.out });
  return finishRows(call, prep, bad);
}
