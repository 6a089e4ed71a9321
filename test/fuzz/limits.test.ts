// Resource limits: inputs larger than WebAssembly memory stream through the arena; a Matrix whose
// data disagrees with rows × cols is LENGTH_MISMATCH for every function that takes one; requests
// the process cannot serve are OUT_OF_MEMORY; after every kind of error the engine answers good
// calls exactly as a fresh engine does; an error in the middle of a batch leaves no results that
// look complete.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../../src/index.node.js';
import { InfodivError } from '../../src/errors.js';
import type { Engine } from '../../src/engine.js';
import { ENGINES, expectIntact } from './engines.js';
import { caught } from '../helpers/errors.js';

/** Every public function once, on inputs that exercise the arena: the answers a healthy engine gives. */
function goodCalls(e: Engine): unknown[] {
  const P = Array.from({ length: 40 }, (_, r) => Array.from({ length: 37 }, (_, c) => ((r * 7 + c * 3) % 11) + (c === 5 ? 1e-300 : 0)));
  const q = Array.from({ length: 37 }, (_, c) => (c % 5) + 1);
  const T = [[1, 2, 0], [3, 4, 5]];
  const W = [[0.25, 0.75], [0.5, 0.5]];
  const a = [0, 0, 1, 1, 2, 2, 2, 3], b = ['x', 'y', 'y', 'y', 'z', 'z', 'x', 'x'];
  const m = e.matrix(40, 37, 'float32');
  m.data.set(P.flat());
  const results = [
    e.entropy(P), e.crossEntropy(P, q), e.kl(P, q), e.kl(P, q, { convention: 'raw' }), e.kl(P, q, { convention: 'keras' }),
    e.jsd(P, q), e.jsDistance(q, P), e.entropy(m), e.kl(m, q),
    e.mutualInformation(T), e.jointEntropy(T), e.conditionalEntropy([T, T]),
    e.pairwise('jsd', P.slice(0, 9)).data, e.pairwise('kl', P.slice(0, 5), P.slice(5, 9)).data,
    e.contingency(a, b).data, e.mutualInfoScore(a, b), e.normalizedMutualInfoScore(a, b), e.adjustedMutualInfoScore(a, b),
    e.mutualInfoScores([a, b.map((x) => x.charCodeAt(0))], a, { measure: 'ami' }),
    e.channelMutualInformation([1, 3], W), e.channelCapacity(W).capacity,
  ];
  m.free();
  return results.map((r) => (ArrayBuffer.isView(r) ? Array.from(r as Float64Array) : r));
}

