// Fuzz: contingency, mutualInfoScore, normalizedMutualInfoScore, adjustedMutualInfoScore (from
// two labelings or from a table) and mutualInfoScores on every engine against the js reference:
// labelings of numbers, strings or both in plain and typed arrays, dense and sparse integer
// ranges, -0 next to 0, planted invalid labels; count tables with fractional, huge and subnormal
// counts; feature matrices of every element type with invalid codes.
import { describe } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import type { AverageMethod } from '../../src/types.js';
import { ENGINES, expectIntact, reference } from './engines.js';
import { NON_NUMBERS, type Plant } from './gen.js';
import { fuzz } from './harness.js';
import { rng } from '../helpers/random.js';
import { elementCode, expectErrors, expectThrows, type ExpectedError } from './model.js';

const METHODS: AverageMethod[] = ['arithmetic', 'geometric', 'min', 'max'];
const LABEL_KINDS = ['small', 'negative', 'sparse', 'fractional', 'strings', 'mixed', 'signed-zero'] as const;
type LabelKind = (typeof LABEL_KINDS)[number];
const LABEL_CONTAINERS = ['plain', 'i32', 'f64', 'u8'] as const;
const BAD_LABELS: readonly unknown[] = [NaN, Infinity, -Infinity, ...NON_NUMBERS.filter((v) => typeof v !== 'string')];

/** n labels from k classes of the given kind; `follow` copies another labeling with probability `agree`. */
function labels(seed: number, n: number, k: number, kind: LabelKind, follow?: readonly unknown[], agree = 0): unknown[] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    if (follow && rand() < agree) return follow[i];
    const c = Math.floor(rand() * k);
    switch (kind) {
      case 'small': return c;
      case 'negative': return c - 3;
      case 'sparse': return c * 1e9;
      case 'fractional': return c / 4;
      case 'strings': return `c${c}`;
      case 'mixed': return c % 2 ? c : String(c);
      case 'signed-zero': return c === 0 && rand() < 0.5 ? -0 : c;
    }
  });
}

const labelingArb = fc.record({
  seed: fc.nat(), k: fc.integer({ min: 1, max: 70 }), kind: fc.constantFrom(...LABEL_KINDS),
  container: fc.constantFrom(...LABEL_CONTAINERS), plants: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...BAD_LABELS)) as fc.Arbitrary<Plant>, { maxLength: 2 }),
});

const pairArb = fc.record({
  n: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3000 })),
  a: labelingArb, b: labelingArb, agree: fc.constantFrom(0, 0.5, 0.9, 1),
  method: fc.constantFrom(...METHODS), base: fc.constantFrom(undefined, 2, 1 + 1e-12),
});
type PairCase = typeof pairArb extends fc.Arbitrary<infer T> ? T : never;

/** The labeling as the caller passes it: typed containers only hold numbers (the rest stays plain). */
function container(values: unknown[], kind: (typeof LABEL_CONTAINERS)[number]): unknown[] | Int32Array | Float64Array | Uint8Array {
  if (kind === 'plain' || !values.every((v) => typeof v === 'number')) return values;
  const nums = values as number[];
  if (kind === 'f64') return Float64Array.from(nums);
  // Integer containers only for labels they hold exactly.
  if (kind === 'i32' && nums.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31)) return Int32Array.from(nums);
  if (kind === 'u8' && nums.every((v) => Number.isInteger(v) && v >= 0 && v < 256)) return Uint8Array.from(nums);
  return values;
}

const labelError = (v: unknown) => !(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));

/** The first bad label of the two (lowest index, labels_true first at the same index). */
function pairError(a: ArrayLike<unknown>, b: ArrayLike<unknown>): ExpectedError | null {
  for (let i = 0; i < a.length; i++) {
    if (labelError(a[i])) return { code: 'NON_FINITE', argument: 'labels_true', index: [i] };
    if (labelError(b[i])) return { code: 'NON_FINITE', argument: 'labels_pred', index: [i] };
  }
  return null;
}

const close = (a: number, b: number, rel: number, abs: number) => Object.is(a, b) || Math.abs(a - b) <= abs + rel * Math.abs(b);

/**
 * AMI is 0/0 when every permutation gives the same MI and the average equals it: both labelings
 * all-distinct, or one of them with averageMethod 'min'. sklearn then returns 0 or 1 by rounding
 * (shared/conformance/README.md), and so do the backends: such cases are not compared.
 */
