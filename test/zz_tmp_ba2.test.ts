import { it } from 'vitest';
import { blahutArimoto } from '../src/reference/channel.js';
let seed = 12345;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
function randW(nx: number, ny: number, sharp = 1): Float64Array {
  const W = new Float64Array(nx * ny);
  for (let x = 0; x < nx; x++) { let s = 0; for (let y = 0; y < ny; y++) { W[x*ny+y] = Math.pow(rnd(), sharp); s += W[x*ny+y]; } for (let y = 0; y < ny; y++) W[x*ny+y] /= s; }
  return W;
}
it('x', () => {
  (globalThis as any).DBG = true;
  const W = randW(200, 20, 2);
  const t = performance.now();
  const r = blahutArimoto(W, 200, 20, 1e-12, 100000);
  console.log('total', performance.now() - t, r.iterations);
}, 600000);
