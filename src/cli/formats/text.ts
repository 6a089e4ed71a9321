// Row readers over text (CSV, TSV, JSON Lines): header detection, the first row fixing the width,
// shards found by counting lines, and errors placed at a line and column.
import type { FileHandle } from 'node:fs/promises';
import { DataError, io } from '../errors.js';
import { COMMA, TAB, csvSyntax, parseHeader } from './csv.js';
import { shardRange } from '../shard.js';
import type { Format, ReadOptions, RowReader } from './format.js';
import { jsonlSyntax } from './jsonl.js';
import { LineReader, columnOf, lineAt, scanLines } from './lines.js';
import { CellProblem, type RowSyntax } from './syntax.js';

const BOM = [0xef, 0xbb, 0xbf];

class TextRowReader implements RowReader {
  private readonly lines: LineReader;
  private delivered = 0;
  /** File offset and line number of each row of the last block. */
  private blockOffsets = new Float64Array(0);
  private blockLines = new Float64Array(0);

  constructor(
    private readonly fh: FileHandle,
    readonly file: string,
    private readonly syntax: RowSyntax,
    readonly cols: number,
    readonly names: string[] | null,
    readonly rows: number | null,
    readonly fileRows: number | null,
    private readonly start: number,
    startLine: number,
    private readonly stop: number,
  ) {
    this.lines = new LineReader(fh, file, start, startLine);
  }

  get bytesDone(): number {
    return Math.min(this.lines.consumed, this.stop) - this.start;
  }

  get bytesTotal(): number {
    return this.stop - this.start;
  }

  async read(dst: Float64Array, max: number): Promise<number> {
    if (this.blockOffsets.length < max) {
      this.blockOffsets = new Float64Array(max);
      this.blockLines = new Float64Array(max);
    }
    const { lines, syntax, cols } = this;
    const limit = this.rows ?? Infinity;
    let n = 0;
    while (n < max && this.delivered < limit) {
      if (!lines.next()) {
        if (!(await lines.fill())) break;
        continue;
      }
      const s = lines.start, e = lines.stop, buf = lines.bytes;
      if (s === e) continue;
      this.blockOffsets[n] = lines.lineOffset;
      this.blockLines[n] = lines.line;
      let found: number;
      try {
        found = syntax.parseRow(buf, s, e, dst, n * cols, cols);
      } catch (err) {
        if (err instanceof CellProblem) throw this.problem(buf, s, err.at, err.message);
        throw err;
      }
      if (found < cols) {
        throw this.problem(buf, s, e, `row has ${found} values (expected ${cols})`);
      }
      n++;
      this.delivered++;
    }
    return n;
  }

  private problem(buf: Buffer, lineStart: number, at: number, message: string): DataError {
    return new DataError(this.file, { kind: 'text', line: this.lines.line, column: columnOf(buf, lineStart, at) }, message);
  }

  async locate(row: number, col: number) {
    const line = await lineAt(this.fh, this.file, this.blockOffsets[row]);
    return { kind: 'text' as const, line: this.blockLines[row], column: columnOf(line, 0, this.syntax.cellStart(line, col)) };
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** The first non-blank line: its text position and the reader positioned on it. */
async function firstLine(fh: FileHandle, file: string, offset: number): Promise<LineReader | null> {
  const reader = new LineReader(fh, file, offset, 1);
  for (;;) {
    while (reader.next()) if (reader.start < reader.stop) return reader;
    if (!(await reader.fill())) return null;
  }
}

async function hasBom(fh: FileHandle, file: string): Promise<boolean> {
  const head = Buffer.alloc(3);
  const { bytesRead } = await io(file, () => fh.read(head, 0, 3, 0));
  return bytesRead === 3 && BOM.every((b, k) => head[k] === b);
}

export async function openText(fh: FileHandle, file: string, format: Exclude<Format, 'npy'>, opts: ReadOptions): Promise<RowReader> {
  const size = (await io(file, () => fh.stat())).size;
  const delimiter = format === 'tsv' ? TAB : COMMA;
  const syntax = format === 'jsonl' ? jsonlSyntax : csvSyntax(delimiter);
  const first = await firstLine(fh, file, (await hasBom(fh, file)) ? 3 : 0);
  if (!first) throw new DataError(file, { kind: 'file' }, 'the file has no rows');
  const buf = first.bytes, s = first.start, e = first.stop;
  const place = (at: number) => ({ kind: 'text' as const, line: first.line, column: columnOf(buf, s, at) });

  // The first line is a header when it is not numeric, unless --header/--no-header says otherwise.
  const values: number[] = [];
  let problem: CellProblem | null = null;
  try {
    syntax.parseRow(buf, s, e, values, 0, Infinity);
  } catch (err) {
    if (!(err instanceof CellProblem)) throw err;
    problem = err;
  }
  const textual = format !== 'jsonl';
  const header = textual && (opts.header ?? problem !== null);
  if (problem && !header) {
    const hint = textual ? ' (if this line is a header, do not pass --no-header)' : '';
    throw new DataError(file, place(problem.at), problem.message + hint);
  }
  const names = header ? parseHeader(buf.toString('utf8', s, e), delimiter) : null;
  const cols = names ? names.length : values.length;
  if (cols === 0) throw new DataError(file, place(s), 'the first row has no values');

  let start = header ? first.consumed : first.lineOffset;
  let startLine = header ? first.line + 1 : first.line;
  let stop = size;
  let rows: number | null = null;
  let total: number | null = null;
  if (opts.shard || opts.countRows) {
    total = (await scanLines(fh, file, start, startLine)).count;
    const [lo, hi] = shardRange(total, opts.shard);
    if (lo > 0) ({ offset: start, line: startLine } = await scanLines(fh, file, start, startLine, lo));
    if (hi < total) stop = (await scanLines(fh, file, start, startLine, hi - lo)).offset;
    rows = hi - lo;
  }
  return new TextRowReader(fh, file, syntax, cols, names, rows, total, start, startLine, stop);
}
