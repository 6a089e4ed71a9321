// Memory stays bounded: the arena is reused by every call, and streaming batches larger than
// the arena never grows the WebAssembly memory.
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/index.node.js';
import { rng } from './helpers/random.js';

function dirichletRows(rows: number, cols: number, seed: number): Float64Array {
  const rand = rng(seed);
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += data[r * cols + c] = -Math.log(rand() + 1e-300);
    for (let c = 0; c < cols; c++) data[r * cols + c] /= sum;
  }
  return data;
}

describe('memory', () => {
  for (const backend of ['simd', 'scalar'] as const) {
    it(`${backend}: 10,000 repeated calls leave the memory size unchanged`, () => {
      const engine = createEngineSync({ backend, arenaBytes: 64 * 1024 });
      const p = dirichletRows(64, 33, 1), q = dirichletRows(64, 33, 2);
      const batch = { data: p, rows: 64, cols: 33 }, base = { data: q, rows: 64, cols: 33 };
      const first = engine.kl(batch, base) as Float64Array;
      const before = engine.memoryBytes();
      expect(before).toBeGreaterThan(0);
      for (let i = 0; i < 10_000; i++) {
        const k = i % 4;
        if (k === 0) engine.kl(batch, base);
        else if (k === 1) engine.jsd(batch, q.subarray(0, 33));
        else if (k === 2) engine.entropy(Array.from(p.subarray(0, 33)));
        else engine.mutualInformation({ data: p.subarray(0, 64 * 32), rows: 64, cols: 32 });
      }
      expect(engine.memoryBytes()).toBe(before);
      expect(engine.kl(batch, base)).toEqual(first);
    });

    it(`${backend}: a batch 40× the arena streams through without growing memory`, () => {
      const engine = createEngineSync({ backend, arenaBytes: 16 * 1024 });
      const before = engine.memoryBytes();
      const rows = 2000, cols = 40; // 640 KB of f64 per input vs a 16 KiB arena
      const p = dirichletRows(rows, cols, 3), q = dirichletRows(rows, cols, 4);
      const viaArena = engine.kl({ data: p, rows, cols }, { data: q, rows, cols }) as Float64Array;
      expect(engine.memoryBytes()).toBe(before);
      const big = createEngineSync({ backend, arenaBytes: 8 << 20 });
      expect(viaArena).toEqual(big.kl({ data: p, rows, cols }, { data: q, rows, cols }));
    });

    it(`${backend}: matrices allocated and freed repeatedly reuse their memory`, () => {
      const engine = createEngineSync({ backend });
      const warm = engine.matrix(1000, 256, 'float32');
      warm.free();
      const before = engine.memoryBytes();
      for (let i = 0; i < 200; i++) {
        const a = engine.matrix(1000, 256, 'float32');
        const b = engine.matrix(10, 7, 'float64');
        b.free();
        a.free();
      }
      expect(engine.memoryBytes()).toBe(before);
    });
  }

  it('views are refreshed after memory grows', () => {
    const engine = createEngineSync({ backend: 'simd' });
    const m = engine.matrix(4, 3, 'float64');
    m.data.set([0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4, 1, 1, 2]);
    const grow = engine.matrix(4096, 4096, 'float64'); // 128 MiB: forces memory.grow
    expect(m.data.length).toBe(12);
    expect(m.data[11]).toBe(2);
    const h = engine.entropy(m) as Float64Array;
    expect(h[3]).toBeCloseTo(-(0.25 * Math.log(0.25) * 2 + 0.5 * Math.log(0.5)), 14);
    grow.free();
  });
});
