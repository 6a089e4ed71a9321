// Label measures beyond the conformance vectors: contingency order, tables passed back in,
// many features in one call, a differential test of the WebAssembly backends against the js
// reference on random labelings (tiled through a tiny arena too), and the error paths.
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/index.node.js';
import { InfodivError } from '../src/errors.js';
import type { Engine } from '../src/engine.js';
import type { AverageMethod, Labels } from '../src/types.js';
import { caught as thrown } from './helpers/errors.js';
import { rng } from './helpers/random.js';

const engines: [string, Engine][] = [
  ['simd', createEngineSync({ backend: 'simd' })],
  ['scalar', createEngineSync({ backend: 'scalar' })],
  ['js', createEngineSync({ backend: 'js' })],
  ['simd, 1 KiB arena', createEngineSync({ backend: 'simd', arenaBytes: 1024 })],
];
const js = engines[2][1];
const METHODS: AverageMethod[] = ['arithmetic', 'geometric', 'min', 'max'];

/** n labels from k classes, optionally following `like` with probability `agree`. */
function labeling(rnd: () => number, n: number, k: number, like?: Int32Array, agree = 0): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = like && rnd() < agree ? like[i] % k : Math.floor(rnd() * k);
  return out;
}

const close = (a: number, b: number, rel: number, abs: number) => Math.abs(a - b) <= abs + rel * Math.abs(b);

describe('contingency', () => {
  for (const [label, e] of engines) {
    it(`${label}: sorts numbers ascending, strings by code point, and keeps 1 and '1' apart`, () => {
      const a: Labels = ['b', 2, '1', 1, -0, 0, 'a', 10, '10', 2];
      const b: Labels = [3, 3, 1, 1, 1, 3, 2, 2, 2, 3];
      const t = e.contingency(a, b);
      expect(t.rowLabels).toEqual([0, 1, 2, 10, '1', '10', 'a', 'b']);
      expect(Object.is(t.rowLabels[0], 0)).toBe(true);
      expect(t.colLabels).toEqual([1, 2, 3]);
      expect([t.rows, t.cols]).toEqual([8, 3]);
      expect(Array.from(t.data)).toEqual([
        1, 0, 1, // 0 and -0
        1, 0, 0, // 1
        0, 0, 2, // 2
        0, 1, 0, // 10
        1, 0, 0, // '1'
        0, 1, 0, // '10'
        0, 1, 0, // 'a'
        0, 0, 1, // 'b'
      ]);
    });

    it(`${label}: orders sparse and negative numbers, and supplementary characters after U+FFFD`, () => {
      const t = e.contingency([1e9, -5, 0.5, -5, 7], ['\u{1F600}', '\uFFFD', 'z', 'Z', 'z']);
      expect(t.rowLabels).toEqual([-5, 0.5, 7, 1e9]);
      expect(t.colLabels).toEqual(['Z', 'z', '\uFFFD', '\u{1F600}']);
    });

    it(`${label}: gives a table the scores accept as it is`, () => {
      const rnd = rng(7);
      const a = labeling(rnd, 500, 6), b = labeling(rnd, 500, 4, a, 0.5);
      const t = e.contingency(a, b);
      expect(e.mutualInfoScore(t)).toBeCloseTo(e.mutualInfoScore(a, b), 13);
      expect(e.normalizedMutualInfoScore(t, { averageMethod: 'min' })).toBeCloseTo(e.normalizedMutualInfoScore(a, b, { averageMethod: 'min' }), 13);
      expect(e.adjustedMutualInfoScore(t)).toBeCloseTo(e.adjustedMutualInfoScore(a, b), 11);
    });
  }
});

