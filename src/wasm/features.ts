// Runtime feature detection for the module builds.

// The smallest module that uses a v128 instruction: (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

let simd: boolean | undefined;

export function simdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}

export type WasmBuild = 'simd' | 'scalar';
/** The builds over an imported shared memory, for worker threads. */
export type SharedBuild = 'shared' | 'shared-scalar';

export function sharedBuildOf(kind: WasmBuild): SharedBuild {
  return kind === 'simd' ? 'shared' : 'shared-scalar';
}

export function wasmFile(build: WasmBuild | SharedBuild): string {
  return `kernels.${build}.wasm`;
}
