// Pairwise measures on the WebAssembly backends. Rows of A and B go through the arena in
// square-ish tiles: a tile of B is copied in and prepared once (assembly/pairwise.ts: normalized
// rows, logs, self terms), then every tile of A is prepared against it and the kernel fills the
// tile of results, which is copied out. A symmetric measure over A alone computes only the
// tiles on and above the diagonal and mirrors them. Matrices already in the engine's memory
// are read in place.
import type { PairJob, RowJob } from '../backend.js';
import { commonDType, type DType, type RowSource } from '../input.js';
import { isValidRow } from '../reference/rows.js';
import { CONV, M_CROSS, M_JSD, M_KL, type KernelExports } from '../wasm/abi.js';
import type { WasmHeap } from '../wasm/heap.js';

const MEASURE_CODE = { crossEntropy: M_CROSS, kl: M_KL, jsd: M_JSD } as const;
const F_INVALID = 4; // the kernel's flag for an invalid row

// A prepared tile of A is read once per group of B rows, so it should stay in L2.
const A_TILE_BYTES = 256 * 1024;

const align = (n: number) => Math.ceil(n / 64) * 64;

/** What the backend lends this module: its memory, its kernels and its row streaming. */
export interface PairHost {
  heap: WasmHeap;
  kernels: KernelExports;
  rowMeasure(job: RowJob): number;
}

/** Bytes of a prepared tile of n rows: n·cols float64 rows, n float64 self terms, n i32 flags. */
const prepBytes = (n: number, cols: number) => align(n * (cols * 8 + 12));

/** A tile of rows in the arena: raw rows (or the matrix in place) and their prepared form. */
interface TileSlot {
  src: RowSource;
  /** Byte offset of the source matrix in the heap, or -1 when rows are copied to `raw`. */
  inPlace: number;
  raw: number;
  prep: number;
  /** First row currently prepared here, and as which argument (-1: none). */
  row0: number;
  second: boolean;
}

