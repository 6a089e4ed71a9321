// Fuzz: channelMutualInformation and channelCapacity on every engine against the js reference:
// channels with zeros, subnormal and nearly deterministic rows, rows a hair inside and outside
// the 1e-9 stochastic tolerance, one channel or a batch (with one px or a batch of them), px with
// extreme or invalid entries, in plain, nested and flat containers.
import { describe } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine.js';
import { rng } from '../helpers/random.js';
import { ENGINES, expectIntact, reference } from './engines.js';
import { EXTREME_VALUES, INVALID_NUMBERS, NON_NUMBERS, type Plant } from './gen.js';
import { fuzz } from './harness.js';
import { elementCode, expectClose, expectErrors, expectThrows, type ExpectedError } from './model.js';

const ROW_KINDS = ['spread', 'sparse', 'deterministic', 'subnormal', 'nearly-deterministic'] as const;
/** Added to one element of a row: within (≤ 1e-9) or beyond the stochastic tolerance. */
const NUDGES = [0, 0, 0, 5e-10, -5e-10, 3e-9, -0.5];

const caseArb = fc.record({
  nx: fc.integer({ min: 1, max: 12 }), ny: fc.integer({ min: 1, max: 12 }), count: fc.integer({ min: 1, max: 5 }), pxCount: fc.integer({ min: 1, max: 5 }),
  batchW: fc.boolean(), pxShape: fc.constantFrom('vector', 'batch', 'one-row-batch'), flat: fc.boolean(),
  seed: fc.nat(), kind: fc.constantFrom(...ROW_KINDS), nudge: fc.tuple(fc.nat(), fc.constantFrom(...NUDGES)),
  pxPlants: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...EXTREME_VALUES, ...INVALID_NUMBERS, ...NON_NUMBERS)) as fc.Arbitrary<Plant>, { maxLength: 2 }),
  wPlants: fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, -0, NaN, -1e-300, Infinity, null)) as fc.Arbitrary<Plant>, { maxLength: 1 }),
  base: fc.constantFrom(undefined, 2, 0.5),
  maxIter: fc.constantFrom(undefined, 3),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function channelRow(rand: () => number, ny: number, kind: (typeof ROW_KINDS)[number]): number[] {
  const u = Array.from({ length: ny }, () => rand());
  const k = Math.floor(rand() * ny);
  const raw = {
    spread: u,
    sparse: u.map((v) => (v < 0.5 ? 0 : v)),
    deterministic: u.map((_, i) => (i === k ? 1 : 0)),
    subnormal: u.map((v, i) => (i === k ? 1 : v * 1e-310)),
    'nearly-deterministic': u.map((v, i) => (i === k ? 1 : v * 1e-12)),
  }[kind];
  if (raw.every((v) => v === 0)) raw[k] = 1;
  const s = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => v / s);
}

/** Sums left to right, as API.md's NOT_STOCHASTIC rule (and the kernels) do. */
const notStochastic = (row: readonly number[]) => !(Math.abs(row.reduce((a, b) => a + b, 0) - 1) <= 1e-9);

