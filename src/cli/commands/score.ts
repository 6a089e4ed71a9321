// `infodiv score`: one value per row of --p (against the same row of --q, or against its single row).
import { Option, type Command } from 'commander';
import type { Engine } from '../../engine.js';
import type { InfodivError } from '../../errors.js';
import type { Convention, DivergenceOptions, Matrix } from '../../types.js';
import { runBlocks } from '../block-loop.js';
import { BLOCK_BYTES, Block, MAX_BLOCK_ROWS, blockRowsFor, placeEngineError } from '../blocks.js';
import { DataError, UsageError, usageFromEngine } from '../errors.js';
import { FORMAT_HELP, formatOf, type RowReader } from '../formats/format.js';
import { openRows } from '../formats/open.js';
import type { InvalidRows, OnInvalid } from '../invalid.js';
import { addBackendOption, addQuietOption, addHeaderOptions, engineFor, parseCount, parseNumberOption, type CommonOptions } from '../options.js';
import { parseShard, type Shard } from '../shard.js';

const ROW_MEASURES = ['kl', 'crossEntropy', 'entropy', 'jsd', 'jsDistance'] as const;
type RowMeasure = (typeof ROW_MEASURES)[number];

interface ScoreOptions extends CommonOptions {
  measure: RowMeasure;
  p: string;
  q?: string;
  base?: number;
  convention?: Convention;
  onInvalid: OnInvalid;
  out?: string;
  shard?: Shard;
  blockRows?: number;
}

export const MEMORY_NOTE = `Memory: score streams its files in blocks of at most ${MAX_BLOCK_ROWS} rows and ${BLOCK_BYTES >> 20} MiB of float64
per input (a longer single row is a block of its own), read through 1 MiB buffers. Whatever the
file size, memory stays within Node's own footprint (about 50 MB) + 2 × ${BLOCK_BYTES >> 20} MiB + a few MiB
(measured: 83 MiB peak resident for a 2 GB CSV).`;

export function registerScore(program: Command): void {
  const cmd = program
    .command('score')
    .summary('one score per row of a file (against a second file, or a single baseline row)')
    .description('Scores every row of --p: its entropy, or its divergence from the same row of --q\n(or from the single row of a one-row --q file: drift from a baseline).')
    .addOption(new Option('--measure <measure>', 'what to compute').choices(ROW_MEASURES).makeOptionMandatory())
    .requiredOption('--p <file>', `rows of p (${FORMAT_HELP})`)
    .option('--q <file>', 'rows of q: as many rows as --p, or one row used against every row (not with entropy)')
    .option('--base <b>', 'logarithm base (default e: nats; 2 for bits)', parseNumberOption)
    .addOption(new Option('--convention <c>', 'scipy normalizes rows, raw does not, keras clips to [1e-7, 1] (kl only)').choices(['scipy', 'raw', 'keras']))
    .addOption(new Option('--on-invalid <mode>', 'on a negative, non-finite or all-zero row: fail (exit 1) or score it NaN').choices(['fail', 'nan']).default('fail'))
    .option('--out <file>', 'where to write the scores, format by extension (default: CSV on standard output)')
    .option('--shard <i/n>', 'only the i-th of n equal row ranges of --p (and --q)', parseShard)
    .option('--block-rows <n>', `rows per block (default: up to ${MAX_BLOCK_ROWS}, at most ${BLOCK_BYTES >> 20} MiB per input)`, parseCount);
  addHeaderOptions(cmd);
  addBackendOption(cmd);
  addQuietOption(cmd);
  cmd.addHelpText('after', `
Output: one value per row under a header naming the measure (no header with --no-header).

Examples:
  $ infodiv score --measure kl --p predictions.csv --q labels.csv --out kl.csv
  $ infodiv score --measure jsd --p histograms.npy --q baseline.csv --base 2 --out drift.npy
  $ infodiv score --measure entropy --p rows.jsonl --shard 3/8 --no-header > part3.csv

${MEMORY_NOTE}`);
  cmd.action((opts: ScoreOptions) => runScore(opts));
}

function compute(engine: Engine, measure: RowMeasure, p: Matrix, q: Matrix | Float64Array | null, opts: DivergenceOptions): Float64Array {
  try {
    if (measure === 'entropy') return engine.entropy(p, opts) as Float64Array;
    return engine[measure](p, q!, opts) as Float64Array;
  } catch (err) {
    throw usageFromEngine(err);
  }
}

