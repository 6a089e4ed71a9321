// One pair of 16,777,216 float32 values (Dirichlet-like): the SIMD kernels' float32 logs and
// blocked float64 accumulation must stay within 1e-6 relative of a float64 reference, also when
// the row streams through the arena in segments.
import { describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/index.node.js';
import { rng } from './helpers/random.js';

const N = 16_777_216;

function dirichletF32(seed: number): Float32Array {
  const rand = rng(seed);
  const x = new Float32Array(N);
  let s = 0;
  for (let i = 0; i < N; i++) s += x[i] = -Math.log(1 - rand());
  for (let i = 0; i < N; i++) x[i] /= s;
  return x;
}

/** Float64 reference with compensated sums, on the exact float32 inputs. */
function reference(p: Float32Array, q: Float32Array) {
  let sp = 0, sq = 0;
  for (let i = 0; i < N; i++) { sp += p[i]; sq += q[i]; }
  let kl = 0, klc = 0, h = 0, hc = 0, js = 0, jsc = 0;
  const add = (s: number, c: number, t: number): [number, number] => {
    const u = s + t;
    return [u, c + (Math.abs(s) >= Math.abs(t) ? s - u + t : t - u + s)];
  };
  for (let i = 0; i < N; i++) {
    const a = p[i] / sp, b = q[i] / sq, m = 0.5 * (a + b);
    [kl, klc] = add(kl, klc, a * Math.log(a / b));
    [h, hc] = add(h, hc, -a * Math.log(a));
    [js, jsc] = add(js, jsc, 0.5 * (a * Math.log(a / m) + b * Math.log(b / m)));
  }
  return { kl: kl + klc, entropy: h + hc, jsd: js + jsc };
}

describe('a single row of 16,777,216 float32 values', () => {
  const p = dirichletF32(1), q = dirichletF32(2);
  const ref = reference(p, q);
  for (const [label, opts] of [['simd', { backend: 'simd' }], ['simd, 64 KiB arena', { backend: 'simd', arenaBytes: 65536 }], ['scalar', { backend: 'scalar' }]] as const) {
    it(`${label}: KL, entropy and JSD within 1e-6 relative`, () => {
      const e = createEngineSync(opts);
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      expect(rel(e.kl(p, q) as number, ref.kl)).toBeLessThan(1e-6);
      expect(rel(e.entropy(p) as number, ref.entropy)).toBeLessThan(1e-6);
      expect(rel(e.jsd(p, q) as number, ref.jsd)).toBeLessThan(1e-6);
    });
  }
  it('zero-copy: the row in engine matrices (one kernel call, no segments) within 1e-6 relative', () => {
    const e = createEngineSync({ backend: 'simd' });
    const mp = e.matrix(1, N, 'float32'), mq = e.matrix(1, N, 'float32');
    mp.data.set(p);
    mq.data.set(q);
    const kl = (e.kl(mp, mq) as Float64Array)[0];
    expect(Math.abs(kl - ref.kl) / ref.kl).toBeLessThan(1e-6);
    mp.free();
    mq.free();
  });
});
