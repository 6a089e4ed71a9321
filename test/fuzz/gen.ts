// Generators for the fuzz properties. fast-check draws a small *recipe* (shape, row kinds, a
// seed, a list of planted values, the container); the recipe is turned into data here. Shrinking
// then works on the recipe — fewer rows and columns, fewer planted values — and a counterexample
// stays readable however long its rows are.
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import { rng } from '../helpers/random.js';

/** Valid numbers chosen to break kernels: signed zero, subnormals, float32 limits, the float64 range. */
export const EXTREME_VALUES: readonly number[] = [
  0, -0, 5e-324, 1e-320, 2 ** -1022, 1e-300, 1e-200, 1.4e-45, 1e-40, 2 ** -126, 1e-7, 0.1, 0.5, 1, 3,
  1e7, 1e30, 3.4028234663852886e38, 1e300, 1e308, Number.MAX_VALUE,
];
/** Numbers that are never valid input. */
export const INVALID_NUMBERS: readonly number[] = [NaN, Infinity, -Infinity, -1, -5e-324, -0.5, -1e308];
/** What pipelines put in plain arrays by mistake. */
export const NON_NUMBERS: readonly unknown[] = [null, undefined, true, false, '0.5', '', 'x', {}, 1n, Symbol('x')];

/** How a row's values are drawn. Every kind but 'allZero' is valid (non-negative, finite, not all 0). */
export const ROW_KINDS = [
  'dirichlet', 'sparse', 'zeros', 'counts', 'tiny', 'subnormal', 'huge', 'overflow', 'mixed', 'uniform', 'oneHot', 'allZero',
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** How q relates to p in two-row measures (nearly identical rows are where cancellation bites). */
export const PAIRINGS = ['independent', 'same', 'near', 'scaled'] as const;
export type Pairing = (typeof PAIRINGS)[number];

/** Containers for one vector and for a batch (API.md "Inputs and outputs"). */
export const VECTOR_CONTAINERS = ['plain', 'f64', 'f32', 'i32', 'u8'] as const;
export const BATCH_CONTAINERS = [
  'nested-plain', 'nested-f64', 'nested-f32', 'nested-mixed', 'matrix-f64', 'matrix-f32', 'engine-f64', 'engine-f32',
] as const;
export type Container = (typeof VECTOR_CONTAINERS)[number] | (typeof BATCH_CONTAINERS)[number];

/**
 * Lengths that matter: tiny ones, the vector widths (2 float64, 4 float32, 8 per unrolled step)
 * and their neighbours, and the chunk and segment boundaries of 1 KiB and 4 KiB arenas (a pair
 * of float64 rows stops fitting at ~56 and ~248 elements; segments are 48, 104, 240 long).
 */
export const BOUNDARY_LENGTHS: readonly number[] = [
  1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 55, 56, 57, 63, 64, 65, 96, 97, 103, 104, 105,
  111, 112, 113, 127, 128, 129, 239, 240, 241, 247, 248, 249, 255, 256, 257, 480, 481, 497,
];

export const colsArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_LENGTHS) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 600 }) },
);

/** A value planted at flat position `at` (taken modulo the element count). */
export type Plant = [at: number, value: unknown];

export const validPlant = fc.tuple(fc.nat(), fc.constantFrom(...EXTREME_VALUES)) as fc.Arbitrary<Plant>;
export const invalidPlant = fc.tuple(fc.nat(), fc.constantFrom(...INVALID_NUMBERS, ...NON_NUMBERS)) as fc.Arbitrary<Plant>;
/** Mostly valid plants; an invalid one in about a fifth of the cases. */
export const plantsArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(validPlant, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.tuple(fc.array(validPlant, { maxLength: 3 }), fc.array(invalidPlant, { minLength: 1, maxLength: 3 })).map(([a, b]) => [...a, ...b]) },
);

/** One row of `kind`, drawn from `rand`. */
export function rowValues(rand: () => number, n: number, kind: RowKind): number[] {
  const u = () => -Math.log(1 - rand());
  const r = Array.from({ length: n }, u);
  switch (kind) {
    case 'dirichlet': return r;
    case 'sparse': return r.map((v) => v ** 12);
    case 'zeros': return r.map((v, i) => (i > 0 && rand() < 0.5 ? 0 : v));
    case 'counts': return r.map((v) => Math.floor(v * 3));
    case 'tiny': return r.map((v, i) => (i > 0 && rand() < 0.4 ? 1e-300 * v : v));
    case 'subnormal': return r.map((v) => v * 1e-310);
    case 'huge': return r.map((v) => v * 1e305);
    // Every element near the float64 maximum: the row sum overflows to Infinity.
    case 'overflow': return r.map((v) => Number.MAX_VALUE / (1 + v));
    case 'mixed': return r.map((v) => v * 10 ** Math.floor(rand() * 80 - 40));
    case 'uniform': return r.map(() => 1);
    case 'oneHot': { const k = Math.floor(rand() * n); return r.map((_, i) => (i === k ? 1 : 0)); }
    case 'allZero': return r.map(() => 0);
  }
}

