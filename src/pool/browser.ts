// Browsers: workers are module Workers started from a Blob URL of the bootstrap source. Sharing a
// WebAssembly.Memory with a Worker needs cross-origin isolation (COOP + COEP headers); without
// it the engine computes on the calling thread and info() reports threads: 1.
import { workerSource } from './bootstrap.js';
import type { ThreadPlatform } from './create.js';
import type { SpawnThread } from './thread.js';

const SOURCE = workerSource(`
run((f) => { self.onmessage = (e) => f(e.data); }, (m) => self.postMessage(m));`);

let url: string | undefined;

const spawnBrowserThread: SpawnThread = (events) => {
  url ??= URL.createObjectURL(new Blob([SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module' });
  worker.onmessage = (e) => events.message(e.data);
  worker.onerror = (e) => events.fail(e.message || 'worker error');
  worker.onmessageerror = () => events.fail('a message could not be read');
  return {
    post: (m) => worker.postMessage(m),
    // Browsers have no event loop to keep alive.
    ref: () => {},
    unref: () => {},
    // A terminated browser Worker fires no event: report the failure here.
    terminate: async () => {
      worker.terminate();
      events.fail('terminated');
    },
  };
};

/** True where workers can share a WebAssembly.Memory with this page. */
export function browserThreadsAvailable(): boolean {
  return globalThis.crossOriginIsolated === true && typeof Worker === 'function' && typeof SharedArrayBuffer === 'function';
}

/**
 * `sharedModule` must return the compiled shared build (kernels.shared.wasm; kernels.shared-scalar.wasm
 * for backend 'scalar') when browserThreadsAvailable(); it is not called otherwise.
 */
export function browserPlatform(instantiate: ThreadPlatform['instantiate'], sharedModule: ThreadPlatform['sharedModule']): ThreadPlatform {
  const threads = browserThreadsAvailable();
  return {
    cores: Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1),
    spawn: threads ? spawnBrowserThread : null,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    instantiate,
    sharedModule,
    afterEvents: null,
  };
}
