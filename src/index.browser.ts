// Browser entry: the .wasm is fetched and compiled asynchronously, so the root functions throw
// NOT_INITIALIZED until `await init()` has created the default engine. createEngine({ threads })
// starts module Workers on cross-origin-isolated pages and computes on the calling thread elsewhere.
import { Engine, arenaBytesOf, backendOf, makeBackend, type EngineOptions } from './engine.js';
import { InfodivError } from './errors.js';
import type { KernelExports } from './wasm/abi.js';
import { sharedBuildOf, simdSupported, type SharedBuild, type WasmBuild } from './wasm/features.js';
import { browserPlatform, browserThreadsAvailable } from './pool/browser.js';
import { createThreadedEngine } from './pool/create.js';
import type { ThreadedEngine } from './pool/threaded-engine.js';
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
const bundledUrl: Record<WasmBuild | SharedBuild, () => URL> = {
  simd: () => new URL('./kernels.simd.wasm', import.meta.url),
  scalar: () => new URL('./kernels.scalar.wasm', import.meta.url),
  shared: () => new URL('./kernels.shared.wasm', import.meta.url),
  'shared-scalar': () => new URL('./kernels.shared-scalar.wasm', import.meta.url),
};
const urlOverride: Partial<Record<WasmBuild, string | URL>> = {};

function isolated(): boolean {
  return globalThis.crossOriginIsolated === true;
}

function instantiate(kind: WasmBuild): KernelExports {
  const module = compiledModule(kind);
  if (!module) {
    throw new InfodivError('NOT_INITIALIZED', `the ${kind} WebAssembly module is not loaded yet: await init() or use await createEngine()`);
  }
  return new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
}

/** Needs the module of the chosen backend compiled already (init() or createEngine() does that). */
export function createEngineSync(opts?: EngineOptions): Engine {
  const simd = simdSupported();
  const kind = backendOf(opts, simd);
  const arena = arenaBytesOf(opts);
  return new Engine(makeBackend(kind, kind === 'js' ? null : instantiate(kind), arena), { simd, crossOriginIsolated: isolated() });
}

/** With `threads`, an engine whose functions return Promises (worker threads on isolated pages). */
export function createEngine(opts: EngineOptions & { threads: number | 'auto' }): Promise<ThreadedEngine>;
export function createEngine(opts?: EngineOptions & { threads?: undefined }): Promise<Engine>;
export function createEngine(opts?: EngineOptions): Promise<Engine | ThreadedEngine>;
export async function createEngine(opts?: EngineOptions): Promise<Engine | ThreadedEngine> {
  const kind = backendOf(opts, simdSupported());
  if (kind !== 'js') await compileAsync(kind, () => urlOverride[kind] ?? bundledUrl[kind]());
  if (opts?.threads === undefined) return createEngineSync(opts);
  // The shared build is fetched only where workers can use it.
  let shared: WebAssembly.Module | undefined;
  if (kind !== 'js' && browserThreadsAvailable()) {
    const build = sharedBuildOf(kind);
    shared = await compileAsync(build, () => bundledUrl[build]());
  }
  return createThreadedEngine(opts, browserPlatform(instantiate, () => shared!));
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
