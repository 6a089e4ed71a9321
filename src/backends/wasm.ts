// The WebAssembly backend: streams rows through the heap's fixed arena in chunks of whole rows
// (copy a chunk, run the kernel on it while it is still in cache, copy the results out), or in
// segments when a single row does not fit. Matrices that already live in the heap are used in
// place.
import type {
  CapacityJob, ChannelJob, CodedLabels, ComputeBackend, FeatureScoresJob, LabelScoreJob, PairJob, RowJob, TableJob,
} from '../backend.js';
import { commonDType, type DType, type RowSource } from '../input.js';
import { jsdRow, klRow, crossEntropyRow, entropyRow } from '../reference/rows.js';
import { conditionalEntropyTable, jointEntropyTable, mutualInformationTable } from '../reference/joint.js';
import type { CapacityResult, EngineMatrix } from '../types.js';
import { CONV, J_COND, J_JOINT, J_MI, M_CROSS, M_ENTROPY, M_KL, STATE_BYTES, type KernelExports } from '../wasm/abi.js';
import { WasmHeap } from '../wasm/heap.js';
import { wasmPairwise } from './wasm-pairwise.js';
import { WasmLabels } from './wasm-labels.js';
import { WasmChannels } from './wasm-channel.js';

const MEASURE_CODE = { entropy: M_ENTROPY, crossEntropy: M_CROSS, kl: M_KL } as const;
const TABLE_CODE = { mi: J_MI, joint: J_JOINT, cond: J_COND } as const;
const TABLE_REFERENCE = { mi: mutualInformationTable, joint: jointEntropyTable, cond: conditionalEntropyTable } as const;

const elemBytes = (d: DType) => (d === 'f32' ? 4 : 8);
const align = (n: number) => Math.ceil(n / 64) * 64;

/** Where one input of a chunk lives: in place (engine matrix) or copied into the arena. */
export interface Placement {
  src: RowSource;
  /** One row used against every output row. */
  broadcast: boolean;
  /** Byte offset of the matrix when it is used in place, else -1. */
  inPlace: number;
}

export class WasmBackend implements ComputeBackend {
  readonly heap: WasmHeap;
  private readonly k: KernelExports;

  constructor(readonly kind: 'simd' | 'scalar', exports: KernelExports, arenaBytes: number) {
    this.k = exports;
    this.heap = new WasmHeap(exports, arenaBytes);
    this.labels = new WasmLabels(this.heap, exports);
    this.channels = new WasmChannels(this.heap, exports);
  }

  /** Label measures (./wasm-labels.ts) and channel measures (./wasm-channel.ts). */
  private readonly labels: WasmLabels;
  private readonly channels: WasmChannels;

  contingency(a: CodedLabels, b: CodedLabels): Float64Array {
    return this.labels.contingency(a, b);
  }

  labelScore(job: LabelScoreJob, a: CodedLabels, b: CodedLabels): number {
    return this.labels.labelScore(job, a, b);
  }

  tableScore(job: LabelScoreJob, table: RowSource): number {
    return this.labels.tableScore(job, table);
  }

  featureScores(job: FeatureScoresJob): number {
    return this.labels.featureScores(job);
  }

  channelInformation(job: ChannelJob): number {
    return this.channels.channelInformation(job);
  }

  channelCapacity(job: CapacityJob): CapacityResult[] {
    return this.channels.channelCapacity(job);
  }

  memoryBytes(): number {
    return this.heap.byteLength();
  }

  matrix(rows: number, cols: number, dtype: DType): EngineMatrix {
    return this.heap.matrix(rows, cols, dtype);
  }

  private place(src: RowSource, rows: number, dtype: DType): Placement {
    const e = src.engine;
    const inPlace = e !== null && e.owner === this.heap && e.dtype === dtype ? e.byteOffset() : -1;
    return { src, broadcast: src.rows === 1 && rows > 1, inPlace };
  }

