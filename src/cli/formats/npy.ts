// NumPy .npy, read and written by hand (format spec: numpy.lib.format). The header is checked
// against the file size before anything is allocated, so a hostile header cannot make us allocate;
// rows are then read with positional reads, float64 straight into the caller's (engine) memory.
// Typed arrays use the host's byte order; every platform Node runs on here is little-endian, as
// the '<' in the descriptors says.
import type { FileHandle } from 'node:fs/promises';
import { DataError, io } from '../errors.js';
import { shardRange } from '../shard.js';
import type { ReadOptions, RowReader } from './format.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy itself refuses headers over 10,000 bytes unless told otherwise; we allow a little more. */
const MAX_HEADER_BYTES = 65536;
const SCRATCH_BYTES = 1 << 20;

type ElementArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
type ElementType = { bytes: number; view: new (buffer: ArrayBuffer, offset: number, length: number) => ElementArray };

const DTYPES: Record<string, ElementType> = {
  '<f8': { bytes: 8, view: Float64Array },
  '<f4': { bytes: 4, view: Float32Array },
  '|i1': { bytes: 1, view: Int8Array },
  '|u1': { bytes: 1, view: Uint8Array },
  '<i2': { bytes: 2, view: Int16Array },
  '<u2': { bytes: 2, view: Uint16Array },
  '<i4': { bytes: 4, view: Int32Array },
  '<u4': { bytes: 4, view: Uint32Array },
  '<i8': { bytes: 8, view: BigInt64Array },
  '<u8': { bytes: 8, view: BigUint64Array },
};

interface NpyHeader {
  descr: string;
  dtype: ElementType;
  shape: number[];
  /** Byte offset of the first element. */
  dataOffset: number;
}

function field(text: string, name: string, value: string): string | null {
  const m = new RegExp(`['"]${name}['"]\\s*:\\s*${value}`).exec(text);
  return m ? m[1] : null;
}

/** Reads and checks the header: known dtype, C order, at most 2-D, data size equal to what is left of the file. */
async function readNpyHeader(fh: FileHandle, file: string): Promise<NpyHeader> {
  const bad = (why: string) => new DataError(file, { kind: 'file' }, `not a valid .npy file: ${why}`);
  const size = (await io(file, () => fh.stat())).size;
  const prefix = Buffer.alloc(12);
  const { bytesRead } = await io(file, () => fh.read(prefix, 0, 12, 0));
  if (bytesRead < 10 || MAGIC.some((b, k) => prefix[k] !== b)) throw bad('it does not start with \\x93NUMPY');
  const major = prefix[6];
  if (major < 1 || major > 3) throw bad(`unknown format version ${major}`);
  const headerBytes = major === 1 ? prefix.readUInt16LE(8) : prefix.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const dataOffset = headerStart + headerBytes;
  if (headerBytes > MAX_HEADER_BYTES) throw bad(`header of ${headerBytes} bytes (at most ${MAX_HEADER_BYTES})`);
  if (dataOffset > size) throw bad(`header of ${headerBytes} bytes in a file of ${size}`);
  const raw = Buffer.alloc(headerBytes);
  await io(file, () => fh.read(raw, 0, headerBytes, headerStart));
  const text = raw.toString(major === 3 ? 'utf8' : 'latin1');

  const descr = field(text, 'descr', `['"]([^'"]*)['"]`);
  if (descr === null) throw bad('no descr in the header');
  // One-byte types have no byte order; numpy writes '|', other writers sometimes '<'.
  const dtype = DTYPES[descr.replace(/^<([iu]1)$/, '|$1')];
  if (!dtype) {
    const why = descr.startsWith('>') ? 'big-endian data' : `dtype ${descr}`;
    throw bad(`${why} is not supported (float64, float32 or integers, little-endian)`);
  }
  const order = field(text, 'fortran_order', '(True|False)');
  if (order === null) throw bad('no fortran_order in the header');
  const shapeText = field(text, 'shape', '\\(([^)]*)\\)');
  if (shapeText === null) throw bad('no shape in the header');
  const dims = shapeText.split(',').map((d) => d.trim()).filter((d) => d !== '');
  if (dims.some((d) => !/^\d{1,15}$/.test(d))) throw bad(`shape (${shapeText}) is not a tuple of sizes`);
  const shape = dims.map(Number);
  if (shape.length === 0 || shape.length > 2) throw bad(`${shape.length}-D arrays are not supported (1-D or 2-D)`);
  if (order === 'True' && shape.length === 2 && shape[0] > 1 && shape[1] > 1) throw bad('Fortran (column-major) order is not supported; save with C order');
  const dataBytes = shape.reduce((a, b) => a * b, dtype.bytes);
  if (dataBytes !== size - dataOffset) {
    throw bad(`the header promises ${shape.join(' × ')} ${descr} (${dataBytes} bytes) but the file holds ${size - dataOffset} bytes of data`);
  }
  return { descr, dtype, shape, dataOffset };
}

