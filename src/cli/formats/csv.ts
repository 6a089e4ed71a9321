// CSV and TSV: numeric rows, one per line, cells optionally quoted and space-padded. The header
// line is text, so it goes through csv-parse, which knows every quoting rule.
import { parse } from 'csv-parse/sync';
import { formatNumber, parseNumber, scanNumber, scannedValue } from './numbers.js';
import { CellProblem, notANumber, tooMany, type RowSyntax } from './syntax.js';

const SPACE = 32, QUOTE = 34;
export const COMMA = 44, TAB = 9;

export function csvSyntax(delimiter: number): RowSyntax {
  return {
    parseRow(buf, s, e, dst, off, cols) {
      let i = s;
      let k = 0;
      for (;;) {
        while (i < e && buf[i] === SPACE) i++;
        let cs = i, ce: number;
        if (k >= cols) throw tooMany(cs, cols);
        // Fast path, one pass over the bytes: a plain number, then the delimiter or the line's end.
        const end = scanNumber(buf, i, e);
        if (end > i) {
          let j = end;
          while (j < e && buf[j] === SPACE) j++;
          if (j === e || buf[j] === delimiter) {
            dst[off + k++] = scannedValue;
            if (j === e) return k;
            i = j + 1;
            continue;
          }
        }
        // Everything else: quoted cells, nan and inf, and the errors.
        if (buf[i] === QUOTE && i < e) {
          cs = ++i;
          while (i < e && buf[i] !== QUOTE) i++;
          if (i >= e) throw new CellProblem(cs - 1, 'unterminated quoted cell');
          ce = i++;
          while (i < e && buf[i] === SPACE) i++;
          if (i < e && buf[i] !== delimiter) throw new CellProblem(i, `expected ${delimiter === TAB ? 'a tab' : 'a comma'} after the quoted cell`);
        } else {
          while (i < e && buf[i] !== delimiter) i++;
          ce = i;
          while (ce > cs && buf[ce - 1] === SPACE) ce--;
        }
        const v = parseNumber(buf, cs, ce);
        if (v === undefined) throw notANumber(buf, cs, ce);
        dst[off + k++] = v;
        if (i >= e) return k;
        i++;
      }
    },

    cellStart(line, col) {
      let i = 0;
      for (let k = 0; k < col && i < line.length; k++) {
        let quoted = false;
        while (i < line.length && (quoted || line[i] !== delimiter)) {
          if (line[i] === QUOTE) quoted = !quoted;
          i++;
        }
        i++;
      }
      while (i < line.length && line[i] === SPACE) i++;
      return Math.min(i, line.length);
    },
  };
}

/** The names of a header line. */
export function parseHeader(line: string, delimiter: number): string[] {
  const records = parse(line, { delimiter: String.fromCharCode(delimiter), bom: true, relax_column_count: true }) as string[][];
  return records[0] ?? [];
}

/** One CSV line of numbers. */
export function csvLine(values: ArrayLike<number>, from: number, to: number, delimiter: string): string {
  let line = formatNumber(values[from]);
  for (let k = from + 1; k < to; k++) line += delimiter + formatNumber(values[k]);
  return line;
}

/** A header cell, quoted only when it must be. */
export function csvName(name: string, delimiter: string): string {
  return /["\r\n]/.test(name) || name.includes(delimiter) ? `"${name.replace(/"/g, '""')}"` : name;
}
