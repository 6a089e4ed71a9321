// API.md semantics beyond the reference vectors: input kinds, shapes, options, typed errors
// with the argument and the first offending position, onInvalid, out, closed engines.
import { describe, expect, it } from 'vitest';
import * as infodiv from '../src/index.node.js';
import { InfodivError, createEngineSync } from '../src/index.node.js';
import { caught } from './helpers/errors.js';

describe.each(['simd', 'scalar', 'js'] as const)('%s backend', (backend) => {
  const e = createEngineSync({ backend, arenaBytes: 2048 });

  it('plain-array elements must be numbers: null, booleans and strings are NON_FINITE at their index', () => {
    for (const bad of [null, true, '0.5', undefined]) {
      const err = caught(() => e.kl([0.5, bad as never, 0.5], [0.2, 0.3, 0.5]));
      expect([err.code, err.argument, err.index]).toEqual(['NON_FINITE', 'p', [1]]);
      const err2 = caught(() => e.entropy([[0.5, 0.5], [0.1, bad as never]]));
      expect([err2.code, err2.index]).toEqual(['NON_FINITE', [1, 1]]);
    }
  });

  it('the first offending element is the lowest in row-major order, p before q at the same position', () => {
    const p = [[0.5, 0.5, 0.1], [0.2, 0.2, -1]];
    const q = [[0.3, 0.3, 0.4], [0.2, NaN, 0.1]];
    expect(caught(() => e.kl(p, q))).toMatchObject({ code: 'NON_FINITE', argument: 'q', index: [1, 1] });
    const q2 = [[0.3, 0.3, 0.4], [0.2, 0.3, NaN]];
    expect(caught(() => e.kl(p, q2))).toMatchObject({ code: 'NEGATIVE_VALUE', argument: 'p', index: [1, 2] });
  });

  it('shapes: ragged rows, mismatched lengths and row counts, matrix data length', () => {
    expect(caught(() => e.entropy([[1, 2], [3]])).code).toBe('LENGTH_MISMATCH');
    expect(caught(() => e.kl([1, 2], [1, 2, 3])).code).toBe('LENGTH_MISMATCH');
    expect(caught(() => e.kl([[1, 2], [1, 2]], [[1, 2], [1, 2], [1, 2]])).code).toBe('LENGTH_MISMATCH');
    expect(caught(() => e.kl({ data: new Float64Array(5), rows: 2, cols: 3 }, [1, 2, 3]))).toMatchObject({ code: 'LENGTH_MISMATCH', index: null });
    expect(caught(() => e.entropy([])).code).toBe('EMPTY');
    expect(caught(() => e.entropy([[]])).code).toBe('EMPTY');
    expect(caught(() => e.entropy({ data: new Float64Array(0), rows: 0, cols: 3 })).code).toBe('EMPTY');
  });

  it('options: base, convention, onInvalid, out', () => {
    for (const base of [1, 0, -2, NaN, Infinity, '2']) expect(caught(() => e.entropy([1, 1], { base: base as number })).code).toBe('INVALID_BASE');
    expect(caught(() => e.jsd([1, 1], [1, 2], { convention: 'raw' as never })).code).toBe('INVALID_OPTION');
    expect(caught(() => e.entropy([1, 1], { convention: 'keras' })).code).toBe('INVALID_OPTION');
    expect(caught(() => e.kl([1, 1], [1, 1], { onInvalid: 'skip' as never })).code).toBe('INVALID_OPTION');
    expect(e.entropy([1, 1], { base: 2 })).toBe(1);
    const out = new Float64Array(3).fill(-1);
    const res = e.entropy([[1, 1], [1, 3], [1, 0]], { out });
    expect(res).toBe(out);
    expect(out[0]).toBeCloseTo(Math.LN2, 15);
    expect(caught(() => e.entropy([[1, 1], [1, 3]], { out: new Float64Array(1) })).code).toBe('LENGTH_MISMATCH');
  });

  it("onInvalid: 'nan' gives NaN for bad rows, one error per bad row, and the right values elsewhere", () => {
    const errors: InfodivError[] = [];
    const p = [[0.5, 0.5], [0, 0], [0.2, -0.1], [0.9, 0.1]];
    const q = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]];
    const r = e.kl(p, q, { onInvalid: 'nan', errors }) as Float64Array;
    expect(Number.isNaN(r[1]) && Number.isNaN(r[2])).toBe(true);
    expect(r[0]).toBe(0);
    expect(r[3]).toBeCloseTo(0.9 * Math.log(1.8) + 0.1 * Math.log(0.2), 14);
    expect(errors.map((x) => [x.code, x.index])).toEqual([['ZERO_SUM', null], ['NEGATIVE_VALUE', [2, 1]]]);
  });

  it('-0 is zero; mixed float32/float64 computes in float64; integer counts are accepted', () => {
    expect(e.entropy([-0, 1, 1])).toBeCloseTo(Math.LN2, 15);
    const p32 = new Float32Array([0.1, 0.2, 0.7]);
    const q64 = new Float64Array([0.3, 0.3, 0.4]);
    expect(e.kl(p32, q64)).toBe(e.kl(Float64Array.from(p32), q64));
    expect(e.entropy(new Uint32Array([1, 1, 2]))).toBeCloseTo(e.entropy([0.25, 0.25, 0.5]) as number, 15);
  });

  it('a vector against a batch is used against every row, in either order', () => {
    const P = [[0.2, 0.8], [0.5, 0.5]];
    const q = [0.4, 0.6];
    expect(Array.from(e.kl(P, q) as Float64Array)).toEqual(P.map((p) => e.kl(p, q)));
    expect(Array.from(e.kl(q, P) as Float64Array)).toEqual(P.map((p) => e.kl(q, p)));
  });

  it('the Keras docs example (y_true 0/1, y_pred uniform) gives one loss per row', () => {
    const yTrue = [[1, 0, 1], [1, 0, 0]];
    const yPred = [[0.7805173397064209, 0.44211676716804504, 0.26793214678764343], [0.8675728440284729, 0.7725943326950073, 0.39951571822166443]];
    const loss = e.kl(yTrue, yPred, { convention: 'keras' }) as Float64Array;
    expect(loss[0]).toBeCloseTo(1.5648183070861232, 13);
    expect(loss[1]).toBeCloseTo(0.14205269455597408, 13);
    expect(caught(() => e.kl([1, -1], [0.5, 0.5], { convention: 'keras' }))).toMatchObject({ code: 'NEGATIVE_VALUE', argument: 'y_true', index: [1] });
  });

  it('after any error the engine serves the next call correctly', () => {
    caught(() => e.kl([[1, NaN]], [[1, 1]]));
    caught(() => e.kl([1, 2], [1]));
    expect(e.kl([0.5, 0.5], [0.5, 0.5])).toBe(0);
  });

  it('tables: single table → number, batch → one value per table, errors at [x, y] / [t, x, y]', () => {
    const t1 = [[0.25, 0.25], [0.25, 0.25]], t2 = [[0.5, 0], [0, 0.5]];
    expect(e.mutualInformation(t1)).toBe(0);
    const batch = e.mutualInformation([t1, t2], { base: 2 }) as Float64Array;
    expect(Array.from(batch)).toEqual([0, 1]);
    const flat = { data: Float64Array.from([...t1.flat(), ...t2.flat()]), tables: 2, rows: 2, cols: 2 };
    expect(e.mutualInformation(flat, { base: 2 })).toEqual(batch);
    expect(caught(() => e.jointEntropy([t1, [[1, 2], [3, -4]]]))).toMatchObject({ code: 'NEGATIVE_VALUE', index: [1, 1, 1] });
    expect(caught(() => e.jointEntropy([[1, 2], [3, -4]]))).toMatchObject({ code: 'NEGATIVE_VALUE', index: [1, 1] });
  });

  it('a closed engine refuses calls with ENGINE_CLOSED', () => {
    const c = createEngineSync({ backend });
    c.close();
    expect(caught(() => c.entropy([1, 2])).code).toBe('ENGINE_CLOSED');
  });
});

describe('package root', () => {
  it('root functions work right after import and info() describes the engine', async () => {
    expect(infodiv.kl([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 15);
    const engine = await infodiv.createEngine();
    expect(engine.info()).toMatchObject({ backend: 'simd', simd: true, threads: 1, version: infodiv.VERSION });
    expect((await infodiv.createEngine({ backend: 'js' })).info().backend).toBe('js');
    expect(caught(() => createEngineSync({ backend: 'gpu' as never })).code).toBe('INVALID_OPTION');
    expect(caught(() => createEngineSync({ arenaBytes: 10 })).code).toBe('INVALID_OPTION');
  });
});
