// Node entry: the SIMD module (or the scalar one where SIMD is missing) is compiled
// synchronously at first use, so the root functions need no init().
import { Engine, arenaBytesOf, backendOf, makeBackend, type EngineOptions } from './engine.js';
import type { KernelExports } from './wasm/abi.js';
import { simdSupported } from './wasm/features.js';
import { compileSync } from './wasm/load.node.js';
import { bindRoot } from './root.js';

function instantiate(build: 'simd' | 'scalar'): KernelExports {
  return new WebAssembly.Instance(compileSync(build), {}).exports as unknown as KernelExports;
}

export function createEngineSync(opts?: EngineOptions): Engine {
  const simd = simdSupported();
  const kind = backendOf(opts, simd);
  const arena = arenaBytesOf(opts);
  return new Engine(makeBackend(kind, kind === 'js' ? null : instantiate(kind), arena), { simd });
}

export async function createEngine(opts?: EngineOptions): Promise<Engine> {
  return createEngineSync(opts);
}

/** Nothing to load in Node; kept so code written for browsers runs unchanged. */
export async function init(_options?: { wasmUrl?: string | URL }): Promise<void> {}

let defaultEngine: Engine | undefined;
const root = bindRoot(() => (defaultEngine ??= createEngineSync()));

export const entropy = root.entropy;
export const crossEntropy = root.crossEntropy;
export const kl = root.kl;
export const jsd = root.jsd;
export const jsDistance = root.jsDistance;
export const mutualInformation = root.mutualInformation;
export const jointEntropy = root.jointEntropy;
export const conditionalEntropy = root.conditionalEntropy;

export * from './public.js';
