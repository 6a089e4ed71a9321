// Fuzz: entropy, crossEntropy, kl (scipy, raw, keras), jsd and jsDistance on every engine of
// engines.ts against the js reference, over random shapes (vectors, batches, a batch against a
// vector either way), containers (plain arrays holding non-numbers, typed arrays of every kind,
// matrices, zero-copy engine matrices), extreme values and planted invalid elements.
// For each case: the value of every valid row, the error thrown ('throw') and every row's error
// ('nan'), what `out` holds afterwards, and that the engine still answers a fixed call the same.
import { describe } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import type { Convention, DivergenceOptions } from '../../src/types.js';
import { ENGINES, expectIntact, reference, type FuzzEngine } from './engines.js';
import {
  BATCH_CONTAINERS, PAIRINGS, VECTOR_CONTAINERS, batchValues, colsArb, isFloat32, kindsWithZeroArb, plantsArb, stored, withInputs,
  type BatchRecipe, type Input,
} from './gen.js';
import { fuzz } from './harness.js';
import {
  SENTINEL, expectClose, expectErrors, expectOutAfterThrow, expectOutResult, expectThrows, rowErrors, termScale,
  type ExpectedError, type View,
} from './model.js';

type Measure = 'entropy' | 'crossEntropy' | 'kl' | 'jsd' | 'jsDistance';
const CONVENTIONS: Record<Measure, Convention[]> = {
  entropy: ['scipy', 'raw'], crossEntropy: ['scipy', 'raw'], kl: ['scipy', 'raw', 'keras'], jsd: ['scipy'], jsDistance: ['scipy'],
};
const SHAPES = ['vector', 'batch', 'batch-vector', 'vector-batch'] as const;
/** Elements per argument: enough for chunks, segments and tiles in small arenas, fast enough for CI. */
const MAX_ELEMENTS = 12_000;

const sideArb = fc.record({ seed: fc.nat(), kinds: kindsWithZeroArb, plants: plantsArb, vector: fc.constantFrom(...VECTOR_CONTAINERS), batch: fc.constantFrom(...BATCH_CONTAINERS) });

function caseArb(measure: Measure) {
  return fc.record({
    convention: fc.constantFrom(...CONVENTIONS[measure]),
    shape: measure === 'entropy' ? fc.constantFrom('vector', 'batch') : fc.constantFrom(...SHAPES),
    rows: fc.integer({ min: 1, max: 40 }),
    cols: colsArb,
    p: sideArb,
    q: sideArb,
    pairing: fc.constantFrom(...PAIRINGS),
    base: fc.constantFrom(undefined, 2, 10, 0.5, 1 + 1e-12, Math.E),
    out: fc.constantFrom('none', 'exact', 'longer'),
  }).map((c) => ({ ...c, rows: Math.max(1, Math.min(c.rows, Math.floor(MAX_ELEMENTS / c.cols))) }));
}
type Case = ReturnType<typeof caseArb> extends fc.Arbitrary<infer T> ? T : never;

function inputs(measure: Measure, c: Case): [Input, Input | null] {
  const pBatch = c.shape === 'batch' || c.shape === 'batch-vector';
  const qBatch = c.shape === 'batch' || c.shape === 'vector-batch';
  const side = (s: Case['p'], batch: boolean, partner?: Input): Input => {
    const recipe: BatchRecipe = { rows: batch ? c.rows : 1, cols: c.cols, seed: s.seed, kinds: s.kinds, plants: s.plants };
    const values = batchValues(recipe, partner && { values: partner.values, pairing: c.pairing });
    return { container: batch ? s.batch : s.vector, rows: recipe.rows, cols: c.cols, values };
  };
  const p = side(c.p, pBatch);
  return [p, measure === 'entropy' ? null : side(c.q, qBatch, p)];
}

const isVector = (i: Input) => (VECTOR_CONTAINERS as readonly string[]).includes(i.container);

function call(engine: Engine, measure: Measure, p: Input, q: Input | null, opts: DivergenceOptions): number | Float64Array {
  return withInputs(engine, [p, q], (pa, qa) =>
    (measure === 'entropy' ? engine.entropy(pa as never, opts) : engine[measure](pa as never, qa as never, opts)));
}

