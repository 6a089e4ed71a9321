// The streaming run at CI size: a 200 MB CSV generated on the fly, scored by the built command line
// with its peak memory measured (the same run as `npm run test:large`, which defaults to 2 GB).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MEMORY_BOUND_BYTES, largeCsvRun } from './large/cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'infodiv-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('scores a 200 MB CSV in bounded memory, every row as the library scores it, silently off a terminal', async () => {
  const run = await largeCsvRun(200e6, dir);
  console.log(`200 MB CSV: ${run.rows} rows × ${run.cols}, generated in ${run.generateSeconds.toFixed(1)} s, scored in ` +
    `${run.scoreSeconds.toFixed(1)} s (${(run.bytes / 1e6 / run.scoreSeconds).toFixed(0)} MB/s), peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  expect(run.stderr).toBe('');
  expect(run.peakRssBytes).toBeGreaterThan(0);
  expect(run.peakRssBytes).toBeLessThan(MEMORY_BOUND_BYTES);
}, 300_000);
