// A column of labels (a target for mutual information): numbers, or text when any label is not a
// number (1 and "1" are different labels, so a column is one or the other). Text needs real CSV
// parsing (quotes, embedded delimiters), so CSV/TSV go through csv-parse.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { DataError, io, ioError } from '../errors.js';
import { formatOf } from './format.js';
import { LineReader } from './lines.js';
import { parseNumber } from './numbers.js';
import { openRows } from './open.js';

export interface Labels {
  values: number[] | string[];
  /** Header name, if the file had one. */
  name: string | null;
  /** 1-based line of each label (.npy: null, the index is the place). */
  lines: number[] | null;
}

function asNumber(text: string): number | undefined {
  const bytes = Buffer.from(text.trim());
  return parseNumber(bytes, 0, bytes.length);
}

/** Numbers when every cell is one, else the cells as text. */
function typed(cells: string[]): number[] | string[] {
  const numbers: number[] = [];
  for (const cell of cells) {
    const v = asNumber(cell);
    if (v === undefined) return cells;
    numbers.push(v);
  }
  return numbers;
}

async function readCsvLabels(file: string, delimiter: string, header: boolean | undefined): Promise<Labels> {
  const cells: string[] = [];
  const lines: number[] = [];
  let name: string | null = null;
  let first = true;
  const parser = createReadStream(file).pipe(parse({ delimiter, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (record.length !== 1) {
        throw new DataError(file, { kind: 'text', line: info.lines, column: 1 }, `expected one label per line, found ${record.length} values`);
      }
      // The first line is a header when it is not a number (text labels need one, or --no-header).
      if (first) {
        first = false;
        if (header ?? asNumber(record[0]) === undefined) {
          name = record[0];
          continue;
        }
      }
      cells.push(record[0]);
      lines.push(info.lines);
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    const { code, lines: line } = err as { code?: string; lines?: number };
    if (typeof code === 'string' && code.startsWith('CSV_')) throw new DataError(file, { kind: 'text', line: line ?? 1, column: 1 }, (err as Error).message);
    throw ioError(err, file);
  }
  return { values: typed(cells), name, lines };
}

async function readJsonLabels(file: string): Promise<Labels> {
  const fh = await io(file, () => open(file, 'r'));
  const values: (number | string)[] = [];
  const lines: number[] = [];
  try {
    const reader = new LineReader(fh, file, 0, 1);
    for (;;) {
      while (reader.next()) {
        if (reader.start === reader.stop) continue;
        const text = reader.bytes.toString('utf8', reader.start, reader.stop);
        const place = { kind: 'text' as const, line: reader.line, column: 1 };
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch {
          throw new DataError(file, place, 'not valid JSON');
        }
        if (Array.isArray(v) && v.length === 1) v = v[0];
        if (typeof v !== 'number' && typeof v !== 'string') throw new DataError(file, place, 'expected a label: a number, a string, or an array of one');
        values.push(v);
        lines.push(reader.line);
      }
      if (!(await reader.fill())) break;
    }
  } finally {
    await fh.close();
  }
  const text = values.some((v) => typeof v === 'string');
  return { values: text ? values.map(String) : (values as number[]), name: null, lines };
}

async function readNpyLabels(file: string): Promise<Labels> {
  const reader = await openRows(file, { header: undefined, shard: null, countRows: true, vector: 'column' });
  try {
    if (reader.cols !== 1) throw new DataError(file, { kind: 'file' }, `expected one label per row, the array has ${reader.cols} columns`);
    const values = new Float64Array(reader.rows!);
    await reader.read(values, values.length);
    return { values: Array.from(values), name: null, lines: null };
  } finally {
    await reader.close();
  }
}

export async function readLabels(file: string, header: boolean | undefined): Promise<Labels> {
  const format = formatOf(file);
  const labels = format === 'npy' ? await readNpyLabels(file) : format === 'jsonl' ? await readJsonLabels(file) : await readCsvLabels(file, format === 'tsv' ? '\t' : ',', header);
  if (labels.values.length === 0) throw new DataError(file, { kind: 'file' }, 'no labels');
  return labels;
}
