// One owner of a module instance's linear memory: a fixed scratch arena that every call reuses
// (so repeated calls never grow memory) and, above it, the engine's zero-copy matrices.
// Typed-array views are re-created whenever memory.grow has replaced the buffer.
import { InfodivError } from '../errors.js';
import { ENGINE_MATRIX, type DType, type EngineMatrixTag } from '../input.js';
import type { EngineMatrix, FloatArray } from '../types.js';
import type { KernelExports } from './abi.js';

const PAGE = 65536;
const ALIGN = 64;
const MAX_BYTES = 65536 * PAGE;

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

interface Block {
  offset: number;
  bytes: number;
}

export class WasmHeap {
  readonly arena: number;
  readonly arenaBytes: number;
  private buffer: ArrayBuffer | SharedArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  /** Free blocks above the arena, sorted by offset (first fit, coalesced on free). */
  private free: Block[] = [];
  private top: number;

  constructor(readonly exports: KernelExports, arenaBytes: number) {
    this.arena = alignUp(exports.heapBase() >>> 0, ALIGN);
    this.arenaBytes = alignUp(arenaBytes, ALIGN);
    this.top = this.arena + this.arenaBytes;
    this.reserve(this.top);
  }

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Grows memory so that [0, end) is addressable. */
  private reserve(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (end > MAX_BYTES) throw new InfodivError('OUT_OF_MEMORY', `infodiv needs ${end} bytes of WebAssembly memory, more than the 4 GiB a module can address`);
    try {
      this.memory.grow(Math.ceil((end - have) / PAGE));
    } catch {
      throw new InfodivError('OUT_OF_MEMORY', `could not grow WebAssembly memory to ${end} bytes`);
    }
  }

  private refresh(): void {
    const b = this.memory.buffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.f32View = new Float32Array(b);
      this.f64View = new Float64Array(b);
    }
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  get f64(): Float64Array {
    this.refresh();
    return this.f64View;
  }

  view(dtype: DType): FloatArray {
    return dtype === 'f32' ? this.f32 : this.f64;
  }

  /** Allocates `bytes` above the arena, 64-byte aligned. */
  alloc(bytes: number): number {
    const size = alignUp(Math.max(bytes, 1), ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.bytes >= size) {
        const offset = b.offset;
        if (b.bytes === size) this.free.splice(i, 1);
        else { b.offset += size; b.bytes -= size; }
        return offset;
      }
    }
    const offset = this.top;
    this.reserve(offset + size);
    this.top = offset + size;
    return offset;
  }

  release(offset: number, bytes: number): void {
    const size = alignUp(Math.max(bytes, 1), ALIGN);
    let i = 0;
    while (i < this.free.length && this.free[i].offset < offset) i++;
    this.free.splice(i, 0, { offset, bytes: size });
    // Coalesce with neighbours, and give the topmost block back to the bump pointer.
    for (let k = Math.max(0, i - 1); k < this.free.length - 1;) {
      const a = this.free[k], b = this.free[k + 1];
      if (a.offset + a.bytes === b.offset) { a.bytes += b.bytes; this.free.splice(k + 1, 1); }
      else k++;
    }
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.bytes === this.top) { this.top = last.offset; this.free.pop(); }
  }

  /** A rows × cols matrix in this memory; `data` is always a live view. */
  matrix(rows: number, cols: number, dtype: DType): EngineMatrix {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new InfodivError('INVALID_OPTION', `matrix dimensions must be non-negative integers, got ${rows} × ${cols}`);
    }
    if (dtype !== 'f32' && dtype !== 'f64') throw new InfodivError('INVALID_OPTION', `matrix type must be 'float32' or 'float64'`);
    const elem = dtype === 'f32' ? 4 : 8;
    const bytes = rows * cols * elem;
    let offset = this.alloc(bytes);
    const heap = this;
    const tag: EngineMatrixTag = {
      owner: heap,
      byteOffset: () => {
        if (offset < 0) throw new InfodivError('INVALID_OPTION', 'this matrix was freed');
        return offset;
      },
      dtype,
    };
    return {
      rows,
      cols,
      get data(): FloatArray {
        const at = tag.byteOffset();
        const buf = heap.memory.buffer;
        return dtype === 'f32' ? new Float32Array(buf, at, rows * cols) : new Float64Array(buf, at, rows * cols);
      },
      free(): void {
        if (offset < 0) return;
        heap.release(offset, bytes);
        offset = -1;
      },
      [ENGINE_MATRIX]: tag,
    } as EngineMatrix;
  }
}