export function wasmPairwise(host: PairHost, job: PairJob): void {
  const { heap, kernels: k } = host;
  const a = job.a, b = job.b ?? job.a;
  const cols = a.cols;
  const dtype: DType = commonDType(a, job.b);
  const eb = dtype === 'f32' ? 4 : 8;
  const symmetric = job.b === null && job.measure === 'jsd';
  const inPlace = (s: RowSource) => {
    const e = s.engine;
    return e !== null && e.owner === heap && e.dtype === dtype ? e.byteOffset() : -1;
  };
  const aIn = inPlace(a), bIn = inPlace(b);
  const rawBytes = cols * eb;
  const costA = cols * 8 + 12 + (aIn >= 0 ? 0 : rawBytes);
  const costB = cols * 8 + 12 + (bIn >= 0 ? 0 : rawBytes);
  // Room left after the scratch row and the alignment padding of five regions.
  const room = heap.arenaBytes - align(cols * 8) - 5 * 64;
  // Square tiles of t rows: t·(costA + costB) + 8t² bytes (the results).
  const c = costA + costB;
  let t = Math.floor((-c + Math.sqrt(c * c + 32 * room)) / 16);
  t = Math.min(t, Math.max(8, Math.floor(A_TILE_BYTES / (cols * 8))));
  if (t < 1) return pairsOneByOne(host, job, symmetric);
  const tA = Math.min(a.rows, t);
  // An A tile smaller than t leaves room for a longer B tile (not when tiles must coincide).
  const tB = symmetric ? tA : Math.max(1, Math.min(b.rows, Math.floor((room - tA * costA) / (costB + 8 * tA))));

  let at = heap.arena;
  const take = (bytes: number) => { const p = at; at += align(bytes); return p; };
  const tmp = take(cols * 8);
  const slot = (src: RowSource, off: number, n: number): TileSlot =>
    ({ src, inPlace: off, raw: off >= 0 ? -1 : take(n * rawBytes), prep: take(prepBytes(n, cols)), row0: -1, second: false });
  const sb = slot(b, bIn, tB);
  const sa = slot(a, aIn, tA);
  const out = take(tA * tB * 8);

  const code = MEASURE_CODE[job.measure];
  const conv = CONV[job.convention];
  const prepFn = dtype === 'f32' ? k.pairPrepF32 : k.pairPrepF64;
  const tileFn = dtype === 'f32' ? k.pairTileF32 : k.pairTileF64;
  const rawAt = (s: TileSlot, r0: number) => (s.inPlace >= 0 ? s.inPlace + r0 * rawBytes : s.raw);

  const prepare = (s: TileSlot, r0: number, n: number, second: boolean, bad: Uint8Array) => {
    if (s.row0 === r0 && s.second === second) return;
    if (s.inPlace < 0) s.src.copy(r0, r0 + n, 0, cols, heap.view(dtype), s.raw / eb);
    const invalid = prepFn(code, conv, second ? 1 : 0, rawAt(s, r0), n, cols, s.prep, tmp);
    if (invalid > 0) {
      const flags = new Int32Array(heap.memory.buffer, s.prep + n * (cols * 8 + 8), n);
      for (let r = 0; r < n; r++) if (flags[r] & F_INVALID) bad[r0 + r] = 1;
    }
    s.row0 = r0;
    s.second = second;
  };

  const rowsA = a.rows, rowsB = b.rows;
  const res = job.out;
  for (let j0 = 0; j0 < rowsB; j0 += tB) {
    const nb = Math.min(tB, rowsB - j0);
    prepare(sb, j0, nb, job.measure !== 'jsd', job.b ? job.badB : job.badA);
    for (let i0 = 0; i0 < (symmetric ? j0 + 1 : rowsA); i0 += tA) {
      const na = Math.min(tA, rowsA - i0);
      const diagonal = symmetric && i0 === j0;
      if (!diagonal) prepare(sa, i0, na, false, job.badA);
      const from = diagonal ? sb : sa;
      tileFn(code, conv, rawAt(from, i0), from.prep, na, rawAt(sb, j0), sb.prep, nb, cols, out, diagonal ? 1 : 0);
      const f64 = heap.f64;
      const o = out / 8;
      for (let i = 0; i < na; i++) res.set(f64.subarray(o + i * nb, o + (i + 1) * nb), (i0 + i) * rowsB + j0);
      if (symmetric && !diagonal) {
        // The mirror image of an off-diagonal tile: result row j0 + j, columns i0..i0+na.
        for (let j = 0; j < nb; j++) {
          const dst = (j0 + j) * rowsB + i0;
          for (let i = 0; i < na; i++) res[dst + i] = f64[o + i * nb + j];
        }
      }
    }
  }
}

/** Rows too long for even a one-row tile: each pair streams through the backend's row path. */
function pairsOneByOne(host: PairHost, job: PairJob, symmetric: boolean): void {
  const a = job.a, b = job.b ?? job.a;
  const normalize = job.convention === 'scipy';
  markInvalid(a, normalize, job.badA);
  if (job.b) markInvalid(b, normalize, job.badB);
  const badB = job.b ? job.badB : job.badA;
  const one = new Float64Array(1);
  for (let i = 0; i < a.rows; i++) {
    for (let j = symmetric ? i : 0; j < b.rows; j++) {
      let v = NaN;
      if (!job.badA[i] && !badB[j]) {
        host.rowMeasure({ measure: job.measure, convention: job.convention, p: singleRow(a, i), q: singleRow(b, j), rows: 1, out: one });
        v = one[0];
      }
      job.out[i * b.rows + j] = v;
      if (symmetric) job.out[j * b.rows + i] = v;
    }
  }
}

function markInvalid(src: RowSource, normalize: boolean, bad: Uint8Array): void {
  const row = new Float64Array(src.cols);
  for (let r = 0; r < src.rows; r++) {
    src.copy(r, r + 1, 0, src.cols, row, 0);
    if (!isValidRow(row, 0, src.cols) || (normalize && row.every((v) => v === 0))) bad[r] = 1;
  }
}

/**
 * Row r of src as a one-row source, declared float64 so that float32 rows are widened and the
 * pair is computed in float64 like the tiles (never in place: the row path streams it).
 */
function singleRow(src: RowSource, r: number): RowSource {
  return {
    name: src.name, rows: 1, cols: src.cols, oneD: true, dtype: 'f64', engine: null,
    copy: (_r0, _r1, c0, c1, dst, off) => src.copy(r, r + 1, c0, c1, dst, off),
    get: (_r, c) => src.get(r, c),
  };
}
