// `infodiv demo`: the main job on built-in data. A classifier's softmax outputs are scored against
// label-smoothed targets with every row measure, then the Keras docs example is reproduced.
import type { Command } from 'commander';
import type { Engine } from '../../engine.js';
import type { EngineMatrix, Matrix } from '../../types.js';
import { addBackendOption, engineFor, parseCount, type CommonOptions } from '../options.js';
import { formatTable, grouped, short } from '../table.js';
import { mulberry32 } from '../random.js';

interface DemoOptions extends CommonOptions {
  rows: number;
  cols: number;
}

/** Label smoothing as in Keras' CategoricalCrossentropy(label_smoothing=0.1). */
const SMOOTHING = 0.1;
/** Share of rows where the model's most confident class is the label. */
const ACCURACY = 0.85;

/**
 * The Keras docs example for kl_divergence (y_true random 0/1, y_pred uniform random, shape (2, 3)),
 * with the draws and the reference results of conformance case keras_kl "seed-example/f64"
 * (test/fixtures/keras_kl.json: numpy re-implementation of tf.keras.losses.kl_divergence, float64).
 */
const KERAS_EXAMPLE = {
  yTrue: [[1, 0, 1], [1, 0, 0]],
  yPred: [[0.7805173397064209, 0.44211676716804504, 0.26793214678764343], [0.8675728440284729, 0.7725943326950073, 0.39951571822166443]],
  expected: [1.5648183070861232, 0.14205269455597408],
};

export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .summary('score a realistic built-in batch and show the throughput')
    .description('Generates a batch of classifier outputs (softmax rows, float32) and label-smoothed targets,\nscores them with every row measure, prints a summary table and the throughput, then\nreproduces the Keras documentation example of kl_divergence.')
    .option('--rows <n>', 'rows in the batch', parseCount, 100_000)
    .option('--cols <n>', 'classes per row', parseCount, 256);
  addBackendOption(cmd);
  cmd.addHelpText('after', `
Examples:
  $ infodiv demo
  $ infodiv demo --rows 20000 --backend scalar`);
  cmd.action((opts: DemoOptions) => runDemo(opts));
}

/**
 * Fills the two matrices: targets (smoothed one-hot) and predictions, the softmax of logits that are
 * logistic noise at scale 1/2 plus a boost of 5.5 to 7.5 on the favourite class. exp of such a
 * logit is sqrt(u / (1 − u)) for uniform u, so 25 million elements need no exp or log each.
 */
function generate(targets: EngineMatrix, preds: EngineMatrix, seed: number): void {
  const { rows, cols } = targets;
  const t = targets.data, p = preds.data;
  const random = mulberry32(seed);
  const weights = new Float64Array(cols);
  const off = SMOOTHING / cols;
  for (let r = 0; r < rows; r++) {
    const label = Math.floor(random() * cols);
    const favourite = random() < ACCURACY ? label : Math.floor(random() * cols);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const u = random();
      sum += (weights[c] = Math.sqrt(u / (1 - u)));
    }
    const boosted = weights[favourite] * Math.exp(5.5 + 2 * random());
    sum += boosted - weights[favourite];
    weights[favourite] = boosted;
    const at = r * cols;
    for (let c = 0; c < cols; c++) {
      p[at + c] = weights[c] / sum;
      t[at + c] = c === label ? 1 - SMOOTHING + off : off;
    }
  }
}

interface Row {
  measure: string;
  values: Float64Array;
  seconds: number;
}

function timed(measure: string, fn: () => number | Float64Array): Row {
  const start = performance.now();
  const values = fn() as Float64Array;
  return { measure, values, seconds: (performance.now() - start) / 1000 };
}

function stats(values: Float64Array): { mean: number; min: number; max: number } {
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of values) { sum += v; min = Math.min(min, v); max = Math.max(max, v); }
  return { mean: sum / values.length, min, max };
}

function runDemo(opts: DemoOptions): void {
  const engine: Engine = engineFor(opts);
  const { rows, cols } = opts;
  const targets = engine.matrix(rows, cols, 'float32');
  const preds = engine.matrix(rows, cols, 'float32');
  try {
    const genStart = performance.now();
    generate(targets, preds, 20240607);
    const genMs = performance.now() - genStart;
    const measures = (y: Matrix, yHat: Matrix): [string, () => number | Float64Array][] => [
      ['crossEntropy', () => engine.crossEntropy(y, yHat)],
      ['kl', () => engine.kl(y, yHat)],
      ['jsd', () => engine.jsd(y, yHat)],
      ['jsDistance', () => engine.jsDistance(y, yHat)],
      ['entropy', () => engine.entropy(yHat)],
    ];
    // A first small call per measure lets the WebAssembly tiers settle before anything is timed.
    const head = (m: EngineMatrix): Matrix => ({ data: m.data.subarray(0, Math.min(rows, 1024) * cols), rows: Math.min(rows, 1024), cols });
    for (const [, fn] of measures(head(targets), head(preds))) fn();
    const results = measures(targets, preds).map(([name, fn]) => timed(name, fn));
    const out = process.stdout;
    out.write(`infodiv ${engine.info().version} demo: ${grouped(rows)} classifier outputs (softmax over ${cols} classes, float32,\n` +
      `top class = label in ${Math.round(ACCURACY * 100)}% of rows) against label-smoothed targets (ε = ${SMOOTHING}); backend ${engine.info().backend}.\n` +
      `Generated in ${grouped(genMs)} ms into engine.matrix() buffers (zero-copy). Nats.\n\n`);
    out.write(formatTable(
      ['measure', 'rows', 'mean', 'min', 'max', 'time', 'rows/s', 'Melem/s'],
      results.map(({ measure, values, seconds }) => {
        const s = stats(values);
        return [measure, grouped(values.length), short(s.mean), short(s.min), short(s.max), `${(seconds * 1000).toFixed(1)} ms`,
          grouped(rows / seconds), (rows * cols / seconds / 1e6).toFixed(0)];
      }),
      'lrrrrrrr',
    ));
    const seconds = results.reduce((a, r) => a + r.seconds, 0);
    out.write(`\nThroughput: ${results.length} measures × ${grouped(rows)} rows × ${cols} in ${(seconds * 1000).toFixed(0)} ms = ` +
      `${grouped((results.length * rows) / seconds)} rows/s, ${grouped((results.length * rows * cols) / seconds / 1e6)} million elements/s.\n`);

    const keras = engine.kl(KERAS_EXAMPLE.yTrue, KERAS_EXAMPLE.yPred, { convention: 'keras' }) as Float64Array;
    out.write(`\nKeras docs example, tf.keras.losses.kl_divergence(y_true, y_pred) with y_true = ${JSON.stringify(KERAS_EXAMPLE.yTrue)}\n` +
      `and y_pred uniform random of shape (2, 3) (the draws of conformance case keras_kl seed-example/f64):\n` +
      `  infodiv kl(y_true, y_pred, { convention: 'keras' }) = [${Array.from(keras).join(', ')}]\n` +
      `  Keras reference                                  = [${KERAS_EXAMPLE.expected.join(', ')}]\n` +
      `\nNext: infodiv score --help (your own files), infodiv bench (backends side by side).\n`);
  } finally {
    targets.free();
    preds.free();
  }
}