  rowMeasure(job: RowJob): number {
    const { dtype, sources, chunkRows, fixed } = this.rowLayout(job);
    if (chunkRows < 1) return this.segmentedRows(job, dtype);
    return this.chunkedRows(job, dtype, sources, chunkRows, fixed);
  }

  /**
   * How rowMeasure streams a job through the arena; chunkRows < 1 means rows stream in segments.
   * Public so that the thread pool (src/pool/) segments exactly the same rows.
   */
  rowLayout(job: RowJob): { dtype: DType; sources: Placement[]; chunkRows: number; fixed: number } {
    const dtype = commonDType(job.p, job.q);
    const sources = job.q ? [this.place(job.p, job.rows, dtype), this.place(job.q, job.rows, dtype)] : [this.place(job.p, job.rows, dtype)];
    const cols = job.p.cols;
    const eb = elemBytes(dtype);
    const rowBytes = cols * eb;
    // Broadcast rows are copied once at the start of the arena; per-row inputs and the results
    // share the rest.
    let fixed = 0;
    let perRow = 8;
    for (const s of sources) {
      if (s.inPlace >= 0) continue;
      if (s.broadcast) fixed += align(rowBytes);
      else perRow += rowBytes;
    }
    const chunkRows = Math.floor((this.heap.arenaBytes - fixed - 64 * sources.length) / perRow);
    return { dtype, sources, chunkRows, fixed };
  }

  private chunkedRows(job: RowJob, dtype: DType, sources: Placement[], chunkRows: number, fixed: number): number {
    const heap = this.heap;
    const cols = job.p.cols;
    const eb = elemBytes(dtype);
    const rowBytes = cols * eb;
    const ptrs: number[] = [];
    const strides: number[] = [];
    let at = heap.arena;
    for (const s of sources) {
      strides.push(s.broadcast ? 0 : cols);
      if (s.inPlace >= 0) { ptrs.push(s.inPlace); continue; }
      if (s.broadcast) {
        s.src.copy(0, 1, 0, cols, heap.view(dtype), at / eb);
        ptrs.push(at);
        at += align(rowBytes);
      } else {
        ptrs.push(-1);
      }
    }
    const chunkBase = heap.arena + fixed;
    const inputAt: number[] = [];
    let off = chunkBase;
    for (const s of sources) {
      if (s.inPlace < 0 && !s.broadcast) { inputAt.push(off); off += align(chunkRows * rowBytes); }
      else inputAt.push(-1);
    }
    const outAt = off;
    const conv = CONV[job.convention];
    let bad = 0;
    for (let r0 = 0; r0 < job.rows; r0 += chunkRows) {
      const r1 = Math.min(job.rows, r0 + chunkRows);
      const n = r1 - r0;
      const view = heap.view(dtype);
      const p: number[] = [];
      for (let i = 0; i < sources.length; i++) {
        const s = sources[i];
        if (inputAt[i] >= 0) {
          s.src.copy(r0, r1, 0, cols, view, inputAt[i] / eb);
          p.push(inputAt[i]);
        } else {
          p.push(s.broadcast ? ptrs[i] : ptrs[i] + r0 * rowBytes);
        }
      }
      bad += this.runRows(job, dtype, conv, p, strides, n, cols, outAt);
      job.out.set(heap.f64.subarray(outAt / 8, outAt / 8 + n), r0);
    }
    return bad;
  }

  private runRows(job: RowJob, dtype: DType, conv: number, p: number[], strides: number[], n: number, cols: number, out: number): number {
    const k = this.k;
    const f32 = dtype === 'f32';
    switch (job.measure) {
      case 'entropy':
        return f32 ? k.entropyRowsF32(conv, p[0], n, cols, out) : k.entropyRowsF64(conv, p[0], n, cols, out);
      case 'crossEntropy':
        return (f32 ? k.crossEntropyRowsF32 : k.crossEntropyRowsF64)(conv, p[0], strides[0], p[1], strides[1], n, cols, out);
      case 'kl':
        return (f32 ? k.klRowsF32 : k.klRowsF64)(conv, p[0], strides[0], p[1], strides[1], n, cols, out);
      case 'jsd':
        return (f32 ? k.jsdRowsF32 : k.jsdRowsF64)(p[0], strides[0], p[1], strides[1], n, cols, out);
    }
  }

