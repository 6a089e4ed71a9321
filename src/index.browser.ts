// Browser entry: the .wasm is fetched and compiled asynchronously, so the root functions throw
// NOT_INITIALIZED until `await init()` has created the default engine. Threads come later (issue 5):
// engines here compute on the calling thread.
import { Engine, arenaBytesOf, backendOf, makeBackend, type EngineOptions } from './engine.js';
import { InfodivError } from './errors.js';
import type { KernelExports } from './wasm/abi.js';
import { simdSupported, type WasmBuild } from './wasm/features.js';
import { compileAsync, compiledModule } from './wasm/load.browser.js';
import type * as self from './index.browser.js';
import { bindRoot, type RootName } from './root.js';

export interface InitOptions {
  /** Where the SIMD build (the package's `infodiv/wasm` file) is fetched from; default: next to this module. */
  wasmUrl?: string | URL;
  /** Where the scalar build (`infodiv/wasm-scalar`) is fetched from; only needed where SIMD is missing. */
  scalarWasmUrl?: string | URL;
}

// Literal `new URL('./…', import.meta.url)` expressions are what bundlers recognise and copy as assets.
// Functions, so that a page passing wasmUrl never evaluates an unusable default.
const bundledUrl: Record<WasmBuild, () => URL> = {
  simd: () => new URL('./kernels.simd.wasm', import.meta.url),
  scalar: () => new URL('./kernels.scalar.wasm', import.meta.url),
};
const urlOverride: Partial<Record<WasmBuild, string | URL>> = {};

function isolated(): boolean {
  return globalThis.crossOriginIsolated === true;
}

/** Needs the module of the chosen backend compiled already (init() or createEngine() does that). */
export function createEngineSync(opts?: EngineOptions): Engine {
  const simd = simdSupported();
  const kind = backendOf(opts, simd);
  const arena = arenaBytesOf(opts);
  let exports: KernelExports | null = null;
  if (kind !== 'js') {
    const module = compiledModule(kind);
    if (!module) {
      throw new InfodivError('NOT_INITIALIZED', `the ${kind} WebAssembly module is not loaded yet: await init() or use await createEngine()`);
    }
    exports = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
  }
  return new Engine(makeBackend(kind, exports, arena), { simd, crossOriginIsolated: isolated() });
}

export async function createEngine(opts?: EngineOptions): Promise<Engine> {
  const kind = backendOf(opts, simdSupported());
  if (kind !== 'js') await compileAsync(kind, () => urlOverride[kind] ?? bundledUrl[kind]());
  return createEngineSync(opts);
}

let defaultEngine: Engine | undefined;

/**
 * Loads the module and creates the engine behind the root functions; a no-op once that is done.
 * The URLs given here also apply to later createEngine() calls. A failed load may be retried.
 */
export async function init(options?: InitOptions): Promise<void> {
  if (defaultEngine) return;
  if (options?.wasmUrl !== undefined) urlOverride.simd = options.wasmUrl;
  if (options?.scalarWasmUrl !== undefined) urlOverride.scalar = options.scalarWasmUrl;
  const engine = await createEngine();
  defaultEngine ??= engine;
}

const root = bindRoot(() => {
  if (!defaultEngine) throw new InfodivError('NOT_INITIALIZED', 'infodiv is not loaded yet: await init() before calling the root functions in a browser');
  return defaultEngine;
});

// ES module exports must be spelled out; the check below makes tsc fail when ROOT_NAMES gains a name
// that is missing here.
export const {
  entropy, crossEntropy, kl, jsd, jsDistance,
  mutualInformation, jointEntropy, conditionalEntropy, pairwise,
  contingency, mutualInfoScore, normalizedMutualInfoScore, adjustedMutualInfoScore, mutualInfoScores,
  channelMutualInformation, channelCapacity,
} = root;
void (root satisfies Pick<typeof self, RootName>);

export * from './public.js';
