// Node entry: the SIMD module (or the scalar one where SIMD is missing) is compiled
// synchronously at first use, so the root functions need no init().
import { Engine, arenaBytesOf, backendOf, makeBackend, type EngineOptions } from './engine.js';
import type { KernelExports } from './wasm/abi.js';
import { simdSupported } from './wasm/features.js';
import { compileSync } from './wasm/load.node.js';
import { bindRoot } from './root.js';
import { createThreadedEngine } from './pool/create.js';
import { nodePlatform } from './pool/node.js';
import type { ThreadedEngine } from './pool/threaded-engine.js';

function instantiate(build: 'simd' | 'scalar'): KernelExports {
  return new WebAssembly.Instance(compileSync(build), {}).exports as unknown as KernelExports;
}

export function createEngineSync(opts?: EngineOptions): Engine {
  const simd = simdSupported();
  const kind = backendOf(opts, simd);
  const arena = arenaBytesOf(opts);
  return new Engine(makeBackend(kind, kind === 'js' ? null : instantiate(kind), arena), { simd });
}

/** With `threads`, an engine whose functions return Promises and run large batches on worker threads. */
export function createEngine(opts: EngineOptions & { threads: number | 'auto' }): Promise<ThreadedEngine>;
export function createEngine(opts?: EngineOptions & { threads?: undefined }): Promise<Engine>;
export function createEngine(opts?: EngineOptions): Promise<Engine | ThreadedEngine>;
export async function createEngine(opts?: EngineOptions): Promise<Engine | ThreadedEngine> {
  if (opts?.threads !== undefined) return createThreadedEngine(opts, nodePlatform(instantiate));
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
export const pairwise = root.pairwise;
export const contingency = root.contingency;
export const mutualInfoScore = root.mutualInfoScore;
export const normalizedMutualInfoScore = root.normalizedMutualInfoScore;
export const adjustedMutualInfoScore = root.adjustedMutualInfoScore;
export const mutualInfoScores = root.mutualInfoScores;
export const channelMutualInformation = root.channelMutualInformation;
export const channelCapacity = root.channelCapacity;

export * from './public.js';
