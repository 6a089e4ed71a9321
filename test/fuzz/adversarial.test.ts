// Adversarial numerics, one named test per input class (docs/adversarial.md tabulates them
// against scipy, Keras and ml-distance), checked against an exact BigInt evaluation (exact.ts)
// or against identities that hold exactly in floating point (scaling a row by a power of two).
// A fuzz property then holds every engine and the js reference to the exact oracle on short rows
// of extreme values.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import { rng } from '../helpers/random.js';
import { ENGINES, expectIntact, reference } from './engines.js';
import { exactCrossEntropy, exactEntropy, exactJsd, exactKl, type Convention } from './exact.js';
import { EXTREME_VALUES } from './gen.js';
import { fuzz } from './harness.js';
import { termScale } from './model.js';

const MAX = Number.MAX_VALUE;
const TINY = 5e-324;

type RowMeasure = 'entropy' | 'crossEntropy' | 'kl' | 'jsd';

function value(e: Engine, m: RowMeasure, p: number[], q: number[], convention: Convention = 'scipy'): number {
  return (m === 'entropy' ? e.entropy(p, { convention }) : e[m](p, q, m === 'jsd' ? {} : { convention })) as number;
}

function exact(m: RowMeasure, p: number[], q: number[], convention: Convention = 'scipy'): number {
  switch (m) {
    case 'entropy': return exactEntropy(p, convention);
    case 'crossEntropy': return exactCrossEntropy(p, q, convention);
    case 'kl': return exactKl(p, q, convention);
    case 'jsd': return exactJsd(p, q);
  }
}

/** Within `rel` (1e-12) of the terms' magnitude of the exact value (or the same infinity). */
function expectExact(label: string, got: number, want: number, p: number[], q: number[], convention: Convention = 'scipy', rel = 1e-12): void {
  if (!Number.isFinite(want)) {
    expect(got, label).toBe(want);
    return;
  }
  const tol = rel * termScale(p, q, convention === 'scipy');
  if (!(Math.abs(got - want) <= tol)) expect.fail(`${label}: got ${got}, exact ${want}, |diff| ${Math.abs(got - want)} > ${tol}`);
}

