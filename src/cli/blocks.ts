// Rows travel from a file to the engine in blocks: each block is parsed straight into an engine
// matrix (zero-copy), so memory holds one block per input whatever the file size.
import type { Engine } from '../engine.js';
import { InfodivError } from '../errors.js';
import type { EngineMatrix, Matrix } from '../types.js';
import { DataError, type Place } from './errors.js';
import type { RowReader } from './formats/format.js';
import { openRows } from './formats/open.js';

/** At most this many rows per block... */
export const MAX_BLOCK_ROWS = 8192;
/** ...and at most this many bytes of float64 per block (a single longer row still makes a block). */
export const BLOCK_BYTES = 16 << 20;

export function blockRowsFor(cols: number, requested: number | undefined): number {
  if (requested !== undefined) return requested;
  return Math.max(1, Math.min(MAX_BLOCK_ROWS, Math.floor(BLOCK_BYTES / (cols * 8))));
}

/** One input's block: an engine matrix that the reader fills a block of rows at a time. */
export class Block {
  readonly matrix: EngineMatrix;
  /** Rows read into the block by the last fill. */
  rows = 0;
  /** Rows read before this block. */
  firstRow = 0;

  constructor(engine: Engine, readonly reader: RowReader, readonly capacity: number) {
    this.matrix = engine.matrix(capacity, reader.cols, 'float64');
  }

  async fill(max = this.capacity): Promise<number> {
    this.firstRow += this.rows;
    // The data getter re-creates its view after memory growth; nothing allocates while we read.
    this.rows = await this.reader.read(this.matrix.data as Float64Array, Math.min(max, this.capacity));
    return this.rows;
  }

  /** The filled rows as a batch: the engine matrix itself when full (zero-copy), else a view of it. */
  batch(): Matrix {
    if (this.rows === this.capacity) return this.matrix;
    const cols = this.reader.cols;
    return { data: (this.matrix.data as Float64Array).subarray(0, this.rows * cols), rows: this.rows, cols };
  }

  value(row: number, col: number): number {
    return this.matrix.data[row * this.reader.cols + col];
  }

  free(): void {
    this.matrix.free();
  }
}

/** Reads a whole file into one engine matrix (for inputs a command needs at once). */
export async function readAll(engine: Engine, reader: RowReader): Promise<Block> {
  const block = new Block(engine, reader, reader.rows!);
  if (block.capacity > 0) await block.fill();
  return block;
}

/** Opens `file`, reads it whole (readAll) and runs `use` on it; the matrix is freed and the file closed after. */
export async function withWholeFile<T>(engine: Engine, file: string, header: boolean | undefined, use: (block: Block) => Promise<T>): Promise<T> {
  const reader = await openRows(file, { header, shard: null, countRows: true });
  let block: Block | null = null;
  try {
    block = await readAll(engine, reader);
    return await use(block);
  } finally {
    block?.free();
    await reader.close();
  }
}

const DESCRIPTIONS: Partial<Record<InfodivError['code'], string>> = {
  NEGATIVE_VALUE: 'negative value',
  NON_FINITE: 'non-finite value',
};

/** An engine error about element [row, col] of a block (or its row, col 0), as a DataError at its place in the file. */
export async function placeEngineError(err: InfodivError, block: Block, row: number, col: number, argument: string): Promise<DataError> {
  const place: Place = await block.reader.locate(row, col);
  const what = DESCRIPTIONS[err.code];
  const detail = what
    ? `${argument}: ${what} ${block.value(row, col)} [${err.code}]`
    : err.code === 'ZERO_SUM'
      ? `${argument}: the row sums to zero, it cannot be normalized [ZERO_SUM]`
      : `${argument}: ${err.message} [${err.code}]`;
  return new DataError(block.reader.file, place, detail);
}
