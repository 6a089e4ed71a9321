// The `js` backend's label and channel measures: the float64 reference (src/reference) on
// whole tables, one labeling pair, feature or channel at a time.
import type { CapacityJob, ChannelJob, CodedLabels, FeatureScoresJob, LabelScoreJob } from '../backend.js';
import { columnCodes } from '../codes.js';
import type { RowSource } from '../input.js';
import { rowNotStochastic } from '../measures/channel.js';
import { blahutArimoto, channelMI } from '../reference/channel.js';
import { amiFromTable, contingencyFromCodes, miFromTable, nmiFromTable } from '../reference/labels.js';
import { isValidRow } from '../reference/rows.js';
import type { CapacityResult } from '../types.js';

export function contingencyOf(a: CodedLabels, b: CodedLabels): Float64Array {
  return contingencyFromCodes(a.codes, b.codes, a.classes, b.classes);
}

function scoreOf(job: LabelScoreJob, table: Float64Array, rows: number, cols: number): number {
  switch (job.measure) {
    case 'mi': return miFromTable(table, rows, cols);
    case 'nmi': return nmiFromTable(table, rows, cols, job.averageMethod);
    case 'ami': return amiFromTable(table, rows, cols, job.averageMethod);
  }
}

export function labelScore(job: LabelScoreJob, a: CodedLabels, b: CodedLabels): number {
  return scoreOf(job, contingencyOf(a, b), a.classes, b.classes);
}

export function tableScore(job: LabelScoreJob, table: RowSource): number {
  const cells = new Float64Array(table.rows * table.cols);
  table.copy(0, table.rows, 0, table.cols, cells, 0);
  return scoreOf(job, cells, table.rows, table.cols);
}

export function featureScores(job: FeatureScoresJob): number {
  const { features, target, out } = job;
  const count = features.kind === 'labels' ? features.count : features.matrix.cols;
  let bad = 0;
  for (let f = 0; f < count; f++) {
    const coded = features.kind === 'labels'
      ? features.code(f)
      : columnCodes(features.matrix.data, features.matrix.rows, features.matrix.cols, f);
    out[f] = coded ? labelScore(job, coded, target) : NaN;
    if (!coded) bad++;
  }
  return bad;
}

/** Channel t's W (nx × ny) as float64, or null when it is not a valid channel. */
function channelOf(W: RowSource, t: number, nx: number, ny: number): Float64Array | null {
  const w = new Float64Array(nx * ny);
  W.copy(t * nx, (t + 1) * nx, 0, ny, w, 0);
  if (!isValidRow(w, 0, nx * ny)) return null;
  for (let x = 0; x < nx; x++) if (rowNotStochastic((y) => w[x * ny + y], ny)) return null;
  return w;
}

export function channelInformation(job: ChannelJob): number {
  const { px, W, count, nx, ny, out } = job;
  const wCount = W.rows / nx;
  const p = new Float64Array(nx);
  let bad = 0;
  for (let t = 0; t < count; t++) {
    const w = channelOf(W, wCount === 1 ? 0 : t, nx, ny);
    const r = px.rows === 1 ? 0 : t;
    px.copy(r, r + 1, 0, nx, p, 0);
    const v = w ? channelMI(p, w, nx, ny) : NaN;
    if (Number.isNaN(v)) bad++;
    out[t] = v;
  }
  return bad;
}

export function channelCapacity(job: CapacityJob): CapacityResult[] {
  const { W, count, nx, ny } = job;
  const results: CapacityResult[] = [];
  for (let t = 0; t < count; t++) {
    const w = channelOf(W, t, nx, ny);
    results.push(w ? blahutArimoto(w, nx, ny, job.tol, job.maxIter) : invalidCapacity(nx));
  }
  return results;
}

export function invalidCapacity(nx: number): CapacityResult {
  return { capacity: NaN, inputDistribution: new Float64Array(nx).fill(NaN), iterations: 0, gap: NaN, converged: false };
}
