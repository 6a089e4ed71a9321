// The float64 reference (src/reference) against every conformance vector, plus the numerics the
// vectors only touch lightly: overflowing and subnormal rows, raw-convention overflow, the
// expected-MI recurrence, label coding, and Blahut-Arimoto's closed forms.
import { describe, expect, it } from 'vitest';
import { crossEntropyRow, entropyRow, jsdRow, klRow, type Convention } from '../src/reference/rows.js';
import { conditionalEntropyTable, jointEntropyTable, mutualInformationTable } from '../src/reference/joint.js';
import {
  amiFromTable, codeLabels, contingencyFromCodes, expectedMutualInformation, miFromTable, nmiFromTable,
  type AverageMethod,
} from '../src/reference/labels.js';
import { blahutArimoto, channelMI } from '../src/reference/channel.js';
import { decodeNumbers, loadFixture, withinTol, type FixtureCase, type Numeric } from './helpers/fixtures.js';

type Row = Float64Array | Float32Array;

/** Error codes about the values themselves: the reference returns NaN for them. */
const VALUE_ERRORS = new Set(['NEGATIVE_VALUE', 'NON_FINITE', 'ZERO_SUM']);

const isMatrix = (v: Numeric): v is number[][] => Array.isArray(v) && v.length > 0 && Array.isArray(v[0]);

/** One typed row per batch row (a 1-D argument is a batch of one), in the case's dtype. */
function rowsOf(x: unknown, dtype: unknown): { rows: Row[]; batch: boolean } {
  const v = decodeNumbers(x);
  const make = (r: number[]): Row => (dtype === 'float32' ? Float32Array.from(r) : Float64Array.from(r));
  return isMatrix(v) ? { rows: v.map(make), batch: true } : { rows: [make(v as number[])], batch: false };
}

/** A 2-D numeric argument as a flat row-major table. */
function tableOf(x: unknown): { data: Float64Array; rows: number; cols: number } {
  const v = decodeNumbers(x) as number[][];
  return { data: Float64Array.from(v.flat()), rows: v.length, cols: v[0]?.length ?? 0 };
}

/** Labels as the case's label_type says: strings stay strings. */
function labelsOf(c: FixtureCase, name: string): (number | string)[] {
  const raw = c.args[name] as (number | string)[];
  return c.options.label_type === 'string' ? raw : (decodeNumbers(raw) as number[]);
}

/** The contingency table of a case: given directly, or built from its two labelings. */
function contingencyOf(c: FixtureCase): { data: Float64Array; rows: number; cols: number } {
  if (c.args.contingency !== undefined) return tableOf(c.args.contingency);
  const a = codeLabels(labelsOf(c, 'labels_true'));
  const b = codeLabels(labelsOf(c, 'labels_pred'));
  const rows = a.labels.length;
  const cols = b.labels.length;
  return { data: contingencyFromCodes(a.codes, b.codes, rows, cols), rows, cols };
}

const logBase = (c: FixtureCase): number => (c.options.base === undefined ? 1 : Math.log(c.options.base as number));

type Pair = (p: Row, q: Row, n: number, convention: Convention) => number;

/** A two-row measure over a case's (possibly batched, possibly broadcast) arguments. */
function pairwise(a: string, b: string, fn: Pair, post: (v: number, c: FixtureCase) => number) {
  return (c: FixtureCase): number[] | number => {
    const p = rowsOf(c.args[a], c.options.dtype);
    const q = rowsOf(c.args[b], c.options.dtype);
    const count = Math.max(p.rows.length, q.rows.length);
    const out: number[] = [];
    for (let r = 0; r < count; r++) {
      const pr = p.rows[p.rows.length === 1 ? 0 : r];
      const qr = q.rows[q.rows.length === 1 ? 0 : r];
      out.push(post(fn(pr, qr, pr.length, c.options.convention as Convention), c));
    }
    return p.batch || q.batch ? out : out[0];
  };
}

const inBase = (v: number, c: FixtureCase): number => v / logBase(c);

const table = (fn: typeof mutualInformationTable) => (c: FixtureCase): number => {
  const t = tableOf(c.args.joint);
  return fn(t.data, 0, t.rows, t.cols) / logBase(c);
};

