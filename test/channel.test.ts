// Channel mutual information and capacity beyond the conformance vectors: closed forms, batches,
// hard channels, the WebAssembly backends against the js reference, and the error paths.
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/index.node.js';
import { InfodivError } from '../src/errors.js';
import type { Engine } from '../src/engine.js';
import type { CapacityResult } from '../src/types.js';
import { caught as thrown } from './helpers/errors.js';
import { rng } from './helpers/random.js';

const engines: [string, Engine][] = [
  ['simd', createEngineSync({ backend: 'simd' })],
  ['scalar', createEngineSync({ backend: 'scalar' })],
  ['js', createEngineSync({ backend: 'js' })],
  ['simd, 1 KiB arena', createEngineSync({ backend: 'simd', arenaBytes: 1024 })],
];
const js = engines[2][1];

const h2 = (e: number) => (e === 0 || e === 1 ? 0 : -e * Math.log2(e) - (1 - e) * Math.log2(1 - e));
const bsc = (e: number) => [[1 - e, e], [e, 1 - e]];
const bec = (e: number) => [[1 - e, e, 0], [0, e, 1 - e]];
const identity = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/** A random channel whose rows are skewed (cubed uniforms), so some inputs end up unused. */
function randomChannel(rnd: () => number, nx: number, ny: number): number[][] {
  return Array.from({ length: nx }, () => {
    const row = Array.from({ length: ny }, () => rnd() ** 3);
    const s = row.reduce((x, y) => x + y, 0);
    return row.map((v) => v / s);
  });
}

/** A channel within ±0.002 of the useless uniform one: plain Blahut-Arimoto needs > 100000 steps. */
function nearlyUseless(n: number): number[][] {
  return Array.from({ length: n }, (_, x) => {
    const dev = Array.from({ length: n }, (_, y) => Math.cos(1.3 * x + 2.1 * y * y));
    const mean = dev.reduce((a, b) => a + b, 0) / n;
    return dev.map((d) => 1 / n + 0.002 * (d - mean));
  });
}

