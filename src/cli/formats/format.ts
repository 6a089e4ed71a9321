// File formats, told apart by extension, and what every row reader offers the commands.
import { extname } from 'node:path';
import { UsageError, type Place } from '../errors.js';
import type { Shard } from '../shard.js';

export type Format = 'csv' | 'tsv' | 'jsonl' | 'npy';

const EXTENSIONS: Record<string, Format> = {
  '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.npy': 'npy',
};

export const FORMAT_HELP = '.csv, .tsv (or .tab), .jsonl (or .ndjson), .npy';

export function formatOf(file: string): Format {
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (!format) throw new UsageError(`${file}: unknown file type (expected ${FORMAT_HELP})`);
  return format;
}

/** Rows of numbers read from a file in blocks. */
export interface RowReader {
  readonly file: string;
  readonly cols: number;
  /** Column names from a CSV/TSV header line, else null. */
  readonly names: string[] | null;
  /** Rows this reader delivers when known before reading them (.npy, or counted text). */
  readonly rows: number | null;
  /** Rows in the whole file (before --shard) when known, likewise. */
  readonly fileRows: number | null;
  /** Fills up to `max` rows into dst (row-major) and returns how many; 0 at the end. */
  read(dst: Float64Array, max: number): Promise<number>;
  /** Where element [row, col] of the block read last lies in the file, for error messages. */
  locate(row: number, col: number): Promise<Place>;
  /** Bytes of the row range read so far and in all (progress). */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  close(): Promise<void>;
}

export interface ReadOptions {
  /** true/false force whether a CSV/TSV has a header line; undefined detects it. */
  header: boolean | undefined;
  shard: Shard | null;
  /** Count the rows up front (text files need a pass over the file for it). */
  countRows: boolean;
  /** A 1-D .npy array is one row ('row', the default) or one value per row ('column'). */
  vector?: 'row' | 'column';
}
