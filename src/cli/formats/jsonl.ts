// JSON Lines: one array of numbers per line. NaN and Infinity are accepted bare, as Python's json
// module writes them, and written the same way (JSON itself cannot spell them).
import { formatNumber, parseNumber, scanNumber, scannedValue } from './numbers.js';
import { CellProblem, notANumber, tooMany, type RowSyntax } from './syntax.js';

const SPACE = 32, TAB = 9, COMMA = 44, OPEN = 91, CLOSE = 93;

function skipSpace(buf: Buffer, i: number, e: number): number {
  while (i < e && (buf[i] === SPACE || buf[i] === TAB)) i++;
  return i;
}

export const jsonlSyntax: RowSyntax = {
  parseRow(buf, s, e, dst, off, cols) {
    let i = skipSpace(buf, s, e);
    if (buf[i] !== OPEN || i >= e) throw new CellProblem(i, 'expected a JSON array of numbers ("[")');
    i = skipSpace(buf, i + 1, e);
    let k = 0;
    if (buf[i] === CLOSE && i < e) {
      i++;
    } else {
      for (;;) {
        const cs = i;
        if (k >= cols) throw tooMany(cs, cols);
        const end = scanNumber(buf, i, e);
        const next = skipSpace(buf, end, e);
        if (end > i && (buf[next] === COMMA || buf[next] === CLOSE) && next < e) {
          // Fast path: a plain number and its separator.
          dst[off + k++] = scannedValue;
          i = skipSpace(buf, next + 1, e);
          if (buf[next] === CLOSE) break;
          continue;
        }
        while (i < e && buf[i] !== COMMA && buf[i] !== CLOSE && buf[i] !== SPACE && buf[i] !== TAB) i++;
        const v = parseNumber(buf, cs, i);
        if (v === undefined) throw notANumber(buf, cs, i);
        dst[off + k++] = v;
        i = skipSpace(buf, i, e);
        if (i >= e) throw new CellProblem(i, 'unterminated array (missing "]")');
        if (buf[i++] === CLOSE) break;
        i = skipSpace(buf, i, e);
      }
    }
    i = skipSpace(buf, i, e);
    if (i < e) throw new CellProblem(i, 'unexpected text after the array');
    return k;
  },

  cellStart(line, col) {
    let i = line.indexOf(OPEN) + 1;
    for (let k = 0; k < col && i < line.length; k++) {
      while (i < line.length && line[i] !== COMMA && line[i] !== CLOSE) i++;
      i++;
    }
    return Math.min(skipSpace(line, i, line.length), line.length);
  },
};

/** One JSON Lines row. */
export function jsonLine(values: ArrayLike<number>, from: number, to: number): string {
  let line = '[';
  for (let k = from; k < to; k++) line += (k > from ? ',' : '') + formatNumber(values[k]);
  return line + ']';
}
