// Node: the modules are read and compiled synchronously, so the root functions work right after
// import (no top-level await, which also keeps require('infodiv') working).
import { existsSync, readFileSync } from 'node:fs';
import { wasmFile, type WasmBuild } from './features.js';

const modules = new Map<WasmBuild, WebAssembly.Module>();

/** dist/wasm/*.js finds dist/*.wasm; src/wasm/*.ts (tests, from source) finds build/*.wasm. */
function locate(file: string): URL {
  const candidates = [new URL(`../${file}`, import.meta.url), new URL(`../../build/${file}`, import.meta.url)];
  for (const url of candidates) if (existsSync(url)) return url;
  throw new Error(`infodiv: ${file} not found (looked in ${candidates.map((u) => u.pathname).join(', ')}); run npm run build`);
}

export function compileSync(build: WasmBuild): WebAssembly.Module {
  let m = modules.get(build);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(locate(wasmFile(build))));
    modules.set(build, m);
  }
  return m;
}

export function wasmPath(build: WasmBuild | 'shared' | 'shared-scalar'): URL {
  return locate(`kernels.${build}.wasm`);
}
