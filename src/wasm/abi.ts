// The kernels' exports (assembly/index.ts) and the codes they share with assembly/common.ts.
export const M_ENTROPY = 0;
export const M_CROSS = 1;
export const M_KL = 2;
export const M_JSD = 3;

export const CONV = { scipy: 0, raw: 1, keras: 2 } as const;

export const J_MI = 0;
export const J_JOINT = 1;
export const J_COND = 2;

/** Bytes of the per-row state of the segment kernels (5 f64, rounded up). */
export const STATE_BYTES = 64;

type Ptr = number;
type RowsFn = (conv: number, p: Ptr, pStride: number, q: Ptr, qStride: number, rows: number, cols: number, out: Ptr) => number;
type PairPrepFn = (measure: number, conv: number, second: number, raw: Ptr, rows: number, cols: number, prep: Ptr, tmp: Ptr) => number;
type PairTileFn = (measure: number, conv: number, aRaw: Ptr, aPrep: Ptr, na: number, bRaw: Ptr, bPrep: Ptr, nb: number, cols: number, out: Ptr, upper: number) => void;
type JsdFn = (p: Ptr, pStride: number, q: Ptr, qStride: number, rows: number, cols: number, out: Ptr) => number;

export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  entropyRowsF32(conv: number, p: Ptr, rows: number, cols: number, out: Ptr): number;
  entropyRowsF64(conv: number, p: Ptr, rows: number, cols: number, out: Ptr): number;
  crossEntropyRowsF32: RowsFn;
  crossEntropyRowsF64: RowsFn;
  klRowsF32: RowsFn;
  klRowsF64: RowsFn;
  jsdRowsF32: JsdFn;
  jsdRowsF64: JsdFn;
  divSegmentF32(measure: number, conv: number, p: Ptr, q: Ptr, n: number, state: Ptr): void;
  divSegmentF64(measure: number, conv: number, p: Ptr, q: Ptr, n: number, state: Ptr): void;
  divFinish(measure: number, conv: number, f32: number, state: Ptr): number;
  sumMinSegmentF32(x: Ptr, n: number, state: Ptr): void;
  sumMinSegmentF64(x: Ptr, n: number, state: Ptr): void;
  jsdSegmentF32(p: Ptr, q: Ptr, n: number, a: number, b: number, state: Ptr): void;
  jsdSegmentF64(p: Ptr, q: Ptr, n: number, a: number, b: number, state: Ptr): void;
  jsdFastOk(sp: number, mp: number, sq: number, mq: number, f32: number): number;
  pairPrepF32: PairPrepFn;
  pairPrepF64: PairPrepFn;
  pairTileF32: PairTileFn;
  pairTileF64: PairTileFn;
  tablesF64(measure: number, tp: Ptr, count: number, rows: number, cols: number, colSums: Ptr, out: Ptr): number;
  tableSegment(tp: Ptr, rows: number, cols: number, colSums: Ptr, state: Ptr, k: number): void;
  tableScale(state: Ptr): number;
  tableFinish(measure: number, cols: number, colSums: Ptr, state: Ptr): number;
  // assembly/contingency.ts
  countPairs(a: Ptr, b: Ptr, n: number, x0: number, rows: number, y0: number, cols: number, tile: Ptr): void;
  groupPairs(a: Ptr, b: Ptr, n: number, x0: number, rows: number, cursor: Ptr, order: Ptr): void;
  scanCodes(type: number, p: Ptr, rows: number, stride: number, cols: number, hi: Ptr): void;
  countCodes(type: number, p: Ptr, rows: number, stride: number, cols: number, target: Ptr, offsets: Ptr, tables: Ptr, tcols: number): void;
  // assembly/labels.ts
  entropyTermsI32(p: Ptr, n: number, total: number): number;
  entropyTermsF64(p: Ptr, n: number, total: number): number;
  groupedEntropyTerms(order: Ptr, start: Ptr, rows: number, counts: Ptr, total: number): number;
  rowSumsI32(p: Ptr, rows: number, cols: number, out: Ptr): number;
  tableStatsF64(p: Ptr, rows: number, cols: number, rowSums: Ptr, colSums: Ptr, stats: Ptr): void;
  expectedMutualInfo(aVals: Ptr, aMult: Ptr, na: number, bVals: Ptr, bMult: Ptr, nb: number, n: number): number;
  // assembly/channel.ts
  channelScratchBytes(nx: number, ny: number, newton: number): number;
  channelInformation(px: Ptr, pxStride: number, W: Ptr, wStride: number, count: number, nx: number, ny: number, scratch: Ptr, out: Ptr): number;
  channelCapacity(W: Ptr, nx: number, ny: number, tol: number, maxIter: number, scratch: Ptr, out: Ptr): number;
}

/** Element types of a code matrix (assembly/contingency.ts). */
export const CODE_F64 = 0;
export const CODE_F32 = 1;
export const CODE_I32 = 2;
export const CODE_U32 = 3;
export const CODE_I16 = 4;
export const CODE_U16 = 5;
export const CODE_I8 = 6;
export const CODE_U8 = 7;

/** Slots of tableStatsF64's statistics (assembly/labels.ts). */
export const TS_MIN = 0;
export const TS_MAX = 1;
export const TS_MIN_POSITIVE = 2;
export const TS_FRACTIONAL = 3;
export const TS_TOTAL = 4;
export const TS_TOTAL_LO = 5;
export const TS_SLOTS = 6;

/** Slots of channelCapacity's result (assembly/channel.ts). */
export const CAP_CAPACITY = 0;
export const CAP_ITERATIONS = 1;
export const CAP_GAP = 2;