describe('differential: WebAssembly against the js reference', () => {
  const cases: [number, number, number, number][] = [
    // samples, classes of a, classes of b, agreement
    [100000, 300, 300, 0],
    [100000, 300, 300, 0.6],
    [100000, 2, 3, 0.3],
    [20000, 1000, 7, 0.5],
    [5000, 50, 5000, 0],
    [3001, 3000, 3000, 0.9],
    [200, 3, 200, 0.2],
  ];
  for (const [n, ka, kb, agree] of cases) {
    it(`${n} samples, ${ka} × ${kb} classes, agreement ${agree}`, () => {
      const rnd = rng(n + ka + kb);
      const a = labeling(rnd, n, ka), b = labeling(rnd, n, kb, a, agree);
      // The average methods differ only in the last step: two of them per measure suffice here.
      const methods = METHODS.filter((_, i) => i % 2 === (n % 2));
      const mi = js.mutualInfoScore(a, b);
      const nmi = methods.map((m) => js.normalizedMutualInfoScore(a, b, { averageMethod: m }));
      const ami = methods.map((m) => js.adjustedMutualInfoScore(a, b, { averageMethod: m }));
      for (const [label, e] of engines) {
        if (label === 'js') continue;
        const got = e.mutualInfoScore(a, b);
        if (!close(got, mi, 1e-12, 1e-13)) expect.fail(`${label} MI ${got} vs ${mi}`);
        methods.forEach((m, i) => {
          const v = e.normalizedMutualInfoScore(a, b, { averageMethod: m });
          if (!close(v, nmi[i], 1e-12, 1e-13)) expect.fail(`${label} NMI ${m} ${v} vs ${nmi[i]}`);
          const w = e.adjustedMutualInfoScore(a, b, { averageMethod: m });
          if (!close(w, ami[i], 1e-10, 1e-10)) expect.fail(`${label} AMI ${m} ${w} vs ${ami[i]}`);
        });
      }
    });
  }

  it('tiles a table larger than the arena, with string labels', () => {
    const rnd = rng(3);
    const a = Array.from(labeling(rnd, 4000, 90), (v) => `class ${v}`);
    const b = Array.from(labeling(rnd, 4000, 70), (v) => `cluster ${v}`);
    const expected = js.contingency(a, b);
    for (const [label, e] of engines) {
      const t = e.contingency(a, b);
      expect(t.rowLabels, label).toEqual(expected.rowLabels);
      expect(Array.from(t.data), label).toEqual(Array.from(expected.data));
      expect(close(e.adjustedMutualInfoScore(a, b), js.adjustedMutualInfoScore(a, b), 1e-10, 1e-10), label).toBe(true);
    }
  });

  it('matches on caller tables with fractional counts and at extreme scales', () => {
    const rnd = rng(11);
    const table = Array.from({ length: 40 }, () => Array.from({ length: 30 }, () => (rnd() < 0.3 ? 0 : rnd() * 10)));
    const tiny = table.map((r) => r.map((v) => v * 1e-310));
    const huge = table.map((r) => r.map((v) => v * 1e306));
    // Counts spanning more than 2^1000 (left to the reference's exact rescaling; its entropies
    // underflow there, so only MI is compared).
    const spread = table.map((r, x) => r.map((v, y) => (x === 0 && y === 1 ? 1e300 : x === 1 && y === 1 ? 1e-10 : v)));
    for (const t of [table, tiny, huge, spread]) {
      const mi = js.mutualInfoScore(t), nmi = js.normalizedMutualInfoScore(t, { averageMethod: 'geometric' });
      for (const [label, e] of engines) {
        expect(close(e.mutualInfoScore(t), mi, 1e-12, 1e-13), label).toBe(true);
        if (t !== spread) expect(close(e.normalizedMutualInfoScore(t, { averageMethod: 'geometric' }), nmi, 1e-12, 1e-13), label).toBe(true);
      }
    }
  });
});

