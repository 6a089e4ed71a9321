// pairwise(measure, A, B?, opts): every pair against the float64 reference row functions, on
// random and adversarial rows of odd lengths, float32 and float64, streamed through tiny arenas;
// exact symmetry; shapes, options and errors.
import { describe, expect, it } from 'vitest';
import * as infodiv from '../src/index.node.js';
import { InfodivError, createEngineSync } from '../src/index.node.js';
import type { Convention, PairwiseMeasure } from '../src/types.js';
import { ROW_KINDS, dirichlet, row, rng, type RowKind } from './helpers/random.js';
import { caught } from './helpers/errors.js';
import { termScale } from './fuzz/model.js';

const reference = createEngineSync({ backend: 'js' });

const CASES: [PairwiseMeasure, Convention][] = [
  ['kl', 'scipy'], ['kl', 'raw'], ['kl', 'keras'], ['crossEntropy', 'scipy'], ['crossEntropy', 'raw'],
  ['jsd', 'scipy'], ['jsDistance', 'scipy'],
];

function batch(rand: () => number, rows: number, cols: number, kinds: readonly RowKind[], f32: boolean) {
  const data = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) data.set(row(rand, cols, kinds[(r + Math.floor(rand() * 3)) % kinds.length]), r * cols);
  return { data, rows, cols };
}

type Batch = ReturnType<typeof batch>;
const rowOf = (m: Batch, r: number) => m.data.subarray(r * m.cols, (r + 1) * m.cols);

/** The reference: the measure's own row function, called once per pair. */
function perPair(measure: PairwiseMeasure, convention: Convention, A: Batch, B: Batch): Float64Array {
  const want = new Float64Array(A.rows * B.rows);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.rows; j++) {
      want[i * B.rows + j] = reference[measure](rowOf(A, i), rowOf(B, j), { convention, onInvalid: 'nan' }) as number;
    }
  }
  return want;
}

function expectClose(measure: PairwiseMeasure, convention: Convention, A: Batch, B: Batch, got: Float64Array, want: Float64Array, rel: number, label: string) {
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.rows; j++) {
      const g = got[i * B.rows + j], w = want[i * B.rows + j];
      if (!Number.isFinite(w)) {
        expect(g, `${label} [${i}, ${j}]`).toBe(w);
        continue;
      }
      let tol = rel * termScale(rowOf(A, i), rowOf(B, j), convention === 'scipy');
      // √ turns an absolute error e of a small divergence d into about e / (2√d).
      if (measure === 'jsDistance') tol = Math.sqrt(tol) + tol / Math.max(w, 1e-300);
      if (!(Math.abs(g - w) <= tol)) expect.fail(`${label} [${i}, ${j}]: got ${g}, reference ${w}, |diff| ${Math.abs(g - w)} > ${tol}`);
      if (convention === 'scipy' && measure !== 'crossEntropy') expect(g).toBeGreaterThanOrEqual(0);
    }
  }
}