describe('channel capacity', () => {
  for (const [label, e] of engines) {
    it(`${label}: meets the closed forms in bits`, () => {
      for (const p of [0, 0.01, 0.11, 0.3, 0.45, 0.5]) {
        const r = e.channelCapacity(bsc(p), { base: 2 });
        expect(r.converged).toBe(true);
        expect(Math.abs(r.capacity - (1 - h2(p)))).toBeLessThan(1e-11);
        expect(Math.abs(e.channelCapacity(bec(p), { base: 2 }).capacity - (1 - p))).toBeLessThan(1e-11);
      }
      for (const n of [1, 2, 3, 5, 16, 33]) {
        const r = e.channelCapacity(identity(n), { base: 2 });
        expect(Math.abs(r.capacity - Math.log2(n))).toBeLessThan(1e-12);
        expect(r.gap).toBeLessThanOrEqual(1e-12);
        r.inputDistribution.forEach((v) => expect(v).toBeCloseTo(1 / n, 12));
      }
      // nats by default, any base on request; tol and gap stay in nats.
      const nats = e.channelCapacity(bsc(0.2));
      expect(nats.capacity).toBeCloseTo((1 - h2(0.2)) * Math.LN2, 12);
      expect(e.channelCapacity(bsc(0.2), { base: 10 }).capacity).toBeCloseTo(nats.capacity / Math.LN10, 12);
    });

    it(`${label}: converges quickly on nearly useless and degenerate channels`, () => {
      const channels = [bsc(0.49), [[0.5, 0.5], [0.503, 0.497]], [[0.9, 0.1], [0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], nearlyUseless(6)];
      for (const W of channels) {
        const r = e.channelCapacity(W);
        expect(r.converged).toBe(true);
        expect(r.gap).toBeLessThanOrEqual(1e-12);
        expect(r.iterations).toBeLessThan(100);
        expect(Math.abs(r.capacity - (e.channelMutualInformation(r.inputDistribution, W) as number))).toBeLessThan(1e-15);
      }
    });

    it(`${label}: returns the best result unconverged when maxIter runs out`, () => {
      const r = e.channelCapacity([[0.9, 0.1], [0.3, 0.7]], { tol: 0, maxIter: 3 });
      expect(r.converged).toBe(false);
      expect(r.iterations).toBe(3);
      expect(r.gap).toBeGreaterThan(0);
      expect(r.capacity).toBeGreaterThan(0);
    });

    it(`${label}: takes a batch of channels, flat or nested, and gives one result each`, () => {
      const nested = [bsc(0.1), bsc(0.2), bsc(0.3)];
      const flat = { data: Float64Array.from(nested.flat(2)), tables: 3, rows: 2, cols: 2 };
      for (const batch of [nested, flat]) {
        const rs = e.channelCapacity(batch, { base: 2 });
        expect(rs).toHaveLength(3);
        rs.forEach((r, t) => expect(r.capacity).toBeCloseTo(1 - h2([0.1, 0.2, 0.3][t]), 11));
      }
    });
  }

  it('matches the js reference on random channels (and on channels larger than the arena)', () => {
    const rnd = rng(5);
    const shapes: [number, number][] = [[2, 2], [3, 7], [12, 9], [21, 14], [40, 25], [64, 64]];
    for (const [nx, ny] of shapes) {
      const W = randomChannel(rnd, nx, ny);
      const expected = js.channelCapacity(W);
      expect(expected.converged).toBe(true);
      for (const [label, e] of engines) {
        const r = e.channelCapacity(W);
        expect(r.converged, `${label} ${nx}×${ny}`).toBe(true);
        expect(Math.abs(r.capacity - expected.capacity), `${label} ${nx}×${ny}`).toBeLessThanOrEqual(2e-12);
        r.inputDistribution.forEach((v, x) => expect(Math.abs(v - expected.inputDistribution[x])).toBeLessThan(1e-5));
      }
    }
  });
});

describe('channel mutual information', () => {
  const rnd = rng(9);
  const channels = [randomChannel(rnd, 4, 6), randomChannel(rnd, 4, 6), randomChannel(rnd, 4, 6)];
  const inputs = [[0.1, 0.2, 0.3, 0.4], [1, 0, 0, 3], [5, 5, 5, 5]];

  for (const [label, e] of engines) {
    it(`${label}: batches px, W or both, like the single calls`, () => {
      const single = (p: number[], W: number[][]) => js.channelMutualInformation(p, W) as number;
      const byW = e.channelMutualInformation(inputs[0], channels) as Float64Array;
      const byPx = e.channelMutualInformation(inputs, channels[1]) as Float64Array;
      const both = e.channelMutualInformation(inputs, channels) as Float64Array;
      for (let t = 0; t < 3; t++) {
        expect(byW[t]).toBeCloseTo(single(inputs[0], channels[t]), 14);
        expect(byPx[t]).toBeCloseTo(single(inputs[t], channels[1]), 14);
        expect(both[t]).toBeCloseTo(single(inputs[t], channels[t]), 14);
      }
      expect(e.channelMutualInformation(Float32Array.from([0.5, 0.5]), bsc(0.11), { base: 2 })).toBeCloseTo(1 - h2(0.11), 7);
      // A single channel given as a Matrix is one channel, not a batch.
      const m = { data: Float64Array.from(channels[2].flat()), rows: 4, cols: 6 };
      expect(e.channelMutualInformation(inputs[2], m)).toBeCloseTo(single(inputs[2], channels[2]), 14);
    });

    it(`${label}: locates the errors of one channel and of a batch`, () => {
      const row = thrown(() => e.channelCapacity([[0.5, 0.5], [0.25, 0.25]]));
      expect([row.code, row.index, row.argument]).toEqual(['NOT_STOCHASTIC', [1], 'W']);
      expect(thrown(() => e.channelMutualInformation([0.5, 0.5], [[0.5, 0.5 + 2e-9], [0, 1]])).index).toEqual([0]);
      expect(e.channelMutualInformation([0.5, 0.5], [[0.5, 0.5 + 5e-10], [0, 1]])).toBeGreaterThan(0);
      const batch = [bsc(0.1), [[0.5, 0.5], [1, 0.5]], bsc(0.3)];
      expect(thrown(() => e.channelCapacity(batch)).index).toEqual([1, 1]);
      const neg = thrown(() => e.channelMutualInformation([[0.5, 0.5], [1, -1]], bsc(0.1)));
      expect([neg.code, neg.index, neg.argument]).toEqual(['NEGATIVE_VALUE', [1, 1], 'px']);
      expect(thrown(() => e.channelMutualInformation([0, 0], bsc(0.1))).code).toBe('ZERO_SUM');
      expect(thrown(() => e.channelMutualInformation([0.5, 0.5], [bsc(0.1), [[0.5, 0.5], [NaN, 1]]])).index).toEqual([1, 1, 0]);
      const errors: InfodivError[] = [];
      const rs = e.channelCapacity(batch, { onInvalid: 'nan', errors }) as CapacityResult[];
      expect(rs[1].capacity).toBeNaN();
      expect(rs[2].capacity).toBeCloseTo((1 - h2(0.3)) * Math.LN2, 12);
      expect(errors.map((x) => [x.code, x.index])).toEqual([['NOT_STOCHASTIC', [1, 1]]]);
      const mi = e.channelMutualInformation(inputs, [channels[0], channels[1], [[1, 0, 0, 0, 0, 0], ...channels[2].slice(1)]].map((w, t) => (t === 1 ? w.map((r) => r.map((v) => v * 2)) : w)), { onInvalid: 'nan' }) as Float64Array;
      expect(Number.isNaN(mi[1]) && !Number.isNaN(mi[0]) && !Number.isNaN(mi[2])).toBe(true);
    });

    it(`${label}: checks shapes and options`, () => {
      expect(thrown(() => e.channelMutualInformation([0.5, 0.5], [[1, 0], [0, 1], [1, 0]])).code).toBe('LENGTH_MISMATCH');
      expect(thrown(() => e.channelMutualInformation(inputs, [bsc(0.1), bsc(0.2)])).code).toBe('LENGTH_MISMATCH');
      expect(thrown(() => e.channelCapacity([])).code).toBe('EMPTY');
      expect(thrown(() => e.channelCapacity([[1]], { tol: -1 })).code).toBe('INVALID_OPTION');
      expect(thrown(() => e.channelCapacity([[1]], { maxIter: 0 })).code).toBe('INVALID_OPTION');
      expect(thrown(() => e.channelCapacity([[1]], { base: 1 })).code).toBe('INVALID_BASE');
    });
  }
});
