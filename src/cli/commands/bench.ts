// `infodiv bench`: infodiv's own backends (simd, scalar, js) side by side on the benchmark
// workloads of bench/ (W1–W6), plain typed arrays in (copy included). The comparison with other
// libraries needs the repository's dev dependencies: `npm run bench`.
import type { Command } from 'commander';
import type { Engine } from '../../engine.js';
import { createEngineSync } from '../../index.node.js';
import type { Backend, Matrix } from '../../types.js';
import { UsageError } from '../errors.js';
import { parseCount } from '../options.js';
import { mulberry32 } from '../random.js';
import { formatTable, grouped } from '../table.js';

interface BenchOptions {
  runs: number;
  workloads?: string[];
  backends?: Backend[];
}

interface Workload {
  id: string;
  title: string;
  /** Elements read per run (pairs of elements for two-input measures). */
  elements: number;
  /** Builds the inputs once and returns the timed call. */
  prepare(): (engine: Engine) => unknown;
}

function randomRows(rows: number, cols: number, type: 'f32' | 'f64', seed: number): Matrix {
  const random = mulberry32(seed);
  const data = type === 'f32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  // Strictly positive values, as histograms and softmax outputs are; rows are normalized by the measure.
  for (let k = 0; k < data.length; k++) data[k] = random() + 1e-3;
  return { data, rows, cols };
}

const WORKLOADS: Workload[] = [
  {
    id: 'W1', title: 'KL 4096 × 1024 float32', elements: 4096 * 1024,
    prepare() { const p = randomRows(4096, 1024, 'f32', 1), q = randomRows(4096, 1024, 'f32', 2); return (e) => e.kl(p, q); },
  },
  {
    id: 'W2', title: 'KL 4096 × 1024 float64', elements: 4096 * 1024,
    prepare() { const p = randomRows(4096, 1024, 'f64', 1), q = randomRows(4096, 1024, 'f64', 2); return (e) => e.kl(p, q); },
  },
  {
    id: 'W3', title: 'JSD 4096 × 1024 float32', elements: 4096 * 1024,
    prepare() { const p = randomRows(4096, 1024, 'f32', 3), q = randomRows(4096, 1024, 'f32', 4); return (e) => e.jsd(p, q); },
  },
  {
    id: 'W4', title: 'MI of 2000 joint tables 64 × 64 float64', elements: 2000 * 64 * 64,
    prepare() { const t = randomRows(2000 * 64, 64, 'f64', 5); return (e) => e.mutualInformation({ data: t.data, tables: 2000, rows: 64, cols: 64 }); },
  },
  {
    id: 'W5', title: 'KL of one pair of 16,777,216 float32', elements: 1 << 24,
    prepare() { const p = randomRows(1, 1 << 24, 'f32', 6).data, q = randomRows(1, 1 << 24, 'f32', 7).data; return (e) => e.kl(p, q); },
  },
  {
    id: 'W6', title: 'pairwise JSD 500 × 500 rows of 256 float64', elements: 500 * 500 * 256,
    prepare() {
      const a = randomRows(500, 256, 'f64', 8), b = randomRows(500, 256, 'f64', 9);
      return (e) => e.pairwise('jsd', a, b);
    },
  },
];

const BACKENDS: Backend[] = ['simd', 'scalar', 'js'];

export function registerBench(program: Command): void {
  program
    .command('bench')
    .summary('time infodiv\'s backends (simd, scalar, js) on the benchmark workloads')
    .description(`Runs each workload on each backend and prints the median time. Workloads:\n${WORKLOADS.map((w) => `  ${w.id}  ${w.title}`).join('\n')}\nThe comparison with other libraries (TensorFlow.js, ml-distance, numpy) is \`npm run bench\`\nin the repository.`)
    .option('--runs <n>', 'timed runs per workload and backend (after one warm-up run)', parseCount, 5)
    .option('--workloads <ids>', 'comma-separated subset, e.g. W1,W3', (text: string) => text.split(',').map((s) => s.trim().toUpperCase()))
    .option('--backends <names>', 'comma-separated subset of simd,scalar,js', (text: string) => text.split(',').map((s) => s.trim()) as Backend[])
    .addHelpText('after', `
Examples:
  $ infodiv bench
  $ infodiv bench --workloads W1,W5 --backends simd,scalar --runs 9`)
    .action((opts: BenchOptions) => runBench(opts));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runBench(opts: BenchOptions): void {
  const workloads = opts.workloads ? WORKLOADS.filter((w) => opts.workloads!.includes(w.id)) : WORKLOADS;
  const unknownWorkload = opts.workloads?.find((id) => !WORKLOADS.some((w) => w.id === id));
  if (unknownWorkload) throw new UsageError(`unknown workload ${unknownWorkload} (expected ${WORKLOADS.map((w) => w.id).join(', ')})`);
  const unknownBackend = opts.backends?.find((b) => !BACKENDS.includes(b));
  if (unknownBackend) throw new UsageError(`unknown backend ${unknownBackend} (expected ${BACKENDS.join(', ')})`);
  const engines: [Backend, Engine][] = [];
  const notes: string[] = [];
  for (const backend of opts.backends ?? BACKENDS) {
    try {
      engines.push([backend, createEngineSync({ backend })]);
    } catch (err) {
      notes.push(`${backend}: ${(err as Error).message}`);
    }
  }
  process.stdout.write(`infodiv ${engines[0]?.[1].info().version ?? ''} bench: median of ${opts.runs} runs after a warm-up, plain typed arrays (copy into WebAssembly memory included).\n\n`);
  const rows: string[][] = [];
  for (const w of workloads) {
    const run = w.prepare();
    const times = new Map<Backend, number>();
    for (const [backend, engine] of engines) {
      try {
        run(engine);
      } catch (err) {
        notes.push(`${w.id} ${backend}: ${(err as Error).message}`);
        continue;
      }
      const samples: number[] = [];
      for (let k = 0; k < opts.runs; k++) {
        const start = performance.now();
        run(engine);
        samples.push(performance.now() - start);
      }
      times.set(backend, median(samples));
    }
    const js = times.get('js');
    for (const [backend, ms] of times) {
      rows.push([w.id, w.title, backend, ms.toFixed(2), grouped(w.elements / ms / 1e3), js ? `${(js / ms).toFixed(1)}×` : '']);
    }
  }
  process.stdout.write(formatTable(['id', 'workload', 'backend', 'median ms', 'Melem/s', 'vs js'], rows, 'llrrrr'));
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
}
