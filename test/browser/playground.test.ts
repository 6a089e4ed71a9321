// The playground in headless Chromium, driven through its UI, against the Node entry's numbers:
// once on a cross-origin isolated page (COOP + COEP) and once without those headers.
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as node from '../../dist/index.node.js';
import { serve } from '../../scripts/serve.mjs';
import { loadFixture } from '../helpers/fixtures.js';
import { rng } from '../helpers/random.js';
import { collectPageErrors, launchChromium } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
type Rows = number[][];

/** rows × cols CSV of 6-digit values, a share of them exact zeros (0·log 0, and q = 0 where p > 0). */
function csvBatch(rows: number, cols: number, zeros: number, seed: number): string {
  const next = rng(seed);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(next() < zeros ? '0' : next().toFixed(6));
    lines.push(cells.join(','));
  }
  return lines.join('\n');
}

/** What the page does with the same text: Number() of each cell. */
const parseCsv = (text: string): Rows => text.split('\n').map((line) => line.split(',').map(Number));
const csv = (rows: Rows): string => rows.map((r) => r.join(',')).join('\n');

/** The Node entry's result as the page prints it (String round-trips doubles exactly). */
function nodeScores(measure: string, p: unknown, q: unknown, opts: Record<string, unknown>): string[] {
  const fn = node[measure as 'kl'] as (...a: unknown[]) => number | Float64Array;
  const out = measure === 'entropy' ? fn(p, opts) : fn(p, q, opts);
  return Array.from(typeof out === 'number' ? [out] : out, String);
}

/** Sets the menus; only those that differ, since every change recomputes what is on the page. */
async function choose(page: Page, measure: string, convention: string, base: string): Promise<void> {
  for (const [id, value] of [['#measure', measure], ['#convention', convention], ['#base', base]]) {
    if ((await page.inputValue(id)) !== value) await page.selectOption(id, value);
  }
}

/** Clicks Compute and waits for that computation (a menu change may have started one before it). */
async function compute(page: Page): Promise<void> {
  const started = Number(await page.getAttribute('#status', 'data-started'));
  await page.click('#compute');
  await page.waitForFunction((n) => Number(document.getElementById('status')!.dataset.done) >= n, started + 1);
}

async function pageScores(page: Page): Promise<string[]> {
  const text = await page.inputValue('#scores');
  return text === '' ? [] : text.split('\n');
}

