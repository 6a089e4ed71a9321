// Writing rows of results in the format the output file's extension names.
import type { Sink } from '../output.js';
import { csvLine, csvName } from './csv.js';
import { formatOf, type Format } from './format.js';
import { jsonLine } from './jsonl.js';
import { formatNumber } from './numbers.js';
import { npyHeader } from './npy.js';

export interface RowWriter {
  /** Appends `rows` rows of `cols` values from values (row-major). */
  write(values: Float64Array, rows: number): Promise<void>;
  /** Completes the file (a .npy header gets its final shape) and commits the sink. */
  finish(): Promise<void>;
}

export interface WriterOptions {
  /** Values per row; a writer with `vector` set writes a 1-D result (one value per row). */
  cols: number;
  vector: boolean;
  /** Header names for CSV/TSV, or null for no header line. */
  names: string[] | null;
}

// Writers start writing with the first results, so that a run failing on its first block (a bad
// option the engine rejects, bad data) writes nothing at all, not even a header to standard output.
class TextWriter implements RowWriter {
  private headerDone = false;
  private readonly delimiter: string;

  constructor(private readonly sink: Sink, private readonly format: Exclude<Format, 'npy'>, private readonly opts: WriterOptions) {
    this.delimiter = format === 'tsv' ? '\t' : ',';
  }

  /** The header line the first time it is asked for (CSV/TSV with names), else ''. */
  private headerOnce(): string {
    if (this.headerDone) return '';
    this.headerDone = true;
    const { names } = this.opts;
    if (!names || this.format === 'jsonl') return '';
    return names.map((n) => csvName(n, this.delimiter)).join(this.delimiter) + '\n';
  }

  async write(values: Float64Array, rows: number): Promise<void> {
    const { cols, vector } = this.opts;
    let text = this.headerOnce();
    for (let r = 0; r < rows; r++) {
      const from = r * cols, to = from + cols;
      if (this.format !== 'jsonl') text += csvLine(values, from, to, this.delimiter);
      else text += vector ? formatNumber(values[from]) : jsonLine(values, from, to);
      text += '\n';
    }
    if (text) await this.sink.write(text);
  }

  async finish(): Promise<void> {
    const header = this.headerOnce();
    if (header) await this.sink.write(header);
    await this.sink.commit();
  }
}

const NPY_HEADER_BYTES = 128;

class NpyWriter implements RowWriter {
  private rows = 0;
  private started = false;

  constructor(private readonly sink: Sink, private readonly opts: WriterOptions) {}

  private shape(): number[] {
    return this.opts.vector ? [this.rows] : [this.rows, this.opts.cols];
  }

  /** The row count is known only at the end: a fixed-size header is reserved now and rewritten then. */
  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.sink.write(npyHeader(this.shape(), NPY_HEADER_BYTES));
  }

  async write(values: Float64Array, rows: number): Promise<void> {
    await this.start();
    await this.sink.write(new Uint8Array(values.buffer, values.byteOffset, rows * this.opts.cols * 8));
    this.rows += rows;
  }

  async finish(): Promise<void> {
    await this.start();
    await this.sink.writeAt(npyHeader(this.shape(), NPY_HEADER_BYTES), 0);
    await this.sink.commit();
  }
}

/** A writer for the sink; standard output gets CSV. */
export function createWriter(sink: Sink, path: string | null, opts: WriterOptions): RowWriter {
  const format = path === null ? 'csv' : formatOf(path);
  return format === 'npy' ? new NpyWriter(sink, opts) : new TextWriter(sink, format, opts);
}
