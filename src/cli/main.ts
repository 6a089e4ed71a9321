#!/usr/bin/env node
// The `infodiv` command: subcommands over files, exit codes 0 ok, 1 data, 2 usage, 3 I/O.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerBench } from './commands/bench.js';
import { registerCapacity } from './commands/capacity.js';
import { registerDemo } from './commands/demo.js';
import { registerMi } from './commands/mi.js';
import { registerPairwise } from './commands/pairwise.js';
import { MEMORY_NOTE, registerScore } from './commands/score.js';
import { DataError, EXIT_IO, EXIT_USAGE, IoError, UsageError, exitCodeOf, isSystemError } from './errors.js';
import { FORMAT_HELP } from './formats/format.js';
import { removePendingSync } from './output.js';

const program = new Command('infodiv')
  .description('Entropy, cross-entropy, KL, Jensen-Shannon and mutual information over files of rows.')
  .version(VERSION)
  .showHelpAfterError('(add --help for usage and an example)')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`infodiv: ${text.replace(/^error: /, '')}`) })
  .addHelpText('after', `
Files: ${FORMAT_HELP}, told apart by extension.
  CSV/TSV: one row per line; a first line that is not all numbers is a header.
  JSON Lines: one array of numbers per line.
  .npy: float64, float32 or integer arrays, 1-D or 2-D, C order.
Results go to a temporary file, renamed over --out only when the whole run succeeded.

Exit codes: 0 success, 1 data error (named by file:line:column), 2 usage error, 3 I/O error.

${MEMORY_NOTE}

Start with:  infodiv demo`);

for (const register of [registerScore, registerPairwise, registerMi, registerCapacity, registerDemo, registerBench]) register(program);
for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(add --help for usage and an example)');

function report(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
  if (err instanceof UsageError || err instanceof DataError || err instanceof IoError) {
    process.stderr.write(`infodiv: ${err.message}\n`);
  } else if (isSystemError(err)) {
    process.stderr.write(`infodiv: ${(err as Error).message}\n`);
  } else {
    process.stderr.write(`infodiv: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  return exitCodeOf(err);
}

// Ctrl-C: leave no temporary output behind. 130 = 128 + SIGINT, as shells report it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    removePendingSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

// Whoever read our standard output went away (e.g. `| head`): stop, there is no one to tell.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  removePendingSync();
  process.exit(EXIT_IO);
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}
