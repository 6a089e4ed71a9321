// Fuzz: mutualInformation, jointEntropy and conditionalEntropy of one joint table or a batch,
// in every container (nested plain arrays with non-numbers, typed rows, matrices, engine
// matrices, flat { data, tables, rows, cols } blocks), with totals that overflow or are
// subnormal, against the js reference: values, errors ('throw' and 'nan'), out, canary.
import { describe } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import type { CommonOptions } from '../../src/types.js';
import { ENGINES, expectIntact, reference } from './engines.js';
import { batchValues, kindsWithZeroArb, materialize, plantsArb, stored, type Input } from './gen.js';
import { fuzz } from './harness.js';
import {
  SENTINEL, expectClose, expectErrors, expectOutAfterThrow, expectOutResult, expectThrows, tableErrors, type ExpectedError,
} from './model.js';

type Measure = 'mutualInformation' | 'jointEntropy' | 'conditionalEntropy';

const SINGLE = ['nested-plain', 'nested-f64', 'nested-f32', 'nested-mixed', 'matrix-f64', 'matrix-f32', 'engine-f64', 'engine-f32'] as const;
const BATCH = ['tables-plain', 'tables-f32', 'flat-f64', 'flat-f32'] as const;
type TableContainer = (typeof SINGLE)[number] | (typeof BATCH)[number];

const caseArb = fc.record({
  single: fc.boolean(),
  singleContainer: fc.constantFrom(...SINGLE),
  batchContainer: fc.constantFrom(...BATCH),
  count: fc.integer({ min: 1, max: 8 }),
  rows: fc.integer({ min: 1, max: 24 }),
  cols: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(16, 17, 31, 33, 63, 64, 65, 127, 129)),
  seed: fc.nat(),
  kinds: kindsWithZeroArb,
  plants: plantsArb,
  base: fc.constantFrom(undefined, 2, 0.5, 1 + 1e-12),
  out: fc.constantFrom('none', 'exact', 'longer'),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** Every table is drawn as one flat row of `kind` (cells, not rows, follow the kind). */
function tableValues(c: Case, count: number): unknown[] {
  const values: unknown[] = [];
  for (let t = 0; t < count; t++) {
    values.push(...batchValues({ rows: 1, cols: c.rows * c.cols, seed: c.seed + t, kinds: [c.kinds[t % c.kinds.length]], plants: [] }));
  }
  return values;
}

interface TableArg {
  container: TableContainer;
  count: number;
  rows: number;
  cols: number;
  values: unknown[];
}

/** The argument for `engine` (engine matrices live in its memory), and how to free it. */
function tableArgument(t: TableArg, engine: Engine): { arg: unknown; free: () => void } {
  const { container, count, rows, cols, values } = t;
  const none = () => {};
  const asInput = (c: string, v: unknown[], r: number): Input => ({ container: c as Input['container'], rows: r, cols, values: v });
  const slice = (k: number) => values.slice(k * rows * cols, (k + 1) * rows * cols);
  switch (container) {
    case 'tables-plain': return { arg: Array.from({ length: count }, (_, k) => materialize(asInput('nested-plain', slice(k), rows), null).arg), free: none };
    case 'tables-f32': return { arg: Array.from({ length: count }, (_, k) => materialize(asInput('nested-f32', slice(k), rows), null).arg), free: none };
    case 'flat-f64': case 'flat-f32': {
      const m = materialize(asInput(container === 'flat-f64' ? 'matrix-f64' : 'matrix-f32', values, count * rows), null).arg as { data: unknown };
      return { arg: { data: m.data, tables: count, rows, cols }, free: none };
    }
    default: return materialize(asInput(container, values, rows), engine);
  }
}

/** The stored elements, as the model reads them. */
function storedValues(t: TableArg): unknown[] {
  const container = t.container === 'tables-plain' ? 'nested-plain' : t.container === 'tables-f32' ? 'nested-f32' : t.container.startsWith('flat') ? `matrix-${t.container.slice(5)}` : t.container;
  return stored({ container: container as Input['container'], rows: t.count * t.rows, cols: t.cols, values: t.values });
}

function run(engine: Engine, measure: Measure, t: TableArg, opts: CommonOptions): number | Float64Array {
  const { arg, free } = tableArgument(t, engine);
  try {
    return engine[measure](arg as never, opts);
  } finally {
    free();
  }
}

function checkCase(measure: Measure, c: Case): void {
  const count = c.single ? 1 : c.count;
  const rows = Math.max(1, Math.min(c.rows, Math.floor(4000 / c.cols)));
  const values = tableValues({ ...c, rows }, count);
  const t: TableArg = { container: c.single ? c.singleContainer : c.batchContainer, count, rows, cols: c.cols, values };
  // Plants land anywhere in the whole batch.
  for (const [at, v] of c.plants) values[at % values.length] = v;
  const expected = tableErrors(storedValues(t), count, rows, c.cols, c.single, 'P');
  const bad = expected.filter((e): e is ExpectedError => e !== null);
  const opts: CommonOptions = c.base === undefined ? {} : { base: c.base };

  const refErrors: unknown[] = [];
  const want = asArray(run(reference, measure, t, { ...opts, onInvalid: 'nan', errors: refErrors as never }));
  expectErrors('js reference (nan)', refErrors, bad);
  const tol = (w: number) => (1e-12 * (1 + Math.abs(w) + Math.log(rows * c.cols + 1))) / (c.base === undefined ? 1 : Math.abs(Math.log(c.base)));

  for (const fe of ENGINES) {
    const label = `${fe.label} ${measure} ${count}×${rows}×${c.cols}`;
    const out = c.out === 'none' ? undefined : new Float64Array(count + (c.out === 'longer' ? 2 : 0)).fill(SENTINEL);
    const withOut = out ? { ...opts, out } : opts;
    if (bad.length > 0) {
      expectThrows(`${label} (throw)`, () => run(fe.engine, measure, t, withOut), bad[0]);
      if (out) expectOutAfterThrow(label, out, count);
      const errors: unknown[] = [];
      const got = asArray(run(fe.engine, measure, t, { ...opts, onInvalid: 'nan', errors: errors as never }));
      expectErrors(`${label} (nan)`, errors, bad);
      got.forEach((g, k) => {
        if (expected[k] ? !Number.isNaN(g) : false) throw new Error(`${label} (nan) table ${k}: invalid table gave ${g}`);
        if (!expected[k]) expectClose(`${label} (nan) table ${k}`, g, want[k], tol(want[k]));
      });
    } else {
      const result = run(fe.engine, measure, t, withOut);
      if (c.single !== (typeof result === 'number')) throw new Error(`${label}: result ${String(result)}`);
      if (out) expectOutResult(label, out, result, count);
      asArray(result).forEach((g, k) => {
        expectClose(`${label} table ${k}`, g, want[k], tol(want[k]));
        // MI, H(X,Y) and H(Y|X) are never negative in a base above 1.
        if ((c.base === undefined || c.base > 1) && !(g >= 0)) throw new Error(`${label} table ${k}: ${g} < 0`);
      });
    }
    expectIntact(label, fe);
  }
}

const asArray = (r: number | Float64Array): Float64Array => (typeof r === 'number' ? Float64Array.of(r) : r);

describe('fuzz: joint-table measures against the js reference', () => {
  for (const measure of ['mutualInformation', 'jointEntropy', 'conditionalEntropy'] as const) {
    fuzz(`${measure}: values, errors and out on every engine`, 150, () => fc.property(caseArb, (c) => checkCase(measure, c)));
  }
});
