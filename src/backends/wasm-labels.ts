// Label measures on the WebAssembly backends: contingency counting (assembly/contingency.ts) and
// the entropies and expected mutual information (assembly/labels.ts), all through the arena.
//
// Two labelings: their codes stream through the arena in chunks and are counted into the
// contingency table, which adds up N·H(X,Y); N·H(X) and N·H(Y) come from the class sizes the
// coding produced. A table larger than the arena is counted with its rows grouped by class (a
// cost that follows the samples, not the cells); contingency(), which returns the whole table,
// counts it one tile at a time (a pass over the codes per tile). scikit-learn's special cases
// are applied in `finish`.
//
// Many features against one target (a code matrix): one pass finds each column's largest code
// (and flags invalid columns); then the tables of as many features as fit in the arena are
// counted in one pass over the rows for all of them. A feature whose table alone does not fit
// is re-coded and counted as a pair.
import type { CodeMatrix, CodedLabels, FeatureScoresJob, LabelScoreJob } from '../backend.js';
import { columnCodes } from '../codes.js';
import type { RowSource } from '../input.js';
import { DEGENERATE, amiFromTable, miFromTable, nmiFromTable } from '../reference/labels.js';
import type { AverageMethod, NumericTypedArray } from '../types.js';
import {
  CODE_F32, CODE_F64, CODE_I16, CODE_I32, CODE_I8, CODE_U16, CODE_U32, CODE_U8, TS_FRACTIONAL, TS_MAX, TS_MIN, TS_MIN_POSITIVE, TS_SLOTS, TS_TOTAL, TS_TOTAL_LO, type KernelExports,
} from '../wasm/abi.js';
import type { WasmHeap } from '../wasm/heap.js';

const align = (n: number) => Math.ceil(n / 64) * 64;

/** numpy's float64 epsilon: scikit-learn's floor for AMI's denominator. */
const EPSILON = 2 ** -52;
/** Samples per chunk of codes below which a table is tiled rather than counted whole. */
const MIN_CHUNK = 256;
/** Fewest samples per chunk in any case (the smallest arena holds 16 of them beside a tile). */
const MIN_ROWS = 16;
/** scanCodes' mark of a column holding an invalid code (assembly/contingency.ts). */
const INVALID_COLUMN = 2 ** 31 - 1;
/**
 * Tables with normal cells, a total within [SAFE_MIN, SAFE_MAX] and at most SAFE_MAX times their
 * smallest positive cell keep every c·log(N/c) and their sum finite and exact to rounding;
 * others (subnormal cells, or counts spanning more than 2^1000) go to the reference, which
 * rescales exactly.
 */
const SAFE_MIN = 2 ** -1000;
const SAFE_MAX = 2 ** 1000;

/** The entropies (nats) a score is made of, and how many classes are non-empty on each side. */
interface Parts {
  rowsUsed: number;
  colsUsed: number;
  hx: number;
  hy: number;
  hxy: number;
}

/** Distinct positive class sizes, ascending, with how many classes have each. */
interface Distinct {
  values: Float64Array;
  counts: Float64Array;
}

function distinct(sizes: Float64Array): Distinct {
  const sorted = sizes.filter((v) => v > 0).sort();
  const values: number[] = [], counts: number[] = [];
  for (const v of sorted) {
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]++;
    else { values.push(v); counts.push(1); }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

function used(sizes: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < sizes.length; i++) if (sizes[i] > 0) k++;
  return k;
}

/** scikit-learn's `_generalized_average`. */
function mean(u: number, v: number, method: AverageMethod): number {
  switch (method) {
    case 'min': return Math.min(u, v);
    case 'max': return Math.max(u, v);
    case 'geometric': return Math.sqrt(u * v);
    case 'arithmetic': return (u + v) / 2;
  }
}

/** scikit-learn's MI, NMI or AMI from the entropies, with its special cases (see src/reference/labels.ts). */
function finish(job: LabelScoreJob, parts: Parts, expectedMI: () => number): number {
  const single = parts.rowsUsed === 1 || parts.colsUsed === 1;
  // A single cluster on either side has zero entropy, and MI ≤ min(H(X), H(Y)).
  const mi = single ? 0 : Math.max(0, parts.hx + parts.hy - parts.hxy);
  if (job.measure === 'mi') return mi;
  // Neither labeling splits the data: a perfect match.
  if (parts.rowsUsed === 1 && parts.colsUsed === 1) return 1;
  const average = mean(parts.hx, parts.hy, job.averageMethod);
  if (job.measure === 'nmi') return mi === 0 ? 0 : mi / average;
  const emi = single ? 0 : expectedMI();
  // 0/0 up to rounding: defined as 1, as the reference does (see DEGENERATE there).
  if (!single && average - emi <= DEGENERATE * average) return 1;
  // The denominator keeps its sign but is at least ε in magnitude: (0 − 0)/ε = 0 where both vanish.
  let denominator = average - emi;
  denominator = denominator < 0 ? Math.min(denominator, -EPSILON) : Math.max(denominator, EPSILON);
  return (mi - emi) / denominator;
}

