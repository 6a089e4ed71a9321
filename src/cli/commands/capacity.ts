// `infodiv capacity`: the capacity of a discrete memoryless channel W[x][y] = p(y|x) (Blahut-Arimoto)
// and the input distribution that achieves it.
import type { Command } from 'commander';
import { InfodivError } from '../../errors.js';
import type { CapacityResult } from '../../types.js';
import { withWholeFile, type Block } from '../blocks.js';
import { DataError, usageFromEngine } from '../errors.js';
import { FORMAT_HELP, formatOf } from '../formats/format.js';
import { formatNumber } from '../formats/numbers.js';
import { createWriter } from '../formats/writers.js';
import { addBackendOption, addHeaderOptions, engineFor, parseCount, parseNumberOption, type CommonOptions } from '../options.js';
import { openSink } from '../output.js';
import { formatTable, short } from '../table.js';

interface CapacityOptions extends CommonOptions {
  channel: string;
  base?: number;
  tol?: number;
  maxIter?: number;
  out?: string;
}

export function registerCapacity(program: Command): void {
  const cmd = program
    .command('capacity')
    .summary('channel capacity and the optimal input distribution')
    .description('Capacity of the channel whose row x is p(y|x) (each row sums to 1), by Blahut-Arimoto.')
    .requiredOption('--channel <file>', `the channel matrix, inputs × outputs (${FORMAT_HELP})`)
    .option('--base <b>', 'logarithm base (default e: nats; 2 for bits)', parseNumberOption)
    .option('--tol <nats>', 'stop when the gap between the upper and lower bounds is below this (default 1e-12)', parseNumberOption)
    .option('--max-iter <n>', 'iteration cap (default 100000)', parseCount)
    .option('--out <file>', 'also write the optimal input distribution, one value per input');
  addHeaderOptions(cmd);
  addBackendOption(cmd);
  cmd.addHelpText('after', `
Example:
  $ infodiv capacity --channel bsc.csv --base 2
  (bsc.csv holding "0.9,0.1" and "0.1,0.9": 0.531 bits, input distribution 0.5, 0.5)

Memory: the channel matrix is held in memory.`);
  cmd.action((opts: CapacityOptions) => runCapacity(opts));
}

async function placeError(err: InfodivError, channel: Block): Promise<DataError> {
  const file = channel.reader.file;
  if (!err.index) return new DataError(file, { kind: 'file' }, `${err.message} [${err.code}]`);
  // A row-level error (NOT_STOCHASTIC) names the row; an element error names [row, col].
  const [row, col = 0] = err.index;
  const place = await channel.reader.locate(row, col);
  if (err.code !== 'NOT_STOCHASTIC') return new DataError(file, place, `${err.message} [${err.code}]`);
  let sum = 0;
  for (let c = 0; c < channel.reader.cols; c++) sum += channel.value(row, c);
  return new DataError(file, place, `this row of p(y|x) sums to ${short(sum, 12)}, not 1 [NOT_STOCHASTIC]`);
}

function unitOf(base: number | undefined): string {
  return base === undefined ? 'nats' : base === 2 ? 'bits' : base === 10 ? 'hartleys' : `base-${base} units`;
}

async function runCapacity(opts: CapacityOptions): Promise<void> {
  if (opts.out) formatOf(opts.out);
  const engine = engineFor(opts);
  await withWholeFile(engine, opts.channel, opts.header, async (channel) => {
    let result: CapacityResult;
    try {
      result = engine.channelCapacity(channel.matrix, { base: opts.base, tol: opts.tol, maxIter: opts.maxIter });
    } catch (err) {
      throw err instanceof InfodivError && err.code !== 'INVALID_OPTION' && err.code !== 'INVALID_BASE' ? await placeError(err, channel) : usageFromEngine(err);
    }
    const p = result.inputDistribution;
    process.stdout.write(
      `capacity     ${formatNumber(result.capacity)} ${unitOf(opts.base)}\n` +
      `iterations   ${result.iterations}\n` +
      `gap          ${short(result.gap)} nats\n` +
      `converged    ${result.converged ? 'yes' : 'no (reached --max-iter)'}\n\n` +
      formatTable(['input', 'p(x)'], Array.from(p, (v, x) => [`x${x}`, formatNumber(v)]), 'lr'),
    );
    if (opts.out) {
      const sink = await openSink(opts.out);
      try {
        const writer = createWriter(sink, opts.out, { cols: 1, vector: true, names: opts.header === false ? null : ['p_x'] });
        await writer.write(p, p.length);
        await writer.finish();
      } catch (err) {
        await sink.abort();
        throw err;
      }
    }
  });
}