describe.each(['simd', 'scalar', 'js'] as const)('%s backend: pairwise vs the reference row functions', (backend) => {
  // 1 KiB streams rows of up to ~40 float64 in tiles and longer ones pair by pair.
  const engines = [createEngineSync({ backend }), createEngineSync({ backend, arenaBytes: 1024 }), createEngineSync({ backend, arenaBytes: 16384 })];
  for (const f32 of [false, true]) {
    for (const [measure, convention] of CASES) {
      it(`${measure} (${convention}, ${f32 ? 'float32' : 'float64'}): odd lengths 1..67 and longer rows, every row kind`, () => {
        const rand = rng(measure.length * 100 + convention.length * 10 + (f32 ? 1 : 0));
        const lengths = [...Array.from({ length: 67 }, (_, i) => i + 1), 128, 255, 1031];
        for (const cols of lengths) {
          const A = batch(rand, cols > 200 ? 3 : 7, cols, ROW_KINDS, f32);
          const B = batch(rand, cols > 200 ? 4 : 9, cols, [...ROW_KINDS].reverse(), f32);
          const want = perPair(measure, convention, A, B);
          // float32 Keras clips at float32(1e-7), the reference at 1e-7.
          const rel = f32 && convention === 'keras' ? 3e-6 : 1e-12;
          for (const engine of engines) {
            const got = engine.pairwise(measure, A, B, { convention, onInvalid: 'nan' });
            expect([got.rows, got.cols]).toEqual([A.rows, B.rows]);
            expectClose(measure, convention, A, B, got.data, want, rel, `${measure}/${convention} cols ${cols}`);
            const self = engine.pairwise(measure, A, { convention, onInvalid: 'nan' });
            expectClose(measure, convention, A, A, self.data, perPair(measure, convention, A, A), rel, `${measure}/${convention} A×A cols ${cols}`);
          }
        }
      });
    }
  }

  it('a symmetric measure over A alone is exactly symmetric with a zero diagonal; KL is not mirrored', () => {
    const rand = rng(5);
    for (const [rows, cols] of [[1, 5], [13, 3], [40, 37], [130, 64]]) {
      const A = batch(rand, rows, cols, ['dirichlet', 'zeros', 'sparse', 'tiny', 'subnormal', 'huge'], false);
      for (const engine of engines) {
        for (const m of ['jsd', 'jsDistance'] as const) {
          const { data } = engine.pairwise(m, A);
          for (let i = 0; i < rows; i++) {
            expect(data[i * rows + i]).toBe(0);
            for (let j = 0; j < i; j++) expect(data[i * rows + j]).toBe(data[j * rows + i]);
          }
        }
        const kl = engine.pairwise('kl', A).data;
        for (let i = 0; i < rows; i++) expect(kl[i * rows + i]).toBe(0);
        if (rows > 1) expect(kl[1]).not.toBe(kl[rows]);
      }
    }
  });

  it('tiles of any size give the same bits; engine matrices (zero-copy) give the same as plain arrays', () => {
    const rand = rng(9);
    const cols = 8; // short enough for tiles of 2 rows in a 1 KiB arena
    for (const f32 of [false, true]) {
      const A = batch(rand, 37, cols, ['dirichlet', 'zeros', 'tiny'], f32);
      const B = batch(rand, 23, cols, ['sparse', 'dirichlet', 'mixed-scales'], f32);
      const m = f32 ? 'float32' : 'float64';
      for (const measure of ['kl', 'crossEntropy', 'jsd'] as const) {
        const want = engines[0].pairwise(measure, A, B).data;
        expect(engines[1].pairwise(measure, A, B).data).toEqual(want);
        expect(engines[2].pairwise(measure, A, B).data).toEqual(want);
        expect(engines[1].pairwise(measure, A).data).toEqual(engines[0].pairwise(measure, A).data);
        for (const engine of engines) {
          const ma = engine.matrix(A.rows, cols, m), mb = engine.matrix(B.rows, cols, m);
          ma.data.set(A.data);
          mb.data.set(B.data);
          expect(engine.pairwise(measure, ma, mb).data).toEqual(want);
          ma.free();
          mb.free();
        }
      }
    }
  });

  it('shapes: a vector is one row, options may take B\'s place, out is used, base and √ apply', () => {
    const e = engines[0];
    const rand = rng(3);
    const p = dirichlet(rand, 8), q = dirichlet(rand, 8), r = dirichlet(rand, 8);
    const m = e.pairwise('kl', p, [q, r]);
    expect([m.rows, m.cols]).toEqual([1, 2]);
    expect(m.data[1]).toBeCloseTo(reference.kl(p, r) as number, 14);
    const out = new Float64Array(10).fill(-1);
    const sq = e.pairwise('jsd', [p, q, r], { base: 2, out });
    expect([sq.rows, sq.cols]).toEqual([3, 3]);
    expect(sq.data.buffer).toBe(out.buffer);
    expect(out[9]).toBe(-1);
    expect(sq.data[1]).toBeCloseTo((reference.jsd(p, q) as number) / Math.LN2, 14);
    expect(e.pairwise('jsDistance', [p, q, r], undefined, { base: 2 }).data[5]).toBeCloseTo(reference.jsDistance(q, r, { base: 2 }) as number, 14);
    expect(e.pairwise('crossEntropy', [p], null).data[0]).toBeCloseTo(reference.entropy(p) as number, 14);
  });

  it('errors: measure, convention, base, lengths, empty input, out too short', () => {
    const e = engines[0];
    const A = [[0.5, 0.5], [0.2, 0.8]];
    expect(caught(() => e.pairwise('hellinger' as never, A))).toMatchObject({ code: 'INVALID_OPTION', argument: 'measure' });
    expect(caught(() => e.pairwise('jsd', A, A, { convention: 'raw' })).code).toBe('INVALID_OPTION');
    expect(caught(() => e.pairwise('crossEntropy', A, { convention: 'keras' })).code).toBe('INVALID_OPTION');
    expect(caught(() => e.pairwise('kl', A, { base: 1 })).code).toBe('INVALID_BASE');
    expect(caught(() => e.pairwise('kl', A, [[1, 2, 3]]))).toMatchObject({ code: 'LENGTH_MISMATCH', argument: 'B', index: null });
    expect(caught(() => e.pairwise('kl', [], A)).code).toBe('EMPTY');
    expect(caught(() => e.pairwise('kl', A, { out: new Float64Array(3) })).code).toBe('LENGTH_MISMATCH');
  });

  it('a bad row: the first offending element of A or B in row-major order, or NaN across its row or column', () => {
    const e = engines[1];
    const rand = rng(21);
    const cols = 45;
    const A = batch(rand, 6, cols, ['dirichlet'], false);
    const B = batch(rand, 5, cols, ['dirichlet'], false);
    A.data[4 * cols + 7] = -1;
    B.data[3 * cols + 9] = NaN;
    expect(caught(() => e.pairwise('kl', A, B))).toMatchObject({ code: 'NON_FINITE', argument: 'B', index: [3, 9] });
    expect(caught(() => e.pairwise('jsd', A))).toMatchObject({ code: 'NEGATIVE_VALUE', argument: 'A', index: [4, 7] });
    B.data[2 * cols + 1] = 0; // a second problem in B does not hide A's earlier row
    B.data[3 * cols + 9] = 0.1;
    B.data.fill(0, 1 * cols, 2 * cols);
    expect(caught(() => e.pairwise('kl', A, B))).toMatchObject({ code: 'ZERO_SUM', argument: 'B', index: null });
    const errors: InfodivError[] = [];
    const { data } = e.pairwise('kl', A, B, { onInvalid: 'nan', errors });
    expect(errors.map((x) => [x.code, x.argument, x.index])).toEqual([['ZERO_SUM', 'B', null], ['NEGATIVE_VALUE', 'A', [4, 7]]]);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 5; j++) expect(Number.isNaN(data[i * 5 + j]), `[${i}, ${j}]`).toBe(i === 4 || j === 1);
    }
    // raw KL takes an all-zero row: it contributes nothing, or Infinity where it is q.
    const raw = e.pairwise('kl', [[0, 0], [1, 2]], { convention: 'raw' }).data;
    expect(Array.from(raw)).toEqual([0, 0, Infinity, 0]);
    const sym = e.pairwise('jsd', A, { onInvalid: 'nan' }).data;
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(Number.isNaN(sym[i * 6 + j])).toBe(i === 4 || j === 4);
  });
});

describe('root export', () => {
  it('pairwise is a root function', () => {
    const m = infodiv.pairwise('jsd', [[1, 0], [0, 1]], { base: 2 });
    expect(Array.from(m.data)).toEqual([0, 1, 1, 0]);
  });
});
