// Regenerates docs/adversarial.md: each adversarial input class, what infodiv returns for it, and
// what scipy / scikit-learn (docs/adversarial.py, Debian's /usr/bin/python3), Keras' documented
// formula and ml-distance 5 return for the same input.
//   npm run build && node docs/adversarial.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { distance } from 'ml-distance';
import * as infodiv from '../dist/index.node.js';

// A nearly identical pair found by search: scipy's jensenshannon returns NaN for it.
const NEAR_P = [0.641328169139375, 0.8526328384806567, 0.592941018104284, 0.2600974477372232, 0.8398815210314088];
const NEAR_Q = [0.641328169139375, 0.8526328384806567, 0.5929410181042841, 0.2600974477372231, 0.839881521031409];
const NEAR = 'p = [0.6413…, 0.8526…, 0.5929…, 0.2601…, 0.8399…], q = p with 3 entries 1 ulp off';

/**
 * [id, input class, measure, args, options, how to show the args]; options.dtype 'float32' stores
 * the rows as float32.
 */
const CASES = [
  ['sum-overflow-entropy', 'Row whose sum overflows to Infinity', 'entropy', [[1e308, 1e308]]],
  ['sum-overflow-kl', 'Rows whose sums overflow (KL)', 'kl', [[1e308, 1e308], [1e308, 1]]],
  ['sum-overflow-f32', 'float32 row whose float32 sum overflows', 'entropy', [[3e38, 3e38]], { dtype: 'float32' }],
  ['subnormal-row', 'Row of subnormals only', 'entropy', [[5e-324, 1e-323, 1.5e-323]]],
  ['ratio-overflow', 'KL term whose ratio p/q overflows', 'kl', [[0.5, 0.5], [1e-320, 1]]],
  ['ratio-overflow-raw', 'The same, raw convention (Σ rel_entr)', 'kl', [[0.5, 0.5], [1e-320, 1]], { convention: 'raw' }],
  ['ratio-underflow', 'KL term whose ratio p/q underflows', 'kl', [[1e-320, 1], [0.5, 0.5]]],
  ['zero-p', 'p_i = 0 (0·log 0 = 0)', 'kl', [[0, 1], [0.5, 0.5]]],
  ['zero-q', 'p_i > 0 where q_i = 0', 'kl', [[0.5, 0.5], [0, 1]]],
  ['subnormal-meets-zero', 'JSD: a subnormal entry against a zero', 'jsd', [[5e-324, 1], [0, 1]]],
  ['near-jsd', 'Nearly identical rows (JSD)', 'jsd', [NEAR_P, NEAR_Q], {}, NEAR],
  ['near-jsdistance', 'Nearly identical rows (JS distance)', 'jsDistance', [NEAR_P, NEAR_Q], {}, NEAR],
  ['near-kl', 'Nearly identical rows (KL)', 'kl', [NEAR_P, NEAR_Q], {}, NEAR],
  ['near-ce', 'Nearly identical rows (cross-entropy)', 'crossEntropy', [NEAR_P, NEAR_Q], {}, NEAR],
  ['all-zero', 'All-zero row', 'kl', [[0, 0], [0.5, 0.5]]],
  ['negative', 'Negative entries', 'entropy', [[-1, -1]]],
  ['negative-keras', 'Negative entry, Keras convention', 'kl', [[1, -1], [0.5, 0.5]], { convention: 'keras' }],
  ['above-one-keras', 'Entries above 1, Keras convention', 'kl', [[3, 0], [1, 1]], { convention: 'keras' }],
  ['nan', 'NaN entry', 'kl', [[NaN, 1], [0.5, 0.5]]],
  ['infinity', 'Infinity entry', 'kl', [[Infinity, 1], [0.5, 0.5]]],
  ['null', 'null in a plain array', 'kl', [[0.5, null], [0.5, 0.5]]],
  ['boolean', 'Booleans in a plain array', 'kl', [[true, false], [0.5, 0.5]]],
  ['string', 'A numeric string in a plain array', 'kl', [['0.5', 0.5], [0.5, 0.5]]],
  ['broadcast', 'Length 1 against length 3', 'kl', [[1], [0.2, 0.3, 0.5]]],
  ['empty', 'Empty vector', 'entropy', [[]]],
  ['base-above-1', 'base = 1 + 1e-12', 'entropy', [[1, 1]], { base: 1 + 1e-12 }],
  ['base-below-1', 'base = 1 − 1e-12', 'entropy', [[1, 1]], { base: 1 - 1e-12 }],
  ['base-half-distance', 'JS distance in base 0.5', 'jsDistance', [[1, 0], [0, 1]], { base: 0.5 }],
  ['table-overflow', 'Joint table whose total overflows', 'mutualInfoScore', [[[1e308, 1e308], [1e308, 0]]]],
  ['table-subnormal', 'Joint table whose total is subnormal', 'mutualInfoScore', [[[5e-324, 5e-324], [5e-324, 0]]]],
  ['ami-huge-counts', 'AMI of a table of counts ~10^15', 'expectedMutualInfo', [[[1e15, 2e15], [3e15, 1e15]]]],
];