describe('mutualInfoScores', () => {
  const rnd = rng(99);
  const n = 3000, features = 40;
  const target = labeling(rnd, n, 5);
  const columns = Array.from({ length: features }, (_, f) => labeling(rnd, n, 2 + (f % 9) * 3, target, (f % 5) / 5));
  const data = new Uint8Array(n * features);
  columns.forEach((col, f) => col.forEach((v, i) => { data[i * features + f] = v; }));
  const matrix = { data, rows: n, cols: features };

  for (const [label, e] of engines) {
    for (const measure of ['mi', 'nmi', 'ami'] as const) {
      it(`${label}: ${measure} of every feature equals the one-pair score`, () => {
        const single = columns.map((col) =>
          measure === 'mi' ? e.mutualInfoScore(col, target)
            : measure === 'nmi' ? e.normalizedMutualInfoScore(col, target, { averageMethod: 'max' })
              : e.adjustedMutualInfoScore(col, target, { averageMethod: 'max' }));
        const opts = { measure, averageMethod: 'max' as const };
        const fromMatrix = e.mutualInfoScores(matrix, target, opts);
        const fromArrays = e.mutualInfoScores(columns, target, opts);
        const tol = measure === 'ami' ? 1e-10 : 1e-13;
        single.forEach((v, f) => {
          expect(close(fromMatrix[f], v, tol, tol), `matrix feature ${f}: ${fromMatrix[f]} vs ${v}`).toBe(true);
          expect(close(fromArrays[f], v, tol, tol), `arrays feature ${f}`).toBe(true);
        });
      });
    }

    it(`${label}: reads every element type, engine matrices in place, and codes with gaps`, () => {
      const expected = e.mutualInfoScores(matrix, target);
      for (const Ctor of [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8ClampedArray]) {
        const got = e.mutualInfoScores({ data: Ctor.from(data), rows: n, cols: features }, target);
        expect(Array.from(got), Ctor.name).toEqual(Array.from(expected));
      }
      const m = e.matrix(n, features, 'float32');
      m.data.set(data);
      expect(Array.from(e.mutualInfoScores(m, target))).toEqual(Array.from(expected));
      m.free();
      // Codes 0, 5 and 2^30 are three classes: unused codes in between change nothing.
      const sparse = Float64Array.from(columns[3], (v) => [0, 5, 2 ** 30][v % 3]);
      const dense = Int32Array.from(columns[3], (v) => v % 3);
      const [s] = e.mutualInfoScores({ data: sparse, rows: n, cols: 1 }, target, { measure: 'ami' });
      expect(close(s, e.adjustedMutualInfoScore(dense, target), 1e-10, 1e-10)).toBe(true);
    });

    it(`${label}: locates invalid codes, or gives NaN for their features`, () => {
      const bad = Float64Array.from(data);
      bad[7 * features + 4] = 1.5;
      bad[9 * features + 2] = -1;
      bad[20 * features + 30] = NaN;
      const m = { data: bad, rows: n, cols: features };
      const err = thrown(() => e.mutualInfoScores(m, target));
      expect([err.code, err.index, err.argument]).toEqual(['NOT_INTEGER', [7, 4], 'features']);
      const errors: InfodivError[] = [];
      const out = e.mutualInfoScores(m, target, { onInvalid: 'nan', errors });
      const expected = e.mutualInfoScores(matrix, target);
      out.forEach((v, f) => (f === 2 || f === 4 || f === 30 ? expect(v).toBeNaN() : expect(v).toBe(expected[f])));
      expect(errors.map((x) => [x.code, x.index])).toEqual([['NEGATIVE_VALUE', [9, 2]], ['NOT_INTEGER', [7, 4]], ['NON_FINITE', [20, 30]]]);
      // 32-bit integer codes: negative, or too large for a table index.
      const negative = Int32Array.from(data);
      negative[5 * features + 8] = -1;
      expect(thrown(() => e.mutualInfoScores({ data: negative, rows: n, cols: features }, target)).index).toEqual([5, 8]);
      const large = Uint32Array.from(data);
      large[6 * features + 9] = 2 ** 31;
      const tooLarge = thrown(() => e.mutualInfoScores({ data: large, rows: n, cols: features }, target));
      expect([tooLarge.code, tooLarge.index]).toEqual(['INVALID_OPTION', [6, 9]]);
      const labels = [['a', 'b', 'a'], [0, NaN, 1], [1, 2, 3]];
      expect(thrown(() => e.mutualInfoScores(labels, ['x', 'y', 'y'])).index).toEqual([1, 1]);
      const nan = e.mutualInfoScores(labels, ['x', 'y', 'y'], { onInvalid: 'nan' });
      expect(nan[1]).toBeNaN();
      expect(nan[0]).toBeCloseTo(e.mutualInfoScore(labels[0] as Labels, ['x', 'y', 'y']), 15);
    });
  }

  it('checks its arguments', () => {
    const e = engines[0][1];
    expect(thrown(() => e.mutualInfoScores([[1, 2]], [1, 2, 3])).code).toBe('LENGTH_MISMATCH');
    expect(thrown(() => e.mutualInfoScores({ data: new Uint8Array(6), rows: 2, cols: 3 }, [1, 2, 3])).code).toBe('LENGTH_MISMATCH');
    expect(thrown(() => e.mutualInfoScores([], [1, 2])).code).toBe('EMPTY');
    expect(thrown(() => e.mutualInfoScores([[1, 2]], [])).code).toBe('EMPTY');
    expect(thrown(() => e.mutualInfoScores([[1, 2]], [1, 2], { measure: 'vi' as never })).code).toBe('INVALID_OPTION');
    const out = new Float64Array(4);
    expect(e.mutualInfoScores([[1, 2, 1], [1, 1, 1]], [1, 2, 1], { out, base: 2 })).toEqual(out.subarray(0, 2));
    expect(out[0]).toBeCloseTo(e.mutualInfoScore([1, 2, 1], [1, 2, 1], { base: 2 }), 15);
  });
});

