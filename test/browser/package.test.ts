// The package as users get it: `npm pack`, installed offline into a temporary project, then imported
// from Node (ESM and require), type-checked by a consumer, and bundled by Vite for Chromium.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as node from '../../dist/index.node.js';
import { serve } from '../../scripts/serve.mjs';
import { collectPageErrors, launchChromium } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const P = [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]];
const Q = [[0.3, 0.3, 0.4], [0.2, 0.2, 0.6]];
const EXPECTED = JSON.stringify(Array.from(node.kl(P, Q, { base: 2 }) as Float64Array));
// The consumer reports the same JSON, so equal strings mean bit-identical results.
const REPORT = `JSON.stringify(Array.from(m.kl(${JSON.stringify(P)}, ${JSON.stringify(Q)}, { base: 2 })))`;

let tmp: string;
let consumer: string;
let packed: { filename: string; files: { path: string }[] };

function run(file: string, args: string[], cwd: string): string {
  // npm_* variables of the surrounding `npm run` would leak its settings into the nested npm calls.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  try {
    return execFileSync(file, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180000 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
const nodeIn = (cwd: string, ...args: string[]): string => run(process.execPath, args, cwd).trim();

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'infodiv-pack-'));
  // The caller built dist/ (npm run test:browser does); --ignore-scripts keeps `prepare` from rebuilding it.
  [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT));
  consumer = join(tmp, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({
    name: 'infodiv-consumer', private: true, type: 'module',
    dependencies: { infodiv: `file:${join(tmp, packed.filename)}` },
  }));
  // Offline: the package's own dependencies come from the npm cache that installing the repo filled.
  run('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], consumer);
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships dist with both entries, their types and the .wasm files, and nothing from the repository', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ['package.json', 'dist/index.node.js', 'dist/index.node.d.ts', 'dist/index.browser.js', 'dist/index.browser.d.ts',
      'dist/wasm/load.browser.js', 'dist/kernels.simd.wasm', 'dist/kernels.scalar.wasm']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f))).toEqual([]);
  });

  it('import("infodiv") in Node resolves the Node entry and computes', () => {
    const out = JSON.parse(nodeIn(consumer, '--input-type=module', '-e',
      `const m = await import('infodiv'); console.log(JSON.stringify({ kl: ${REPORT}, at: import.meta.resolve('infodiv'), info: (await m.createEngine()).info() }))`));
    expect(out.kl).toBe(EXPECTED);
    expect(out.at).toMatch(/\/node_modules\/infodiv\/dist\/index\.node\.js$/);
    expect(out.info).toMatchObject({ backend: 'simd', threads: 1 });
  });

  const [major, minor] = process.versions.node.split('.').map(Number);
  it.runIf(major > 20 || (major === 20 && minor >= 19))('require("infodiv") works (Node >= 20.19)', () => {
    expect(nodeIn(consumer, '-e', `const m = require('infodiv'); console.log(${REPORT})`)).toBe(EXPECTED);
  });

  it('type-checks in a consumer, with NodeNext and with bundler resolution', () => {
    writeFileSync(join(consumer, 'check.ts'), [
      "import { createEngine, init, InfodivError, kl, type Engine, type EngineInfo } from 'infodiv';",
      'await init();',
      "const engine: Engine = await createEngine({ backend: 'scalar' });",
      'const info: EngineInfo = engine.info();',
      'const d: number | Float64Array = kl([0.5, 0.5], [0.9, 0.1], { base: 2 });',
      "const e: InfodivError = new InfodivError('EMPTY', 'x');",
      'export { d, e, info };',
    ].join('\n'));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    for (const [module, moduleResolution, entry] of [['nodenext', 'nodenext', 'index.node.d.ts'], ['esnext', 'bundler', 'index.browser.d.ts']]) {
      // No @types/node (browser users must not need it); skipLibCheck off, so the shipped .d.ts are checked too.
      writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { module, moduleResolution, noEmit: true, strict: true, target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false, skipDefaultLibCheck: true },
        files: ['check.ts'],
      }));
      expect(nodeIn(consumer, tsc, '-p', 'tsconfig.json', '--listFiles')).toContain(`/node_modules/infodiv/dist/${entry}`);
    }
  });
});

describe('a Vite app using the installed package', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('builds with the .wasm as assets and computes in Chromium', async () => {
    const app = join(consumer, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title><script type="module" src="./main.js"></script>');
    writeFileSync(join(app, 'main.js'), [
      "import * as m from 'infodiv';",
      'm.init().then(async () => {',
      `  document.body.dataset.result = JSON.stringify({ kl: ${REPORT}, info: (await m.createEngine()).info() });`,
      '}, (e) => { document.body.dataset.result = JSON.stringify({ error: String(e) }); });',
    ].join('\n'));
    // The exclude matters for `vite dev` (its dependency pre-bundling breaks new URL(..., import.meta.url)).
    writeFileSync(join(app, 'vite.config.mjs'), "export default { logLevel: 'warn', optimizeDeps: { exclude: ['infodiv'] } };");
    nodeIn(app, join(ROOT, 'node_modules/vite/bin/vite.js'), 'build');

    const assets = readdirSync(join(app, 'dist/assets'));
    expect(assets.filter((f) => /^kernels\.(simd|scalar)-.+\.wasm$/.test(f))).toHaveLength(2);
    const bundle = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8')).join('\n');
    expect(bundle).not.toMatch(/["']node:/);

    const server = await serve({ mounts: { '/': join(app, 'dist') }, isolate: true });
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(server.url);
      await page.waitForFunction(() => document.body.dataset.result !== undefined);
      const out = JSON.parse((await page.getAttribute('body', 'data-result'))!);
      expect(out).toEqual({ kl: EXPECTED, info: { backend: 'simd', simd: true, threads: 1, version: node.VERSION, crossOriginIsolated: true } });
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