/** Opens --q: one row (a baseline for every row of p) or as many rows as p, read alongside it. */
async function openQ(opts: ScoreOptions, p: RowReader): Promise<{ reader: RowReader; baseline: boolean }> {
  const whole = await openRows(opts.q!, { header: opts.header, shard: null, countRows: true });
  if (whole.cols !== p.cols) {
    await whole.close();
    throw new DataError(whole.file, { kind: 'file' }, `rows have ${whole.cols} values but the rows of ${p.file} have ${p.cols}`);
  }
  if (whole.fileRows === 1) return { reader: whole, baseline: true };
  if (p.fileRows !== null && p.fileRows !== whole.fileRows) {
    await whole.close();
    throw new DataError(whole.file, { kind: 'file' }, `has ${whole.fileRows} rows but ${p.file} has ${p.fileRows} (--q needs one row, or as many as --p)`);
  }
  if (!opts.shard) return { reader: whole, baseline: false };
  await whole.close();
  return { reader: await openRows(opts.q!, { header: opts.header, shard: opts.shard, countRows: false }), baseline: false };
}

/**
 * Reports the invalid rows of a block. The engine ran with onInvalid 'nan' and errors collected,
 * so the k-th error belongs to the k-th NaN result: that gives the row even for errors that name
 * no element (ZERO_SUM). With --on-invalid fail, the first report throws.
 */
async function reportInvalid(result: Float64Array, errors: InfodivError[], p: Block, q: Block | null, baseline: boolean, invalid: InvalidRows): Promise<void> {
  for (let r = 0, k = 0; k < errors.length; r++) {
    if (!Number.isNaN(result[r])) continue;
    const err = errors[k++];
    const onQ = q !== null && (err.argument === 'q' || err.argument === 'y_pred');
    const row = err.index?.length === 2 ? err.index[0] : onQ && baseline ? 0 : r;
    const col = err.index ? err.index[err.index.length - 1] : 0;
    invalid.report(await placeEngineError(err, onQ ? q : p, row, col, onQ ? '--q' : '--p'));
  }
}

async function runScore(opts: ScoreOptions): Promise<void> {
  const { measure } = opts;
  if (measure === 'entropy' && opts.q) throw new UsageError('entropy takes only --p');
  if (measure !== 'entropy' && !opts.q) throw new UsageError(`${measure} needs --q`);
  if (opts.out) formatOf(opts.out);
  const engine = engineFor(opts);
  const readers: RowReader[] = [];
  const blocks: Block[] = [];
  try {
    const p = await openRows(opts.p, { header: opts.header, shard: opts.shard ?? null, countRows: false });
    readers.push(p);
    const q = opts.q ? await openQ(opts, p) : null;
    if (q) readers.push(q.reader);
    const baseline = q?.baseline ?? false;

    const blockRows = blockRowsFor(p.cols, opts.blockRows);
    const pBlock = new Block(engine, p, blockRows);
    blocks.push(pBlock);
    const qBlock = q ? new Block(engine, q.reader, baseline ? 1 : blockRows) : null;
    if (qBlock) blocks.push(qBlock);
    if (qBlock && baseline) await qBlock.fill();
    // A lockstep --q must end together with --p.
    const lockstep = qBlock !== null && !baseline ? qBlock : null;
    const mismatch = (what: string) => new DataError(lockstep!.reader.file, { kind: 'file' }, `${what} (--q needs one row, or as many as --p)`);

    await runBlocks(opts, {
      input: p,
      blockRows,
      layout: { cols: 1, vector: true, names: opts.header === false ? null : [measure] },
      fill: async () => {
        const n = await pBlock.fill();
        if (lockstep && (await lockstep.fill(n)) < n) throw mismatch(`ends after ${lockstep.firstRow + lockstep.rows} rows, before ${p.file} does`);
        return n;
      },
      compute: (errors, out) => {
        const qBatch = !qBlock ? null : baseline ? (qBlock.matrix.data as Float64Array) : qBlock.batch();
        return compute(engine, measure, pBlock.batch(), qBatch, { base: opts.base, convention: opts.convention, onInvalid: 'nan', errors, out });
      },
      report: (result, errors, invalid) => reportInvalid(result, errors, pBlock, qBlock, baseline, invalid),
      end: async () => {
        if (lockstep && (await lockstep.fill(1)) > 0) throw mismatch(`has more rows than ${p.file}`);
      },
    });
  } finally {
    for (const b of blocks) b.free();
    for (const r of readers) await r.close();
  }
}
