// What the text readers need from a format: turn one line into numbers, and find where a given
// cell of a line starts (to point an error at it after the fact).

/** A cell that cannot be read; `at` is its byte position in the line buffer. */
export class CellProblem {
  constructor(readonly at: number, readonly message: string) {}
}

export interface RowSyntax {
  /**
   * Parses bytes [s, e) of buf into dst from `off` and returns the number of values. More than
   * `cols` values, or a cell that is not a number, throws a CellProblem.
   */
  parseRow(buf: Buffer, s: number, e: number, dst: Float64Array | number[], off: number, cols: number): number;
  /** Byte position in `line` where cell `col` (0-based) starts, or the line's end if it has fewer. */
  cellStart(line: Buffer, col: number): number;
}

export function tooMany(at: number, cols: number): CellProblem {
  return new CellProblem(at, `row has more than ${cols} values (expected ${cols})`);
}

export function notANumber(buf: Buffer, s: number, e: number): CellProblem {
  if (s === e) return new CellProblem(s, 'empty cell where a number is expected');
  const text = buf.toString('utf8', s, Math.min(e, s + 40));
  return new CellProblem(s, `not a number: ${JSON.stringify(text)}${e - s > 40 ? '…' : ''}`);
}
