// The engines every fuzz case runs on: the default SIMD engine, SIMD engines with 1 KiB and
// 4 KiB arenas (batches split into chunks, long rows into segments, tables into tiles), the
// scalar build with a 1 KiB arena, and the js backend, which is also the reference.
import { createEngineSync } from '../../src/index.node.js';
import type { Engine, EngineOptions } from '../../src/engine.js';
import type { EngineMatrix } from '../../src/types.js';
import { canary } from './model.js';

export interface FuzzEngine {
  label: string;
  engine: Engine;
  /** SIMD float32 kernels take float32 logarithms: looser tolerance on float32 rows. */
  simd: boolean;
  /** The canary's answers when the engine was fresh. */
  baseline: number[];
  /**
   * The engine's first matrix, which sits right after the scratch arena: a kernel or a layout
   * that writes past the arena changes it.
   */
  guard: EngineMatrix | null;
  /** A fresh engine like this one. */
  fresh(): Engine;
}

const GUARD_ELEMENTS = 512;
const guardValue = (k: number) => k + 0.25;

function make(label: string, options: EngineOptions): FuzzEngine {
  const engine = createEngineSync(options);
  const wasm = engine.info().backend !== 'js';
  const guard = wasm ? engine.matrix(1, GUARD_ELEMENTS, 'float64') : null;
  guard?.data.set(Array.from({ length: GUARD_ELEMENTS }, (_, k) => guardValue(k)));
  return { label, engine, simd: engine.info().backend === 'simd', baseline: canary(engine), guard, fresh: () => createEngineSync(options) };
}

export const ENGINES: FuzzEngine[] = [
  make('simd', { backend: 'simd' }),
  make('simd, 1 KiB arena', { backend: 'simd', arenaBytes: 1024 }),
  make('simd, 4 KiB arena', { backend: 'simd', arenaBytes: 4096 }),
  make('scalar, 1 KiB arena', { backend: 'scalar', arenaBytes: 1024 }),
  make('js', { backend: 'js' }),
];

/** The js backend: the float64 reference every other engine is compared with. */
export const reference = ENGINES[ENGINES.length - 1].engine;

/**
 * After a case: the engine still gives the canary's answers bit for bit (no call, failed or not,
 * left it in a bad state), and the memory after its arena is untouched.
 */
export function expectIntact(label: string, fe: FuzzEngine): void {
  const now = canary(fe.engine);
  if (!now.every((v, i) => Object.is(v, fe.baseline[i]))) {
    throw new Error(`${label}: the engine's answers changed after this case: ${now} vs ${fe.baseline}`);
  }
  const data = fe.guard?.data;
  if (data && !data.every((v, k) => v === guardValue(k))) {
    const k = data.findIndex((v, i) => v !== guardValue(i));
    throw new Error(`${label}: memory after the arena was overwritten (guard element ${k} is ${data[k]})`);
  }
}