function checkCase(measure: Measure, c: Case): void {
  const [p, q] = inputs(measure, c);
  if (measure === 'jsDistance' && c.base !== undefined && c.base < 1) {
    // Below base 1 the divergence is negative and has no square root: INVALID_BASE, before the data.
    const want = { code: 'INVALID_BASE', argument: null, index: null };
    for (const fe of ENGINES) {
      expectThrows(fe.label, () => call(fe.engine, measure, p, q, { base: c.base }), want);
      expectThrows(`${fe.label} (nan)`, () => call(fe.engine, measure, p, q, { base: c.base, onInvalid: 'nan' }), want);
    }
    return;
  }
  const names = measure === 'kl' && c.convention === 'keras' ? ['y_true', 'y_pred'] : ['p', 'q'];
  const views: View[] = [p, q].filter((x): x is Input => x !== null).map((x, i) => ({ name: names[i], oneD: isVector(x), rows: x.rows, cols: x.cols, values: stored(x) }));
  const rows = Math.max(...views.map((v) => v.rows));
  const oneD = views.every((v) => v.oneD);
  const normalize = c.convention === 'scipy';
  const expected = rowErrors(views, rows, normalize);
  const bad = expected.filter((e): e is ExpectedError => e !== null);
  const base = c.base;
  const opts: DivergenceOptions = { convention: c.convention, ...(base !== undefined ? { base } : {}) };

  const refErrors: unknown[] = [];
  const want = asRows(call(reference, measure, p, q, { ...opts, onInvalid: 'nan', errors: refErrors as never }));
  expectErrors('js reference (nan)', refErrors, bad);

  const f32 = [p, q].every((x) => x === null || isFloat32(x));
  // float64: 1e-12 of the terms' magnitude C. float32 rows on SIMD take float32 logarithms (and
  // Keras clips at float32(1e-7)): the conformance rule for float32, 1e-5·(C + |value|).
  const tolOf = (fe: FuzzEngine, r: number) => {
    const rowValues = (v: View) => v.values.slice(v.rows === 1 ? 0 : r * v.cols, (v.rows === 1 ? 0 : r * v.cols) + v.cols) as number[];
    const pr = rowValues(views[0]), qr = views.length > 1 ? rowValues(views[1]) : pr;
    const C = termScale(pr, qr, normalize);
    const nats = f32 && (fe.simd || c.convention === 'keras') ? 1e-5 * (C + Math.abs(want[r])) : 1e-12 * C;
    return nats / (base === undefined ? 1 : Math.abs(Math.log(base)));
  };
  const compareRow = (label: string, fe: FuzzEngine, r: number, g: number) => {
    const w = want[r];
    if (measure === 'jsDistance') expectClose(label, g * g, w * w, tolOf(fe, r) * 1.01);
    else expectClose(label, g, w, tolOf(fe, r));
    // Entropy, cross-entropy and JSD of normalized rows are never negative in a base above 1,
    // whatever the rounding (KL may be, by a rounding error, as in scipy).
    const positive = base === undefined || base > 1;
    if (positive && normalize && measure !== 'kl' && !(g >= 0)) throw new Error(`${label}: ${measure} ${g} < 0`);
  };

  for (const fe of ENGINES) {
    const label = `${fe.label} ${measure}/${c.convention}`;
    const out = c.out === 'none' ? undefined : new Float64Array(rows + (c.out === 'longer' ? 3 : 0)).fill(SENTINEL);
    const withOut = out ? { ...opts, out } : opts;
    if (bad.length > 0) {
      expectThrows(`${label} (throw)`, () => call(fe.engine, measure, p, q, withOut), bad[0]);
      if (out) expectOutAfterThrow(label, out, rows);
      const errors: unknown[] = [];
      const got = asRows(call(fe.engine, measure, p, q, { ...opts, onInvalid: 'nan', errors: errors as never }));
      expectErrors(`${label} (nan)`, errors, bad);
      for (let r = 0; r < rows; r++) {
        if (expected[r]) {
          if (!Number.isNaN(got[r])) throw new Error(`${label} (nan) row ${r}: invalid row gave ${got[r]}`);
        } else {
          compareRow(`${label} (nan) row ${r}`, fe, r, got[r]);
        }
      }
    } else {
      const result = call(fe.engine, measure, p, q, withOut);
      if (oneD !== (typeof result === 'number')) throw new Error(`${label}: result ${String(result)} for ${oneD ? 'vectors' : 'a batch'}`);
      if (out) expectOutResult(label, out, result, rows);
      const got = asRows(result);
      if (got.length !== rows) throw new Error(`${label}: ${got.length} results for ${rows} rows`);
      for (let r = 0; r < rows; r++) compareRow(`${label} row ${r}`, fe, r, got[r]);
    }
    expectIntact(label, fe);
  }
}

const asRows = (r: number | Float64Array): Float64Array => (typeof r === 'number' ? Float64Array.of(r) : r);

describe('fuzz: row measures against the js reference', () => {
  for (const measure of ['entropy', 'crossEntropy', 'kl', 'jsd', 'jsDistance'] as const) {
    fuzz(`${measure}: values, errors and out on every engine`, 200, () => fc.property(caseArb(measure), (c) => checkCase(measure, c)));
  }
});
