// Browsers: modules are fetched and compiled asynchronously, once per build. Nothing here may
// import node: modules, so bundlers need no polyfills for the browser entry.
import type { SharedBuild, WasmBuild } from './features.js';

type Build = WasmBuild | SharedBuild;

const pending = new Map<Build, Promise<WebAssembly.Module>>();
const ready = new Map<Build, WebAssembly.Module>();

/** compileStreaming rejects anything but exactly `application/wasm` (parameters aside). */
function isWasmMime(contentType: string | null): boolean {
  return contentType !== null && contentType.split(';')[0].trim().toLowerCase() === 'application/wasm';
}

async function fetchAndCompile(url: string | URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`infodiv: fetching ${String(url)} failed (HTTP ${response.status}); pass init({ wasmUrl }) if your bundler did not copy the .wasm files`);
  }
  // Many static servers send octet-stream: compiling from the bytes still works, just not while downloading.
  if (isWasmMime(response.headers.get('content-type'))) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The module of `build`, fetched from `url()` on first use; a failed load is retried on the next call. */
export function compileAsync(build: Build, url: () => string | URL): Promise<WebAssembly.Module> {
  let p = pending.get(build);
  if (!p) {
    p = fetchAndCompile(url()).then(
      (m) => {
        ready.set(build, m);
        return m;
      },
      (e: unknown) => {
        pending.delete(build);
        throw e;
      },
    );
    pending.set(build, p);
  }
  return p;
}

/** The module of `build` once compileAsync has finished it, for the synchronous paths. */
export function compiledModule(build: Build): WebAssembly.Module | undefined {
  return ready.get(build);
}