const labelMeasure = (fn: (data: Float64Array, rows: number, cols: number, m: AverageMethod) => number) =>
  (c: FixtureCase): number => {
    const t = contingencyOf(c);
    return fn(t.data, t.rows, t.cols, c.options.average_method as AverageMethod);
  };

function channel(c: FixtureCase): number[] | number {
  const W = tableOf(c.args.W);
  if (c.options.quantity === 'mutual_information') {
    const px = Float64Array.from(decodeNumbers(c.args.px) as number[]);
    return channelMI(px, W.data, W.rows, W.cols) / logBase(c);
  }
  const result = blahutArimoto(W.data, W.rows, W.cols, 1e-12, 100000);
  if (c.expected !== 'error') expect(result.converged, `${c.id} converged`).toBe(true);
  // Capacity vectors are in bits whatever the base.
  return c.options.quantity === 'capacity' ? result.capacity / Math.LN2 : Array.from(result.inputDistribution);
}

const FILES: [string, (c: FixtureCase) => number[] | number][] = [
  ['entropy', (c) => {
    const p = rowsOf(c.args.p, c.options.dtype);
    const out = p.rows.map((r) => entropyRow(r, 0, r.length, c.options.convention as Convention) / logBase(c));
    return p.batch ? out : out[0];
  }],
  ['kl', pairwise('p', 'q', (p, q, n, conv) => klRow(p, 0, q, 0, n, conv), inBase)],
  ['cross_entropy', pairwise('p', 'q', (p, q, n, conv) => crossEntropyRow(p, 0, q, 0, n, conv), inBase)],
  ['jsd', pairwise('p', 'q', (p, q, n, conv) => jsdRow(p, 0, q, 0, n, conv), inBase)],
  ['js_distance', pairwise('p', 'q', (p, q, n, conv) => jsdRow(p, 0, q, 0, n, conv), (v, c) => Math.sqrt(inBase(v, c)))],
  ['keras_kl', pairwise('y_true', 'y_pred', (p, q, n, conv) => klRow(p, 0, q, 0, n, conv), inBase)],
  ['mutual_info_joint', table(mutualInformationTable)],
  ['joint_entropy', table(jointEntropyTable)],
  ['conditional_entropy', table(conditionalEntropyTable)],
  ['mutual_info_labels', (c) => {
    const t = contingencyOf(c);
    return miFromTable(t.data, t.rows, t.cols);
  }],
  ['nmi', labelMeasure(nmiFromTable)],
  ['ami', labelMeasure(amiFromTable)],
  ['channel', channel],
];

/** Error cases this layer answers: bad values (not shapes, options or labels) give NaN. */
const isValueError = (c: FixtureCase): boolean =>
  c.expected === 'error' && VALUE_ERRORS.has(c.error_code ?? '') && c.args.labels_true === undefined;

for (const [file, evaluate] of FILES) {
  const cases = loadFixture(file).cases;
  describe(file, () => {
    for (const c of cases.filter((k) => k.expected !== 'error')) {
      it(c.id, () => {
        const actual = evaluate(c);
        const expected = decodeNumbers(c.expected);
        const a = typeof actual === 'number' ? [actual] : actual;
        const e = typeof expected === 'number' ? [expected] : (expected as number[]);
        expect(a.length, `${c.id}: result length`).toBe(e.length);
        a.forEach((v, i) => {
          if (!withinTol(v, e[i], c.tol!)) {
            expect.fail(`${c.id}[${i}]: ${v} vs ${e[i]} (|diff| ${Math.abs(v - e[i])}, tol ${JSON.stringify(c.tol)})`);
          }
        });
      });
    }
    for (const c of cases.filter(isValueError)) {
      it(`${c.id} gives NaN`, () => {
        const actual = evaluate(c);
        expect(Number.isNaN(typeof actual === 'number' ? actual : actual[0]), c.id).toBe(true);
      });
    }
  });
}