function amiIllPosed(rows: number, cols: number, n: number, method: AverageMethod): boolean {
  return (rows === n && cols === n) || ((rows === n || cols === n) && method === 'min');
}

function checkPair(c: PairCase): void {
  const a0 = labels(c.a.seed, c.n, c.a.k, c.a.kind);
  const b0 = labels(c.b.seed, c.n, c.b.k, c.b.kind, a0, c.agree);
  for (const [at, v] of c.a.plants) a0[at % c.n] = v;
  for (const [at, v] of c.b.plants) b0[at % c.n] = v;
  const a = container(a0, c.a.container), b = container(b0, c.b.container);
  const want = pairError(a, b);
  const opts = { averageMethod: c.method, ...(c.base !== undefined ? { base: c.base } : {}) };
  type Fn = (e: Engine, extra?: object) => number;
  const fns: [string, Fn, number, number][] = [
    ['mutualInfoScore', (e, x) => e.mutualInfoScore(a as never, b as never, { ...opts, ...x }), 1e-12, 1e-13],
    ['normalizedMutualInfoScore', (e, x) => e.normalizedMutualInfoScore(a as never, b as never, { ...opts, ...x }), 1e-12, 1e-13],
    ['adjustedMutualInfoScore', (e, x) => e.adjustedMutualInfoScore(a as never, b as never, { ...opts, ...x }), 1e-10, 1e-10],
  ];
  if (want) {
    for (const fe of ENGINES) {
      expectThrows(`${fe.label} contingency`, () => fe.engine.contingency(a as never, b as never), want);
      for (const [name, fn] of fns) {
        expectThrows(`${fe.label} ${name}`, () => fn(fe.engine), want);
        const errors: unknown[] = [];
        const v = fn(fe.engine, { onInvalid: 'nan', errors });
        if (!Number.isNaN(v)) throw new Error(`${fe.label} ${name} (nan): ${v} for invalid labels`);
        expectErrors(`${fe.label} ${name} (nan)`, errors, [want]);
      }
      expectIntact(fe.label, fe);
    }
    return;
  }
  const table = reference.contingency(a as never, b as never);
  const wants = fns.map(([, fn]) => fn(reference));
  for (const fe of ENGINES) {
    const t = fe.engine.contingency(a as never, b as never);
    if (JSON.stringify([t.rows, t.cols, t.rowLabels, t.colLabels]) !== JSON.stringify([table.rows, table.cols, table.rowLabels, table.colLabels])
      || !t.data.every((v, i) => v === table.data[i])) {
      throw new Error(`${fe.label} contingency differs from the reference`);
    }
    fns.forEach(([name, fn, rel, nats], i) => {
      if (name === 'adjustedMutualInfoScore' && amiIllPosed(t.rows, t.cols, c.n, c.method)) return;
      // MI's absolute tolerance is in nats; NMI and AMI have no unit.
      const abs = name === 'mutualInfoScore' && c.base !== undefined ? nats / Math.abs(Math.log(c.base)) : nats;
      const v = fn(fe.engine);
      if (!close(v, wants[i], rel, abs)) throw new Error(`${fe.label} ${name}: got ${v}, reference ${wants[i]}`);
      // The same score from the labelings' contingency table (a table is labels' sufficient statistic).
      const fromTable = name === 'mutualInfoScore' ? fe.engine.mutualInfoScore(t, opts)
        : name === 'normalizedMutualInfoScore' ? fe.engine.normalizedMutualInfoScore(t, opts) : fe.engine.adjustedMutualInfoScore(t, opts);
      if (!close(fromTable, v, rel, abs)) throw new Error(`${fe.label} ${name}: ${fromTable} from the contingency table, ${v} from the labels`);
    });
    expectIntact(fe.label, fe);
  }
}

const tableArb = fc.record({
  rows: fc.integer({ min: 1, max: 40 }), cols: fc.integer({ min: 1, max: 40 }), seed: fc.nat(),
  scale: fc.constantFrom(1, 0.37, 1e-310, 5e-324, 2 ** 1000, 1e300),
  integers: fc.boolean(), zeros: fc.constantFrom(0, 0.5, 1),
  plants: fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, -0, -1, 0.5, NaN, Infinity, null, '3', 1n)) as fc.Arbitrary<Plant>, { maxLength: 2 }),
  method: fc.constantFrom(...METHODS),
});
type TableCase = typeof tableArb extends fc.Arbitrary<infer T> ? T : never;

