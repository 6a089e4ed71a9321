// Loading and checking the conformance vectors in test/fixtures (format: test/fixtures/README.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A case passes iff |actual − expected| ≤ abs + rel·|expected|, elementwise. */
export interface Tolerance {
  rel: number;
  abs: number;
}

export interface FixtureCase {
  id: string;
  /** Named inputs as JSON: numbers, strings for non-finite numbers, nested arrays, labels. */
  args: Record<string, unknown>;
  options: Record<string, unknown>;
  /** A number, an array, `"Infinity"` / `"-Infinity"` / `"NaN"`, or `"error"`. */
  expected: unknown;
  /** null for error cases. */
  tol: Tolerance | null;
  note?: string;
  reference?: string;
  error_code?: string;
  error_at?: number[] | null;
}

export interface Fixture {
  function: string;
  reference: string;
  description?: string;
  cases: FixtureCase[];
}

/** A decoded JSON number or (nested) array of them. */
export type Numeric = number | Numeric[];

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** Reads test/fixtures/<name>.json (`name` with or without the extension). */
export function loadFixture(name: string): Fixture {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(readFileSync(fileURLToPath(new URL(file, FIXTURES)), 'utf8')) as Fixture;
}

const NON_FINITE: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN };

/**
 * Decodes a JSON number or nested array of numbers, turning the strings "Infinity",
 * "-Infinity" and "NaN" into numbers. Anything else (e.g. a string label) is an error: label
 * arrays of `label_type: "string"` must not be decoded.
 */
export function decodeNumbers(x: unknown): Numeric {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x in NON_FINITE) return NON_FINITE[x];
  if (Array.isArray(x)) return x.map(decodeNumbers);
  throw new TypeError(`not a numeric fixture value: ${JSON.stringify(x)}`);
}

/**
 * The README's tolerance rule for one value; a non-finite expected value (±Infinity, NaN) must
 * be matched exactly.
 */
export function withinTol(actual: number, expected: number, tol: Tolerance): boolean {
  if (!Number.isFinite(expected)) return Object.is(actual, expected);
  return Math.abs(actual - expected) <= tol.abs + tol.rel * Math.abs(expected);
}
