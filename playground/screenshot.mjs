// Refreshes docs/playground.png (the README's picture): node playground/screenshot.mjs, after npm run build.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = await serve({ mounts: { '/': `${root}playground`, '/dist/': `${root}dist` } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 880 }, deviceScaleFactor: 1 });
  await page.goto(server.url);
  // The letter-frequency example loads with the page; chart the Austen row.
  await page.waitForFunction(() => Number(document.getElementById('status').dataset.done) >= 1);
  await page.fill('#row', '2');
  await page.screenshot({ path: `${root}docs/playground.png`, fullPage: true });
} finally {
  await browser.close();
  await server.close();
}