describe('resource limits', () => {
  it('a batch larger than WebAssembly memory (4 GiB) streams through the arena, never rejected for size', () => {
    // 2^20 + 1 rows of 1024 float32 values share one row object: 4 GiB + 4 KiB of input that
    // takes 4 KiB of real memory.
    const cols = 1024, rows = 2 ** 20 + 1;
    const row = Float32Array.from({ length: cols }, (_, i) => (i % 7) + 1);
    const e = createEngineSync({ backend: 'simd' });
    const before = e.memoryBytes();
    const h = e.entropy(new Array(rows).fill(row)) as Float64Array;
    expect(h.length).toBe(rows);
    const one = e.entropy(row) as number;
    expect(h.every((v) => v === one)).toBe(true);
    expect(e.memoryBytes()).toBe(before);
  }, 120_000);

  it('a Matrix whose data length disagrees with rows × cols is LENGTH_MISMATCH, for every function that takes one', () => {
    const v = [0.2, 0.3, 0.5];
    for (const fe of ENGINES) {
      const e = fe.engine;
      for (const length of [5, 7, 0]) {
        const M = { data: new Float64Array(length).fill(0.5), rows: 2, cols: 3 };
        const calls: [string, string, () => unknown][] = [
          ['entropy', 'p', () => e.entropy(M)],
          ['crossEntropy', 'q', () => e.crossEntropy(v, M)],
          ['kl', 'p', () => e.kl(M, v)],
          ['kl keras', 'y_pred', () => e.kl(v, M, { convention: 'keras' })],
          ['jsd', 'q', () => e.jsd(v, M)],
          ['jsDistance', 'p', () => e.jsDistance(M, v)],
          ['mutualInformation', 'P', () => e.mutualInformation(M)],
          ['jointEntropy batch', 'P', () => e.jointEntropy({ data: M.data, tables: 2, rows: 1, cols: 2 })],
          ['conditionalEntropy', 'P', () => e.conditionalEntropy(M)],
          ['pairwise A', 'A', () => e.pairwise('jsd', M)],
          ['pairwise B', 'B', () => e.pairwise('kl', [v], M)],
          ['mutualInfoScore table', 'contingency', () => e.mutualInfoScore(M)],
          ['normalizedMutualInfoScore table', 'contingency', () => e.normalizedMutualInfoScore(M)],
          ['adjustedMutualInfoScore table', 'contingency', () => e.adjustedMutualInfoScore(M)],
          ['mutualInfoScores', 'features', () => e.mutualInfoScores(M, [0, 1])],
          ['channelMutualInformation px', 'px', () => e.channelMutualInformation({ data: new Float64Array(3), rows: 1, cols: 2 }, [[1, 0], [0, 1]])],
          ['channelMutualInformation W', 'W', () => e.channelMutualInformation([1, 1], M)],
          ['channelCapacity', 'W', () => e.channelCapacity(M)],
        ];
        for (const [name, argument, call] of calls) {
          const err = caught(call);
          expect([err.code, err.argument, err.index], `${fe.label} ${name}, data of ${length}`).toEqual(['LENGTH_MISMATCH', argument, null]);
        }
      }
      expectIntact(fe.label, fe);
    }
  });

  it('requests larger than the process can serve are OUT_OF_MEMORY, and the engine goes on', () => {
    for (const fe of ENGINES) {
      const e = fe.engine;
      // 70000² float64 is 36.5 GiB: beyond WebAssembly's 4 GiB, and beyond a typed array's length.
      expect(caught(() => e.matrix(70000, 70000, 'float64')).code, fe.label).toBe('OUT_OF_MEMORY');
      // A result matrix of 70000² pairs, from 70000 rows that take 16 bytes of real memory.
      const rows = new Array(70000).fill(new Float64Array([0.5, 0.5]));
      expect(caught(() => e.pairwise('jsd', rows)).code, fe.label).toBe('OUT_OF_MEMORY');
      // 70000 × 70000 distinct labels: a contingency table of 4.9e9 cells.
      const labels = Int32Array.from({ length: 70000 }, (_, i) => i);
      expect(caught(() => e.contingency(labels, labels)).code, fe.label).toBe('OUT_OF_MEMORY');
      expectIntact(fe.label, fe);
    }
  });

  it('a matrix within WebAssembly\'s 4 GiB that the process will not grow memory for is OUT_OF_MEMORY', () => {
    const e = createEngineSync({ backend: 'simd' });
    const fresh = goodCalls(createEngineSync({ backend: 'simd' }));
    // Cap every WebAssembly memory of this process at 256 MiB, as a constrained host would.
    v8.setFlagsFromString('--wasm-max-mem-pages=4096');
    try {
      expect(caught(() => e.matrix(8192, 8192, 'float64')).code).toBe('OUT_OF_MEMORY'); // 512 MiB
      expect(goodCalls(e)).toEqual(fresh);
      const small = e.matrix(1024, 1024, 'float64'); // 8 MiB still fits
      expect(small.data.length).toBe(1024 * 1024);
      small.free();
    } finally {
      v8.setFlagsFromString('--wasm-max-mem-pages=4294967295'); // V8's default
    }
  });

  it('after every kind of error, every function answers exactly as on a fresh engine', () => {
    const failing: [string, (e: Engine) => unknown][] = [
      ['LENGTH_MISMATCH', (e) => e.kl([1, 2], [1, 2, 3])],
      ['NEGATIVE_VALUE', (e) => e.jsd(Array.from({ length: 300 }, (_, i) => [1, i === 250 ? -1 : 2, 3]), [1, 1, 1])],
      ['NON_FINITE', (e) => e.entropy(Array.from({ length: 100 }, () => Array(500).fill(1)).concat([[...Array(499).fill(1), NaN]]))],
      ['EMPTY', (e) => e.mutualInfoScore([], [])],
      ['ZERO_SUM', (e) => e.mutualInformation([[[1, 2], [3, 4]], [[0, 0], [0, 0]]])],
      ['INVALID_BASE', (e) => e.channelCapacity([[1, 0], [0, 1]], { base: -2 })],
      ['INVALID_OPTION', (e) => e.pairwise('kl', [[1, 2]], { convention: 'bogus' as never })],
      ['NOT_STOCHASTIC', (e) => e.channelMutualInformation([1, 1], [[0.5, 0.6], [1, 0]])],
      ['NOT_INTEGER', (e) => e.adjustedMutualInfoScore([[1, 2.5], [3, 4]])],
      ['NON_FINITE', (e) => e.mutualInfoScores({ data: Float64Array.of(0, 1, NaN, 1), rows: 2, cols: 2 }, [0, 1])],
      ['OUT_OF_MEMORY', (e) => e.matrix(70000, 70000, 'float64')],
    ];
    for (const fe of ENGINES) {
      const fresh = goodCalls(fe.fresh());
      for (const [code, fail] of failing) {
        expect(caught(() => fail(fe.engine)).code, `${fe.label}`).toBe(code);
        expect(goodCalls(fe.engine), `${fe.label} after ${code}`).toEqual(fresh);
        expectIntact(`${fe.label} after ${code}`, fe);
      }
    }
    const closed = createEngineSync();
    closed.close();
    expect(caught(() => closed.kl([1], [1])).code).toBe('ENGINE_CLOSED');
    expect(caught(() => closed.matrix(1, 1)).code).toBe('ENGINE_CLOSED');
  });

  it('an error in the middle of a streamed batch: no partial results with \'throw\', exactly the bad row NaN with \'nan\'', () => {
    const rows = 300, cols = 33, bad = 217;
    const clean = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => ((r * 13 + c * 5) % 17) + 0.5));
    const broken = clean.map((row, r) => (r === bad ? row.map((v, c) => (c === 20 ? -v : v)) : row));
    const q = Array.from({ length: cols }, (_, c) => c + 1);
    const tables = (x: number[][]) => Array.from({ length: rows / 3 }, (_, t) => x.slice(3 * t, 3 * t + 3));
    const W = [[0.5, 0.5, 0], [0.25, 0.25, 0.5], [0, 0, 1]];
    const calls: [string, (e: Engine, x: number[][], o: object) => Float64Array, number, number[]][] = [
      ['kl', (e, x, o) => e.kl(x, q, o) as Float64Array, rows, [bad, 20]],
      ['jsd', (e, x, o) => e.jsd(q, x, o) as Float64Array, rows, [bad, 20]],
      ['mutualInformation', (e, x, o) => e.mutualInformation(tables(x), o) as Float64Array, rows / 3, [bad / 3 | 0, bad % 3, 20]],
      ['channelMutualInformation', (e, x, o) => e.channelMutualInformation(x.map((r) => r.slice(18, 21)), W, o) as Float64Array, rows, [bad, 2]],
    ];
    for (const fe of ENGINES.filter((f) => f.label.includes('1 KiB') || f.label === 'js')) {
      for (const [name, call, n, index] of calls) {
        const want = call(fe.engine, clean, {});
        const out = new Float64Array(n).fill(7);
        const err = caught(() => call(fe.engine, broken, { out }));
        expect([err.code, err.index], `${fe.label} ${name}`).toEqual(['NEGATIVE_VALUE', index]);
        expect(out.every(Number.isNaN), `${fe.label} ${name}: out after a throw`).toBe(true);
        const errors: InfodivError[] = [];
        const got = call(fe.engine, broken, { onInvalid: 'nan', errors });
        expect(errors.length, `${fe.label} ${name}`).toBe(1);
        const badAt = name === 'mutualInformation' ? bad / 3 | 0 : bad;
        got.forEach((v, r) => expect(Object.is(v, r === badAt ? NaN : want[r]), `${fe.label} ${name} row ${r}`).toBe(true));
      }
    }
  });
});
