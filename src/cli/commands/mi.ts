// `infodiv mi`: every feature column against one target, ranked (scikit-learn's X and y).
import { Option, type Command } from 'commander';
import { InfodivError } from '../../errors.js';
import type { Matrix } from '../../types.js';
import { withWholeFile, type Block } from '../blocks.js';
import { DataError, usageFromEngine } from '../errors.js';
import { csvName } from '../formats/csv.js';
import { FORMAT_HELP, formatOf } from '../formats/format.js';
import { readLabels, type Labels } from '../formats/labels.js';
import { formatNumber } from '../formats/numbers.js';
import { createWriter } from '../formats/writers.js';
import { addBackendOption, addHeaderOptions, engineFor, parseCount, parseNumberOption, type CommonOptions } from '../options.js';
import { openSink } from '../output.js';
import { formatTable, short } from '../table.js';

interface MiOptions extends CommonOptions {
  features: string;
  target: string;
  measure: 'mi' | 'nmi' | 'ami';
  top?: number;
  base?: number;
  out?: string;
}

export function registerMi(program: Command): void {
  const cmd = program
    .command('mi')
    .summary('mutual information of every feature column with a target, ranked')
    .description('Scores every column of --features (rows = samples, like scikit-learn\'s X) against the labels\nof --target and prints the features ranked by score.')
    .requiredOption('--features <file>', `samples × features of discrete values (${FORMAT_HELP})`)
    .requiredOption('--target <file>', 'one label per sample: a column of numbers or text (text labels need a header line or --no-header)')
    .addOption(new Option('--measure <measure>', 'mi (mutual_info_score), nmi or ami (normalized, adjusted)').choices(['mi', 'nmi', 'ami']).default('mi'))
    .option('--top <k>', 'print only the k best features', parseCount)
    .option('--base <b>', 'logarithm base for mi (default e: nats)', parseNumberOption)
    .option('--out <file>', 'also write every feature\'s score, in column order (feature name and score; .npy: scores only)');
  addHeaderOptions(cmd);
  addBackendOption(cmd);
  cmd.addHelpText('after', `
Examples:
  $ infodiv mi --features X.csv --target y.csv --top 20
  $ infodiv mi --features X.npy --target y.npy --measure ami --out ami.csv

Memory: both files are held in memory (float64 per feature value, plus the labels).`);
  cmd.action((opts: MiOptions) => runMi(opts));
}

/** Non-negative integer codes go to the engine as they are (zero-copy); other values as label columns. */
function featuresArgument(block: Block): Matrix | number[][] {
  const { rows } = block;
  const { cols } = block.reader;
  const data = block.matrix.data;
  if (data.every((v) => Number.isInteger(v) && v >= 0)) return block.matrix;
  return Array.from({ length: cols }, (_, c) => Array.from({ length: rows }, (_, r) => data[r * cols + c]));
}

async function engineError(err: InfodivError, features: Block, asMatrix: boolean, target: Labels, targetFile: string): Promise<DataError> {
  const onTarget = /target|labels/i.test(err.argument ?? '');
  if (onTarget && err.index && target.lines) {
    const line = target.lines[err.index[0]];
    return new DataError(targetFile, { kind: 'text', line, column: 1 }, `${err.message} [${err.code}]`);
  }
  if (onTarget && err.index) return new DataError(targetFile, { kind: 'element', row: err.index[0], col: 0 }, `${err.message} [${err.code}]`);
  if (!onTarget && asMatrix && err.index && err.index.length === 2) {
    return new DataError(features.reader.file, await features.reader.locate(err.index[0], err.index[1]), `${err.message} [${err.code}]`);
  }
  return new DataError(onTarget ? targetFile : features.reader.file, { kind: 'file' }, `${err.message} [${err.code}]`);
}

async function runMi(opts: MiOptions): Promise<void> {
  if (opts.out) formatOf(opts.out);
  const engine = engineFor(opts);
  await withWholeFile(engine, opts.features, opts.header, async (features) => {
    const target = await readLabels(opts.target, opts.header);
    if (target.values.length !== features.rows) {
      throw new DataError(opts.target, { kind: 'file' }, `has ${target.values.length} labels but ${features.reader.file} has ${features.rows} samples`);
    }
    const argument = featuresArgument(features);
    let scores: Float64Array;
    try {
      scores = engine.mutualInfoScores(argument, target.values, { measure: opts.measure, base: opts.base });
    } catch (err) {
      throw err instanceof InfodivError && err.code !== 'INVALID_OPTION' && err.code !== 'INVALID_BASE'
        ? await engineError(err, features, !Array.isArray(argument), target, opts.target)
        : usageFromEngine(err);
    }
    const names = features.reader.names ?? Array.from({ length: features.reader.cols }, (_, c) => `x${c}`);
    const ranked = Array.from(scores.keys()).sort((i, j) => (scores[j] - scores[i]) || i - j);
    const shown = ranked.slice(0, opts.top ?? ranked.length);
    process.stdout.write(formatTable(['rank', 'feature', opts.measure], shown.map((f, k) => [String(k + 1), names[f], short(scores[f])]), 'rlr'));
    if (opts.out) await writeScores(opts.out, opts.measure, names, scores, opts.header !== false);
  });
}

async function writeScores(path: string, measure: string, names: string[], scores: Float64Array, header: boolean): Promise<void> {
  const sink = await openSink(path);
  try {
    const format = formatOf(path);
    if (format === 'npy') {
      const writer = createWriter(sink, path, { cols: 1, vector: true, names: null });
      await writer.write(scores, scores.length);
      await writer.finish();
      return;
    }
    const delimiter = format === 'tsv' ? '\t' : ',';
    const lines = Array.from(scores, (v, f) => (format === 'jsonl'
      ? JSON.stringify({ feature: names[f], [measure]: Number.isFinite(v) ? v : String(v) })
      : `${csvName(names[f], delimiter)}${delimiter}${formatNumber(v)}`));
    if (header && format !== 'jsonl') lines.unshift(`feature${delimiter}${measure}`);
    await sink.write(lines.join('\n') + '\n');
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