type TypedCtor = new (buffer: ArrayBufferLike) => NumericTypedArray;

/** The kernels' element-type code of a code matrix, and the view type that copies it unconverted. */
function elementType(data: NumericTypedArray): { type: number; View: TypedCtor } {
  if (data instanceof Float64Array) return { type: CODE_F64, View: Float64Array };
  if (data instanceof Float32Array) return { type: CODE_F32, View: Float32Array };
  if (data instanceof Int32Array) return { type: CODE_I32, View: Int32Array };
  if (data instanceof Uint32Array) return { type: CODE_U32, View: Uint32Array };
  if (data instanceof Int16Array) return { type: CODE_I16, View: Int16Array };
  if (data instanceof Uint16Array) return { type: CODE_U16, View: Uint16Array };
  if (data instanceof Int8Array) return { type: CODE_I8, View: Int8Array };
  return { type: CODE_U8, View: Uint8Array };
}

export class WasmLabels {
  constructor(private readonly heap: WasmHeap, private readonly k: KernelExports) {}

  private i32(): Int32Array {
    return new Int32Array(this.heap.memory.buffer);
  }

  /**
   * Counts the pairs (a_i, b_i) tile by tile and hands each tile (int32 counts in the arena)
   * to `visit`. A tile and a chunk of both codes fit in the arena together; when all codes fit
   * beside the tile they are copied once.
   */
  private countTiles(a: CodedLabels, b: CodedLabels, visit: (tile: number, x0: number, rows: number, y0: number, cols: number) => void): void {
    const { heap, k } = this;
    const n = a.codes.length, ka = a.classes, kb = b.classes;
    const room = heap.arenaBytes - 3 * 64;
    let chunk: number, tileRows: number, tileCols: number;
    if (this.fitsOneTile(n, ka, kb)) {
      tileRows = ka;
      tileCols = kb;
      chunk = Math.min(n, Math.floor((room - align(ka * kb * 4)) / 8));
    } else {
      chunk = Math.min(n, Math.max(MIN_ROWS, Math.floor(room / 16)));
      const cells = Math.floor((room - 8 * chunk) / 4);
      tileCols = Math.min(kb, cells);
      tileRows = Math.min(ka, Math.floor(cells / tileCols));
    }
    const aAt = heap.arena, bAt = aAt + align(chunk * 4), tileAt = bAt + align(chunk * 4);
    if (chunk === n) this.copyCodes(a, b, 0, n, aAt, bAt);
    for (let x0 = 0; x0 < ka; x0 += tileRows) {
      const rows = Math.min(tileRows, ka - x0);
      for (let y0 = 0; y0 < kb; y0 += tileCols) {
        const cols = Math.min(tileCols, kb - y0);
        this.i32().fill(0, tileAt >> 2, (tileAt >> 2) + rows * cols);
        for (let s0 = 0; s0 < n; s0 += chunk) {
          const s1 = Math.min(n, s0 + chunk);
          if (chunk < n) this.copyCodes(a, b, s0, s1, aAt, bAt);
          k.countPairs(aAt, bAt, s1 - s0, x0, rows, y0, cols, tileAt);
        }
        visit(tileAt, x0, rows, y0, cols);
      }
    }
  }

  contingency(a: CodedLabels, b: CodedLabels): Float64Array {
    const kb = b.classes;
    const out = new Float64Array(a.classes * kb);
    this.countTiles(a, b, (tile, x0, rows, y0, cols) => {
      const v = this.i32();
      for (let i = 0; i < rows; i++) out.set(v.subarray((tile >> 2) + i * cols, (tile >> 2) + (i + 1) * cols), (x0 + i) * kb + y0);
    });
    return out;
  }

