// Opening any supported file as rows, by its extension.
import { open } from 'node:fs/promises';
import { io } from '../errors.js';
import { formatOf, type ReadOptions, type RowReader } from './format.js';
import { openNpy } from './npy.js';
import { openText } from './text.js';

export async function openRows(file: string, opts: ReadOptions): Promise<RowReader> {
  const format = formatOf(file);
  const fh = await io(file, () => open(file, 'r'));
  try {
    return format === 'npy' ? await openNpy(fh, file, opts) : await openText(fh, file, format, opts);
  } catch (err) {
    await fh.close();
    throw err;
  }
}
