// How the fuzz properties run. In CI (`npm test`) every property runs a fixed number of cases
// from a fixed seed, so a failure reproduces exactly. `npm run fuzz` (test/fuzz/soak.mjs) sets
//   FUZZ_SEED     the seed (random when unset: the soak prints it),
//   FUZZ_RUNS     cases per property (the CI count when unset; unbounded when FUZZ_SECONDS is set),
//   FUZZ_SECONDS  wall-clock budget per property,
//   FUZZ_REPORT   a file that receives one JSON line per property (cases run, time taken).
// A failure reports the seed, fast-check's replay path and the shrunk counterexample.
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { it } from 'vitest';

/** The CI seed: any fixed value; changing it only changes which cases CI sees. */
const CI_SEED = 20240611;

const envNumber = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${v}`);
  return n;
};

export const SEED = envNumber('FUZZ_SEED') ?? CI_SEED;
const RUNS = envNumber('FUZZ_RUNS');
const SECONDS = envNumber('FUZZ_SECONDS');
const REPORT = process.env.FUZZ_REPORT;

/**
 * Declares a vitest test that checks `property` for `ciRuns` cases (CI) or for the soak's budget.
 * Each property gets its own seed derived from SEED and its name, so adding a property does not
 * change the cases the others see.
 */
export function fuzz<Ts>(name: string, ciRuns: number, property: () => fc.IProperty<Ts>): void {
  const timeout = SECONDS !== undefined ? SECONDS * 1000 * 2 + 120_000 : 120_000;
  it(name, () => {
    const seed = (SEED ^ hash(name)) | 0;
    const started = Date.now();
    const details = fc.check(property(), {
      seed,
      numRuns: RUNS ?? (SECONDS !== undefined ? 2 ** 31 - 1 : ciRuns),
      plugins: SECONDS !== undefined ? [fc.interruptAfterTimeLimit(SECONDS * 1000)] : [],
    });
    const ms = Date.now() - started;
    if (REPORT) appendFileSync(REPORT, `${JSON.stringify({ name, seed, runs: details.numRuns, ms, failed: details.failed })}\n`);
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`fuzz property "${name}" failed (FUZZ_SEED=${SEED}, property seed ${seed})\n${cause}\n${fc.defaultReportMessage(details)}`);
    }
  }, timeout);
}

/** FNV-1a of a string, to spread per-property seeds. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
