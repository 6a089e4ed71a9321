// Lines of a text file, read in fixed-size chunks: the buffer holds one chunk plus the line that
// straddles its end, so memory stays bounded whatever the file size (a longer line grows it, up to
// MAX_LINE_BYTES).
import type { FileHandle } from 'node:fs/promises';
import { DataError, io } from '../errors.js';

const CHUNK_BYTES = 1 << 20;
const MAX_LINE_BYTES = 1 << 28;
const LF = 10, CR = 13;

export class LineReader {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Valid bytes are [pos, end) of buf; buf[0] is at file offset `base`. */
  private pos = 0;
  private end = 0;
  private base: number;
  private eof = false;
  /** The current line: bytes [start, stop) of `bytes`, without its line break. */
  start = 0;
  stop = 0;
  /** 1-based number of the current line in the file. */
  line: number;

  constructor(private readonly fh: FileHandle, readonly file: string, offset: number, firstLine: number) {
    this.base = offset;
    this.line = firstLine - 1;
  }

  get bytes(): Buffer {
    return this.buf;
  }

  /** File offset of the current line's first byte. */
  get lineOffset(): number {
    return this.base + this.start;
  }

  /** File offset up to which lines have been handed out (for progress). */
  get consumed(): number {
    return this.base + this.pos;
  }

  /**
   * Moves to the next line already in the buffer. False when more must be read first (call fill())
   * or the file has ended.
   */
  next(): boolean {
    if (this.pos >= this.end) return false;
    let nl = this.buf.indexOf(LF, this.pos);
    if (nl < 0 || nl >= this.end) {
      if (!this.eof) return false;
      nl = this.end;
    }
    this.start = this.pos;
    this.stop = nl > this.start && this.buf[nl - 1] === CR ? nl - 1 : nl;
    this.pos = Math.min(nl + 1, this.end);
    this.line++;
    return true;
  }

  /** Reads more of the file; false when it has ended and every line was handed out. */
  async fill(): Promise<boolean> {
    if (this.eof) return this.pos < this.end;
    if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
      this.base += this.pos;
      this.end -= this.pos;
      this.pos = 0;
    }
    if (this.end === this.buf.length) {
      if (this.buf.length >= MAX_LINE_BYTES) {
        throw new DataError(this.file, { kind: 'text', line: this.line + 1, column: 1 }, `line longer than ${MAX_LINE_BYTES} bytes`);
      }
      const grown = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(grown, 0, 0, this.end);
      this.buf = grown;
    }
    const { bytesRead } = await io(this.file, () => this.fh.read(this.buf, this.end, this.buf.length - this.end, this.base + this.end));
    if (bytesRead === 0) this.eof = true;
    this.end += bytesRead;
    return this.pos < this.end || !this.eof;
  }
}

/** The line starting at a file offset, as bytes (for locating an error after the fact). */
export async function lineAt(fh: FileHandle, file: string, offset: number): Promise<Buffer> {
  let buf = Buffer.allocUnsafe(1 << 16);
  let have = 0;
  for (;;) {
    const { bytesRead } = await io(file, () => fh.read(buf, have, buf.length - have, offset + have));
    const nl = buf.subarray(have, have + bytesRead).indexOf(LF);
    if (nl >= 0) { have += nl; break; }
    have += bytesRead;
    if (bytesRead === 0 || have >= MAX_LINE_BYTES) break;
    if (have === buf.length) { const grown = Buffer.allocUnsafe(buf.length * 2); buf.copy(grown); buf = grown; }
  }
  const line = buf.subarray(0, have);
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}

/** 1-based character column of byte `at` of a line whose first byte is `start` (UTF-8). */
export function columnOf(line: Buffer, start: number, at: number): number {
  return line.toString('utf8', start, at).length + 1;
}

interface LinePosition {
  /** Non-blank lines counted. */
  count: number;
  /** File offset and 1-based number of the line where the scan stopped. */
  offset: number;
  line: number;
}

/**
 * Counts non-blank lines from a file offset, stopping at the one with index `stopAt` (0-based) or at
 * the end of the file. Blank lines are skipped here exactly as the row readers skip them.
 */
export async function scanLines(fh: FileHandle, file: string, offset: number, firstLine: number, stopAt = Infinity): Promise<LinePosition> {
  const reader = new LineReader(fh, file, offset, firstLine);
  let count = 0;
  for (;;) {
    while (reader.next()) {
      if (reader.start === reader.stop) continue;
      if (count === stopAt) return { count, offset: reader.lineOffset, line: reader.line };
      count++;
    }
    if (!(await reader.fill())) return { count, offset: reader.consumed, line: reader.line + 1 };
  }
}
