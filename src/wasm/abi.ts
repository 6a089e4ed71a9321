// The kernels' exports (assembly/index.ts) and the codes they share with assembly/common.ts.
export const M_ENTROPY = 0;
export const M_CROSS = 1;
export const M_KL = 2;

export const CONV = { scipy: 0, raw: 1, keras: 2 } as const;

export const J_MI = 0;
export const J_JOINT = 1;
export const J_COND = 2;

/** Bytes of the per-row state of the segment kernels (5 f64, rounded up). */
export const STATE_BYTES = 64;

type Ptr = number;
type RowsFn = (conv: number, p: Ptr, pStride: number, q: Ptr, qStride: number, rows: number, cols: number, out: Ptr) => number;
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
  tablesF64(measure: number, tp: Ptr, count: number, rows: number, cols: number, colSums: Ptr, out: Ptr): number;
  tableSegment(tp: Ptr, rows: number, cols: number, colSums: Ptr, state: Ptr, k: number): void;
  tableScale(state: Ptr): number;
  tableFinish(measure: number, cols: number, colSums: Ptr, state: Ptr): number;
}
