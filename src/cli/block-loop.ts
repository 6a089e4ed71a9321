// The loop of the streaming commands (score, pairwise): block by block, results are computed,
// invalid rows reported and the results written, under a progress bar; the output is committed
// only when every block succeeded, and removed otherwise.
import type { InfodivError } from '../errors.js';
import type { RowReader } from './formats/format.js';
import { createWriter, type WriterOptions } from './formats/writers.js';
import { InvalidRows, type OnInvalid } from './invalid.js';
import type { CommonOptions } from './options.js';
import { openSink } from './output.js';
import { Progress, progressWanted } from './progress.js';

export interface BlockLoopOptions extends CommonOptions {
  onInvalid: OnInvalid;
  out?: string;
}

export interface BlockLoop {
  /** The streamed input: its bytes measure progress. */
  input: RowReader;
  /** Rows per block. */
  blockRows: number;
  /** The results: `layout.cols` values per row of the input. */
  layout: WriterOptions;
  /** Reads the next block of every input and returns its rows, 0 at the end. */
  fill(): Promise<number>;
  /** The block's results, in `out`; invalid rows score NaN, their errors collected in `errors` (empty on entry). */
  compute(errors: InfodivError[], out: Float64Array): Float64Array;
  /** Reports the rows behind the errors a block collected. */
  report(result: Float64Array, errors: InfodivError[], invalid: InvalidRows): Promise<void>;
  /** Checks after the last block, before the output is committed. */
  end?(): Promise<void>;
}

export async function runBlocks(opts: BlockLoopOptions, loop: BlockLoop): Promise<void> {
  const invalid = new InvalidRows(opts.onInvalid, opts);
  const sink = await openSink(opts.out ?? null);
  const progress = new Progress(progressWanted(opts.quiet === true, !opts.out), loop.input.bytesTotal);
  try {
    const writer = createWriter(sink, opts.out ?? null, loop.layout);
    const out = new Float64Array(loop.blockRows * loop.layout.cols);
    const errors: InfodivError[] = [];
    let done = 0;
    for (let n = await loop.fill(); n > 0; n = await loop.fill()) {
      errors.length = 0;
      const result = loop.compute(errors, out);
      if (errors.length > 0) await loop.report(result, errors, invalid);
      await writer.write(result, n);
      done += n;
      progress.update(done, loop.input.bytesDone);
    }
    if (loop.end) await loop.end();
    await writer.finish();
    progress.stop(true);
    invalid.summarize();
  } catch (err) {
    progress.stop(false);
    await sink.abort();
    throw err;
  }
}
