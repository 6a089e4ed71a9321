// End to end: the built `infodiv` command (dist/cli/main.js, built by `npm test`'s pretest) run as a
// subprocess on small files in every format, its results compared with the library's; every error
// path checked for its message (file:line:column), exit code, and that no output is left behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/index.node.js';
import { CLI, cliBuilt, hasProgram, npyBytes, readNpy, runCli } from './large/cli-harness.js';
import { rng } from './helpers/random.js';
import { EXIT_DATA, EXIT_IO, exitCodeOf, isSystemError } from '../src/cli/errors.js';
import { InfodivError } from '../src/errors.js';

const engine = createEngineSync();
let root: string;
let caseNo = 0;

beforeAll(() => {
  if (!cliBuilt()) throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does it first)');
  root = mkdtempSync(join(tmpdir(), 'infodiv-cli-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A fresh directory holding the given files. */
function workdir(files: Record<string, string | Buffer>): string {
  const dir = join(root, `case${++caseNo}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Positive rows with a few exact zeros, as histograms have. */
function randomRows(seed: number, rows: number, cols: number): number[][] {
  const random = rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() < 0.1 ? 0 : Number(random().toPrecision(12)))));
}

const csv = (rows: number[][], delimiter = ',', header?: string[]) =>
  (header ? header.join(delimiter) + '\n' : '') + rows.map((r) => r.join(delimiter)).join('\n') + '\n';
const jsonl = (rows: number[][]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const npy64 = (rows: number[][]) => npyBytes(Float64Array.from(rows.flat()), [rows.length, rows[0].length]);
const npy32 = (rows: number[][]) => npyBytes(Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
const widened = (rows: number[][]) => rows.map((r) => Array.from(Float32Array.from(r)));

/** Numbers of a result file (text: one per line or rows of them, after an optional header). */
function readResult(path: string): number[] {
  if (path.endsWith('.npy')) return Array.from(readNpy(path).data);
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const cells = lines.flatMap((l) => (l.startsWith('[') ? (l.slice(1, -1).split(',')) : l.split(/[,\t]/)));
  return cells.filter((c) => !/^[a-z_]/i.test(c) || /^(NaN|-?Infinity)$/.test(c)).map(Number);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(a).toBe(e);
    else expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.abs(e) + 1e-15);
  }
}

const P = randomRows(1, 60, 7);
const Q = randomRows(2, 60, 7);
const libraryKl = Array.from(engine.kl(P, Q) as Float64Array);

describe('score: every input format', () => {
  const inputs: [string, (rows: number[][]) => string | Buffer, (rows: number[][]) => number[][]][] = [
    ['csv', (r) => csv(r), (r) => r],
    ['tsv', (r) => csv(r, '\t'), (r) => r],
    ['jsonl', jsonl, (r) => r],
    ['npy', npy64, (r) => r],
  ];
  it.each(inputs)('%s in, .npy out', (ext, encode, decode) => {
    const dir = workdir({ [`p.${ext}`]: encode(P), [`q.${ext}`]: encode(Q) });
    const r = runCli(['score', '--measure', 'kl', '--p', `p.${ext}`, '--q', `q.${ext}`, '--out', 'kl.npy'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readNpy(join(dir, 'kl.npy')).shape).toEqual([P.length]);
    expectClose(readResult(join(dir, 'kl.npy')), engine.kl(decode(P), decode(Q)) as Float64Array);
  });

  it('float32 .npy in (widened to float64, as the values are)', () => {
    const dir = workdir({ 'p.npy': npy32(P), 'q.npy': npy32(Q) });
    const r = runCli(['score', '--measure', 'kl', '--p', 'p.npy', '--q', 'q.npy', '--out', 'kl.csv'], dir);
    expect(r.code).toBe(0);
    expectClose(readResult(join(dir, 'kl.csv')), engine.kl(widened(P), widened(Q)) as Float64Array);
  });

  it('mixed formats, integer .npy counts, quoted cells, spaces, CRLF, blank lines and a BOM', () => {
    const counts = Array.from({ length: 5 }, (_, r) => Array.from({ length: 3 }, (_, c) => (r * 3 + c) % 5));
    const int64 = npyBytes(BigInt64Array.from(counts.flat().map(BigInt)), [5, 3]);
    const text = '\ufeffa,b,c\r\n"1", 2 ,3\r\n\r\n4,5,"6"\r\n7,8,9\r\n1e0,2.0E+0,.5\r\n0.5,0.25,0.125\r\n';
    const dir = workdir({ 'p.csv': text, 'q.npy': int64 });
    const r = runCli(['score', '--measure', 'crossEntropy', '--p', 'p.csv', '--q', 'q.npy', '--out', 'ce.tsv'], dir);
    expect(r.stderr).toBe('');
    const p = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 0.5], [0.5, 0.25, 0.125]];
    expect(readFileSync(join(dir, 'ce.tsv'), 'utf8').split('\n')[0]).toBe('crossEntropy');
    expectClose(readResult(join(dir, 'ce.tsv')), engine.crossEntropy(p, counts) as Float64Array);
  });
});

describe('score: every output format', () => {
  it.each(['csv', 'tsv', 'jsonl', 'npy'])('.%s', (ext) => {
    const dir = workdir({ 'p.csv': csv(P), 'q.csv': csv(Q) });
    const r = runCli(['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.csv', '--out', `kl.${ext}`], dir);
    expect(r.code).toBe(0);
    expectClose(readResult(join(dir, `kl.${ext}`)), libraryKl);
    if (ext === 'csv' || ext === 'tsv') expect(readFileSync(join(dir, `kl.${ext}`), 'utf8').split('\n')[0]).toBe('kl');
    expect(readdirSync(dir).sort()).toEqual([`kl.${ext}`, 'p.csv', 'q.csv']);
  });

  it('standard output: CSV under a header naming the measure, full precision', () => {
    const dir = workdir({ 'p.csv': csv(P), 'q.csv': csv(Q) });
    const r = runCli(['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.csv'], dir);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('kl');
    expect(lines.slice(1).map(Number)).toEqual(libraryKl);
  });
});

describe('score: measures, options, baselines, headers, blocks', () => {
  const cases: [string, string[], (p: number[][], q: number[][]) => Float64Array][] = [
    ['entropy base 2', ['--measure', 'entropy', '--base', '2'], (p) => engine.entropy(p, { base: 2 }) as Float64Array],
    ['crossEntropy raw', ['--measure', 'crossEntropy', '--convention', 'raw'], (p, q) => engine.crossEntropy(p, q, { convention: 'raw' }) as Float64Array],
    ['kl keras', ['--measure', 'kl', '--convention', 'keras'], (p, q) => engine.kl(p, q, { convention: 'keras' }) as Float64Array],
    ['jsd base 10', ['--measure', 'jsd', '--base', '10'], (p, q) => engine.jsd(p, q, { base: 10 }) as Float64Array],
    ['jsDistance', ['--measure', 'jsDistance'], (p, q) => engine.jsDistance(p, q) as Float64Array],
  ];
  it.each(cases)('%s', (_, args, expected) => {
    const dir = workdir({ 'p.csv': csv(P), 'q.jsonl': jsonl(Q) });
    const q = args.includes('entropy') ? [] : ['--q', 'q.jsonl'];
    const r = runCli(['score', ...args, '--p', 'p.csv', ...q, '--out', 'out.npy'], dir);
    expect(r.code).toBe(0);
    expectClose(readResult(join(dir, 'out.npy')), expected(P, Q));
  });

  it('a one-row --q is a baseline for every row (CSV row or 1-D .npy)', () => {
    const baseline = Q[0];
    const expected = engine.jsd(P, baseline) as Float64Array;
    const dir = workdir({ 'p.csv': csv(P), 'base.csv': csv([baseline]), 'base.npy': npyBytes(Float64Array.from(baseline), [7]) });
    for (const q of ['base.csv', 'base.npy']) {
      const r = runCli(['score', '--measure', 'jsd', '--p', 'p.csv', '--q', q, '--out', `drift-${q}.csv`], dir);
      expect(r.code).toBe(0);
      expectClose(readResult(join(dir, `drift-${q}.csv`)), expected);
    }
  });

  it('headers: detected when not numeric, forced with --header, none in or out with --no-header', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const dir = workdir({ 'named.csv': csv(P, ',', names), 'plain.csv': csv(P), 'q.csv': csv(Q) });
    const detected = runCli(['score', '--measure', 'kl', '--p', 'named.csv', '--q', 'q.csv'], dir);
    expect(detected.stdout.split('\n')[0]).toBe('kl');
    expect(detected.stdout.trimEnd().split('\n').slice(1).map(Number)).toEqual(libraryKl);
    const none = runCli(['score', '--measure', 'kl', '--p', 'plain.csv', '--q', 'q.csv', '--no-header'], dir);
    expect(none.stdout.trimEnd().split('\n').map(Number)).toEqual(libraryKl);
    // --header takes a numeric first line as names (on both files here, so row 0 of each is skipped).
    const forced = runCli(['score', '--measure', 'kl', '--p', 'plain.csv', '--q', 'q.csv', '--header'], dir);
    expect(forced.stdout.trimEnd().split('\n').slice(1).map(Number)).toEqual(libraryKl.slice(1));
  });

  it('blocks of any size give the same result (rows straddling blocks, a short last block)', () => {
    const dir = workdir({ 'p.csv': csv(P), 'q.npy': npy64(Q) });
    for (const n of ['1', '7', '59', '60', '1000']) {
      const r = runCli(['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.npy', '--block-rows', n, '--no-header'], dir);
      expect(r.stdout.trimEnd().split('\n').map(Number)).toEqual(libraryKl);
    }
  });

  it('--on-invalid nan scores bad rows NaN, warns with file:line:column and exits 0', () => {
    const p = P.slice(0, 5).map((r) => [...r]);
    p[1][2] = -0.5;
    p[3] = p[3].map(() => 0);
    const dir = workdir({ 'p.csv': csv(p), 'q.csv': csv(Q.slice(0, 5)) });
    const r = runCli(['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.csv', '--on-invalid', 'nan', '--out', 'kl.csv'], dir);
    expect(r.code).toBe(0);
    const got = readResult(join(dir, 'kl.csv'));
    expect(Number.isNaN(got[1]) && Number.isNaN(got[3])).toBe(true);
    expectClose([got[0], got[2], got[4]], [0, 2, 4].map((i) => engine.kl(p[i], Q[i]) as number));
    expect(r.stderr).toMatch(/p\.csv:2:\d+: --p: negative value -0\.5 \[NEGATIVE_VALUE\] \(scored NaN\)/);
    expect(r.stderr).toMatch(/p\.csv:4:1: --p: the row sums to zero.*\[ZERO_SUM\]/);
    expect(r.stderr).toMatch(/2 invalid rows scored NaN/);
    expect(runCli(['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.csv', '--on-invalid', 'nan', '--quiet'], dir).stderr).toBe('');
  });
});

describe('--shard i/n', () => {
  it('the shards of score, with --no-header, concatenate to the full result', () => {
    const p = randomRows(3, 101, 5), q = randomRows(4, 101, 5);
    const dir = workdir({ 'p.csv': csv(p), 'q.npy': npy64(q), 'p.npy': npy64(p) });
    const runs: [string[], number][] = [
      [['--measure', 'kl', '--p', 'p.csv', '--q', 'q.npy'], 5],
      [['--measure', 'entropy', '--p', 'p.npy', '--block-rows', '3'], 3],
    ];
    for (const [args, n] of runs) {
      const full = runCli(['score', ...args, '--no-header'], dir).stdout;
      expect(full.split('\n').length).toBe(102);
      let joined = '';
      for (let i = 1; i <= n; i++) {
        const r = runCli(['score', ...args, '--no-header', '--shard', `${i}/${n}`, '--out', `part${i}.csv`], dir);
        expect(r.code).toBe(0);
        joined += readFileSync(join(dir, `part${i}.csv`), 'utf8');
      }
      expect(joined).toBe(full);
    }
  }, 180_000);

  it('more shards than rows: some shards are empty, together still the full result', () => {
    const dir = workdir({ 'p.jsonl': jsonl(P.slice(0, 3)) });
    const parts = [1, 2, 3, 4, 5].map((i) => runCli(['score', '--measure', 'entropy', '--p', 'p.jsonl', '--no-header', '--shard', `${i}/5`], dir).stdout);
    expect(parts.join('')).toBe(runCli(['score', '--measure', 'entropy', '--p', 'p.jsonl', '--no-header'], dir).stdout);
    expect(parts.filter((s) => s === '').length).toBe(2);
  });

  it('the shards of pairwise concatenate to the full matrix', () => {
    const dir = workdir({ 'a.csv': csv(P.slice(0, 23)) });
    const full = runCli(['pairwise', '--measure', 'jsd', '--a', 'a.csv', '--no-header'], dir).stdout;
    const parts = [1, 2, 3].map((i) => runCli(['pairwise', '--measure', 'jsd', '--a', 'a.csv', '--no-header', '--shard', `${i}/3`], dir).stdout);
    expect(parts.join('')).toBe(full);
  });
});

describe('pairwise', () => {
  const A = P.slice(0, 13), B = Q.slice(0, 9);
  it.each(['kl', 'crossEntropy', 'jsd', 'jsDistance'] as const)('%s of --a against --b, .npy out', (measure) => {
    const dir = workdir({ 'a.csv': csv(A), 'b.npy': npy64(B) });
    const r = runCli(['pairwise', '--measure', measure, '--a', 'a.csv', '--b', 'b.npy', '--out', 'm.npy', '--block-rows', '5'], dir);
    expect(r.code).toBe(0);
    const m = readNpy(join(dir, 'm.npy'));
    expect(m.shape).toEqual([13, 9]);
    expectClose(m.data, engine.pairwise(measure, A, B).data);
  });

  it('--a against itself, CSV with a header naming the columns, JSON Lines rows', () => {
    const dir = workdir({ 'a.tsv': csv(A, '\t') });
    const r = runCli(['pairwise', '--measure', 'kl', '--a', 'a.tsv', '--base', '2', '--out', 'm.csv'], dir);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'm.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe(Array.from({ length: 13 }, (_, j) => `b${j}`).join(','));
    expectClose(readResult(join(dir, 'm.csv')), engine.pairwise('kl', A, A, { base: 2 }).data);
    // JSON Lines spell Infinity (a zero in q where p is positive) as Python's json module does.
    runCli(['pairwise', '--measure', 'kl', '--a', 'a.tsv', '--base', '2', '--out', 'm.jsonl'], dir);
    const lines = readFileSync(join(dir, 'm.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(13);
    expect(lines.some((l) => /\bInfinity\b/.test(l))).toBe(true);
    expectClose(readResult(join(dir, 'm.jsonl')), engine.pairwise('kl', A, A, { base: 2 }).data);
  });
});

describe('mi', () => {
  const random = rng(9);
  const n = 400;
  const target = Array.from({ length: n }, () => Math.floor(random() * 3));
  const X = target.map((t) => [Math.floor(random() * 4), (t + (random() < 0.2 ? 1 : 0)) % 3, Math.floor(random() * 2), t * 2 + Math.floor(random() * 2)]);
  const names = ['noise4', 'noisy_copy', 'coin', 'refined'];

  it('ranks the features and writes every score in column order', () => {
    const dir = workdir({ 'X.csv': csv(X, ',', names), 'y.csv': csv(target.map((t) => [t]), ',', ['label']) });
    const r = runCli(['mi', '--features', 'X.csv', '--target', 'y.csv', '--out', 'mi.csv'], dir);
    expect(r.code).toBe(0);
    const expected = engine.mutualInfoScores(names.map((_, c) => X.map((row) => row[c])), target, { measure: 'mi' });
    const ranking = r.stdout.trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/)[1]);
    expect(ranking).toEqual(Array.from(expected.keys()).sort((i, j) => expected[j] - expected[i]).map((i) => names[i]));
    const written = readFileSync(join(dir, 'mi.csv'), 'utf8').trimEnd().split('\n');
    expect(written[0]).toBe('feature,mi');
    expect(written.slice(1).map((l) => l.split(',')[0])).toEqual(names);
    expectClose(written.slice(1).map((l) => Number(l.split(',')[1])), expected);
  });

  it('text labels, .npy features, --measure ami, --top', () => {
    const words = ['cat', 'dog', 'bird'];
    const dir = workdir({ 'X.npy': npy64(X), 'y.csv': 'animal\n' + target.map((t) => words[t]).join('\n') + '\n' });
    const r = runCli(['mi', '--features', 'X.npy', '--target', 'y.csv', '--measure', 'ami', '--top', '2', '--out', 'ami.npy'], dir);
    expect(r.code).toBe(0);
    const expected = engine.mutualInfoScores(names.map((_, c) => X.map((row) => row[c])), target.map((t) => words[t]), { measure: 'ami' });
    expectClose(readNpy(join(dir, 'ami.npy')).data, expected);
    expect(r.stdout.trim().split('\n').length).toBe(4);
  });
});

describe('capacity', () => {
  it('binary symmetric channel: 1 − H2(0.1) bits at the uniform input', () => {
    const dir = workdir({ 'bsc.csv': '0.9,0.1\n0.1,0.9\n' });
    const r = runCli(['capacity', '--channel', 'bsc.csv', '--base', '2', '--out', 'px.npy'], dir);
    expect(r.code).toBe(0);
    const h2 = -(0.1 * Math.log2(0.1) + 0.9 * Math.log2(0.9));
    const printed = Number(/capacity\s+(\S+) bits/.exec(r.stdout)![1]);
    expect(Math.abs(printed - (1 - h2))).toBeLessThan(1e-12);
    expect(printed).toBe(engine.channelCapacity([[0.9, 0.1], [0.1, 0.9]], { base: 2 }).capacity);
    expectClose(readNpy(join(dir, 'px.npy')).data, [0.5, 0.5]);
  });
});

describe('demo and bench', () => {
  it('demo with no arguments: summary table, throughput, and the Keras docs example', () => {
    const r = runCli(['demo'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/measure\s+rows\s+mean\s+min\s+max\s+time\s+rows\/s\s+Melem\/s/);
    for (const m of ['crossEntropy', 'kl', 'jsd', 'jsDistance', 'entropy']) expect(r.stdout).toMatch(new RegExp(`\\n${m}\\s+100,000\\s`));
    expect(r.stdout).toMatch(/Throughput: .* million elements\/s/);
    // The Keras reference of test/fixtures/keras_kl.json (seed-example/f64), reproduced and printed.
    expect(r.stdout.match(/\[1\.5648183070861232, 0\.14205269455597408\]/g)?.length).toBe(2);
  });

  it('bench times every backend on a workload', () => {
    const r = runCli(['bench', '--workloads', 'W4', '--runs', '1'], root);
    expect(r.code).toBe(0);
    for (const b of ['simd', 'scalar', 'js']) expect(r.stdout).toMatch(new RegExp(`W4 .* ${b}\\s+[\\d.]+\\s+[\\d,]+`));
  });
});

describe('--help', () => {
  it.each(['score', 'pairwise', 'mi', 'capacity', 'demo', 'bench'])('%s has an example', (cmd) => {
    const r = runCli([cmd, '--help'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples?:\n {2}\$ infodiv /);
  });

  it('the main help states the formats, exit codes and the memory bound', () => {
    const r = runCli(['--help'], root);
    expect(r.stdout).toMatch(/Exit codes: 0 success, 1 data error/);
    expect(r.stdout).toMatch(/Memory: .*8192 rows and 16 MiB/);
  });
});

describe('exit codes of errors the CLI did not make itself', () => {
  it('any error a system call reported is an I/O error (exit 3), like the listed errno codes', () => {
    const sys = (code: string, syscall?: string) => Object.assign(new Error(code), { code, syscall });
    for (const err of [sys('ENOENT', 'open'), sys('EPIPE'), sys('ECONNRESET', 'read'), sys('ENOTEMPTY', 'rmdir')]) {
      expect([isSystemError(err), exitCodeOf(err)], err.message).toEqual([true, EXIT_IO]);
    }
    for (const err of [new Error('plain'), sys('ERR_INVALID_ARG_TYPE'), new InfodivError('NEGATIVE_VALUE', 'negative')]) {
      expect([isSystemError(err), exitCodeOf(err)], err.message).toEqual([false, EXIT_DATA]);
    }
  });
});

describe('errors: message with file:line:column, exit code, nothing left behind', () => {
  const many = randomRows(5, 3000, 4);
  const lateBad = many.map((r, i) => (i === 2500 ? [r[0], r[1], -1, r[3]] : r));
  const hostile = Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]),
    Buffer.from(`{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 100000), }`.padEnd(117) + '\n'), Buffer.alloc(16)]);
  const cases: [string, Record<string, string | Buffer>, string[], number, RegExp][] = [
    ['non-numeric cell', { 'p.csv': '0.1,0.2\n0.3,abc\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv'], 1, /^infodiv: p\.csv:2:5: not a number: "abc"$/],
    ['short row', { 'p.csv': '1,2,3\n4,5,6\n7,8\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv'], 1, /^infodiv: p\.csv:3:4: row has 2 values \(expected 3\)$/],
    ['long row', { 'p.tsv': '1\t2\n3\t4\t5\n' }, ['score', '--measure', 'entropy', '--p', 'p.tsv'], 1, /^infodiv: p\.tsv:2:5: row has more than 2 values \(expected 2\)$/],
    ['negative probability', { 'p.csv': 'x,y,z\n0.1,0.2,0.7\n0.2,-0.3,0.5\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv'], 1, /^infodiv: p\.csv:3:5: --p: negative value -0\.3 \[NEGATIVE_VALUE\]$/],
    ['negative probability in --q', { 'p.csv': '1,2\n3,4\n', 'q.jsonl': '[1, 2]\n[3,  -4]\n' }, ['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.jsonl'], 1, /^infodiv: q\.jsonl:2:6: --q: negative value -4 \[NEGATIVE_VALUE\]$/],
    ['non-finite value', { 'p.csv': '1,2\nnan,4\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv'], 1, /^infodiv: p\.csv:2:1: --p: non-finite value NaN \[NON_FINITE\]$/],
    ['row summing to zero', { 'p.csv': '1,2\n0,0\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv'], 1, /^infodiv: p\.csv:2:1: --p: the row sums to zero, it cannot be normalized \[ZERO_SUM\]$/],
    ['JSON Lines cell', { 'p.jsonl': '[1, 2]\n[3, "x"]\n' }, ['score', '--measure', 'entropy', '--p', 'p.jsonl'], 1, /^infodiv: p\.jsonl:2:5: not a number: "\\"x\\""$/],
    ['JSON Lines array', { 'p.jsonl': '[1, 2]\n[3, 4\n' }, ['score', '--measure', 'entropy', '--p', 'p.jsonl'], 1, /^infodiv: p\.jsonl:2:6: unterminated array/],
    ['bad value late in a long file, after output began', { 'p.csv': csv(lateBad) }, ['score', '--measure', 'entropy', '--p', 'p.csv', '--block-rows', '100'], 1, /^infodiv: p\.csv:2501:\d+: --p: negative value -1/],
    ['hostile .npy header', { 'p.npy': hostile }, ['score', '--measure', 'entropy', '--p', 'p.npy'], 1, /^infodiv: p\.npy: not a valid \.npy file: the header promises 100000000000 × 100000/],
    ['truncated .npy', { 'p.npy': npy64(P).subarray(0, 300) }, ['score', '--measure', 'entropy', '--p', 'p.npy'], 1, /^infodiv: p\.npy: not a valid \.npy file: .* but the file holds/],
    ['negative in .npy', { 'p.npy': npyBytes(Float64Array.from([1, 2, 3, -4]), [2, 2]) }, ['score', '--measure', 'entropy', '--p', 'p.npy'], 1, /^infodiv: p\.npy: element \[1, 1\]: --p: negative value -4 \[NEGATIVE_VALUE\]$/],
    ['--q with another row count', { 'p.csv': csv(P), 'q.csv': csv(Q.slice(0, 10)) }, ['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.csv'], 1, /^infodiv: q\.csv: (ends after 10 rows|has 10 rows)/],
    ['--q with another width', { 'p.csv': '1,2\n', 'q.csv': '1,2,3\n' }, ['score', '--measure', 'kl', '--p', 'p.csv', '--q', 'q.csv'], 1, /^infodiv: q\.csv: rows have 3 values but the rows of p\.csv have 2$/],
    ['negative in pairwise --b', { 'a.csv': '1,2\n3,4\n', 'b.csv': '1,2\n3,4\n5,-6\n' }, ['pairwise', '--measure', 'jsd', '--a', 'a.csv', '--b', 'b.csv'], 1, /^infodiv: b\.csv:3:3: --b: negative value -6 \[NEGATIVE_VALUE\]$/],
    ['channel row not summing to 1', { 'w.csv': '0.5,0.5\n0.3,0.6\n' }, ['capacity', '--channel', 'w.csv'], 1, /^infodiv: w\.csv:2:1: this row of p\(y\|x\) sums to 0\.9, not 1 \[NOT_STOCHASTIC\]$/],
    ['labels and samples of different counts', { 'X.csv': '1,2\n3,4\n', 'y.csv': '1\n2\n3\n' }, ['mi', '--features', 'X.csv', '--target', 'y.csv'], 1, /^infodiv: y\.csv: has 3 labels but X\.csv has 2 samples$/],
    ['missing input', {}, ['score', '--measure', 'entropy', '--p', 'nope.csv'], 3, /^infodiv: nope\.csv: no such file or directory$/],
    ['output directory missing', { 'p.csv': '1,2\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv', '--out', 'no/such/dir/out.csv'], 3, /^infodiv: no\/such\/dir\/out\.csv: no such file or directory$/],
    ['unknown measure', { 'p.csv': '1,2\n' }, ['score', '--measure', 'hellinger', '--p', 'p.csv'], 2, /argument 'hellinger' is invalid/],
    ['missing --q', { 'p.csv': '1,2\n' }, ['score', '--measure', 'kl', '--p', 'p.csv'], 2, /^infodiv: kl needs --q$/],
    ['bad --shard', { 'p.csv': '1,2\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv', '--shard', '4/3'], 2, /expected i\/n with 1 ≤ i ≤ n/],
    ['unknown extension', { 'p.csv': '1,2\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv', '--out', 'out.xlsx'], 2, /^infodiv: out\.xlsx: unknown file type/],
    ['base 1', { 'p.csv': '1,2\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv', '--base', '1', '--out', 'o.csv'], 2, /^infodiv: base must be a positive finite number other than 1/],
    ['convention a measure does not take', { 'p.csv': '1,2\n', 'q.csv': '1,2\n' }, ['score', '--measure', 'jsd', '--convention', 'keras', '--p', 'p.csv', '--q', 'q.csv', '--out', 'o.csv'], 2, /^infodiv: convention must be one of 'scipy'/],
    ['unknown option', { 'p.csv': '1,2\n' }, ['score', '--measure', 'entropy', '--p', 'p.csv', '--bogus'], 2, /unknown option '--bogus'/],
  ];

  it.each(cases)('%s', (_, files, args, code, message) => {
    const dir = workdir(files);
    const r = runCli(args, dir);
    expect(r.code).toBe(code);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(readdirSync(dir).sort()).toEqual(Object.keys(files).sort());
  });

  it('a failing run keeps an existing output file as it was', () => {
    const dir = workdir({ 'p.csv': '1,2\n1,-2\n', 'out.csv': 'previous result\n' });
    expect(runCli(['score', '--measure', 'entropy', '--p', 'p.csv', '--out', 'out.csv'], dir).code).toBe(1);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('previous result\n');
    expect(readdirSync(dir).sort()).toEqual(['out.csv', 'p.csv']);
  });
});

describe('progress bar', () => {
  // 100,000 rows in blocks of one row: a job of a few seconds. (That the bar stays silent when
  // standard error is not a terminal is checked on the long run of cli-stream.test.ts.)
  const slow = ['score', '--measure', 'entropy', '--p', 'p.csv', '--block-rows', '1', '--out', 'h.csv'];

  it.runIf(hasProgram('script'))('shows rows, rows/s and ETA on a terminal for a job over a second, not with --quiet', () => {
    const dir = workdir({ 'p.csv': csv(randomRows(6, 100000, 2).map((r) => r.map((v) => v + 1))) });
    // `script` runs the command on a pseudo-terminal and copies what it shows to its stdout.
    const onTerminal = (extra: string) => spawnSync('script', ['-qfec', `${process.execPath} ${CLI} ${slow.join(' ')} ${extra}`, '/dev/null'], { cwd: dir, encoding: 'utf8' }).stdout;
    expect(onTerminal('')).toMatch(/100,000 rows \| [\d,]+ rows\/s \| ETA/);
    expect(onTerminal('--quiet')).not.toMatch(/rows\/s/);
  }, 180_000);
});