function encode(x) {
  if (typeof x === 'number' && !Number.isFinite(x)) return { num: String(x) };
  return Array.isArray(x) ? x.map(encode) : x;
}

function shown(v) {
  if (typeof v === 'number') return String(v);
  if (v instanceof Error) return v.code ? `${v.code}${v.index ? ` at [${v.index}]` : ''}` : `${v.constructor.name}: ${v.message.slice(0, 70)}`;
  return String(v);
}

function attempt(fn) {
  try {
    return shown(fn());
  } catch (e) {
    return shown(e);
  }
}

function infodivResult([, , measure, args, options = {}]) {
  const { dtype, ...opts } = options;
  const a = args.map((x) => (dtype === 'float32' ? Float32Array.from(x) : x));
  switch (measure) {
    case 'entropy': return attempt(() => infodiv.entropy(a[0], opts));
    case 'mutualInfoScore': return attempt(() => infodiv.mutualInformation(a[0], opts));
    case 'expectedMutualInfo': return attempt(() => infodiv.adjustedMutualInfoScore(a[0], opts));
    default: return attempt(() => infodiv[measure](a[0], a[1], opts));
  }
}

function mlDistanceResult([, , measure, args]) {
  if (measure === 'kl') return attempt(() => distance.kullbackLeibler(args[0], args[1]));
  if (measure === 'jsd') return attempt(() => distance.jensenShannon(args[0], args[1]));
  return 'n/a';
}

const cases = CASES.map(([id, , measure, args, options = {}]) => ({ id, measure, args: encode(args), options }));
const py = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./adversarial.py', import.meta.url).pathname], { input: JSON.stringify(cases) }).toString());
const byId = new Map(py.results.map((r) => [r.id, r]));

const CALL = {
  entropy: 'entropy(p)', kl: 'kl(p, q)', crossEntropy: 'crossEntropy(p, q)', jsd: 'jsd(p, q)', jsDistance: 'jsDistance(p, q)',
  mutualInfoScore: 'mutualInformation(P)', expectedMutualInfo: 'adjustedMutualInfoScore(P)',
};
const cell = (s) => `\`${String(s).replace(/\|/g, '\\|')}\``;
const inputOf = (args) => args.map((a) => JSON.stringify(a, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))).join(', ');