describe('adversarial numerics', () => {
  it('normalizing rows whose sum overflows to Infinity: rescaled exactly, never NaN', () => {
    const rows: [number[], number[]][] = [
      [[MAX, MAX], [MAX, 1]],
      [[MAX, MAX / 3, 1e308, 0, 1], [1e308, 1e308, 1e308, 1e308, 1e308]],
      [[1e308, 1e308, 1e-300, TINY], [1, 1e308, 1e308, 1e308]],
      [Array.from({ length: 37 }, (_, i) => MAX / (1 + i)), Array.from({ length: 37 }, (_, i) => MAX / (37 - i))],
    ];
    for (const [p, q] of rows) {
      // scipy-convention measures are scale-free, and 2^-64 scales every double exactly.
      const down = (x: number[]) => x.map((v) => v * 2 ** -64);
      for (const m of ['entropy', 'crossEntropy', 'kl', 'jsd'] as const) {
        const want = exact(m, p, q);
        for (const fe of ENGINES) {
          const got = value(fe.engine, m, p, q);
          expect(Number.isNaN(got), `${fe.label} ${m}`).toBe(false);
          expectExact(`${fe.label} ${m}`, got, want, p, q);
          expectExact(`${fe.label} ${m} of the rows scaled by 2^-64`, value(fe.engine, m, down(p), down(q)), want, p, q);
        }
      }
    }
  });

  it('KL terms whose ratio p/q overflows or underflows: the exact log difference, only there', () => {
    const cases: [number[], number[]][] = [
      [[0.5, 0.5], [1e-320, 1]], // p/q = 5e319 overflows (scipy's rel_entr gives Infinity)
      [[0.5, 0.5], [TINY, 1]],
      [[1e-320, 1], [0.5, 0.5]], // p/q underflows to a subnormal
      [[TINY, 1, 1], [1, TINY, 1]],
      [[1e-300, 1], [1e300, 1]],
    ];
    for (const [p, q] of cases) {
      for (const convention of ['scipy', 'raw'] as const) {
        const want = exactKl(p, q, convention);
        expect(Number.isFinite(want)).toBe(true);
        for (const fe of ENGINES) expectExact(`${fe.label} kl ${convention} ${p} ‖ ${q}`, value(fe.engine, 'kl', p, q, convention), want, p, q, convention);
      }
    }
    // Where the ratio is in range its log is taken directly, within one rounding of the quotient
    // (2^-52 here). log p − log q would be off by an ulp of log 1e300 (1.1e-13), 500 times more.
    const p = [1e300 * (1 + 2 ** -52), 1e300], q = [1e300, 1e300];
    const want = exactKl(p, q, 'raw');
    for (const fe of ENGINES) {
      const got = value(fe.engine, 'kl', p, q, 'raw');
      expect(Math.abs(got - want), `${fe.label}: ${got} vs ${want}`).toBeLessThanOrEqual(p[0] * 2 ** -52);
    }
  });

  it('float32 KL, whose SIMD body takes log(p/q) without forming p/q: range edges, zeros, huge rows', () => {
    const rand = rng(11);
    const f32 = (x: number[]) => Array.from(Float32Array.from(x));
    const rows = (n: number, edit: (p: number[], q: number[], i: number) => void): [number[], number[]] => {
      const p = Array.from({ length: n }, () => rand()), q = Array.from({ length: n }, () => rand());
      for (let i = 0; i < n; i++) edit(p, q, i);
      return [f32(p), f32(q)];
    };
    const cases: [string, [number[], number[]]][] = [];
    for (const n of [16, 37, 64, 70]) {
      // q just above float32's smallest normal where p ≠ 0: p·2^-k would be subnormal.
      cases.push([`q in [2^-126, 2^-125), n ${n}`, rows(n, (p, q, i) => { if (i % 5 === 2) q[i] = (i % 2 ? 1 : 1.5) * 2 ** -126; })]);
      cases.push([`p in [2^-126, 2^-125), n ${n}`, rows(n, (p, q, i) => { if (i % 7 === 3) p[i] = 1.25 * 2 ** -126; })]);
      // p = q = 0 (0/0 inside the ratio form), p = 0 < q, and q = 0 < p.
      cases.push([`p = q = 0 in most lanes, n ${n}`, rows(n, (p, q, i) => { if (i % 3 !== 0) { p[i] = 0; q[i] = 0; } })]);
      cases.push([`p = 0 < q, n ${n}`, rows(n, (p, q, i) => { if (i % 2 === 0) p[i] = 0; })]);
      cases.push([`q = 0 < p, n ${n}`, rows(n, (p, q, i) => { if (i === n - 5) q[i] = 0; })]);
      // A huge q: p·2^-k would overflow (the row sum sends such rows the careful way).
      cases.push([`q near float32's maximum, n ${n}`, rows(n, (p, q, i) => { if (i % 4 === 1) { p[i] = 0; q[i] = 3e38; } })]);
      cases.push([`q near float32's maximum where p ≠ 0, n ${n}`, rows(n, (p, q, i) => { if (i === 1) q[i] = 3e38 * (1 - rand() / 8); })]);
      cases.push([`p and q 2^100 apart, n ${n}`, rows(n, (p, q, i) => { p[i] *= 2 ** 50; q[i] *= 2 ** -50; })]);
    }
    for (const [label, [p, q]] of cases) {
      for (const convention of ['scipy', 'raw'] as const) {
        const want = exactKl(p, q, convention);
        for (const fe of ENGINES) {
          const got = fe.engine.kl(Float32Array.from(p), Float32Array.from(q), { convention }) as number;
          expectExact(`${fe.label} ${label} ${convention}`, got, want, p, q, convention, fe.simd ? 3e-6 : 1e-12);
        }
      }
    }
  });

  it('float32 KL of nearly identical rows: the sum within 1e-5, where a rounded p/q would be off by ~6% per term', () => {
    const rand = rng(12);
    for (const n of [16, 37, 1000]) {
      const p = Array.from(Float32Array.from({ length: n }, () => 0.5 + rand()));
      // q = p·(1 + δ) with δ ≈ 2^-20: each term is about −p·δ, and a float32 p/q carries an
      // error of 2^-24, 1/16 of δ.
      const q = Array.from(Float32Array.from(p, (v) => v * (1 + 2 ** -20 * (1 + rand()))));
      const want = exactKl(p, q, 'raw');
      for (const fe of ENGINES) {
        const got = fe.engine.kl(Float32Array.from(p), Float32Array.from(q), { convention: 'raw' }) as number;
        expect(Math.abs(got / want - 1), `${fe.label} n ${n}: ${got} vs ${want}`).toBeLessThan(1e-5);
      }
    }
  });

  it('JSD where the mixture (p\' + q\')/2 of the smallest subnormal and 0 rounds to 0: exact, never Infinity', () => {
    for (const [p, q] of [[[TINY, 1], [0, 1]], [[0, 1], [TINY, 1]], [[TINY, 0], [TINY, TINY]], [[1e-320, 1], [0, 1]]]) {
      const want = exactJsd(p, q);
      for (const fe of ENGINES) {
        for (const f of [(a: number[], b: number[]) => fe.engine.jsd(a, b) as number, (a: number[], b: number[]) => fe.engine.pairwise('jsd', [a], [b]).data[0]]) {
          expect(Math.abs(f(p, q) - want), `${fe.label} jsd ${p} ${q}`).toBeLessThan(1e-300 + 1e-15 * want);
        }
      }
    }
  });

  it('JSD and cross-entropy of nearly identical rows: never negative, never NaN', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      const p = Array.from({ length: n }, () => (rand() < 0.2 ? 0 : rand() * 10 ** Math.floor(rand() * 12 - 6)));
      if (!p.some((v) => v > 0)) p[0] = 1;
      const near = [p.slice(), p.map((v) => v * (1 + (rand() - 0.5) * 2 ** -50)), p.map((v) => v * 2 ** 7), p.map((v) => v * (1 - 2 ** -53))];
      for (const q of near) {
        for (const f32 of [false, true]) {
          const [a, b] = f32 ? [Float32Array.from(p), Float32Array.from(q)] : [p, q];
          for (const fe of ENGINES) {
            const j = fe.engine.jsd(a, b) as number, d = fe.engine.jsDistance(a, b) as number;
            const ce = fe.engine.crossEntropy(a, b) as number, h = fe.engine.entropy(a) as number;
            expect(j >= 0 && d >= 0 && ce >= 0 && h >= 0, `${fe.label}: jsd ${j}, distance ${d}, CE ${ce}, H ${h}`).toBe(true);
            // CE = H + KL ≥ H, up to the rounding of both (float32 logarithms on SIMD).
            const tol = (f32 && fe.simd ? 3e-6 : 1e-12) * termScale(Array.from(a), Array.from(b), true);
            expect(ce, fe.label).toBeGreaterThanOrEqual(h - tol);
          }
        }
      }
    }
  });

  it('base close to 1: finite, with the sign of log(base), exactly nats / Math.log(base)', () => {
    const p = [0.1, 0.2, 0.7], q = [0.3, 0.3, 0.4];
    const table = [[1, 2], [3, 4]];
    for (const base of [1 + 1e-12, 1 - 1e-12, 1 + 2 ** -52, 1 - 2 ** -53]) {
      const d = Math.log(base);
      for (const fe of ENGINES) {
        const e = fe.engine;
        const calls: [string, (o: { base?: number }) => number][] = [
          ['entropy', (o) => e.entropy(p, o) as number],
          ['crossEntropy', (o) => e.crossEntropy(p, q, o) as number],
          ['kl', (o) => e.kl(p, q, o) as number],
          ['jsd', (o) => e.jsd(p, q, o) as number],
          ['mutualInformation', (o) => e.mutualInformation(table, o) as number],
          ['conditionalEntropy', (o) => e.conditionalEntropy(table, o) as number],
          ['mutualInfoScore', (o) => e.mutualInfoScore([0, 0, 1, 1, 2], [0, 1, 1, 1, 2], o)],
          ['channelMutualInformation', (o) => e.channelMutualInformation([1, 3], [[0.25, 0.75], [0.5, 0.5]], o) as number],
          ['pairwise', (o) => e.pairwise('kl', [p], [q], o).data[0]],
        ];
        for (const [name, f] of calls) {
          const nats = f({}), got = f({ base });
          expect(got, `${fe.label} ${name} base ${base}`).toBe(nats / d);
          expect(Number.isFinite(got) && Math.sign(got) === Math.sign(d), `${fe.label} ${name} base ${base}: ${got}`).toBe(true);
        }
        // The square root of a negative divergence is no distance.
        if (base < 1) expect(() => e.jsDistance(p, q, { base })).toThrow(expect.objectContaining({ code: 'INVALID_BASE' }));
        else expect(e.jsDistance(p, q, { base })).toBe(Math.sqrt(e.jsd(p, q) as number / d));
        expect(() => e.entropy(p, { base: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_BASE' }));
      }
    }
  });

  it('tables with overflowing and with subnormal totals give the measures of the unscaled counts', () => {
    const counts = [[3, 1, 0, 2], [2, 2, 1, 0], [0, 5, 7, 1]];
    // Both scalings are exact: 2^1020 makes the total overflow, 2^-1074 makes every cell subnormal.
    for (const scale of [2 ** 1020, 2 ** -1074, 2 ** -1070]) {
      const scaled = counts.map((r) => r.map((v) => v * scale));
      for (const fe of ENGINES) {
        const e = fe.engine;
        for (const m of ['mutualInformation', 'jointEntropy', 'conditionalEntropy'] as const) {
          const want = e[m](counts) as number, got = e[m](scaled) as number;
          expect(Math.abs(got - want), `${fe.label} ${m} × ${scale}: ${got} vs ${want}`).toBeLessThanOrEqual(4e-16 * (1 + want));
        }
        for (const m of ['mutualInfoScore', 'normalizedMutualInfoScore'] as const) {
          const want = e[m](counts), got = e[m](scaled);
          expect(Math.abs(got - want), `${fe.label} ${m} × ${scale}: ${got} vs ${want}`).toBeLessThanOrEqual(4e-16 * (1 + want));
        }
        // The channel's input distribution is normalized like a row.
        const W = [[0.25, 0.75], [0.5, 0.5]];
        const px = [1, 3];
        expect(e.channelMutualInformation(px.map((v) => v * scale), W), fe.label).toBeCloseTo(e.channelMutualInformation(px, W) as number, 15);
      }
    }
  });

  it('capacity of nearly useless channels with unused outputs: converged in a few steps, on every engine', () => {
    // Z-channels with a tiny crossover: capacity ≈ t/e; Blahut-Arimoto alone needs > 10^5 steps.
    // A Z-channel that keeps its input with probability t has capacity ln(1 + t·(1 − t)^((1−t)/t)).
    for (const t of [1e-3, 1e-6, 5e-10]) {
      const W = [[t, 0, 0, 1 - t], [0, 0, 0, 1]];
      const want = Math.log1p(t * Math.exp(((1 - t) / t) * Math.log1p(-t)));
      for (const fe of ENGINES) {
        const r = fe.engine.channelCapacity(W);
        expect([r.converged, r.iterations < 100], `${fe.label} t = ${t}: gap ${r.gap} after ${r.iterations}`).toEqual([true, true]);
        expect(Math.abs(r.capacity - want), `${fe.label} t = ${t}`).toBeLessThanOrEqual(r.gap + 1e-15);
      }
    }
  });

  it('AMI of tables with huge integer counts returns promptly and agrees across engines', () => {
    for (const c of [1e6, 1e12, 1e15, 2 ** 60, 1e300]) {
      const table = [[c, 2 * c], [3 * c, c]];
      const want = reference.adjustedMutualInfoScore(table);
      expect(Number.isFinite(want), `${c}`).toBe(true);
      for (const fe of ENGINES) {
        const started = Date.now();
        const got = fe.engine.adjustedMutualInfoScore(table);
        expect(Date.now() - started, `${fe.label} AMI at counts ${c}`).toBeLessThan(2000);
        expect(Math.abs(got - want), `${fe.label} AMI at counts ${c}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-10);
      }
    }
  });
});

describe('fuzz: the exact oracle', () => {
  const rowArb = (n: number) => fc.array(fc.oneof(fc.constantFrom(...EXTREME_VALUES), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: n, maxLength: n });
  const caseArb = fc.integer({ min: 1, max: 9 }).chain((n) => fc.record({
    p: rowArb(n), q: rowArb(n),
    measure: fc.constantFrom<RowMeasure>('entropy', 'crossEntropy', 'kl', 'jsd'),
    convention: fc.constantFrom<Convention>('scipy', 'raw'),
  }));
  fuzz('short rows of extreme values: every engine and the reference within 1e-12 of the terms of the exact value', 500, () =>
    fc.property(caseArb, ({ p, q, measure, convention }) => {
      const conv = measure === 'jsd' ? 'scipy' : convention;
      // scipy rows must not sum to zero; raw rows may (their measures are then 0).
      if (conv === 'scipy' && (p.every((v) => v === 0) || (measure !== 'entropy' && q.every((v) => v === 0)))) return;
      const want = exact(measure, p, q, conv);
      for (const fe of ENGINES) {
        expectExact(`${fe.label} ${measure}/${conv}`, value(fe.engine, measure, p, q, conv), want, p, measure === 'entropy' ? p : q, conv);
        expectIntact(fe.label, fe);
      }
    }));
});
