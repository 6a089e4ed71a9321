// Running the built command line as a subprocess, .npy files for its inputs and outputs, and the
// large streaming run (shared by the normal suite at 200 MB and `npm run test:large` at 2 GB).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from '../helpers/random.js';
import { createEngineSync } from '../../src/index.node.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliBuilt(): boolean {
  return existsSync(CLI);
}

export function runCli(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

type NpyData = Float64Array | Float32Array | BigInt64Array | Int32Array | Uint8Array;
const DESCR = new Map<unknown, string>([[Float64Array, '<f8'], [Float32Array, '<f4'], [BigInt64Array, '<i8'], [Int32Array, '<i4'], [Uint8Array, '|u1']]);

/** A .npy file (version 1.0, little-endian, C order). */
export function npyBytes(data: NpyData, shape: number[]): Buffer {
  const descr = DESCR.get(data.constructor);
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  header = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** Shape and float64 data of a .npy file the command line wrote. */
export function readNpy(path: string): { shape: number[]; data: Float64Array } {
  const buf = readFileSync(path);
  const length = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + length);
  if (!header.includes("'descr': '<f8'")) throw new Error(`unexpected header ${header}`);
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = buf.subarray(10 + length);
  const data = new Float64Array(body.length / 8);
  new Uint8Array(data.buffer).set(body);
  return { shape, data };
}

/** What a streaming run may use at most, whatever the file size: Node itself, two 16 MiB blocks, buffers. */
export const MEMORY_BOUND_BYTES = 200 * 2 ** 20;

export interface LargeRun {
  stderr: string;
  bytes: number;
  rows: number;
  cols: number;
  generateSeconds: number;
  scoreSeconds: number;
  peakRssBytes: number;
}

const COLS = 256;
const POOL = 997;

/** Peak resident memory of a running child, read from /proc while it runs (Linux). */
function watchPeak(pid: number): { stop(): number } {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // The process has just exited: keep the last reading.
    }
  };
  const timer = setInterval(read, 20);
  return { stop: () => { clearInterval(timer); return peak; } };
}

/**
 * Writes a CSV of about `bytes` (a header, then rows of 256 probabilities-to-be drawn from a pool of
 * 997 distinct rows), scores it with `infodiv score --measure kl` against a one-row baseline, and
 * checks every output value against the library. Returns the timings, the child's peak memory and
 * what it wrote to standard error.
 */
export async function largeCsvRun(bytes: number, dir: string): Promise<LargeRun> {
  const random = rng(7);
  const pool = Array.from({ length: POOL }, () => Array.from({ length: COLS }, () => Number((random() + 1e-3).toPrecision(9))));
  const lines = pool.map((row) => Buffer.from(row.join(',') + '\n'));
  const baseline = Array.from({ length: COLS }, () => Number((random() + 1e-3).toPrecision(9)));
  const pick = (r: number) => (r * 31 + 7) % POOL;

  const csv = join(dir, 'large.csv');
  const genStart = performance.now();
  const out = createWriteStream(csv);
  const header = Array.from({ length: COLS }, (_, c) => `p${c}`).join(',') + '\n';
  out.write(header);
  let written = header.length;
  let rows = 0;
  const CHUNK = 8 << 20;
  while (written < bytes) {
    // Rows are copied into fresh chunks (the stream keeps each until written): generation runs at disk speed.
    const chunk = Buffer.allocUnsafe(CHUNK);
    let used = 0;
    while (written + used < bytes && used + lines[pick(rows)].length <= CHUNK) used += lines[pick(rows++)].copy(chunk, used);
    written += used;
    if (!out.write(chunk.subarray(0, used))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const generateSeconds = (performance.now() - genStart) / 1000;
  const q = join(dir, 'baseline.csv');
  await new Promise<void>((resolve, reject) => createWriteStream(q).end(baseline.join(',') + '\n', (err?: Error | null) => (err ? reject(err) : resolve())));

  const result = join(dir, 'large-kl.npy');
  const start = performance.now();
  // Not --quiet: with standard error a pipe, the progress bar must stay silent on its own.
  const child = spawn(process.execPath, [CLI, 'score', '--measure', 'kl', '--p', csv, '--q', q, '--out', result], { stdio: ['ignore', 'ignore', 'pipe'] });
  const peak = watchPeak(child.pid!);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const peakRssBytes = peak.stop();
  const scoreSeconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`infodiv exited with ${code}: ${stderr}`);

  const { shape, data } = readNpy(result);
  if (shape[0] !== rows) throw new Error(`expected ${rows} scores, got ${shape[0]}`);
  const expected = createEngineSync().kl(pool, baseline) as Float64Array;
  for (let r = 0; r < rows; r++) {
    const want = expected[pick(r)];
    if (!(Math.abs(data[r] - want) <= 1e-12 * Math.abs(want) + 1e-15)) throw new Error(`row ${r}: ${data[r]} differs from the library's ${want}`);
  }
  return { stderr, bytes: written, rows, cols: COLS, generateSeconds, scoreSeconds, peakRssBytes };
}

/** Whether a program is on the PATH (for the terminal test, which needs `script`). */
export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
