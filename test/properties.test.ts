// Property tests: the WebAssembly backends against the float64 reference (the js backend) on
// random and adversarial rows — zeros, 1e-300, subnormals, huge values, odd lengths 1..67 —
// streamed through a 1 KiB arena so that batches split into chunks and long rows into segments.
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/index.node.js';
import type { Engine } from '../src/engine.js';
import { ROW_KINDS, row, rng, type RowKind } from './helpers/random.js';
import { termScale } from './fuzz/model.js';

type Measure = 'entropy' | 'crossEntropy' | 'kl' | 'jsd';
const CASES: [Measure, 'scipy' | 'raw' | 'keras'][] = [
  ['entropy', 'scipy'], ['entropy', 'raw'], ['crossEntropy', 'scipy'], ['crossEntropy', 'raw'],
  ['kl', 'scipy'], ['kl', 'raw'], ['kl', 'keras'], ['jsd', 'scipy'],
];

const reference = createEngineSync({ backend: 'js' });

function run(e: Engine, m: Measure, conv: string, p: unknown, q: unknown): Float64Array {
  const opts = { convention: conv as 'scipy', onInvalid: 'nan' as const };
  return (m === 'entropy' ? e.entropy(p as never, opts) : e[m](p as never, q as never, opts)) as Float64Array;
}

function batch(rand: () => number, rows: number, cols: number, kinds: RowKind[], f32: boolean) {
  const data = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) data.set(row(rand, cols, kinds[(r + Math.floor(rand() * 3)) % kinds.length]), r * cols);
  return { data, rows, cols };
}

describe.each(['simd', 'scalar'] as const)('%s backend vs float64 reference', (backend) => {
  const engines = [createEngineSync({ backend }), createEngineSync({ backend, arenaBytes: 1024 })];
  for (const f32 of [false, true]) {
    for (const [measure, conv] of CASES) {
      it(`${measure} (${conv}, ${f32 ? 'float32' : 'float64'}): odd lengths 1..67 and long rows, every row kind`, () => {
        const rand = rng(measure.length * 1000 + conv.length * 10 + (f32 ? 1 : 0));
        const lengths = [...Array.from({ length: 67 }, (_, i) => i + 1), 128, 129, 255, 1000, 1031];
        for (const cols of lengths) {
          const rows = cols > 200 ? 3 : 9;
          const kinds = [...ROW_KINDS];
          const P = batch(rand, rows, cols, kinds, f32);
          const Q = batch(rand, rows, cols, kinds.reverse(), f32);
          const want = run(reference, measure, conv, P, Q);
          for (const engine of engines) {
            const got = run(engine, measure, conv, P, Q);
            for (let r = 0; r < rows; r++) {
              const w = want[r], g = got[r];
              const p = P.data.subarray(r * cols, (r + 1) * cols), q = Q.data.subarray(r * cols, (r + 1) * cols);
              if (!Number.isFinite(w)) {
                expect(g, `${measure} row ${r} cols ${cols}`).toBe(w);
                continue;
              }
              // float32 rows: the SIMD kernels take float32 logs, and Keras clips at float32(1e-7).
              const loose = f32 && (backend === 'simd' || conv === 'keras');
              const tol = (loose ? 3e-6 : 1e-12) * termScale(p, measure === 'entropy' ? p : q, conv !== 'raw' && conv !== 'keras');
              if (!(Math.abs(g - w) <= tol)) {
                expect.fail(`${measure}/${conv} cols ${cols} row ${r}: got ${g}, reference ${w}, |diff| ${Math.abs(g - w)} > ${tol}`);
              }
              if (measure === 'jsd') expect(g).toBeGreaterThanOrEqual(0);
            }
          }
        }
      });
    }
  }

  it('a batch against one vector equals the batch against that vector repeated', () => {
    const rand = rng(7);
    const cols = 37, rows = 50;
    const P = batch(rand, rows, cols, ['dirichlet', 'zeros'], false);
    const q = row(rand, cols, 'dirichlet');
    const Q = { data: new Float64Array(rows * cols), rows, cols };
    for (let r = 0; r < rows; r++) Q.data.set(q, r * cols);
    for (const engine of engines) {
      for (const m of ['kl', 'crossEntropy', 'jsd'] as const) {
        expect(engine[m](P, q)).toEqual(engine[m](P, Q));
        expect(engine[m](q, P)).toEqual(engine[m](Q, P));
      }
    }
  });

  it('inputs are never mutated', () => {
    const rand = rng(11);
    const P = batch(rand, 20, 33, ['huge', 'subnormal', 'zeros'], false);
    const Q = batch(rand, 20, 33, ['dirichlet', 'tiny'], true);
    const plain = Array.from({ length: 20 }, (_, r) => Array.from(P.data.subarray(r * 33, (r + 1) * 33)));
    const copies = [P.data.slice(), Q.data.slice(), JSON.stringify(plain)];
    for (const engine of engines) {
      engine.kl(P, Q);
      engine.jsd(plain, Q);
      engine.entropy(plain);
      engine.kl(P, Q, { convention: 'keras' });
    }
    expect(P.data).toEqual(copies[0]);
    expect(Q.data).toEqual(copies[1]);
    expect(JSON.stringify(plain)).toBe(copies[2]);
  });

  it('joint tables match the reference, including subnormal and huge tables', () => {
    const rand = rng(13);
    for (const [rows, cols] of [[1, 1], [1, 7], [7, 1], [3, 5], [17, 33], [64, 64]]) {
      for (const kind of ROW_KINDS) {
        const t = { data: row(rand, rows * cols, kind), tables: 1, rows, cols };
        for (const m of ['mutualInformation', 'jointEntropy', 'conditionalEntropy'] as const) {
          const want = (reference[m](t) as Float64Array)[0];
          for (const engine of engines) {
            const got = (engine[m](t) as Float64Array)[0];
            expect(Math.abs(got - want), `${m} ${rows}x${cols} ${kind}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want) + Math.log(rows * cols + 1)));
          }
        }
      }
    }
  });
});