function checkTable(c: TableCase): void {
  const rand = rng(c.seed);
  const cells: unknown[] = Array.from({ length: c.rows * c.cols }, () => (rand() < c.zeros ? 0 : (c.integers ? Math.floor(rand() * 20) : rand() * 20) * c.scale));
  for (const [at, v] of c.plants) cells[at % cells.length] = v;
  const table = Array.from({ length: c.rows }, (_, r) => cells.slice(r * c.cols, (r + 1) * c.cols));
  const opts = { averageMethod: c.method };
  const fns: [string, (e: Engine, x?: object) => number, boolean][] = [
    ['mutualInfoScore', (e, x) => e.mutualInfoScore(table as never, { ...opts, ...x }), false],
    ['normalizedMutualInfoScore', (e, x) => e.normalizedMutualInfoScore(table as never, { ...opts, ...x }), false],
    ['adjustedMutualInfoScore', (e, x) => e.adjustedMutualInfoScore(table as never, { ...opts, ...x }), true],
  ];
  for (const [name, fn, integers] of fns) {
    // The first cell that is not a valid count (AMI: also not an integer), else a zero total.
    let want: ExpectedError | null = null;
    let total = 0;
    for (let k = 0; k < cells.length && !want; k++) {
      const v = cells[k];
      const code = elementCode(v) ?? (integers && !Number.isInteger(v) ? 'NOT_INTEGER' : null);
      if (code) want = { code, argument: 'contingency', index: [Math.floor(k / c.cols), k % c.cols] };
      else total += v as number;
    }
    if (!want && total === 0) want = { code: 'ZERO_SUM', argument: 'contingency', index: null };
    const expected = want ? NaN : fn(reference);
    for (const fe of ENGINES) {
      if (want) {
        expectThrows(`${fe.label} ${name}(table)`, () => fn(fe.engine), want);
        const errors: unknown[] = [];
        const v = fn(fe.engine, { onInvalid: 'nan', errors });
        if (!Number.isNaN(v)) throw new Error(`${fe.label} ${name}(table) (nan): ${v}`);
        expectErrors(`${fe.label} ${name}(table) (nan)`, errors, [want]);
      } else {
        const v = fn(fe.engine);
        if (integers && tableIllPosed(cells as number[], c.rows, c.cols, c.method)) continue;
        const [rel, abs] = integers ? [1e-10, 1e-10] : [1e-12, 1e-13];
        if (!close(v, expected, rel, abs)) throw new Error(`${fe.label} ${name}(table): got ${v}, reference ${expected}`);
      }
      expectIntact(fe.label, fe);
    }
  }
}

/** amiIllPosed for a table of counts: a side is all-distinct when each of its non-empty classes holds one sample. */
function tableIllPosed(cells: readonly number[], rows: number, cols: number, method: AverageMethod): boolean {
  const rowSums = Array.from({ length: rows }, (_, r) => cells.slice(r * cols, (r + 1) * cols).reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: cols }, (_, y) => rowSums.reduce((a, _, r) => a + cells[r * cols + y], 0));
  const n = rowSums.reduce((a, b) => a + b, 0);
  const used = (s: number[]) => s.filter((v) => v > 0).length;
  return amiIllPosed(used(rowSums), used(colSums), n, method);
}

const featuresArb = fc.record({
  n: fc.integer({ min: 1, max: 400 }), features: fc.integer({ min: 1, max: 12 }), seed: fc.nat(), k: fc.integer({ min: 1, max: 30 }),
  form: fc.constantFrom('labels', 'f64', 'f32', 'i32', 'u8', 'u16'),
  measure: fc.constantFrom('mi', 'nmi', 'ami'), method: fc.constantFrom(...METHODS),
  plants: fc.array(fc.tuple(fc.nat(), fc.constantFrom(-1, 0.5, NaN, Infinity, 2 ** 31, 1e9, null)) as fc.Arbitrary<Plant>, { maxLength: 2 }),
});
type FeaturesCase = typeof featuresArb extends fc.Arbitrary<infer T> ? T : never;

