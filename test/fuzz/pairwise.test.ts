// Fuzz: pairwise(measure, A, B?) on every engine against the js reference: A against B (a batch
// or a vector) or against itself, options in B's place, extreme values and planted invalid
// elements; the error is the first offending element of A or B in row-major order (A first at
// equal positions), and with onInvalid 'nan' a bad row of A (of B) is NaN across its row (column).
import { describe } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import type { Convention, DivergenceOptions, Matrix, PairwiseMeasure } from '../../src/types.js';
import { ENGINES, expectIntact, reference } from './engines.js';
import { BATCH_CONTAINERS, PAIRINGS, VECTOR_CONTAINERS, batchValues, colsArb, isFloat32, kindsWithZeroArb, plantsArb, stored, withInputs, type Input } from './gen.js';
import { fuzz } from './harness.js';
import {
  SENTINEL, elementCode, expectClose, expectErrors, expectOutAfterThrow, expectThrows, termScale, type ExpectedError,
} from './model.js';

const CONVENTIONS: Record<PairwiseMeasure, Convention[]> = {
  kl: ['scipy', 'raw', 'keras'], crossEntropy: ['scipy', 'raw'], jsd: ['scipy'], jsDistance: ['scipy'],
};

const sideArb = fc.record({
  rows: fc.integer({ min: 1, max: 12 }),
  vector: fc.boolean(),
  seed: fc.nat(),
  kinds: kindsWithZeroArb,
  plants: plantsArb,
  vectorContainer: fc.constantFrom(...VECTOR_CONTAINERS),
  batchContainer: fc.constantFrom(...BATCH_CONTAINERS),
});

