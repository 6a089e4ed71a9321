// The benchmark's workloads on seeded data, identical on every run: flat-Dirichlet rows
// (normalized −log u, strictly positive, smallest entries ~1e-13), as in
// shared/notes/perf-anchors.md. Python reads the same arrays from the binary files written here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// mulberry32, the command line's generator (from the build), so every run sees the same data.
import { mulberry32 as rng } from '../dist/cli/random.js';

/** rows × cols float64, each row (or each block of `norm` elements) summing to 1. */
function dirichlet(seed, rows, cols, norm = cols) {
  const rand = rng(seed);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = -Math.log(1 - rand());
  for (let b = 0; b < x.length; b += norm) {
    let s = 0;
    for (let i = b; i < b + norm; i++) s += x[i];
    for (let i = b; i < b + norm; i++) x[i] /= s;
  }
  return x;
}

/**
 * The workloads. `elements` is what throughput counts: B·K, tables·64·64, K, and for pairwise
 * rows(A)·rows(A)·K (every cell of the result matrix, whether or not an implementation mirrors).
 */
export function makeWorkloads() {
  const B = 4096, K = 1024;
  const P64 = dirichlet(12345, B, K), Q64 = dirichlet(67890, B, K);
  const P32 = Float32Array.from(P64), Q32 = Float32Array.from(Q64);
  const T = 2000, X = 64, Y = 64;
  const tables = dirichlet(424242, T, X * Y);
  const N = 16_777_216;
  const p5 = Float32Array.from(dirichlet(777, 1, N)), q5 = Float32Array.from(dirichlet(888, 1, N));
  const R = 500, C = 256;
  const A6 = dirichlet(999, R, C);
  return [
    { id: 'W1', title: 'KL, 4096 × 1024 float32', kind: 'kl', rows: B, cols: K, p: P32, q: Q32, elements: B * K },
    { id: 'W2', title: 'KL, 4096 × 1024 float64', kind: 'kl', rows: B, cols: K, p: P64, q: Q64, elements: B * K },
    { id: 'W3', title: 'JSD, 4096 × 1024 float32', kind: 'jsd', rows: B, cols: K, p: P32, q: Q32, elements: B * K },
    { id: 'W4', title: 'MI of 2000 joint tables 64 × 64 float64', kind: 'mi', tables: T, rows: X, cols: Y, p: tables, elements: T * X * Y },
    { id: 'W5', title: 'KL of one pair of 16,777,216 float32', kind: 'kl1', rows: 1, cols: N, p: p5, q: q5, elements: N },
    { id: 'W6', title: 'pairwise JSD, 500 × 500 rows of 256 float64', kind: 'pairwise', rows: R, cols: C, p: A6, elements: R * R * C },
  ];
}

/** W7: batch KL big enough for worker threads to pay off (65,536 × 1024 float32, 256 MiB per input). */
export function makeThreadWorkload() {
  const B = 65536, K = 1024;
  return {
    id: 'W7', title: 'KL, 65,536 × 1024 float32, worker threads', kind: 'kl', rows: B, cols: K,
    p: Float32Array.from(dirichlet(2024, B, K)), q: Float32Array.from(dirichlet(4048, B, K)), elements: B * K,
  };
}

/** Writes each workload's arrays and its float64 reference for the Python peers. */
export function writeForPython(dir, workloads, references) {
  mkdirSync(dir, { recursive: true });
  const manifest = [];
  for (const w of workloads) {
    const files = {};
    for (const key of ['p', 'q']) {
      if (!w[key]) continue;
      files[key] = `${w.id}.${key}.bin`;
      writeFileSync(join(dir, files[key]), new Uint8Array(w[key].buffer, w[key].byteOffset, w[key].byteLength));
    }
    const ref = references.get(w.id);
    files.ref = `${w.id}.ref.bin`;
    writeFileSync(join(dir, files.ref), new Uint8Array(ref.buffer, ref.byteOffset, ref.byteLength));
    manifest.push({
      id: w.id, kind: w.kind, rows: w.rows, cols: w.cols, tables: w.tables ?? null, elements: w.elements,
      dtype: w.p instanceof Float32Array ? 'float32' : 'float64', files,
    });
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
}
