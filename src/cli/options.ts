// Options several commands share, and the parsers that turn their text into checked values.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createEngineSync } from '../index.node.js';
import type { Engine } from '../engine.js';
import type { Backend } from '../types.js';
import { usageFromEngine } from './errors.js';

export function parseNumberOption(text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError('expected a number');
  return v;
}

export function parseCount(text: string): number {
  const v = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError('expected a positive integer');
  return v;
}

export interface CommonOptions {
  header?: boolean;
  quiet?: boolean;
  backend?: Backend;
}

/** --header/--no-header: CSV/TSV header lines, in and out. */
export function addHeaderOptions(cmd: Command): Command {
  return cmd
    .option('--header', 'CSV/TSV inputs start with a header line (default: detected: a first line that is not all numbers)')
    .option('--no-header', 'CSV/TSV inputs have no header line, and outputs get none');
}

export function addBackendOption(cmd: Command): Command {
  return cmd.addOption(new Option('--backend <backend>', 'compute backend (default: simd where supported)').choices(['simd', 'scalar', 'js']));
}

/** For commands that stream: --quiet and a progress bar. */
export function addQuietOption(cmd: Command): Command {
  return cmd.option('--quiet', 'no progress bar and no warnings on standard error');
}

export function engineFor(opts: CommonOptions): Engine {
  try {
    return createEngineSync({ backend: opts.backend });
  } catch (err) {
    throw usageFromEngine(err);
  }
}

/** Warnings go to standard error unless --quiet. */
export function warn(opts: CommonOptions, message: string): void {
  if (!opts.quiet) process.stderr.write(`infodiv: warning: ${message}\n`);
}