/** q from p: identical, within a few ulps, or proportional (scaled by a power of two). */
export function pairedRow(rand: () => number, p: readonly number[], pairing: Pairing): number[] | null {
  switch (pairing) {
    case 'independent': return null;
    case 'same': return p.slice();
    case 'near': return p.map((v) => v * (1 + (rand() - 0.5) * 8 * 2 ** -52));
    case 'scaled': return p.map((v) => v * 2 ** (Math.floor(rand() * 40) - 20));
  }
}

export interface BatchRecipe {
  rows: number;
  cols: number;
  seed: number;
  kinds: RowKind[];
  plants: Plant[];
}

export const kindsArb = fc.array(fc.constantFrom(...ROW_KINDS.filter((k) => k !== 'allZero')), { minLength: 1, maxLength: 3 });
/** Kinds that may include all-zero rows (ZERO_SUM under normalization). */
export const kindsWithZeroArb = fc.oneof({ weight: 6, arbitrary: kindsArb }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...ROW_KINDS), { minLength: 1, maxLength: 3 }) });

/** Flat row-major values of a batch recipe; `partner` makes rows follow another batch's rows. */
export function batchValues(recipe: BatchRecipe, partner?: { values: unknown[]; pairing: Pairing }): unknown[] {
  const { rows, cols, kinds } = recipe;
  const rand = rng(recipe.seed);
  const values: unknown[] = [];
  for (let r = 0; r < rows; r++) {
    let row: number[] | null = null;
    if (partner && partner.values.length === rows * cols) {
      const p = partner.values.slice(r * cols, (r + 1) * cols).map((v) => (typeof v === 'number' ? v : 0));
      row = pairedRow(rand, p, partner.pairing);
    }
    values.push(...(row ?? rowValues(rand, cols, kinds[r % kinds.length])));
  }
  plant(values, recipe.plants);
  return values;
}

export function plant(values: unknown[], plants: readonly Plant[]): void {
  if (values.length === 0) return;
  for (const [at, v] of plants) values[at % values.length] = v;
}

/** A typed array of the container's element type holding `values` (non-numbers become NaN). */
function typed(container: Container, values: readonly unknown[]) {
  const nums = values.map((v) => (typeof v === 'number' ? v : NaN));
  if (container.endsWith('f32')) return Float32Array.from(nums);
  if (container === 'i32') return Int32Array.from(nums);
  if (container === 'u8') return Uint8Array.from(nums);
  return Float64Array.from(nums);
}

export interface Input {
  container: Container;
  rows: number;
  cols: number;
  values: unknown[];
}

/** True when every element the caller passes is stored as float32 (the kernels then run in float32). */
export function isFloat32(input: Input): boolean {
  // A mixed batch's first row is float32: a one-row batch is all float32.
  if (input.container === 'nested-mixed') return input.rows === 1;
  return input.container.endsWith('f32');
}

/**
 * The argument a caller would pass for `input`. Engine containers live in `engine`'s memory
 * (the js backend gets an ordinary Matrix of the same data); `free` releases them.
 */
export function materialize(input: Input, engine: Engine | null): { arg: unknown; free: () => void } {
  const { container, rows, cols, values } = input;
  const none = () => {};
  switch (container) {
    case 'plain': return { arg: values.slice(), free: none };
    case 'f64': case 'f32': case 'i32': case 'u8': return { arg: typed(container, values), free: none };
    case 'nested-plain': return { arg: rowsOf(values, rows, cols), free: none };
    case 'nested-f64': case 'nested-f32': return { arg: rowsOf(values, rows, cols).map((r) => typed(container, r)), free: none };
    case 'nested-mixed':
      // Rows alternate: float32, plain numbers, float64.
      return {
        arg: rowsOf(values, rows, cols).map((r, i) => (i % 3 === 0 ? Float32Array.from(r.map(num)) : i % 3 === 1 ? r : Float64Array.from(r.map(num)))),
        free: none,
      };
    case 'matrix-f64': case 'matrix-f32': return { arg: { data: typed(container, values), rows, cols }, free: none };
    case 'engine-f64': case 'engine-f32': {
      const data = typed(container, values);
      if (!engine || engine.info().backend === 'js') return { arg: { data, rows, cols }, free: none };
      const m = engine.matrix(rows, cols, container === 'engine-f32' ? 'float32' : 'float64');
      m.data.set(data);
      return { arg: m, free: () => m.free() };
    }
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : NaN);

function rowsOf(values: readonly unknown[], rows: number, cols: number): unknown[][] {
  return Array.from({ length: rows }, (_, r) => values.slice(r * cols, (r + 1) * cols));
}

/** The elements as the caller's container stores them (what error positions refer to). */
export function stored(input: Input): unknown[] {
  const { container, values } = input;
  if (container === 'plain' || container === 'nested-plain') return values.slice();
  if (container === 'nested-mixed') {
    const cols = input.cols;
    return values.map((v, k) => {
      const r = Math.floor(k / cols);
      if (r % 3 === 1) return v;
      const n = num(v);
      return r % 3 === 0 ? Math.fround(n) : n;
    });
  }
  return Array.from(typed(container, values));
}

/** Calls fn with every input materialized for `engine`, then frees engine matrices. */
export function withInputs<T>(engine: Engine, inputs: readonly (Input | null)[], fn: (...args: unknown[]) => T): T {
  const made = inputs.map((i) => (i ? materialize(i, engine) : null));
  try {
    return fn(...made.map((m) => m?.arg));
  } finally {
    for (const m of made) m?.free();
  }
}