  /** Σ s·log(total/s) over class sizes (N times their entropy), streamed through the arena. */
  private entropyOf(sizes: Float64Array, total: number): number {
    const { heap, k } = this;
    const chunk = Math.floor(heap.arenaBytes / 8);
    let s = 0;
    for (let i = 0; i < sizes.length; i += chunk) {
      const part = sizes.subarray(i, i + chunk);
      heap.f64.set(part, heap.arena >> 3);
      s += k.entropyTermsF64(heap.arena, part.length, total);
    }
    return s;
  }

  /** Expected MI (nats) of two labelings with these class sizes, blocks of both lists at a time. */
  private expectedMI(a: Distinct, b: Distinct, n: number): number {
    const { heap, k } = this;
    const block = Math.max(1, Math.floor((heap.arenaBytes - 4 * 64) / 32));
    let sum = 0;
    for (let i = 0; i < a.values.length; i += block) {
      const na = Math.min(block, a.values.length - i);
      for (let j = 0; j < b.values.length; j += block) {
        const nb = Math.min(block, b.values.length - j);
        const av = heap.arena, am = av + align(na * 8), bv = am + align(na * 8), bm = bv + align(nb * 8);
        const f = heap.f64;
        f.set(a.values.subarray(i, i + na), av >> 3);
        f.set(a.counts.subarray(i, i + na), am >> 3);
        f.set(b.values.subarray(j, j + nb), bv >> 3);
        f.set(b.counts.subarray(j, j + nb), bm >> 3);
        sum += k.expectedMutualInfo(av, am, na, bv, bm, nb, n);
      }
    }
    return sum;
  }

  /**
   * N·H(X,Y) of a table with more cells than the arena holds, at a cost that follows the
   * samples instead of the cells: bands of classes of `a` at a time (a pass over the codes
   * each), their samples grouped by class (groupPairs) and each row counted on its own
   * (groupedEntropyTerms). A class too large for a band is counted as a one-row tile. One row
   * of counts (b.classes int32) lives in the arena when it takes at most a quarter of it, else
   * in a block above the arena for the duration of the call.
   */
  private groupedTerms(a: CodedLabels, b: CodedLabels): number {
    const heap = this.heap;
    const countBytes = b.classes * 4;
    if (countBytes <= heap.arenaBytes / 4) return this.groupedRows(a, b, heap.arena, heap.arena + align(countBytes));
    const countsAt = heap.alloc(countBytes);
    try {
      return this.groupedRows(a, b, countsAt, heap.arena);
    } finally {
      heap.release(countsAt, countBytes);
    }
  }

  /** groupedTerms with the row counts at countsAt and the arena free from `free` on. */
  private groupedRows(a: CodedLabels, b: CodedLabels, countsAt: number, free: number): number {
    const { heap, k } = this;
    const n = a.codes.length, ka = a.classes, kb = b.classes;
    const aAt = free;
    const rest = heap.arena + heap.arenaBytes - aAt - 4 * 64;
    // Codes stay in the arena when they take at most half of what is left, else stream in chunks.
    const chunk = n * 8 <= rest / 2 ? n : Math.max(MIN_ROWS, Math.floor(rest / 32));
    const bAt = aAt + align(chunk * 4), startAt = bAt + align(chunk * 4);
    // Room for a band: its starts (classes + 1) and its samples, int32 each.
    const slots = Math.floor((heap.arena + heap.arenaBytes - startAt - 2 * 64) / 4);
    const stream = (count: (a: number, b: number, len: number) => void) => {
      for (let s0 = 0; s0 < n; s0 += chunk) {
        const s1 = Math.min(n, s0 + chunk);
        if (chunk < n) this.copyCodes(a, b, s0, s1, aAt, bAt);
        count(aAt, bAt, s1 - s0);
      }
    };
    this.i32().fill(0, countsAt >> 2, (countsAt >> 2) + kb);
    if (chunk === n) this.copyCodes(a, b, 0, n, aAt, bAt);
    let total = 0;
    for (let x0 = 0; x0 < ka;) {
      let x1 = x0, samples = 0;
      while (x1 < ka && samples + a.sizes[x1] + (x1 - x0) + 2 <= slots) samples += a.sizes[x1++];
      if (x1 === x0) {
        stream((pa, pb, len) => k.countPairs(pa, pb, len, x0, 1, 0, kb, countsAt));
        total += k.entropyTermsI32(countsAt, kb, n);
        this.i32().fill(0, countsAt >> 2, (countsAt >> 2) + kb);
        x0++;
        continue;
      }
      // starts[0] = 0 and starts[1 + r] = first slot of class x0 + r: groupPairs advances
      // starts[1 + r] to the end of the class, which is where class x0 + r + 1 starts.
      const rows = x1 - x0;
      const starts = new Int32Array(rows + 1);
      for (let r = 1; r < rows; r++) starts[r + 1] = starts[r] + a.sizes[x0 + r - 1];
      this.i32().set(starts, startAt >> 2);
      const orderAt = startAt + align((rows + 1) * 4);
      stream((pa, pb, len) => k.groupPairs(pa, pb, len, x0, rows, startAt + 4, orderAt));
      total += k.groupedEntropyTerms(orderAt, startAt, rows, countsAt, n);
      x0 = x1;
    }
    return total;
  }

