// Fuzz: malformed arguments. Every engine must reject each with the documented code, naming the
// argument, with index null (no element is at fault): empty inputs (EMPTY), ragged batches,
// lengths and row counts that do not pair up, a Matrix whose data disagrees with rows × cols, an
// `out` too short (LENGTH_MISMATCH), and things that are no vector or batch at all
// (INVALID_OPTION). The first argument's own shape is checked before the second's, and both
// before they are paired.
import { describe } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import { ENGINES, expectIntact } from './engines.js';
import { fuzz } from './harness.js';
import { expectThrows, type ExpectedError } from './model.js';

/** A well-formed argument, or one malformed in a stated way, with the error it must raise on its own. */
interface Arg {
  value: unknown;
  /** Rows (1 for a vector) and columns, when well-formed. */
  rows: number;
  cols: number;
  oneD: boolean;
  fault: 'EMPTY' | 'LENGTH_MISMATCH' | 'INVALID_OPTION' | null;
}

const row = (n: number) => Array.from({ length: n }, (_, i) => (i % 3) + 1);

const argArb: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }).map((n): Arg => ({ value: row(n), rows: 1, cols: n, oneD: true, fault: null })) },
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 })).map(([r, n]): Arg => ({ value: Array.from({ length: r }, () => row(n)), rows: r, cols: n, oneD: false, fault: null })) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 })).map(([r, n]): Arg => ({ value: { data: Float64Array.from(row(r * n)), rows: r, cols: n }, rows: r, cols: n, oneD: false, fault: null })) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<Arg>(
      { value: [], rows: 0, cols: 0, oneD: true, fault: 'EMPTY' },
      { value: new Float32Array(0), rows: 0, cols: 0, oneD: true, fault: 'EMPTY' },
      { value: [[]], rows: 0, cols: 0, oneD: false, fault: 'EMPTY' },
      { value: [new Float64Array(0), new Float64Array(0)], rows: 0, cols: 0, oneD: false, fault: 'EMPTY' },
      { value: { data: new Float64Array(0), rows: 0, cols: 4 }, rows: 0, cols: 0, oneD: false, fault: 'EMPTY' },
      { value: [[1, 2], [3]], rows: 0, cols: 0, oneD: false, fault: 'LENGTH_MISMATCH' },
      { value: [new Float32Array(3), [1, 2]], rows: 0, cols: 0, oneD: false, fault: 'LENGTH_MISMATCH' },
      { value: { data: new Float64Array(5), rows: 2, cols: 3 }, rows: 0, cols: 0, oneD: false, fault: 'LENGTH_MISMATCH' },
      { value: { data: new Float32Array(7), rows: 2, cols: 3 }, rows: 0, cols: 0, oneD: false, fault: 'LENGTH_MISMATCH' },
      { value: 3, rows: 0, cols: 0, oneD: false, fault: 'INVALID_OPTION' },
      { value: 'abc', rows: 0, cols: 0, oneD: false, fault: 'INVALID_OPTION' },
      { value: null, rows: 0, cols: 0, oneD: false, fault: 'INVALID_OPTION' },
      { value: { data: [1, 2], rows: 1, cols: 2 }, rows: 0, cols: 0, oneD: false, fault: 'INVALID_OPTION' },
      { value: { data: new Float64Array(2), rows: 1.5, cols: 2 }, rows: 0, cols: 0, oneD: false, fault: 'INVALID_OPTION' },
      { value: new BigInt64Array(3), rows: 0, cols: 0, oneD: false, fault: 'INVALID_OPTION' },
      { value: [[1, 2], 3], rows: 0, cols: 0, oneD: false, fault: 'INVALID_OPTION' },
    ),
  },
);

const caseArb = fc.record({
  measure: fc.constantFrom('entropy', 'crossEntropy', 'kl', 'jsd', 'jsDistance', 'pairwise'),
  p: argArb,
  q: argArb,
  outShort: fc.boolean(),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** pairwise(measure, A, null) is A against itself, like an omitted B. */
const omitted = (c: Case) => c.measure === 'pairwise' && c.q.value === null;

function expected(c: Case): ExpectedError | null {
  const pairwise = c.measure === 'pairwise';
  const [pn, qn] = pairwise ? ['A', 'B'] : ['p', 'q'];
  const two = c.measure !== 'entropy' && !omitted(c);
  if (c.p.fault) return { code: c.p.fault, argument: pn, index: null };
  if (two && c.q.fault) return { code: c.q.fault, argument: qn, index: null };
  if (two && c.p.cols !== c.q.cols) return { code: 'LENGTH_MISMATCH', argument: qn, index: null };
  if (two && !pairwise && c.p.rows !== c.q.rows) {
    // A single vector pairs with any batch; two batches must have the same number of rows.
    const single = c.p.rows === 1 ? c.p : c.q.rows === 1 ? c.q : null;
    if (!single || !single.oneD) return { code: 'LENGTH_MISMATCH', argument: qn, index: null };
  }
  return c.outShort ? { code: 'LENGTH_MISMATCH', argument: 'out', index: null } : null;
}

function call(e: Engine, c: Case): unknown {
  const rows = c.measure === 'pairwise' ? c.p.rows * (omitted(c) ? c.p.rows : c.q.rows) : Math.max(c.p.rows, c.q.rows);
  const opts = c.outShort ? { out: new Float64Array(Math.max(0, rows - 1)) } : {};
  const p = c.p.value as never, q = c.q.value as never;
  switch (c.measure) {
    case 'entropy': return e.entropy(p, c.outShort ? { out: new Float64Array(Math.max(0, c.p.rows - 1)) } : {});
    case 'pairwise': return e.pairwise('kl', p, q, opts);
    default: return e[c.measure as 'kl'](p, q, opts);
  }
}

describe('fuzz: malformed arguments', () => {
  fuzz('row measures and pairwise: EMPTY, LENGTH_MISMATCH and INVALID_OPTION, argument named, index null', 300, () =>
    fc.property(caseArb, (c) => {
      const want = expected(c);
      for (const fe of ENGINES) {
        if (want) expectThrows(`${fe.label} ${c.measure}`, () => call(fe.engine, c), want);
        else call(fe.engine, c);
        expectIntact(fe.label, fe);
      }
    }));
});