const rows = CASES.map((c) => {
  const [id, what, measure, args, options = {}, display] = c;
  const opts = Object.entries(options).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : v}`).join(', ');
  const r = byId.get(id);
  return `| ${what} | ${cell(`${CALL[measure]} ${display ?? inputOf(args)}${opts ? ` {${opts}}` : ''}`)} | ${cell(infodivResult(c))} | ${cell(r.scipy)} | ${cell(r.keras)} | ${cell(mlDistanceResult(c))} |`;
});

const v = py.versions;
const md = `# Adversarial inputs: what infodiv returns, next to scipy, Keras and ml-distance

Generated by \`docs/adversarial.mjs\` (infodiv from \`dist/\`, ml-distance 5 in Node) and
\`docs/adversarial.py\` (scipy ${v.scipy}, scikit-learn ${v.sklearn}, numpy ${v.numpy}: Debian's python3
packages); regenerate with \`npm run build && node docs/adversarial.mjs\`. Every infodiv behaviour
here is tested: \`test/fuzz/adversarial.test.ts\` (one named test per numeric class, against an exact
BigInt evaluation), \`test/fuzz/*.test.ts\` (property tests of every function against the float64
reference), \`test/fuzz/limits.test.ts\` (resource limits).

Columns:
- **infodiv**: the value (natural log unless \`base\`), or the \`InfodivError\` code and index thrown.
- **scipy / sklearn**: \`scipy.stats.entropy(p)\`, \`entropy(p, q)\` for KL (raw: \`sum(rel_entr(p, q))\`),
  \`entropy(p) + entropy(p, q)\` for cross-entropy (scipy has none), \`jensenshannon(p, q)\` (squared for
  JSD); joint tables: \`sklearn.metrics.mutual_info_score(contingency=P)\`; AMI has no table argument in
  sklearn, so its expected-MI step \`expected_mutual_information(P, n)\` is shown.
- **Keras (formula)**: TensorFlow cannot be installed here. The column evaluates the formula
  Keras documents for \`tf.keras.losses.kl_divergence\` — both inputs clipped to [1e-7, 1], then
  Σ y_true·log(y_true/y_pred) — in float32 (Keras' default float type) with numpy. It is derived,
  not run; n/a where Keras has no such function. Real Keras also rejects inputs it cannot convert
  to a float tensor before the formula is reached.
- **ml-distance 5**: \`distance.kullbackLeibler(p, q)\` (Σ p·ln(p/q) on the rows as given) and
  \`distance.jensenShannon(p, q)\` (the divergence, unnormalized); n/a for the other measures.

| input class | call (infodiv) | infodiv | scipy / sklearn | Keras (formula) | ml-distance 5 |
|---|---|---|---|---|---|
${rows.join('\n')}

## What the table shows

- **Overflowing and subnormal sums** are rescaled by an exact power of two before normalizing, so a
  row of 1e308s has the entropy of a row of ones. scipy silently returns 0 (every p/Σp is
  p/∞ = 0); ml-distance, which does not normalize, overflows to Infinity. Tables with overflowing
  or subnormal totals likewise give the measures of the unscaled counts (sklearn fails on both).
- **Ratios out of range**: where p/q over- or underflows, infodiv takes log p − log q (as newer scipy's
  \`rel_entr\` does); only there — an in-range ratio keeps one logarithm of the quotient, within one
  rounding of it, where log p − log q would lose the last digits of both logarithms (test: KL of
  1e300·(1 + 2⁻⁵²) against 1e300). Keras clips the tiny q to 1e-7 and reports 7.37.
- **Nearly identical rows**: JSD is clamped at 0 and the JS distance is its square root, so neither
  is ever NaN (scipy: NaN about half the time, scipy/scipy#20083); entropy and cross-entropy of
  normalized rows are clamped at 0 as well (their true values cannot be negative). KL may be
  a rounding error below 0, as in scipy.
- **Invalid input is an error, never a number**: negative, NaN and infinite entries, non-numbers in
  plain arrays (null, booleans, strings, BigInt, objects), empty inputs and all-zero rows throw
  \`NEGATIVE_VALUE\`, \`NON_FINITE\`, \`EMPTY\` or \`ZERO_SUM\` with the index of the first offending
  element. scipy returns a number (negatives normalize away, booleans are coerced, length 1
  broadcasts) or NaN; ml-distance returns NaN or a meaningless number.
- **base**: any positive base other than 1; the result is exactly the natural-log value divided by
  \`Math.log(base)\`, so a base just below 1 gives large negative values. The JS *distance* needs a
  base above 1 (INVALID_BASE otherwise): its square is negative there (scipy returns NaN).
- **AMI of huge counts**: the expected mutual information of a pair of classes whose
  hypergeometric variance exceeds 2²⁰ comes from its moment expansion (error O(1/μ²), below 1e-12),
  so counts of 10¹⁵ or 10³⁰⁰ take microseconds (a walk over the distribution takes seconds at 10¹⁴
  and hours at 10¹⁸; sklearn converts the counts to C integers and fails).
- **A subnormal against a zero (JSD)**: the exact value, ½·5e-324·ln 2, is below the smallest
  double; infodiv is within 2e-321 of it (the SIMD kernel's vector logarithm is not exact there,
  the scalar and careful paths give 0), where scipy returns Infinity (scipy/scipy#19436).

## Errors, \`out\` and \`onInvalid\`

- A call that throws returns nothing, and leaves no results in a caller's \`out\` either: the first n
  elements of \`out\` (n = the results the call would have returned) are NaN after any value error
  (\`NEGATIVE_VALUE\`, \`NON_FINITE\`, \`ZERO_SUM\`, \`NOT_STOCHASTIC\`, ...); elements beyond n are never
  written. Shape and option errors are raised before \`out\` is touched.
- With \`onInvalid: 'nan'\` every invalid row (table, channel, feature, pair) is NaN and has exactly
  one error in \`errors\`, in the order of the results; every other result is what it would be alone.
- A request larger than the process can serve — a matrix beyond WebAssembly's 4 GiB, a result or
  contingency table too large for a typed array, memory the host will not grow — is
  \`OUT_OF_MEMORY\`; the engine then answers every function exactly as a fresh engine does. Inputs are
  never rejected for their size alone: a batch of 4 GiB streams through the 1 MiB arena.
`;
writeFileSync(new URL('./adversarial.md', import.meta.url), md);
console.log(`docs/adversarial.md: ${CASES.length} input classes`);