const caseArb = fc.record({
  measure: fc.constantFrom<PairwiseMeasure>('kl', 'crossEntropy', 'jsd', 'jsDistance'),
  conventionPick: fc.nat(),
  cols: colsArb,
  a: sideArb,
  b: sideArb,
  withB: fc.constantFrom('B', 'omitted', 'null', 'options-in-place'),
  pairing: fc.constantFrom(...PAIRINGS),
  base: fc.constantFrom(undefined, 2, 1 - 1e-12),
  out: fc.boolean(),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function side(s: Case['a'], cols: number, name: string, partner?: Input, pairing?: Case['pairing']): Input & { name: string; oneD: boolean } {
  const rows = s.vector ? 1 : Math.max(1, Math.min(s.rows, Math.floor(4000 / cols)));
  const values = batchValues({ rows, cols, seed: s.seed, kinds: s.kinds, plants: s.plants }, partner && pairing && { values: partner.values, pairing });
  return { name, oneD: s.vector, container: s.vector ? s.vectorContainer : s.batchContainer, rows, cols, values };
}

/** The error of every row of one argument ([row, col] of its first offending element, or a zero sum). */
function sideErrors(s: ReturnType<typeof side>, normalize: boolean): ({ err: ExpectedError; col: number } | null)[] {
  const v = stored(s);
  return Array.from({ length: s.rows }, (_, r) => {
    let sum = 0;
    for (let c = 0; c < s.cols; c++) {
      const x = v[r * s.cols + c];
      const code = elementCode(x);
      if (code) return { err: { code, argument: s.name, index: s.oneD ? [c] : [r, c] }, col: c };
      sum += x as number;
    }
    return normalize && sum === 0 ? { err: { code: 'ZERO_SUM', argument: s.name, index: null }, col: s.cols } : null;
  });
}

function call(engine: Engine, c: Case, A: Input, B: Input | null, opts: DivergenceOptions): Matrix<Float64Array> {
  return withInputs(engine, [A, B], (a, b) => {
    switch (c.withB) {
      case 'B': return engine.pairwise(c.measure, a as never, b as never, opts);
      case 'omitted': return engine.pairwise(c.measure, a as never, undefined, opts);
      case 'null': return engine.pairwise(c.measure, a as never, null, opts);
      case 'options-in-place': return engine.pairwise(c.measure, a as never, opts);
    }
  });
}

function checkCase(c: Case): void {
  const conventions = CONVENTIONS[c.measure];
  const convention = conventions[c.conventionPick % conventions.length];
  const A = side(c.a, c.cols, 'A');
  const B = c.withB === 'B' ? side(c.b, c.cols, 'B', A, c.pairing) : null;
  const opts: DivergenceOptions = { convention, ...(c.base !== undefined ? { base: c.base } : {}) };
  if (c.measure === 'jsDistance' && c.base !== undefined && c.base < 1) {
    for (const fe of ENGINES) expectThrows(fe.label, () => call(fe.engine, c, A, B, opts), { code: 'INVALID_BASE', argument: null, index: null });
    return;
  }
  const normalize = convention === 'scipy';
  const errA = sideErrors(A, normalize), errB = B ? sideErrors(B, normalize) : [];
  const found = [
    ...errA.flatMap((e, row) => (e ? [{ ...e, row, arg: 0 }] : [])),
    ...errB.flatMap((e, row) => (e ? [{ ...e, row, arg: 1 }] : [])),
  ].sort((x, y) => x.row - y.row || x.col - y.col || x.arg - y.arg);
  const bad = found.map((f) => f.err);
  const rows = A.rows, cols = B ? B.rows : A.rows;

  const refErrors: unknown[] = [];
  const want = call(reference, c, A, B, { ...opts, onInvalid: 'nan', errors: refErrors as never }).data;
  expectErrors('js reference (nan)', refErrors, bad);
  const invalid = (i: number, j: number) => errA[i] !== null || (B ? errB[j] !== null : errA[j] !== null);
  const av = stored(A), bv = B ? stored(B) : av;
  const f32 = isFloat32(A) && (!B || isFloat32(B));
  const tol = (i: number, j: number) => {
    const p = av.slice(i * c.cols, (i + 1) * c.cols) as number[], q = bv.slice(j * c.cols, (j + 1) * c.cols) as number[];
    // Pairs are computed in float64 whatever the storage; Keras clips float32 at float32(1e-7).
    const rel = f32 && convention === 'keras' ? 3e-6 : 1e-12;
    return (rel * termScale(p, q, normalize)) / (c.base === undefined ? 1 : Math.abs(Math.log(c.base)));
  };

  for (const fe of ENGINES) {
    const label = `${fe.label} pairwise ${c.measure}/${convention} ${rows}×${cols}×${c.cols}`;
    const out = c.out ? new Float64Array(rows * cols + 1).fill(SENTINEL) : undefined;
    const withOut = out ? { ...opts, out } : opts;
    let got: Float64Array;
    if (bad.length > 0) {
      expectThrows(`${label} (throw)`, () => call(fe.engine, c, A, B, withOut), bad[0]);
      if (out) expectOutAfterThrow(label, out, rows * cols);
      const errors: unknown[] = [];
      got = call(fe.engine, c, A, B, { ...opts, onInvalid: 'nan', errors: errors as never }).data;
      expectErrors(`${label} (nan)`, errors, bad);
    } else {
      const m = call(fe.engine, c, A, B, withOut);
      if (m.rows !== rows || m.cols !== cols) throw new Error(`${label}: shape ${m.rows}×${m.cols}`);
      if (out && m.data.buffer !== out.buffer) throw new Error(`${label}: the result is not in out`);
      got = m.data;
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const g = got[i * cols + j], w = want[i * cols + j];
        if (invalid(i, j)) {
          if (!Number.isNaN(g)) throw new Error(`${label} [${i}, ${j}]: pair with an invalid row gave ${g}`);
          continue;
        }
        if (c.measure === 'jsDistance') expectClose(`${label} [${i}, ${j}]`, g * g, w * w, tol(i, j) * 1.01);
        else expectClose(`${label} [${i}, ${j}]`, g, w, tol(i, j));
      }
    }
    expectIntact(label, fe);
  }
}

describe('fuzz: pairwise against the js reference', () => {
  fuzz('pairwise: every measure and convention, A × B and A × A, values and errors', 400, () => fc.property(caseArb, checkCase));
});
