// Seeded random data for tests: reproducible rows of every shape the kernels must handle.

/** mulberry32, the command line's generator: seeded so failures reproduce. */
export { mulberry32 as rng } from '../../src/cli/random.js';

/** A flat-Dirichlet row (normalized −log u): strictly positive, sums to 1. */
export function dirichlet(rand: () => number, n: number): Float64Array {
  const row = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += row[i] = -Math.log(1 - rand());
  for (let i = 0; i < n; i++) row[i] /= sum;
  return row;
}

export type RowKind = 'dirichlet' | 'sparse' | 'zeros' | 'tiny' | 'subnormal' | 'huge' | 'counts' | 'mixed-scales';

export const ROW_KINDS: readonly RowKind[] = ['dirichlet', 'sparse', 'zeros', 'tiny', 'subnormal', 'huge', 'counts', 'mixed-scales'];

/** One row of the given kind; every kind is valid input (non-negative, finite, and not all zero). */
export function row(rand: () => number, n: number, kind: RowKind): Float64Array {
  const r = dirichlet(rand, n);
  switch (kind) {
    case 'dirichlet':
      return r;
    case 'sparse': // Dirichlet(0.05)-like: most mass on few entries, many below 1e-10
      return r.map((v) => v ** 12);
    case 'zeros':
      return r.map((v, i) => (i > 0 && rand() < 0.4 ? 0 : v));
    case 'tiny':
      return r.map((v, i) => (i > 0 && rand() < 0.3 ? 1e-300 : v));
    case 'subnormal':
      return r.map((v) => v * 1e-310);
    case 'huge':
      return r.map((v) => v * 1e305);
    case 'counts':
      return r.map((v) => Math.round(v * 1000 * n));
    case 'mixed-scales':
      return r.map((v) => v * 10 ** Math.floor(rand() * 40 - 20));
  }
}
