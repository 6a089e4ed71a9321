// npm run bench: every workload of issue 4 (W1..W6) through every implementation, timed with
// benchmark.js in this one Node process, numpy/scipy in a Python child process on the same data,
// each result checked against the float64 reference; writes bench/RESULTS.md and
// bench/results.svg. `node bench/run.mjs W1 W6` runs only those workloads and writes
// nothing but the console table; `--no-python` skips the Python peers.
import Benchmark from 'benchmark';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as infodiv from '../dist/index.node.js';
import { makeThreadWorkload, makeWorkloads, writeForPython } from './data.mjs';
import { implementations } from './impls.mjs';
import { machineInfo, packageVersion } from './machine.mjs';
import { renderMarkdown, renderSvg, summarize } from './report.mjs';

const MIN_SAMPLES = 5;
const MAX_TIME = 1.5; // seconds of sampling per case, over all rounds (benchmark.js maxTime)
const ROUNDS = 3; // each workload's cases take turns, so that a burst of load on this shared machine hits them all
const WARMUP = 3; // calls before timing, at most (see warm)

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const only = args.filter((a) => /^W\d+$/.test(a));
const withPython = !args.includes('--no-python');
const full = only.length === 0 && withPython;

// tfjs prints a "you are running in Node.js" banner on first use unless in production mode.
tf.enableProdMode();

