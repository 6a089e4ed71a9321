// `npm run fuzz`: the fuzz properties of test/fuzz with a random seed (or FUZZ_SEED) for longer
// than CI runs them: FUZZ_SECONDS per property (default 30), or FUZZ_RUNS cases per property.
// Prints the seed first and last, the cases each property ran, and how to replay a failure; the
// failing property's error holds fast-check's shrunk counterexample and replay path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const seed = process.env.FUZZ_SEED || String((Math.random() * 2 ** 31) | 0);
const runs = process.env.FUZZ_RUNS;
const seconds = process.env.FUZZ_SECONDS || (runs ? '' : '30');
const dir = mkdtempSync(join(tmpdir(), 'infodiv-fuzz-'));
const report = join(dir, 'report.jsonl');

console.log(`infodiv fuzz soak: FUZZ_SEED=${seed}${runs ? ` FUZZ_RUNS=${runs}` : ''}${seconds ? ` FUZZ_SECONDS=${seconds}` : ''}`);
const started = Date.now();
const result = spawnSync('npx', ['vitest', 'run', 'test/fuzz', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs ?? '', FUZZ_SECONDS: seconds, FUZZ_REPORT: report },
});

const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
rmSync(dir, { recursive: true, force: true });
let cases = 0;
console.log('\nproperty'.padEnd(100) + 'cases'.padStart(10) + 'seconds'.padStart(10));
for (const l of lines) {
  cases += l.runs;
  console.log(`${l.failed ? 'FAILED ' : ''}${l.name}`.slice(0, 99).padEnd(99) + String(l.runs).padStart(10) + (l.ms / 1000).toFixed(1).padStart(10));
}
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\n${cases} cases over ${lines.length} properties in ${minutes} min, FUZZ_SEED=${seed}`);
if (result.status !== 0) console.log(`A property failed: replay it with FUZZ_SEED=${seed}${runs ? ` FUZZ_RUNS=${runs}` : ''} npm run fuzz (its error above has the counterexample).`);
process.exit(result.status ?? 1);