function codeCode(v: unknown): string | null {
  const code = elementCode(v);
  if (code) return code;
  if (!Number.isInteger(v)) return 'NOT_INTEGER';
  return (v as number) > 2 ** 31 - 2 ? 'INVALID_OPTION' : null;
}

function checkFeatures(c: FeaturesCase): void {
  const rand = rng(c.seed);
  const target = Array.from({ length: c.n }, () => Math.floor(rand() * c.k));
  // Row-major samples × features: codes that follow the target more or less.
  const codes: unknown[] = Array.from({ length: c.n * c.features }, (_, i) => (rand() < 0.5 ? target[Math.floor(i / c.features)] : Math.floor(rand() * (i % c.features + 1) * 3)));
  for (const [at, v] of c.plants) codes[at % codes.length] = v;
  let features: unknown;
  // The error 'throw' reports: the first bad feature's (label arrays are coded feature by
  // feature), or the first invalid code of the matrix in row-major order.
  let thrown: ExpectedError | null;
  const perFeature: (ExpectedError | null)[] = Array(c.features).fill(null);
  if (c.form === 'labels') {
    const columns = Array.from({ length: c.features }, (_, f) => Array.from({ length: c.n }, (_, i) => codes[i * c.features + f]));
    features = columns;
    columns.forEach((col, f) => {
      const i = col.findIndex(labelError);
      if (i >= 0) perFeature[f] = { code: 'NON_FINITE', argument: 'features', index: [f, i] };
    });
    thrown = perFeature.find((e) => e !== null) ?? null;
  } else {
    const View = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u8: Uint8Array, u16: Uint16Array }[c.form];
    const data = View.from(codes.map((v) => (typeof v === 'number' ? v : NaN)));
    features = { data, rows: c.n, cols: c.features };
    const stored = Array.from(data as ArrayLike<number>);
    stored.forEach((v, k) => {
      const f = k % c.features, code = codeCode(v);
      if (code && !perFeature[f]) perFeature[f] = { code, argument: 'features', index: [Math.floor(k / c.features), f] };
    });
    const first = stored.findIndex((v) => codeCode(v) !== null);
    thrown = first >= 0 ? perFeature[first % c.features] : null;
  }
  const opts = { measure: c.measure, averageMethod: c.method };
  // Classes per feature (a matrix column's codes are its labels; -0 and 0 are one label).
  const classes = Array.from({ length: c.features }, (_, f) => {
    const column = c.form === 'labels' ? (features as unknown[][])[f] : Array.from({ length: c.n }, (_, i) => ((features as { data: ArrayLike<number> }).data[i * c.features + f]));
    return new Set(column.map((v) => (v === 0 ? 0 : v))).size;
  });
  const run = (e: Engine, x?: object) => e.mutualInfoScores(features as never, target, { ...opts, ...x });
  const refErrors: unknown[] = [];
  const expected = run(reference, { onInvalid: 'nan', errors: refErrors });
  const nanOrder = perFeature.filter((e): e is ExpectedError => e !== null);
  expectErrors('js reference (nan)', refErrors, nanOrder);
  for (const fe of ENGINES) {
    if (thrown) expectThrows(`${fe.label} mutualInfoScores`, () => run(fe.engine), thrown);
    const errors: unknown[] = [];
    const got = run(fe.engine, { onInvalid: 'nan', errors });
    expectErrors(`${fe.label} mutualInfoScores (nan)`, errors, nanOrder);
    got.forEach((v, f) => {
      if (!perFeature[f] && c.measure === 'ami' && amiIllPosed(classes[f], new Set(target).size, c.n, c.method)) return;
      if (perFeature[f] ? !Number.isNaN(v) : !close(v, expected[f], 1e-10, 1e-10)) {
        throw new Error(`${fe.label} mutualInfoScores feature ${f}: got ${v}, reference ${expected[f]}`);
      }
    });
    expectIntact(fe.label, fe);
  }
}

describe('fuzz: label measures against the js reference', () => {
  fuzz('two labelings: contingency, MI, NMI and AMI, and the same scores from the contingency table', 150, () => fc.property(pairArb, checkPair));
  fuzz('a contingency table: MI, NMI and AMI at every scale, fractional and invalid counts', 200, () => fc.property(tableArb, checkTable));
  fuzz('mutualInfoScores: label arrays and code matrices of every element type', 150, () => fc.property(featuresArb, checkFeatures));
});