const log = (msg) => process.stderr.write(`${msg}\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Relative error, absolute where the reference is 0 (the diagonal of a pairwise matrix). */
function maxRelErr(got, ref) {
  const g = typeof got === 'number' ? [got] : got;
  if (g.length !== ref.length) return NaN;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = ref[i] === 0 ? Math.abs(g[i]) : Math.abs(g[i] - ref[i]) / Math.abs(ref[i]);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** Warm-up calls, while wasm tiers up from Liftoff to TurboFan; a slow call needs only one. */
async function warm(fn) {
  let result;
  const t0 = performance.now();
  for (let i = 0; i < WARMUP && (i === 0 || performance.now() - t0 < 1000); i++) result = await fn();
  return result;
}

const PER_ROUND = { minSamples: Math.ceil(MIN_SAMPLES / ROUNDS), maxTime: MAX_TIME / ROUNDS };

/** benchmark.js samples (seconds per call, one per cycle) of fn: one round's share. */
function sample(name, fn) {
  const bench = new Benchmark(name, fn, { ...PER_ROUND, initCount: 1 });
  bench.run();
  if (bench.error) throw bench.error;
  return bench.stats.sample.slice();
}

function reference(w) {
  const js = infodiv.createEngineSync({ backend: 'js' });
  const m = (x) => ({ data: x, rows: w.rows, cols: w.cols });
  switch (w.kind) {
    case 'kl': return js.kl(m(w.p), m(w.q));
    case 'jsd': return js.jsd(m(w.p), m(w.q));
    case 'mi': return js.mutualInformation({ data: w.p, tables: w.tables, rows: w.rows, cols: w.cols });
    case 'kl1': return Float64Array.of(js.kl(w.p, w.q));
    case 'pairwise': return js.pairwise('jsd', m(w.p)).data;
  }
}

/** benchmark.js samples of an async call (deferred benchmark): one round's share. */
function sampleAsync(name, fn) {
  return new Promise((resolve, reject) => {
    const bench = new Benchmark(name, {
      defer: true, ...PER_ROUND,
      fn: (deferred) => fn().then(() => deferred.resolve(), reject),
      onComplete: () => (bench.error ? reject(bench.error) : resolve(bench.stats.sample.slice())),
    });
    bench.run({ async: true });
  });
}

/**
 * W7: the same batch KL through createEngine({ threads }) with 1 and 2 threads, next to the
 * synchronous engine and the naive loop (for the ratios).
 */
async function runThreads(w, ref) {
  const m = (x) => ({ data: x, rows: w.rows, cols: w.cols });
  const impls = implementations({ infodiv, tf, mlDistanceVersion: '', tfjsVersion: '' });
  const cases = [];
  for (const key of ['simd', 'naive']) {
    const impl = impls.find((i) => i.key === key);
    cases.push({ key, label: impl.label, family: impl.family, fn: impl.prepare(w).fn, async: false });
  }
  const engines = [];
  for (const threads of [1, 2]) {
    const engine = await infodiv.createEngine({ threads });
    // The same batch in the engine's shared memory: the workers read it in place.
    const mp = engine.matrix(w.rows, w.cols, 'float32'), mq = engine.matrix(w.rows, w.cols, 'float32');
    mp.data.set(w.p);
    mq.data.set(w.q);
    engines.push({ engine, mp, mq });
    cases.push({
      key: `threads-${threads}`, label: `infodiv SIMD, createEngine({ threads: ${threads} }) (copy included)`, family: 'infodiv',
      fn: () => engine.kl(m(w.p), m(w.q)), async: true,
    });
    cases.push({
      key: `threads-${threads}-matrix`, label: `infodiv SIMD, createEngine({ threads: ${threads} }), engine.matrix (zero-copy)`, family: 'infodiv',
      fn: () => engine.kl(mp, mq), async: true,
    });
  }
  for (const c of cases) c.result = await warm(c.fn);
  const samples = await sampleRounds(w, cases);
  for (const { engine, mp, mq } of engines) {
    mp.free();
    mq.free();
    await engine.close();
  }
  return cases.map((c, i) => ({
    workload: w.id, key: c.key, label: c.label, family: c.family, elements: w.elements, note: '',
    samples: samples[i], median: median(samples[i]), maxRelErr: maxRelErr(c.result, ref),
  }));
}

/** ROUNDS turns over the cases (each { key, fn, enter?, async }); returns each case's samples. */
async function sampleRounds(w, cases) {
  const samples = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of cases.entries()) {
      const name = `${w.id} ${c.key}`;
      await c.enter?.();
      samples[i].push(...(c.async ? await sampleAsync(name, c.fn) : sample(name, c.fn)));
    }
  }
  cases.forEach((c, i) => log(`${w.id} ${c.key}: ${(median(samples[i]) * 1e3).toFixed(2)} ms (${samples[i].length} samples)`));
  return samples;
}

async function runJs(workloads, refs) {
  const impls = implementations({
    infodiv, tf,
    mlDistanceVersion: packageVersion('ml-distance'),
    tfjsVersion: packageVersion('@tensorflow/tfjs-core'),
  });
  const rows = [];
  for (const w of workloads) {
    const cases = [];
    for (const impl of impls) {
      const prep = await impl.prepare(w);
      if (prep === null) continue;
      const row = { workload: w.id, key: impl.key, label: impl.label, family: impl.family, elements: w.elements };
      if (typeof prep === 'string') {
        rows.push({ ...row, skipped: prep });
        log(`${w.id} ${impl.key}: ${prep}`);
        continue;
      }
      cases.push({ key: impl.key, row, prep, fn: prep.fn, enter: prep.enter, async: false, result: await warm(prep.fn) });
    }
    const samples = await sampleRounds(w, cases);
    cases.forEach((c, i) => {
      c.prep.cleanup?.();
      rows.push({ ...c.row, note: c.prep.note ?? '', samples: samples[i], median: median(samples[i]), maxRelErr: maxRelErr(c.result, refs.get(w.id)) });
    });
  }
  return rows;
}

/** Each distinct Python with numpy and scipy (INFODIV_BENCH_PYTHON overrides the candidates). */
function pythons() {
  const candidates = process.env.INFODIV_BENCH_PYTHON ? [process.env.INFODIV_BENCH_PYTHON] : ['python3', '/usr/bin/python3'];
  const found = new Map();
  for (const exe of candidates) {
    const r = spawnSync(exe, ['-c', 'import sys, numpy, scipy; print(sys.executable)'], { encoding: 'utf8' });
    if (r.status === 0) found.set(r.stdout.trim(), exe);
    else log(`python: ${exe} has no numpy/scipy (or is missing): skipped`);
  }
  return [...found.values()];
}

function runPython(workloads, refs) {
  const dir = here('./data/');
  writeForPython(dir, workloads, refs);
  const rows = [], envs = [];
  for (const exe of pythons()) {
    log(`python: ${exe}`);
    const r = spawnSync(exe, [here('./peers.py'), dir, String(MIN_SAMPLES), String(MAX_TIME)], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20,
    });
    if (r.status !== 0) { log(`python: ${exe} failed (${r.status})`); continue; }
    const out = JSON.parse(r.stdout);
    const env = `Python ${out.python} (${out.executable})`;
    envs.push({ ...out, results: undefined, env });
    for (const res of out.results) {
      const w = workloads.find((x) => x.id === res.workload);
      const version = res.lib === 'numpy' ? out.numpy : out.scipy;
      rows.push({
        workload: res.workload, key: `py:${out.executable}:${res.lib}:${res.what}`, family: 'python',
        label: `${res.lib} ${version} ${res.what}`, note: ` — ${env}`, elements: w.elements,
        samples: res.samples, median: median(res.samples), maxRelErr: res.maxRelErr,
      });
    }
  }
  return { rows, envs };
}

const started = Date.now();
// W7 (thread pool) is made after the others have run: its 512 MiB of inputs would crowd them.
const workloads = makeWorkloads().filter((w) => only.length === 0 || only.includes(w.id));
const refs = new Map(workloads.map((w) => [w.id, reference(w)]));
log(`data and references ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const jsRows = await runJs(workloads, refs);
const py = withPython ? runPython(workloads, refs) : { rows: [], envs: [] };
let threadRows = [];
if (only.length === 0 || only.includes('W7')) {
  const w7 = makeThreadWorkload();
  const ref = reference(w7);
  threadRows = await runThreads(w7, ref);
  workloads.push(w7);
}
const summary = summarize(workloads, [...jsRows, ...threadRows, ...py.rows]);
const settings = { minSamples: MIN_SAMPLES, maxTime: MAX_TIME, rounds: ROUNDS, perRound: PER_ROUND, warmup: WARMUP, seconds: (Date.now() - started) / 1000 };
const md = renderMarkdown({ machine: machineInfo(), settings, summary, pythons: py.envs });
if (full) {
  writeFileSync(here('./RESULTS.md'), md);
  writeFileSync(here('./results.svg'), renderSvg(summary));
  writeFileSync(here('./data/results.json'), JSON.stringify({ settings, summary }, null, 1));
  log(`wrote bench/RESULTS.md and bench/results.svg in ${settings.seconds.toFixed(0)} s`);
} else {
  process.stdout.write(md);
}
