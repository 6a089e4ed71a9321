// Every case of the scipy / scikit-learn reference vectors (test/fixtures) through every backend,
// and again through a tiny arena so that batches and long rows stream in chunks and segments.
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/index.node.js';
import { InfodivError } from '../src/errors.js';
import type { Engine } from '../src/engine.js';
import type { AverageMethod } from '../src/types.js';
import { decodeNumbers, loadFixture, withinTol } from './helpers/fixtures.js';

type Case = {
  id: string;
  args: Record<string, unknown>;
  options: Record<string, unknown>;
  expected: unknown;
  tol: { rel: number; abs: number } | null;
  error_code?: string;
  error_at?: number[] | null;
};

const engines: [string, Engine][] = [
  ['simd', createEngineSync({ backend: 'simd' })],
  ['scalar', createEngineSync({ backend: 'scalar' })],
  ['js', createEngineSync({ backend: 'js' })],
  ['simd, 1 KiB arena', createEngineSync({ backend: 'simd', arenaBytes: 1024 })],
  ['scalar, 1 KiB arena', createEngineSync({ backend: 'scalar', arenaBytes: 1024 })],
];

/** Inputs as the case's dtype asks: float32 → Float32Array rows, float64 → plain numbers. */
function load(x: unknown, dtype: unknown): unknown {
  const v = decodeNumbers(x);
  if (dtype !== 'float32') return v;
  if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) return (v as number[][]).map((r) => Float32Array.from(r));
  return Float32Array.from(v as number[]);
}

/** The same float64 data as a typed Matrix (2-D) or Float64Array (1-D). */
function typed(x: unknown): unknown {
  if (Array.isArray(x) && x.length > 0 && Array.isArray(x[0])) {
    const rows = x as number[][];
    if (rows.some((r) => r.length !== rows[0].length)) return x;
    return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
  }
  return Array.isArray(x) ? Float64Array.from(x as number[]) : x;
}

type Caller = (e: Engine, c: Case, args: (name: string) => unknown) => unknown;

const divergence = (fn: 'entropy' | 'kl' | 'crossEntropy' | 'jsd' | 'jsDistance', a: string, b?: string): Caller =>
  (e, c, args) => {
    const opts: Record<string, unknown> = {};
    if (c.options.convention !== undefined) opts.convention = c.options.convention;
    if (c.options.base !== undefined) opts.base = c.options.base;
    return fn === 'entropy' ? e.entropy(args(a) as never, opts) : e[fn](args(a) as never, args(b!) as never, opts);
  };

const table = (fn: 'mutualInformation' | 'jointEntropy' | 'conditionalEntropy'): Caller => (e, c, args) =>
  e[fn](args('joint') as never, c.options.base !== undefined ? { base: c.options.base as number } : {});

/** String labels are literal (never decoded); numeric ones come as the pass loads them. */
const labels = (c: Case, name: string, args: (name: string) => unknown): unknown =>
  c.options.label_type === 'string' ? c.args[name] : args(name);

const labelScore = (fn: 'mutualInfoScore' | 'normalizedMutualInfoScore' | 'adjustedMutualInfoScore'): Caller => (e, c, args) => {
  const opts = c.options.average_method !== undefined ? { averageMethod: c.options.average_method as AverageMethod } : {};
  if (c.args.contingency !== undefined) return e[fn](args('contingency') as never, opts);
  return e[fn](labels(c, 'labels_true', args) as never, labels(c, 'labels_pred', args) as never, opts);
};

/** Capacities are in bits whatever the case's base (README: channelCapacity(W, { base: 2 })). */
const channel: Caller = (e, c, args) => {
  if (c.options.quantity === 'mutual_information') {
    return e.channelMutualInformation(args('px') as never, args('W') as never, c.options.base !== undefined ? { base: c.options.base as number } : {});
  }
  const result = e.channelCapacity(args('W') as never, { base: 2 });
  if (c.expected !== 'error') expect(result.converged, `${c.id} converged`).toBe(true);
  return c.options.quantity === 'capacity' ? result.capacity : result.inputDistribution;
};

const files: [string, Caller][] = [
  ['entropy', divergence('entropy', 'p')],
  ['kl', divergence('kl', 'p', 'q')],
  ['cross_entropy', divergence('crossEntropy', 'p', 'q')],
  ['jsd', divergence('jsd', 'p', 'q')],
  ['js_distance', divergence('jsDistance', 'p', 'q')],
  ['keras_kl', divergence('kl', 'y_true', 'y_pred')],
  ['mutual_info_joint', table('mutualInformation')],
  ['joint_entropy', table('jointEntropy')],
  ['conditional_entropy', table('conditionalEntropy')],
  ['mutual_info_labels', labelScore('mutualInfoScore')],
  ['nmi', labelScore('normalizedMutualInfoScore')],
  ['ami', labelScore('adjustedMutualInfoScore')],
  ['channel', channel],
];

function check(actual: unknown, c: Case): void {
  const expected = decodeNumbers(c.expected);
  if (Array.isArray(expected)) {
    expect(actual).toBeInstanceOf(Float64Array);
    const a = Array.from(actual as Float64Array);
    expect(a.length).toBe(expected.length);
    a.forEach((v, i) => {
      if (!withinTol(v, expected[i] as number, c.tol!)) expect.fail(`${c.id} [${i}]: ${v} vs ${expected[i]} (tol ${JSON.stringify(c.tol)})`);
    });
  } else {
    expect(typeof actual).toBe('number');
    if (!withinTol(actual as number, expected as number, c.tol!)) expect.fail(`${c.id}: ${actual} vs ${expected} (tol ${JSON.stringify(c.tol)})`);
  }
}

for (const [file, call] of files) {
  const cases = loadFixture(file).cases as Case[];
  describe(file, () => {
    for (const [label, engine] of engines) {
      for (const c of cases) {
        it(`${label}: ${c.id}`, () => {
          const plain = (name: string) => load(c.args[name], c.options.dtype);
          if (c.expected === 'error') {
            let caught: unknown;
            try {
              call(engine, c, plain);
            } catch (e) {
              caught = e;
            }
            expect(caught, `${c.id} must throw`).toBeInstanceOf(InfodivError);
            const err = caught as InfodivError;
            if (c.error_code) expect(err.code).toBe(c.error_code);
            if ('error_at' in c) expect(err.index).toEqual(c.error_at ?? null);
            return;
          }
          check(call(engine, c, plain), c);
          if (c.options.dtype !== 'float32') check(call(engine, c, (name) => typed(load(c.args[name], 'float64'))), c);
        });
      }
    }
  });
}