  /** Rows too long for the arena: each row streams through in segments, partial sums carried. */
  private segmentedRows(job: RowJob, dtype: DType): number {
    const { heap, k } = this;
    const cols = job.p.cols;
    const eb = elemBytes(dtype);
    const f32 = dtype === 'f32' ? 1 : 0;
    const inputs = job.q ? [job.p, job.q] : [job.p];
    const state = heap.arena;
    const state2 = state + STATE_BYTES;
    const data = state2 + STATE_BYTES;
    const seg = this.segmentLength(dtype, inputs.length);
    if (seg < 4) throw new Error(`infodiv: arenaBytes ${heap.arenaBytes} is too small to stream`);
    const at = inputs.map((_, i) => data + i * align(seg * eb));
    const conv = CONV[job.convention];
    let bad = 0;
    const stream = (r: number, fn: (c0: number, n: number) => void) => {
      for (let c0 = 0; c0 < cols; c0 += seg) {
        const c1 = Math.min(cols, c0 + seg);
        const view = heap.view(dtype);
        inputs.forEach((s, i) => s.copy(s.rows === 1 ? 0 : r, (s.rows === 1 ? 0 : r) + 1, c0, c1, view, at[i] / eb));
        fn(c0, c1 - c0);
      }
    };
    for (let r = 0; r < job.rows; r++) {
      let v: number;
      heap.f64.fill(0, state / 8, data / 8);
      if (job.measure === 'jsd') {
        stream(r, (_c0, n) => {
          (f32 ? k.sumMinSegmentF32 : k.sumMinSegmentF64)(at[0], n, state);
          (f32 ? k.sumMinSegmentF32 : k.sumMinSegmentF64)(at[1], n, state2);
        });
        const s = heap.f64;
        const sp = s[state / 8], mp = s[state / 8 + 1], sq = s[state2 / 8], mq = s[state2 / 8 + 1];
        v = NaN;
        if (k.jsdFastOk(sp, mp, sq, mq, f32)) {
          heap.f64[state / 8 + 2] = 0;
          stream(r, (_c0, n) => (f32 ? k.jsdSegmentF32 : k.jsdSegmentF64)(at[0], at[1], n, 1 / sp, 1 / sq, state + 16));
          v = Math.max(0, 0.5 * heap.f64[state / 8 + 2]);
        }
      } else {
        const m = MEASURE_CODE[job.measure];
        stream(r, (_c0, n) => (f32 ? k.divSegmentF32 : k.divSegmentF64)(m, conv, at[0], job.q ? at[1] : at[0], n, state));
        v = k.divFinish(m, conv, f32, state);
      }
      if (!(v < Infinity) || Number.isNaN(v)) v = this.referenceRow(job, r);
      if (Number.isNaN(v)) bad++;
      job.out[r] = v;
    }
    return bad;
  }

  /**
   * Elements per segment of a row too long for the arena. It depends on arenaBytes only (public
   * so that the thread pool streams the same segments).
   */
  segmentLength(dtype: DType, inputs: number): number {
    return Math.floor((this.heap.arenaBytes - 2 * STATE_BYTES - 64 * inputs) / (elemBytes(dtype) * inputs) / 4) * 4;
  }

  /** The exact float64 reference for one row the fast path declined (extreme values or errors). */
  referenceRow(job: RowJob, r: number): number {
    const cols = job.p.cols;
    const p = new Float64Array(cols);
    job.p.copy(job.p.rows === 1 ? 0 : r, (job.p.rows === 1 ? 0 : r) + 1, 0, cols, p, 0);
    if (job.measure === 'entropy') return entropyRow(p, 0, cols, job.convention);
    const q = new Float64Array(cols);
    const qs = job.q!;
    qs.copy(qs.rows === 1 ? 0 : r, (qs.rows === 1 ? 0 : r) + 1, 0, cols, q, 0);
    if (job.measure === 'crossEntropy') return crossEntropyRow(p, 0, q, 0, cols, job.convention);
    if (job.measure === 'kl') return klRow(p, 0, q, 0, cols, job.convention);
    return jsdRow(p, 0, q, 0, cols);
  }