  private copyCodes(a: CodedLabels, b: CodedLabels, s0: number, s1: number, aAt: number, bAt: number): void {
    const v = this.i32();
    v.set(a.codes.subarray(s0, s1), aAt >> 2);
    v.set(b.codes.subarray(s0, s1), bAt >> 2);
  }

  /** Whether the whole ka × kb table fits in the arena beside long enough chunks of n codes. */
  private fitsOneTile(n: number, ka: number, kb: number): boolean {
    return align(ka * kb * 4) + 8 * Math.min(n, MIN_CHUNK) <= this.heap.arenaBytes - 3 * 64;
  }

  /** N·H(X,Y) from the counts of the pairs: the table in one tile when it fits, else grouped rows. */
  private jointTerms(a: CodedLabels, b: CodedLabels): number {
    const n = a.codes.length;
    if (!this.fitsOneTile(n, a.classes, b.classes)) {
      // Rows are counted over the smaller side (the joint entropy is symmetric).
      return a.classes >= b.classes ? this.groupedTerms(a, b) : this.groupedTerms(b, a);
    }
    let terms = 0;
    this.countTiles(a, b, (tile, _x0, r, _y0, c) => {
      terms += this.k.entropyTermsI32(tile, r * c, n);
    });
    return terms;
  }

  labelScore(job: LabelScoreJob, a: CodedLabels, b: CodedLabels): number {
    const n = a.codes.length;
    const hxy = this.jointTerms(a, b);
    const parts: Parts = {
      rowsUsed: used(a.sizes), colsUsed: used(b.sizes),
      hx: this.entropyOf(a.sizes, n) / n, hy: this.entropyOf(b.sizes, n) / n, hxy: hxy / n,
    };
    return finish(job, parts, () => this.expectedMI(distinct(a.sizes), distinct(b.sizes), n));
  }