function checkCase(c: Case): void {
  const rand = rng(c.seed);
  const wCount = c.batchW ? c.count : 1;
  const cells: unknown[] = [];
  for (let t = 0; t < wCount; t++) for (let x = 0; x < c.nx; x++) cells.push(...channelRow(rand, c.ny, c.kind));
  const [at, nudge] = c.nudge;
  if (nudge !== 0) cells[at % cells.length] = (cells[at % cells.length] as number) + nudge;
  for (const [k, v] of c.wPlants) cells[k % cells.length] = v;
  const pxRows = c.pxShape === 'batch' ? c.pxCount : 1;
  const pxValues: unknown[] = Array.from({ length: pxRows * c.nx }, () => rand() * 3);
  for (const [k, v] of c.pxPlants) pxValues[k % pxValues.length] = v;

  const tableOf = (t: number) => Array.from({ length: c.nx }, (_, x) => cells.slice((t * c.nx + x) * c.ny, (t * c.nx + x + 1) * c.ny));
  const W = c.batchW
    ? (c.flat ? { data: Float64Array.from(cells.map((v) => (typeof v === 'number' ? v : NaN))), tables: wCount, rows: c.nx, cols: c.ny } : Array.from({ length: wCount }, (_, t) => tableOf(t)))
    : tableOf(0);
  const wStored = c.batchW && c.flat ? cells.map((v) => (typeof v === 'number' ? v : NaN)) : cells;
  const px = c.pxShape === 'vector' ? pxValues : Array.from({ length: pxRows }, (_, r) => pxValues.slice(r * c.nx, (r + 1) * c.nx));
  const count = Math.max(wCount, pxRows);
  const shapeError = pxRows !== 1 && wCount !== 1 && pxRows !== wCount;

  // The error of channel t: px's first bad element, W's, a row of W not summing to 1, px summing to 0.
  const wError = (wt: number): ExpectedError | null => {
    const single = !c.batchW;
    for (let k = 0; k < c.nx * c.ny; k++) {
      const code = elementCode(wStored[wt * c.nx * c.ny + k]);
      const x = Math.floor(k / c.ny), y = k % c.ny;
      if (code) return { code, argument: 'W', index: single ? [x, y] : [wt, x, y] };
    }
    for (let x = 0; x < c.nx; x++) {
      if (notStochastic(wStored.slice((wt * c.nx + x) * c.ny, (wt * c.nx + x + 1) * c.ny) as number[])) return { code: 'NOT_STOCHASTIC', argument: 'W', index: single ? [x] : [wt, x] };
    }
    return null;
  };
  const miError = (t: number): ExpectedError | null => {
    const r = pxRows === 1 ? 0 : t;
    for (let x = 0; x < c.nx; x++) {
      const code = elementCode(pxValues[r * c.nx + x]);
      if (code) return { code, argument: 'px', index: c.pxShape === 'vector' ? [x] : [r, x] };
    }
    const w = wError(wCount === 1 ? 0 : t);
    if (w) return w;
    const sum = pxValues.slice(r * c.nx, (r + 1) * c.nx).reduce((a: number, b) => a + (b as number), 0);
    return sum === 0 ? { code: 'ZERO_SUM', argument: 'px', index: null } : null;
  };

  const opts = c.base === undefined ? {} : { base: c.base };
  const mi = (e: Engine, x?: object) => e.channelMutualInformation(px as never, W as never, { ...opts, ...x });
  if (shapeError) {
    for (const fe of ENGINES) expectThrows(`${fe.label} channelMutualInformation`, () => mi(fe.engine), { code: 'LENGTH_MISMATCH', argument: 'px', index: null });
  } else {
    const expected = Array.from({ length: count }, (_, t) => miError(t));
    const bad = expected.filter((e): e is ExpectedError => e !== null);
    const refErrors: unknown[] = [];
    const want = asArray(mi(reference, { onInvalid: 'nan', errors: refErrors }));
    expectErrors('js reference channelMutualInformation (nan)', refErrors, bad);
    for (const fe of ENGINES) {
      const label = `${fe.label} channelMutualInformation`;
      if (bad.length > 0) expectThrows(label, () => mi(fe.engine), bad[0]);
      const errors: unknown[] = [];
      const got = asArray(mi(fe.engine, { onInvalid: 'nan', errors }));
      expectErrors(`${label} (nan)`, errors, bad);
      got.forEach((g, t) => {
        if (expected[t]) {
          if (!Number.isNaN(g)) throw new Error(`${label} channel ${t}: ${g} for an invalid channel`);
        } else {
          expectClose(`${label} channel ${t}`, g, want[t], 1e-12 * (1 + Math.abs(want[t]) + Math.log(c.nx * c.ny)));
        }
      });
      expectIntact(label, fe);
    }
  }

  // Capacity of W (px plays no part).
  const capOpts = { ...opts, ...(c.maxIter !== undefined ? { maxIter: c.maxIter } : {}) };
  const cap = (e: Engine, x?: object) => e.channelCapacity(W as never, { ...capOpts, ...x });
  const capErrors = Array.from({ length: wCount }, (_, t) => wError(t));
  const capBad = capErrors.filter((e): e is ExpectedError => e !== null);
  const refCapErrors: unknown[] = [];
  const refCap = [cap(reference, { onInvalid: 'nan', errors: refCapErrors })].flat();
  expectErrors('js reference channelCapacity (nan)', refCapErrors, capBad);
  const unit = c.base === undefined ? 1 : Math.log(c.base);
  for (const fe of ENGINES) {
    const label = `${fe.label} channelCapacity`;
    if (capBad.length > 0) expectThrows(label, () => cap(fe.engine), capBad[0]);
    const errors: unknown[] = [];
    const got = [cap(fe.engine, { onInvalid: 'nan', errors })].flat();
    expectErrors(`${label} (nan)`, errors, capBad);
    got.forEach((r, t) => {
      if (capErrors[t]) {
        if (!Number.isNaN(r.capacity)) throw new Error(`${label} channel ${t}: ${r.capacity} for an invalid channel`);
        return;
      }
      const w = refCap[t];
      // Both are certified lower bounds within their gaps of the same capacity (gaps in nats).
      if (c.maxIter === undefined && !(r.converged && w.converged)) throw new Error(`${label} channel ${t}: not converged (gap ${r.gap})`);
      const slack = (r.gap + w.gap + 1e-12 * (1 + Math.abs(w.capacity * unit))) / Math.abs(unit);
      if (!(Math.abs(r.capacity - w.capacity) <= slack)) throw new Error(`${label} channel ${t}: capacity ${r.capacity}, reference ${w.capacity}`);
      const total = r.inputDistribution.reduce((a, b) => a + b, 0);
      if (!(Math.abs(total - 1) <= 1e-12) || r.inputDistribution.some((v) => !(v >= 0))) throw new Error(`${label} channel ${t}: input distribution ${r.inputDistribution}`);
      // 0 ≤ I(X;Y) ≤ log min(nx, ny) nats (rows off 1 by the tolerated 5e-10 can exceed it by that much).
      const nats = r.capacity * unit;
      const slackAbove = nudge === 0 ? 1e-12 : 1e-8;
      if (!(nats >= -1e-15 && nats <= Math.log(Math.min(c.nx, c.ny)) + slackAbove)) throw new Error(`${label} channel ${t}: capacity ${nats} nats out of range`);
    });
    expectIntact(label, fe);
  }
}

const asArray = (r: number | Float64Array): Float64Array => (typeof r === 'number' ? Float64Array.of(r) : r);

describe('fuzz: channel measures against the js reference', () => {
  fuzz('channelMutualInformation and channelCapacity: values, errors and bounds', 300, () => fc.property(caseArb, checkCase));
});