  /** Tiles of rows through the arena (./wasm-pairwise.ts); rows too long for it use rowMeasure. */
  pairwise(job: PairJob): void {
    wasmPairwise({ heap: this.heap, kernels: this.k, rowMeasure: (j) => this.rowMeasure(j) }, job);
  }

  tableMeasure(job: TableJob): number {
    const { heap, k } = this;
    const { rows, cols, count } = job;
    const tableBytes = rows * cols * 8;
    const colSums = heap.arena;
    const body = colSums + align(cols * 8) + STATE_BYTES;
    const room = heap.arena + heap.arenaBytes - body;
    const code = TABLE_CODE[job.measure];
    const perChunk = this.tablesPerChunk(job);
    let bad = 0;
    if (perChunk >= 1) {
      const outAt = body + align(perChunk * tableBytes);
      for (let t0 = 0; t0 < count; t0 += perChunk) {
        const t1 = Math.min(count, t0 + perChunk);
        job.cells.copy(t0 * rows, t1 * rows, 0, cols, heap.f64, body / 8);
        bad += k.tablesF64(code, body, t1 - t0, rows, cols, colSums, outAt);
        job.out.set(heap.f64.subarray(outAt / 8, outAt / 8 + (t1 - t0)), t0);
      }
      return bad;
    }
    const rowsPerSeg = Math.floor(room / (cols * 8));
    for (let t = 0; t < count; t++) {
      let v: number;
      if (rowsPerSeg < 1) {
        v = this.referenceTable(job, t);
      } else {
        v = this.streamTable(job, t, code, rowsPerSeg, colSums, body);
      }
      if (Number.isNaN(v)) bad++;
      job.out[t] = v;
    }
    return bad;
  }

  /**
   * Whole tables per arena chunk; below 1 each table streams in row segments. Public so that the
   * thread pool (src/pool/) streams exactly the same tables.
   */
  tablesPerChunk(job: TableJob): number {
    // The results follow the tables, after up to 63 bytes of alignment padding.
    const room = this.heap.arenaBytes - align(job.cols * 8) - STATE_BYTES - 64;
    return Math.floor(room / (job.rows * job.cols * 8 + 8));
  }

  /** One table larger than the arena, streamed in row segments (twice if it must be rescaled). */
  private streamTable(job: TableJob, t: number, code: number, rowsPerSeg: number, colSums: number, body: number): number {
    const { heap, k: kernels } = this;
    const { rows, cols } = job;
    const state = body - STATE_BYTES;
    const pass = (k: number) => {
      heap.f64.fill(0, colSums / 8, colSums / 8 + cols);
      heap.f64.fill(0, state / 8, state / 8 + 5);
      for (let x0 = 0; x0 < rows; x0 += rowsPerSeg) {
        const x1 = Math.min(rows, x0 + rowsPerSeg);
        job.cells.copy(t * rows + x0, t * rows + x1, 0, cols, heap.f64, body / 8);
        kernels.tableSegment(body, x1 - x0, cols, colSums, state, k);
      }
    };
    pass(0);
    const k = kernels.tableScale(state);
    if (Number.isNaN(k)) return NaN;
    if (k !== 0) pass(k);
    return kernels.tableFinish(code, cols, colSums, state);
  }

  private referenceTable(job: TableJob, t: number): number {
    const { rows, cols } = job;
    const cells = new Float64Array(rows * cols);
    job.cells.copy(t * rows, (t + 1) * rows, 0, cols, cells, 0);
    return TABLE_REFERENCE[job.measure](cells, 0, rows, cols);
  }
}
