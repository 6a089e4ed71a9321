// The Node and browser entries export the same API, and package.json points at files the build makes.
// The browser entry runs here under Node, loading its modules from data: URLs through fetch
// (Node's fetch has no file: URLs); test/browser/ covers it in a real browser.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nodeEntry from '../../src/index.node.js';
import { ROOT_NAMES } from '../../src/root.js';
import { serve } from '../../scripts/serve.mjs';

const ROOT = new URL('../../', import.meta.url);

function wasmDataUrl(build: 'simd' | 'scalar', type = 'application/wasm'): string {
  return `data:${type};base64,${readFileSync(new URL(`build/kernels.${build}.wasm`, ROOT)).toString('base64')}`;
}

/** A browser entry with its own module state (nothing loaded yet). */
async function freshBrowserEntry(): Promise<typeof import('../../src/index.browser.js')> {
  vi.resetModules();
  return import('../../src/index.browser.js');
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

const P = [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]];
const Q = [[0.3, 0.3, 0.4], [0.2, 0.2, 0.6]];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('entries', () => {
  it('the browser entry exports the same names as the Node entry, every root function included', async () => {
    const browserEntry = await freshBrowserEntry();
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
    for (const name of ROOT_NAMES) {
      expect(typeof (nodeEntry as Record<string, unknown>)[name], name).toBe('function');
      expect(typeof (browserEntry as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('the browser entry imports no node: module, nor any package, anywhere in its graph', () => {
    const seen = new Set<string>();
    const bare: string[] = [];
    const visit = (url: URL): void => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      for (const m of readFileSync(url, 'utf8').matchAll(/\bfrom\s*'([^']+)'|\bimport\s*\(?\s*'([^']+)'/g)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith('.')) visit(new URL(spec.replace(/\.js$/, '.ts'), url));
        else bare.push(`${spec} (in ${url.pathname})`);
      }
    };
    visit(new URL('src/index.browser.ts', ROOT));
    expect(seen.size).toBeGreaterThan(10);
    expect(bare).toEqual([]);
  });

  it('package.json main, types and exports name files of the build', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
    const targets: string[] = [pkg.main, pkg.types];
    const walk = (x: unknown): void => {
      if (typeof x === 'string') targets.push(x);
      else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    walk(pkg.exports);
    for (const t of targets) expect(existsSync(new URL(t, ROOT)), t).toBe(true);
  });
});

describe('browser entry', () => {
  it('throws NOT_INITIALIZED until init(), then computes what the Node entry computes', async () => {
    const b = await freshBrowserEntry();
    expect(codeOf(() => b.kl(P, Q))).toBe('NOT_INITIALIZED');
    expect(codeOf(() => b.createEngineSync())).toBe('NOT_INITIALIZED');
    await b.init({ wasmUrl: wasmDataUrl('simd') });
    await b.init(); // a no-op once loaded
    expect(b.kl(P, Q, { base: 2 })).toEqual(nodeEntry.kl(P, Q, { base: 2 }));
    expect(b.jsDistance(P, Q)).toEqual(nodeEntry.jsDistance(P, Q));
    expect(b.createEngineSync().info()).toEqual({ backend: 'simd', simd: true, threads: 1, version: nodeEntry.VERSION, crossOriginIsolated: false });
    // The js backend needs no module.
    expect(codeOf(() => b.createEngineSync({ backend: 'js' }))).toBeUndefined();
  });

  it('compiles from the bytes when the server does not send application/wasm', async () => {
    const b = await freshBrowserEntry();
    // compileStreaming would reject this response.
    await b.init({ wasmUrl: wasmDataUrl('simd', 'application/octet-stream') });
    expect(b.entropy([1, 1, 1, 1], { base: 2 })).toBe(2);
  });

  it('uses the scalar build where SIMD does not validate', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const b = await freshBrowserEntry();
    // The SIMD URL is not a module at all: it must not be fetched.
    await b.init({ wasmUrl: 'data:application/wasm;base64,AA==', scalarWasmUrl: wasmDataUrl('scalar') });
    const engine = await b.createEngine();
    expect(engine.info()).toMatchObject({ backend: 'scalar', simd: false });
    expect(engine.kl(P, Q)).toEqual(nodeEntry.createEngineSync({ backend: 'scalar' }).kl(P, Q));
  });

  it('reports an HTTP error with a hint, and can be retried', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'infodiv-empty-'));
    const server = await serve({ mounts: { '/': empty } });
    try {
      const b = await freshBrowserEntry();
      await expect(b.init({ wasmUrl: `${server.url}kernels.simd.wasm` })).rejects.toThrow(/HTTP 404.*init\(\{ wasmUrl \}\)/);
      expect(codeOf(() => b.kl(P, Q))).toBe('NOT_INITIALIZED');
      await b.init({ wasmUrl: wasmDataUrl('simd') });
      expect(b.kl(P, Q)).toEqual(nodeEntry.kl(P, Q));
    } finally {
      await server.close();
      rmSync(empty, { recursive: true });
    }
  });
});