async function upload(page: Page, box: 'p' | 'q', text: string): Promise<void> {
  await page.setInputFiles(`#${box}-file`, { name: `${box}.csv`, mimeType: 'text/csv', buffer: Buffer.from(text) });
  // The page reads the file asynchronously.
  await page.waitForFunction(([id, n]) => (document.getElementById(id as string) as HTMLTextAreaElement).value.length === n, [box, text.length]);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

for (const isolate of [true, false]) {
  describe(`playground, ${isolate ? 'cross-origin isolated' : 'not isolated'}`, () => {
    let server: { url: string; close(): Promise<void> };
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      server = await serve({ mounts: { '/': `${ROOT}playground`, '/dist/': `${ROOT}dist` }, isolate });
      context = await browser.newContext();
      page = await context.newPage();
      errors = collectPageErrors(page);
      await page.goto(server.url);
      // The page computes its first example as soon as the module is loaded.
      await page.waitForFunction(() => Number(document.getElementById('status')!.dataset.done) >= 1);
    });
    afterAll(async () => {
      await context?.close();
      await server?.close();
    });

    it('shows the engine: SIMD backend, threads only when the page is isolated', async () => {
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(isolate);
      expect(await page.textContent('#info-backend')).toBe('simd');
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      expect(await page.textContent('#info-threads')).toBe(isolate ? String(cores) : '1');
      expect(await page.textContent('#info-coi')).toBe(isolate ? 'yes' : 'no');
      expect(await page.textContent('#info-version')).toBe(node.VERSION);
      expect(errors).toEqual([]);
    });

    it('computes the Keras example like Keras and like Node', async () => {
      const fx = loadFixture('keras_kl').cases.find((c) => c.id === 'seed-example/f64')!;
      const yTrue = fx.args.y_true as Rows, yPred = fx.args.y_pred as Rows;
      await choose(page, 'kl', 'keras', 'e');
      await page.fill('#p', csv(yTrue));
      await page.fill('#q', csv(yPred));
      await compute(page);
      expect(await page.isHidden('#error')).toBe(true);
      const got = await pageScores(page);
      expect(got).toEqual(nodeScores('kl', yTrue, yPred, { convention: 'keras' }));
      (fx.expected as number[]).forEach((e, i) => expect(Math.abs(Number(got[i]) - e)).toBeLessThanOrEqual(fx.tol!.abs + fx.tol!.rel * Math.abs(e)));
      expect(await page.textContent('#status')).toMatch(/^2 rows · .* computed in [\d.]+ ms on simd$/);
      // The chart's terms for row 0 add up to the score.
      expect(await page.locator('#chart rect').count()).toBe(3);
      const row0 = (fx.expected as number[])[0];
      expect(await page.textContent('#chart-title')).toContain(`Σ = ${Number(row0.toPrecision(8))}`);
    });

    it('computes 10,000-row uploaded batches like Node, in every measure', async () => {
      const pText = csvBatch(10_000, 24, 0.05, 1), qText = csvBatch(10_000, 24, 0.01, 2);
      const P = parseCsv(pText), Q = parseCsv(qText);
      await upload(page, 'p', pText);
      await upload(page, 'q', qText);
      const cases: [string, string, string][] = [
        ['entropy', 'scipy', '2'], ['crossEntropy', 'raw', 'e'], ['kl', 'scipy', '2'],
        ['kl', 'keras', 'e'], ['jsd', 'scipy', 'e'], ['jsDistance', 'scipy', '10'],
      ];
      for (const [measure, convention, base] of cases) {
        await choose(page, measure, convention, base);
        await compute(page);
        const opts = base === 'e' ? { convention } : { convention, base: Number(base) };
        const got = await pageScores(page);
        expect(got, `${measure} ${convention} base ${base}`).toEqual(nodeScores(measure, P, Q, opts));
        expect(got).toHaveLength(10_000);
      }
      expect(await page.textContent('#table-note')).toContain('first 500 of 10,000 rows');
    });

    it('uses a single q line against every row of p', async () => {
      const pText = csvBatch(10_000, 16, 0.02, 3), qText = csvBatch(1, 16, 0, 4);
      await choose(page, 'kl', 'scipy', '2');
      await upload(page, 'p', pText);
      await page.fill('#q', qText);
      await compute(page);
      expect(await pageScores(page)).toEqual(nodeScores('kl', parseCsv(pText), parseCsv(qText)[0], { convention: 'scipy', base: 2 }));
    });

    it('shows InfodivError messages with the row and column, as Node reports them', async () => {
      const P = [[0.2, 0.3, 0.5], [0.1, 0.6, 0.3], [0.4, -0.1, 0.7]];
      await choose(page, 'jsd', 'scipy', 'e');
      await page.fill('#p', csv(P));
      await page.fill('#q', csv([[0.3, 0.3, 0.4], [0.3, 0.3, 0.4], [0.3, 0.3, 0.4]]));
      await compute(page);
      let message = '';
      try {
        node.jsd(P, [[0.3, 0.3, 0.4], [0.3, 0.3, 0.4], [0.3, 0.3, 0.4]]);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('at row 2, column 1');
      const shown = await page.textContent('#error-text');
      expect(shown).toContain(`NEGATIVE_VALUE: ${message}`);
      expect(shown).toContain('line 3, value 2');
      expect(await page.getAttribute('#p', 'aria-invalid')).toBe('true');
      expect(await pageScores(page)).toEqual([]);

      await page.fill('#p', '1,2,3\n4,oops,6\n7,8,9');
      await compute(page);
      expect(await page.textContent('#error-text')).toContain('NON_FINITE: p has a non-finite value (string "oops") at row 1, column 1');
    });

    it('switches to the scalar build', async () => {
      const P = [[1, 2, 3, 4], [4, 3, 2, 1]], Q = [[1, 1, 1, 1], [2, 1, 1, 2]];
      await choose(page, 'kl', 'scipy', 'e');
      await page.fill('#p', csv(P));
      await page.fill('#q', csv(Q));
      await page.selectOption('#backend', 'scalar');
      await page.waitForFunction(() => document.getElementById('info-backend')!.textContent === 'scalar');
      await compute(page);
      const scalar = node.createEngineSync({ backend: 'scalar' });
      expect(await pageScores(page)).toEqual(Array.from(scalar.kl(P, Q) as Float64Array, String));
      expect(await page.textContent('#status')).toMatch(/on scalar$/);
      await page.selectOption('#backend', 'simd');
      await page.waitForFunction(() => document.getElementById('info-backend')!.textContent === 'simd');
    });

    it('root functions throw NOT_INITIALIZED before init(), and work after it', async () => {
      const fresh = await context.newPage();
      // Any same-origin document will do; the playground itself would load the module first.
      await fresh.goto(`${server.url}blank`);
      // A string, not a function: vitest rewrites import() inside test code, which would break in the page.
      const got = await fresh.evaluate(`(async () => {
        const m = await import('/dist/index.browser.js');
        let before = null;
        try { m.kl([0.5, 0.5], [0.9, 0.1]); } catch (e) { before = e instanceof m.InfodivError ? e.code : String(e); }
        await m.init();
        await m.init();
        return { before, after: m.kl([0.5, 0.5], [0.9, 0.1]), info: (await m.createEngine()).info() };
      })()`);
      expect(got).toEqual({
        before: 'NOT_INITIALIZED',
        after: node.kl([0.5, 0.5], [0.9, 0.1]),
        info: { backend: 'simd', simd: true, threads: 1, version: node.VERSION, crossOriginIsolated: isolate },
      });
      await fresh.close();
      expect(errors).toEqual([]);
    });
  });
}