class NpyRowReader implements RowReader {
  readonly names = null;
  private delivered = 0;
  private blockStart = 0;
  private readonly rowBytes: number;
  private scratch: ArrayBuffer | null = null;

  constructor(
    private readonly fh: FileHandle,
    readonly file: string,
    private readonly dtype: ElementType,
    readonly rows: number,
    readonly fileRows: number,
    readonly cols: number,
    /** Index of this reader's first row in the file. */
    private readonly firstRow: number,
    private readonly dataOffset: number,
  ) {
    this.rowBytes = cols * dtype.bytes;
  }

  get bytesDone(): number {
    return this.delivered * this.rowBytes;
  }

  get bytesTotal(): number {
    return this.rows * this.rowBytes;
  }

  async read(dst: Float64Array, max: number): Promise<number> {
    const n = Math.min(max, this.rows - this.delivered);
    this.blockStart = this.firstRow + this.delivered;
    const at = this.dataOffset + this.blockStart * this.rowBytes;
    const count = n * this.cols;
    if (this.dtype.view === Float64Array) {
      await this.readInto(new Uint8Array(dst.buffer, dst.byteOffset, count * 8), at);
    } else {
      await this.convert(dst, count, at);
    }
    this.delivered += n;
    return n;
  }

  /** Fills `bytes` from file offset `at` (a read may return fewer bytes than asked). */
  private async readInto(bytes: Uint8Array, at: number): Promise<void> {
    for (let done = 0; done < bytes.length;) {
      const { bytesRead } = await io(this.file, () => this.fh.read(bytes, done, bytes.length - done, at + done));
      if (bytesRead === 0) throw new DataError(this.file, { kind: 'file' }, 'the file ended early (was it truncated while being read?)');
      done += bytesRead;
    }
  }

  /** Other element types go through a bounded scratch buffer and are widened to float64. */
  private async convert(dst: Float64Array, count: number, at: number): Promise<void> {
    const size = this.dtype.bytes;
    this.scratch ??= new ArrayBuffer(SCRATCH_BYTES);
    const perPass = Math.floor(SCRATCH_BYTES / size);
    for (let k0 = 0; k0 < count; k0 += perPass) {
      const k = Math.min(perPass, count - k0);
      await this.readInto(new Uint8Array(this.scratch, 0, k * size), at + k0 * size);
      const src = new this.dtype.view(this.scratch, 0, k);
      for (let j = 0; j < k; j++) dst[k0 + j] = Number(src[j]);
    }
  }

  async locate(row: number, col: number) {
    return { kind: 'element' as const, row: this.blockStart + row, col };
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export async function openNpy(fh: FileHandle, file: string, opts: ReadOptions): Promise<RowReader> {
  const header = await readNpyHeader(fh, file);
  const { shape } = header;
  const [rows, cols] = shape.length === 2 ? shape : opts.vector === 'column' ? [shape[0], 1] : [1, shape[0]];
  if (rows === 0) throw new DataError(file, { kind: 'file' }, 'the array has no rows');
  if (cols === 0) throw new DataError(file, { kind: 'file' }, 'the rows of the array are empty');
  const [lo, hi] = shardRange(rows, opts.shard);
  return new NpyRowReader(fh, file, header.dtype, hi - lo, rows, cols, lo, header.dataOffset);
}

/**
 * A version 1.0 header for float64 data of the given shape, padded to `length` bytes so that it
 * can be rewritten in place once the number of rows is known.
 */
export function npyHeader(shape: readonly number[], length = 128): Buffer {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': ${dims}, }`;
  const padded = dict.padEnd(length - 10 - 1, ' ') + '\n';
  const out = Buffer.alloc(length);
  Buffer.from(MAGIC).copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(length - 10, 8);
  out.write(padded, 10, 'latin1');
  return out;
}