describe('numerics beyond the vectors', () => {
  const MAX = Number.MAX_VALUE;
  const f64 = (...v: number[]) => Float64Array.from(v);

  it('rescales rows whose sum overflows', () => {
    expect(entropyRow(f64(MAX, MAX), 0, 2, 'scipy')).toBeCloseTo(Math.LN2, 15);
    expect(klRow(f64(MAX, MAX), 0, f64(1, 3), 0, 2, 'scipy')).toBeCloseTo(Math.log(2 / Math.sqrt(3)), 15);
    expect(jsdRow(f64(MAX, 0), 0, f64(0, MAX), 0, 2)).toBeCloseTo(Math.LN2, 15);
    expect(crossEntropyRow(f64(1, 1), 0, f64(MAX, MAX), 0, 2, 'scipy')).toBeCloseTo(Math.LN2, 15);
    // A tiny q entry beside an overflowing q sum stays finite (its share underflows to 0).
    const d = klRow(f64(1, 1, 1), 0, f64(1e-320, MAX, MAX), 0, 3, 'scipy');
    const expected = (Math.log(1 / 3) - (Math.log(1e-320) - Math.LN2 - Math.log(MAX)) + 2 * Math.log((1 / 3) / 0.5)) / 3;
    expect(Math.abs(d - expected) / expected).toBeLessThan(1e-14);
  });

  it('normalizes all-subnormal rows by division', () => {
    expect(entropyRow(f64(5e-324, 5e-324), 0, 2, 'scipy')).toBe(Math.LN2);
    expect(jsdRow(f64(5e-324, 0), 0, f64(0, 5e-324), 0, 2)).toBeCloseTo(Math.LN2, 15);
    expect(mutualInformationTable(f64(5e-324, 0, 0, 5e-324), 0, 2, 2)).toBeCloseTo(Math.LN2, 15);
  });

  it('falls back to log differences where p/q overflows or underflows', () => {
    // scipy's rel_entr gives Infinity here (x/y overflows); the divergence is ≈ 368.07.
    const d = klRow(f64(0.5, 0.5), 0, f64(1e-320, 1), 0, 2, 'scipy');
    expect(d).toBeCloseTo(0.5 * (Math.log(0.5) - Math.log(1e-320)) + 0.5 * Math.log(0.5), 12);
    expect(klRow(f64(1e-320, 1), 0, f64(1, 1e-320), 0, 2, 'raw')).toBeCloseTo(-Math.log(1e-320), 12);
  });

  it('never gives NaN for overflowing raw-convention terms', () => {
    // Terms +Inf (overflowing p log(p/q)) and −Inf (overflowing p log q) would meet as NaN.
    const ce = crossEntropyRow(f64(MAX, MAX), 0, f64(1e-300, MAX), 0, 2, 'raw');
    expect(ce).toBe(-Infinity);
    expect(entropyRow(f64(MAX, 0.5), 0, 2, 'raw')).toBe(-Infinity);
    expect(klRow(f64(MAX, 1), 0, f64(1e-300, 0), 0, 2, 'raw')).toBe(Infinity);
  });

  it('returns NaN for invalid rows and conventions a measure does not define', () => {
    expect(entropyRow(f64(0.5, -0), 0, 2, 'scipy')).toBe(0);
    expect(entropyRow(f64(0, 0), 0, 2, 'raw')).toBe(0);
    expect(entropyRow(f64(1, 2), 0, 2, 'keras')).toBeNaN();
    expect(jsdRow(f64(1, 2), 0, f64(1, 2), 0, 2, 'raw')).toBeNaN();
    expect(klRow(f64(1, 1), 0, f64(0, 0), 0, 2, 'scipy')).toBeNaN();
    expect(klRow(f64(1, NaN), 0, f64(1, 0), 0, 2, 'scipy')).toBeNaN();
  });

  it('computes the expected MI like the hypergeometric definition', () => {
    // Direct evaluation for small sizes, with exact binomials.
    const binom = (n: number, k: number): number => {
      let r = 1;
      for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
      return r;
    };
    const a = [3, 5, 4];
    const b = [6, 2, 4];
    const n = 12;
    let direct = 0;
    for (const ai of a) {
      for (const bj of b) {
        for (let k = Math.max(1, ai + bj - n); k <= Math.min(ai, bj); k++) {
          const pk = (binom(ai, k) * binom(n - ai, bj - k)) / binom(n, bj);
          direct += pk * (k / n) * Math.log((n * k) / (ai * bj));
        }
      }
    }
    expect(expectedMutualInformation(a, b, n)).toBeCloseTo(direct, 14);
    expect(expectedMutualInformation([n], b, n)).toBe(0);
  });

  it('keeps AMI finite and near 0 for large independent labelings', () => {
    const n = 200000;
    const table = new Float64Array(4 * 5);
    const rows = [40000, 60000, 50000, 50000];
    const cols = [20000, 30000, 50000, 40000, 60000];
    for (let x = 0; x < 4; x++) for (let y = 0; y < 5; y++) table[x * 5 + y] = (rows[x] * cols[y]) / n;
    const ami = amiFromTable(table, 4, 5, 'arithmetic');
    expect(Math.abs(ami)).toBeLessThan(1e-3);
    expect(amiFromTable(Float64Array.of(1.5, 2, 3, 4), 2, 2, 'max')).toBeNaN();
  });

  it('codes labels in numpy order', () => {
    const { codes, labels } = codeLabels(['b', 2, '1', 1, -0, 0, 'a', '\u{1F600}', '\uFFFD', 2]);
    expect(labels).toEqual([0, 1, 2, '1', 'a', 'b', '\uFFFD', '\u{1F600}']);
    expect(Array.from(codes)).toEqual([5, 2, 3, 1, 0, 0, 4, 7, 6, 2]);
    const t = contingencyFromCodes(Int32Array.of(0, 1, 1), Int32Array.of(1, 1, 0), 2, 2);
    expect(Array.from(t)).toEqual([0, 1, 1, 1]);
  });

  it('meets the closed forms of channel capacity', () => {
    const h2 = (e: number) => -e * Math.log(e) - (1 - e) * Math.log(1 - e);
    for (const e of [0.01, 0.2, 0.45, 0.499]) {
      const bsc = blahutArimoto(f64(1 - e, e, e, 1 - e), 2, 2, 1e-12, 100000);
      expect(bsc.converged).toBe(true);
      expect(Math.abs(bsc.capacity - (Math.LN2 - h2(e)))).toBeLessThan(1e-12);
      const bec = blahutArimoto(f64(1 - e, e, 0, 0, e, 1 - e), 2, 3, 1e-12, 100000);
      expect(Math.abs(bec.capacity - (1 - e) * Math.LN2)).toBeLessThan(1e-12);
    }
    const noiseless = blahutArimoto(f64(1, 0, 0, 0, 1, 0, 0, 0, 1), 3, 3, 1e-12, 100000);
    expect(Math.abs(noiseless.capacity - Math.log(3))).toBeLessThan(1e-12);
    expect(noiseless.gap).toBeLessThanOrEqual(1e-12);
  });

  it('converges quickly on nearly useless and degenerate channels', () => {
    // Plain Blahut-Arimoto needs ~80000 iterations for the first of these and more than 100000
    // for the 6×6 one; the certified gap must still be met.
    const channels: [Float64Array, number, number][] = [
      [f64(0.5, 0.5, 0.51, 0.49), 2, 2],
      [f64(0.5, 0.5, 0.503, 0.497), 2, 2],
      [f64(0.9, 0.1, 0.9, 0.1, 0.2, 0.8, 0.5, 0.5), 4, 2], // duplicate and dominated rows
    ];
    const n = 6;
    const near = new Float64Array(n * n);
    for (let x = 0; x < n; x++) {
      let mean = 0;
      for (let y = 0; y < n; y++) mean += Math.cos(1.3 * x + 2.1 * y * y) / n;
      for (let y = 0; y < n; y++) near[x * n + y] = 1 / n + 0.002 * (Math.cos(1.3 * x + 2.1 * y * y) - mean);
    }
    channels.push([near, n, n]);
    for (const [W, nx, ny] of channels) {
      const r = blahutArimoto(W, nx, ny, 1e-12, 100000);
      expect(r.converged).toBe(true);
      expect(r.gap).toBeLessThanOrEqual(1e-12);
      expect(r.iterations).toBeLessThan(100);
      expect(Math.abs(r.capacity - channelMI(r.inputDistribution, W, nx, ny))).toBeLessThan(1e-15);
    }
  });

  it('reports an unconverged capacity when maxIter runs out', () => {
    const r = blahutArimoto(f64(0.9, 0.1, 0.3, 0.7), 2, 2, 1e-15, 2);
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
    expect(r.gap).toBeGreaterThan(1e-15);
    expect(r.capacity).toBeGreaterThan(0);
  });
});
