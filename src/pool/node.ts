// Node: workers are worker_threads started from the bootstrap source (Node 20 cannot start a .ts
// worker file, and an eval'd string needs no file next to the package).
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { wasmPath } from '../wasm/load.node.js';
import { workerSource } from './bootstrap.js';
import type { ThreadPlatform } from './create.js';
import type { SpawnThread } from './thread.js';

// A dynamic import works whether Node evaluates the string as CommonJS or (with
// --input-type=module inherited from the parent) as ESM; messages wait in the port meanwhile.
const SOURCE = workerSource(`
import('node:worker_threads').then(({ parentPort }) =>
  run((f) => parentPort.on('message', f), (m) => parentPort.postMessage(m)));`);

const spawnNodeThread: SpawnThread = (events) => {
  const worker = new Worker(SOURCE, { eval: true });
  worker.on('message', events.message);
  worker.on('error', (e: unknown) => events.fail(e instanceof Error ? e.message : String(e)));
  worker.on('exit', (code) => events.fail(`exited with code ${code}`));
  return {
    post: (m) => worker.postMessage(m),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: async () => {
      await worker.terminate();
    },
  };
};

const modules = new Map<'simd' | 'scalar', WebAssembly.Module>();

function sharedModule(kind: 'simd' | 'scalar'): WebAssembly.Module {
  let m = modules.get(kind);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(wasmPath(kind === 'simd' ? 'shared' : 'shared-scalar')));
    modules.set(kind, m);
  }
  return m;
}

export function nodePlatform(instantiate: ThreadPlatform['instantiate']): ThreadPlatform {
  return { cores: availableParallelism(), spawn: spawnNodeThread, instantiate, sharedModule, afterEvents: setImmediate };
}
