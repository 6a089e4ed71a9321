// --shard i/n: the i-th (1-based) of n equal row ranges, so a scheduler can spread one file over
// machines; the ranges of 1/n … n/n cover every row once, in order.
import { InvalidArgumentError } from 'commander';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new InvalidArgumentError('expected i/n with 1 ≤ i ≤ n, e.g. 2/8');
  }
  return { index, count };
}

/** Row range [lo, hi) of a shard of a file with `rows` rows: [⌊(i−1)·rows/n⌋, ⌊i·rows/n⌋). */
export function shardRange(rows: number, shard: Shard | null): [number, number] {
  if (!shard) return [0, rows];
  return [Math.floor(((shard.index - 1) * rows) / shard.count), Math.floor((shard.index * rows) / shard.count)];
}
