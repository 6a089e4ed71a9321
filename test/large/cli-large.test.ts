// `npm run test:large`: a CSV of INFODIV_LARGE_BYTES (default 2 GB) generated on the fly, scored by
// the built command line; its peak memory must stay under the same bound as at 200 MB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MEMORY_BOUND_BYTES, largeCsvRun } from './cli-harness.js';

const bytes = Number(process.env.INFODIV_LARGE_BYTES ?? 2e9);
const dir = mkdtempSync(join(process.env.INFODIV_LARGE_DIR ?? tmpdir(), 'infodiv-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(`scores a ${(bytes / 1e9).toFixed(1)} GB CSV in bounded memory`, async () => {
  const run = await largeCsvRun(bytes, dir);
  console.log(`${(run.bytes / 1e9).toFixed(2)} GB CSV: ${run.rows} rows × ${run.cols}, generated in ${run.generateSeconds.toFixed(1)} s, ` +
    `scored in ${run.scoreSeconds.toFixed(1)} s (${(run.bytes / 1e6 / run.scoreSeconds).toFixed(0)} MB/s), peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  expect(run.stderr).toBe('');
  expect(run.peakRssBytes).toBeGreaterThan(0);
  expect(run.peakRssBytes).toBeLessThan(MEMORY_BOUND_BYTES);
}, 3_600_000);
