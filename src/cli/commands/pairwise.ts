// `infodiv pairwise`: the matrix of a measure between every row of --a and every row of --b
// (or of --a itself). --b is held in memory; --a streams through in blocks.
import { Option, type Command } from 'commander';
import type { Engine } from '../../engine.js';
import { InfodivError } from '../../errors.js';
import type { Convention, PairwiseMeasure } from '../../types.js';
import { runBlocks } from '../block-loop.js';
import { BLOCK_BYTES, Block, MAX_BLOCK_ROWS, blockRowsFor, placeEngineError, readAll } from '../blocks.js';
import { DataError, usageFromEngine } from '../errors.js';
import { FORMAT_HELP, formatOf, type RowReader } from '../formats/format.js';
import { openRows } from '../formats/open.js';
import type { InvalidRows, OnInvalid } from '../invalid.js';
import { addBackendOption, addQuietOption, addHeaderOptions, engineFor, parseCount, parseNumberOption, type CommonOptions } from '../options.js';
import { parseShard, type Shard } from '../shard.js';

const PAIR_MEASURES: readonly PairwiseMeasure[] = ['kl', 'crossEntropy', 'jsd', 'jsDistance'];

interface PairwiseOptions extends CommonOptions {
  measure: PairwiseMeasure;
  a: string;
  b?: string;
  base?: number;
  convention?: Convention;
  onInvalid: OnInvalid;
  out?: string;
  shard?: Shard;
  blockRows?: number;
}

export function registerPairwise(program: Command): void {
  const cmd = program
    .command('pairwise')
    .summary('the matrix of a measure between all rows of two files')
    .description('Computes measure(a_i, b_j) for every row i of --a and row j of --b (or of --a when --b is absent).\nAsymmetric measures (kl, crossEntropy) are never mirrored.')
    .addOption(new Option('--measure <measure>', 'what to compute').choices(PAIR_MEASURES).makeOptionMandatory())
    .requiredOption('--a <file>', `rows of A (${FORMAT_HELP}); streamed`)
    .option('--b <file>', 'rows of B, held in memory (default: A)')
    .option('--base <b>', 'logarithm base (default e: nats; 2 for bits)', parseNumberOption)
    .addOption(new Option('--convention <c>', 'scipy normalizes rows, raw does not, keras clips to [1e-7, 1] (kl only)').choices(['scipy', 'raw', 'keras']))
    .addOption(new Option('--on-invalid <mode>', 'on a negative, non-finite or all-zero row: fail (exit 1) or NaN').choices(['fail', 'nan']).default('fail'))
    .option('--out <file>', 'where to write the rows(A) × rows(B) matrix (default: CSV on standard output)')
    .option('--shard <i/n>', 'only the i-th of n equal row ranges of --a', parseShard)
    .option('--block-rows <n>', `rows of A per block (default: up to ${MAX_BLOCK_ROWS}, at most ${BLOCK_BYTES >> 20} MiB of input or results)`, parseCount);
  addHeaderOptions(cmd);
  addBackendOption(cmd);
  addQuietOption(cmd);
  cmd.addHelpText('after', `
Output: one line per row of A, one column per row of B, under a header b0,b1,... (none with --no-header).

Examples:
  $ infodiv pairwise --measure jsd --a docs.csv --out jsd.npy
  $ infodiv pairwise --measure kl --a models.npy --b references.npy --base 2 --out kl.csv
  $ infodiv pairwise --measure jsDistance --a big.csv --b centroids.csv --shard 2/4 --no-header --out part2.csv

Memory: all of --b, plus one block of --a and its block of results (each at most ${BLOCK_BYTES >> 20} MiB).`);
  cmd.action((opts: PairwiseOptions) => runPairwise(opts));
}

/** Zero-sum rows of a block, the rows a ZERO_SUM error (which names no element) can be about. */
function zeroRows(block: Block): number[] {
  const rows: number[] = [];
  const { cols } = block.reader;
  const data = block.matrix.data;
  for (let r = 0; r < block.rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += data[r * cols + c];
    if (sum === 0) rows.push(r);
  }
  return rows;
}

/**
 * Reports the invalid rows of A (this block) and of B (whose zero-sum rows `bZeros()` gives, found
 * once, on the first block with errors). Errors come in row order, so the zero-sum rows, in order,
 * are the rows of the ZERO_SUM errors. B's rows are reported once, not per block.
 */
async function reportInvalid(errors: InfodivError[], a: Block, b: Block, bZeros: () => readonly number[], bLabel: string, reportedB: Set<number>, invalid: InvalidRows): Promise<void> {
  if (errors.length === 0) return;
  const zeros = { a: zeroRows(a), b: bZeros().slice() };
  for (const err of errors) {
    const onB = err.argument === 'B';
    const row = err.index?.length === 2 ? err.index[0] : (onB ? zeros.b : zeros.a).shift() ?? 0;
    if (onB && reportedB.has(row)) continue;
    if (onB) reportedB.add(row);
    const col = err.index ? err.index[err.index.length - 1] : 0;
    invalid.report(await placeEngineError(err, onB ? b : a, row, col, onB ? bLabel : '--a'));
  }
}

async function runPairwise(opts: PairwiseOptions): Promise<void> {
  if (opts.out) formatOf(opts.out);
  const engine: Engine = engineFor(opts);
  const readers: RowReader[] = [];
  const blocks: Block[] = [];
  try {
    const a = await openRows(opts.a, { header: opts.header, shard: opts.shard ?? null, countRows: false });
    readers.push(a);
    const bReader = await openRows(opts.b ?? opts.a, { header: opts.header, shard: null, countRows: true });
    readers.push(bReader);
    if (bReader.cols !== a.cols) {
      throw new DataError(bReader.file, { kind: 'file' }, `rows have ${bReader.cols} values but the rows of ${a.file} have ${a.cols}`);
    }
    const b = await readAll(engine, bReader);
    blocks.push(b);
    const blockRows = opts.blockRows ?? Math.min(blockRowsFor(a.cols, undefined), Math.max(1, Math.floor(BLOCK_BYTES / (b.rows * 8))));
    const aBlock = new Block(engine, a, blockRows);
    blocks.push(aBlock);

    const reportedB = new Set<number>();
    let bZeros: number[] | null = null;
    await runBlocks(opts, {
      input: a,
      blockRows,
      layout: { cols: b.rows, vector: false, names: opts.header === false ? null : Array.from({ length: b.rows }, (_, j) => `b${j}`) },
      fill: () => aBlock.fill(),
      compute: (errors, out) => {
        try {
          return engine.pairwise(opts.measure, aBlock.batch(), b.matrix, { base: opts.base, convention: opts.convention, onInvalid: 'nan', errors, out }).data;
        } catch (err) {
          throw usageFromEngine(err);
        }
      },
      report: (_, errors, invalid) => reportInvalid(errors, aBlock, b, () => (bZeros ??= zeroRows(b)), opts.b ? '--b' : '--a', reportedB, invalid),
    });
  } finally {
    for (const block of blocks) block.free();
    for (const r of readers) await r.close();
  }
}