describe('options and errors', () => {
  for (const [label, e] of engines) {
    it(`${label}: reports bad labels and tables with code and index`, () => {
      const nan = thrown(() => e.mutualInfoScore([0, 1, 1, 0], [0, 0, 1, Infinity]));
      expect([nan.code, nan.index, nan.argument]).toEqual(['NON_FINITE', [3], 'labels_pred']);
      // The lowest index wins across both labelings.
      expect(thrown(() => e.adjustedMutualInfoScore([0, 1, null as never, 0], [0, true as never, 1, 1])).index).toEqual([1]);
      const frac = thrown(() => e.adjustedMutualInfoScore([[1, 2], [3, 4.5]]));
      expect([frac.code, frac.index]).toEqual(['NOT_INTEGER', [1, 1]]);
      expect(e.mutualInfoScore([[1, 2], [3, 4.5]])).toBeGreaterThan(0);
      expect(thrown(() => e.normalizedMutualInfoScore([[0, 0], [0, 0]])).code).toBe('ZERO_SUM');
      expect(thrown(() => e.normalizedMutualInfoScore([1, 2], [1, 2], { averageMethod: 'median' as never })).code).toBe('INVALID_OPTION');
      expect(thrown(() => e.mutualInfoScore([1, 2], [1, 2], { base: 1 })).code).toBe('INVALID_BASE');
      expect(thrown(() => e.mutualInfoScore([1, 2, 3] as never)).code).toBe('INVALID_OPTION');
      const errors: InfodivError[] = [];
      expect(e.adjustedMutualInfoScore([[1, -2], [3, 4]], { onInvalid: 'nan', errors })).toBeNaN();
      expect(errors.map((x) => [x.code, x.index])).toEqual([['NEGATIVE_VALUE', [0, 1]]]);
    });

    it(`${label}: converts MI to the requested base and leaves NMI and AMI alone`, () => {
      const a = [0, 0, 1, 1, 2, 2, 2], b = [1, 1, 0, 0, 0, 2, 2];
      expect(e.mutualInfoScore(a, b, { base: 2 })).toBeCloseTo(e.mutualInfoScore(a, b) / Math.LN2, 15);
      expect(e.normalizedMutualInfoScore(a, b, { base: 2 })).toBe(e.normalizedMutualInfoScore(a, b));
      expect(e.mutualInfoScore(a, a)).toBeCloseTo(e.mutualInfoScore(Float64Array.from(a), a.map(String)), 15);
    });
  }
});