  /**
   * A caller's table (float64 counts, fractional allowed but for AMI): a pass for the marginals
   * and checks, a pass for the cells (skipped when the whole table fits in the arena).
   */
  tableScore(job: LabelScoreJob, table: RowSource): number {
    const { heap, k } = this;
    const { rows, cols } = table;
    const colSums = heap.arena, stats = colSums + align(cols * 8), body = stats + 64;
    const perRow = cols * 8 + 8;
    const chunk = Math.min(rows, Math.floor((heap.arena + heap.arenaBytes - body - 64) / perRow));
    if (chunk < 1) return referenceScore(job, table);
    const rowSumsAt = body, cellsAt = body + align(chunk * 8);
    const f = heap.f64;
    f.fill(0, colSums >> 3, (colSums >> 3) + cols);
    f.set([Infinity, -Infinity, Infinity, 0, 0, 0], stats >> 3);
    const rowSums = new Float64Array(rows);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const r1 = Math.min(rows, r0 + chunk);
      table.copy(r0, r1, 0, cols, heap.f64, cellsAt >> 3);
      k.tableStatsF64(cellsAt, r1 - r0, cols, rowSumsAt, colSums, stats);
      rowSums.set(heap.f64.subarray(rowSumsAt >> 3, (rowSumsAt >> 3) + r1 - r0), r0);
    }
    const s = heap.f64.slice(stats >> 3, (stats >> 3) + TS_SLOTS);
    const total = s[TS_TOTAL] + s[TS_TOTAL_LO];
    if (!(s[TS_MIN] >= 0 && s[TS_MAX] < Infinity && total > 0)) return NaN;
    if (job.measure === 'ami' && s[TS_FRACTIONAL] > 0) return NaN;
    const smallest = s[TS_MIN_POSITIVE];
    if (!(total <= SAFE_MAX && smallest >= SAFE_MIN && total / smallest <= SAFE_MAX)) return referenceScore(job, table);
    let hxy = 0;
    if (chunk === rows) {
      hxy = k.entropyTermsF64(cellsAt, rows * cols, total);
    } else {
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        table.copy(r0, r1, 0, cols, heap.f64, cellsAt >> 3);
        hxy += k.entropyTermsF64(cellsAt, (r1 - r0) * cols, total);
      }
    }
    const colSizes = heap.f64.slice(colSums >> 3, (colSums >> 3) + cols);
    const hy = k.entropyTermsF64(colSums, cols, total);
    const parts: Parts = {
      rowsUsed: used(rowSums), colsUsed: used(colSizes),
      hx: this.entropyOf(rowSums, total) / total, hy: hy / total, hxy: hxy / total,
    };
    return finish(job, parts, () => this.expectedMI(distinct(rowSums), distinct(colSizes), total));
  }

  featureScores(job: FeatureScoresJob): number {
    const { features, target, out } = job;
    if (features.kind === 'matrix') return this.matrixScores(job, features.matrix);
    let bad = 0;
    for (let f = 0; f < features.count; f++) {
      const a = features.code(f);
      out[f] = a ? this.labelScore(job, a, target) : NaN;
      if (!a) bad++;
    }
    return bad;
  }

  /** A block of a code matrix in the caller's element type: in place, or copied to `at`. */
  private stage(m: CodeMatrix, View: TypedCtor, inPlace: number, r0: number, r1: number, c0: number, c1: number, at: number): { ptr: number; stride: number } {
    const data = m.data, eb = data.BYTES_PER_ELEMENT, cols = m.cols;
    if (inPlace >= 0) return { ptr: inPlace + (r0 * cols + c0) * eb, stride: cols };
    const view = new View(this.heap.memory.buffer);
    const width = c1 - c0;
    if (width === cols) {
      view.set(data.subarray(r0 * cols, r1 * cols), at / eb);
    } else {
      for (let r = r0; r < r1; r++) view.set(data.subarray(r * cols + c0, r * cols + c1), at / eb + (r - r0) * width);
    }
    return { ptr: at, stride: width };
  }

  /** The largest code of every column (INVALID_COLUMN for a column holding an invalid code). */
  private scanMatrix(m: CodeMatrix, type: number, View: TypedCtor, inPlace: number): Int32Array {
    const { heap, k } = this;
    const { rows, cols } = m;
    const eb = m.data.BYTES_PER_ELEMENT;
    const hi = new Int32Array(cols);
    // The maxima of `width` columns and at least one row of them fit in the arena.
    const width = Math.min(cols, Math.floor((heap.arenaBytes - 128) / 12));
    const hiAt = heap.arena, dataAt = hiAt + align(width * 4);
    for (let c0 = 0; c0 < cols; c0 += width) {
      const c1 = Math.min(cols, c0 + width);
      const chunk = inPlace >= 0 ? rows : Math.max(1, Math.floor((heap.arena + heap.arenaBytes - dataAt) / ((c1 - c0) * eb)));
      this.i32().fill(-1, hiAt >> 2, (hiAt >> 2) + c1 - c0);
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const r1 = Math.min(rows, r0 + chunk);
        const { ptr, stride } = this.stage(m, View, inPlace, r0, r1, c0, c1, dataAt);
        k.scanCodes(type, ptr, r1 - r0, stride, c1 - c0, hiAt);
      }
      hi.set(this.i32().subarray(hiAt >> 2, (hiAt >> 2) + c1 - c0), c0);
    }
    return hi;
  }

  private matrixScores(job: FeatureScoresJob, m: CodeMatrix): number {
    const { heap, k } = this;
    const { target, out } = job;
    const { rows: n, cols } = m;
    const C = target.classes;
    const data = m.data;
    const { type, View } = elementType(data);
    const eb = data.BYTES_PER_ELEMENT;
    const e = m.engine;
    const inPlace = e !== null && e.owner === heap ? e.byteOffset() : -1;
    const hi = this.scanMatrix(m, type, View, inPlace);
    const hy = this.entropyOf(target.sizes, n) / n;
    const colsUsed = used(target.sizes);
    let targetSizes: Distinct | null = null;
    const score = (hxy: number, hx: number, rowsUsed: number, sizes: Float64Array) =>
      finish(job, { rowsUsed, colsUsed, hx, hy, hxy }, () => this.expectedMI(distinct(sizes), targetSizes ??= distinct(target.sizes), n));

    // Arena use of a band of columns [f0, f1) whose tables hold `cells` counts, the largest
    // with maxK rows: offsets, row sums, tables, and per row of a chunk its target code and codes.
    const fixed = (width: number, cells: number, maxK: number) => align(width * 4) + align(maxK * 8) + align(cells * 4) + 4 * 64;
    const perRow = (width: number) => 4 + (inPlace >= 0 ? 0 : width * eb);
    // Tables take at most half the arena, so that chunks of rows stay long.
    const fits = (width: number, cells: number, maxK: number) =>
      fixed(width, cells, maxK) <= heap.arenaBytes / 2 && fixed(width, cells, maxK) + perRow(width) * Math.min(n, MIN_ROWS) <= heap.arenaBytes;

    let bad = 0;
    const alone: number[] = [];
    const runBand = (f0: number, f1: number, members: number[]) => {
      const width = f1 - f0;
      let cells = 0, maxK = 0;
      const offsets = new Int32Array(width).fill(-1);
      for (const f of members) {
        offsets[f - f0] = cells;
        cells += (hi[f] + 1) * C;
        maxK = Math.max(maxK, hi[f] + 1);
      }
      const offsetsAt = heap.arena, rowSumsAt = offsetsAt + align(width * 4);
      const tablesAt = rowSumsAt + align(maxK * 8), targetAt = tablesAt + align(cells * 4);
      const chunk = Math.min(n, Math.floor((heap.arena + heap.arenaBytes - targetAt - 2 * 64) / perRow(width)));
      const stagingAt = targetAt + align(chunk * 4);
      const v = this.i32();
      v.set(offsets, offsetsAt >> 2);
      v.fill(0, tablesAt >> 2, (tablesAt >> 2) + cells);
      for (let r0 = 0; r0 < n; r0 += chunk) {
        const r1 = Math.min(n, r0 + chunk);
        this.i32().set(target.codes.subarray(r0, r1), targetAt >> 2);
        const { ptr, stride } = this.stage(m, View, inPlace, r0, r1, f0, f1, stagingAt);
        k.countCodes(type, ptr, r1 - r0, stride, width, targetAt, offsetsAt, tablesAt, C);
      }
      // Everything a score needs is read out before the expected MI reuses the arena.
      const pending: [number, number, number, number, Float64Array][] = [];
      for (const f of members) {
        const K = hi[f] + 1;
        const table = tablesAt + offsets[f - f0] * 4;
        const hxy = k.entropyTermsI32(table, K * C, n) / n;
        const rowsUsed = k.rowSumsI32(table, K, C, rowSumsAt);
        const hx = k.entropyTermsF64(rowSumsAt, K, n) / n;
        pending.push([f, hxy, hx, rowsUsed, heap.f64.slice(rowSumsAt >> 3, (rowSumsAt >> 3) + K)]);
      }
      for (const [f, hxy, hx, rowsUsed, sizes] of pending) out[f] = score(hxy, hx, rowsUsed, sizes);
    };

    let f0 = 0, cells = 0, maxK = 0;
    let members: number[] = [];
    for (let f = 0; f < cols; f++) {
      if (hi[f] === INVALID_COLUMN) {
        out[f] = NaN;
        bad++;
        continue;
      }
      const K = hi[f] + 1;
      if (fits(f + 1 - f0, cells + K * C, Math.max(maxK, K))) {
        members.push(f);
        cells += K * C;
        maxK = Math.max(maxK, K);
        continue;
      }
      if (members.length > 0) runBand(f0, f, members);
      f0 = f;
      members = [];
      cells = 0;
      maxK = 0;
      if (fits(1, K * C, K)) {
        members.push(f);
        cells = K * C;
        maxK = K;
      } else {
        alone.push(f);
        f0 = f + 1;
      }
    }
    if (members.length > 0) runBand(f0, members[members.length - 1] + 1, members);
    for (const f of alone) out[f] = this.labelScore(job, columnCodes(data, n, cols, f)!, target);
    return bad;
  }
}

/** A table the arena cannot hold a row of, or whose scale needs exact rescaling: the float64 reference. */
function referenceScore(job: LabelScoreJob, table: RowSource): number {
  const cells = new Float64Array(table.rows * table.cols);
  table.copy(0, table.rows, 0, table.cols, cells, 0);
  switch (job.measure) {
    case 'mi': return miFromTable(cells, table.rows, table.cols);
    case 'nmi': return nmiFromTable(cells, table.rows, table.cols, job.averageMethod);
    case 'ami': return amiFromTable(cells, table.rows, table.cols, job.averageMethod);
  }
}
