// createEngine({ threads }): one WebAssembly.Memory shared by the main thread, which alone
// allocates in it (WasmHeap), and the workers, which instantiate the same compiled module over it
// and only run kernels on the pointer ranges they are given.
import { WasmBackend } from '../backends/wasm.js';
import { Engine, arenaBytesOf, backendOf, makeBackend, type EngineOptions } from '../engine.js';
import { InfodivError } from '../errors.js';
import type { KernelExports } from '../wasm/abi.js';
import { simdSupported } from '../wasm/features.js';
import { threadCount, usePoolOf } from './options.js';
import { WorkerPool } from './pool.js';
import type { SpawnThread } from './thread.js';
import { ThreadedEngine } from './threaded-engine.js';

/** What the runtime (Node, a browser) provides. */
export interface ThreadPlatform {
  cores: number;
  /** null where workers cannot share memory (a browser page without cross-origin isolation). */
  spawn: SpawnThread | null;
  crossOriginIsolated?: boolean;
  /** An instance with its own memory, for engines that compute on the calling thread. */
  instantiate(kind: 'simd' | 'scalar'): KernelExports;
  /** The compiled shared-memory build of `kind` (kernels.shared.wasm, kernels.shared-scalar.wasm). */
  sharedModule(kind: 'simd' | 'scalar'): WebAssembly.Module;
  /**
   * Runs a function after the events already waiting (the workers' replies), so that the calling
   * thread can compute tasks of its own between them; null where it must not (a browser page's
   * thread stays free for the page).
   */
  afterEvents: ((f: () => void) => void) | null;
}

// asconfig.json's shared targets declare initialMemory 32 and maximumMemory 65536 pages; the host's
// memory must start at least as large and may not declare more. Shared memories reserve their
// maximum up front, so where 4 GiB cannot be reserved (32-bit browsers) 1 GiB is tried.
const INITIAL_PAGES = 32;
const MAXIMUM_PAGES = [65536, 16384];

function sharedMemory(): WebAssembly.Memory {
  let failure: unknown;
  for (const maximum of MAXIMUM_PAGES) {
    try {
      return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared: true });
    } catch (e) {
      failure = e;
    }
  }
  throw new InfodivError('OUT_OF_MEMORY', `could not reserve a shared WebAssembly memory: ${String(failure)}`);
}

export function createThreadedEngine(opts: EngineOptions, platform: ThreadPlatform): ThreadedEngine {
  const threads = threadCount(opts.threads, platform.cores);
  const usePool = usePoolOf(opts.minParallelRows);
  const simd = simdSupported();
  const kind = backendOf(opts, simd);
  const arenaBytes = arenaBytesOf(opts);
  const extraInfo = { simd, crossOriginIsolated: platform.crossOriginIsolated };
  // threads: 1, the js backend (no kernels to share) and runtimes without shared workers compute
  // on the calling thread.
  if (threads === 1 || kind === 'js' || platform.spawn === null) {
    const backend = makeBackend(kind, kind === 'js' ? null : platform.instantiate(kind), arenaBytes);
    return new ThreadedEngine(new Engine(backend, extraInfo), backend, null);
  }
  const module = platform.sharedModule(kind);
  const memory = sharedMemory();
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const backend = new WasmBackend(kind, exports, arenaBytes);
  const pool = new WorkerPool(threads, platform.spawn, { module, memory });
  const caller = platform.afterEvents && { backend: new WasmBackend(kind, platform.instantiate(kind), arenaBytes), afterEvents: platform.afterEvents };
  return new ThreadedEngine(new Engine(backend, extraInfo), backend, { backend, pool, usePool, caller });
}
