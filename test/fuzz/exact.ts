// An exact oracle for adversarial rows, independent of float64 and of the library: every double
// is an integer multiple of 2^-1074, so row sums and shares are exact rationals of BigInts, and
// logarithms are evaluated in 320-bit fixed point (atanh series). Results are rounded to a double
// only at the end, so they are correct to about one ulp, also where ratios over- or underflow.

const BITS = 320n;
const ONE = 1n << BITS;
/** Every finite double is units(x)·2^-1074. */
const UNIT_EXP = 1074;

/** x (finite, ≥ 0) as the exact integer x·2^1074. */
export function units(x: number): bigint {
  if (!(x >= 0) || x === Infinity) throw new RangeError(`not a finite non-negative double: ${x}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0 ? frac : (frac | (1n << 52n)) << BigInt(exp - 1);
}

const bitLength = (n: bigint) => n.toString(2).length;

/** 2·atanh(z) for a fixed-point z in [0, 1/3]. */
function twoAtanh(z: bigint): bigint {
  const z2 = (z * z) >> BITS;
  let term = z, sum = z;
  for (let k = 3n; term !== 0n; k += 2n) {
    term = (term * z2) >> BITS;
    sum += term / k;
  }
  return 2n * sum;
}

const LN2 = twoAtanh(ONE / 3n);

/** ln n in fixed point, for an integer n > 0: k·ln 2 + 2·atanh((n − 2^k)/(n + 2^k)), 2^k ≤ n < 2^(k+1). */
export function lnInt(n: bigint): bigint {
  if (n <= 0n) throw new RangeError('ln of a non-positive integer');
  const k = BigInt(bitLength(n) - 1);
  const pow = 1n << k;
  return k * LN2 + twoAtanh(((n - pow) << BITS) / (n + pow));
}

/** m·2^e as a double, without intermediate over- or underflow. */
function ldexp(m: number, e: number): number {
  while (e > 1000) { m *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { m *= 2 ** -1000; e += 1000; }
  return m * 2 ** e;
}

/** The fixed-point value x·2^-(BITS + shift) as the nearest double (to within an ulp). */
export function toNumber(x: bigint, shift = 0): number {
  if (x === 0n) return 0;
  const negative = x < 0n;
  const a = negative ? -x : x;
  const drop = Math.max(0, bitLength(a) - 64);
  const v = ldexp(Number(a >> BigInt(drop)), drop - Number(BITS) - shift);
  return negative ? -v : v;
}

export type Convention = 'scipy' | 'raw';

interface Row {
  u: bigint[];
  total: bigint;
}

const rowOf = (x: readonly number[]): Row => {
  const u = x.map(units);
  return { u, total: u.reduce((a, b) => a + b, 0n) };
};

/**
 * ln of element i's weight in fixed point: the share x_i/Σx (scipy) or x_i itself (raw); and
 * the weight, also in fixed point (raw weights are scaled by 2^-1074 relative to their value:
 * the caller's shift undoes it).
 */
function weightOf(r: Row, i: number, convention: Convention): { w: bigint; ln: bigint } {
  if (convention === 'scipy') return { w: (r.u[i] << BITS) / r.total, ln: lnInt(r.u[i]) - lnInt(r.total) };
  return { w: r.u[i] << BITS, ln: lnInt(r.u[i]) - BigInt(UNIT_EXP) * LN2 };
}

/** Σ term(i), rounded to a double (Infinity where a term is null); raw weights carry 2^1074. */
function sumTerms(n: number, convention: Convention, term: (i: number) => bigint | null): number {
  let s = 0n;
  for (let i = 0; i < n; i++) {
    const t = term(i);
    if (t === null) return Infinity;
    s += t;
  }
  return toNumber(s, Number(BITS) + (convention === 'raw' ? UNIT_EXP : 0));
}

export function exactEntropy(p: readonly number[], convention: Convention): number {
  const P = rowOf(p);
  return sumTerms(p.length, convention, (i) => {
    if (P.u[i] === 0n) return 0n;
    const { w, ln } = weightOf(P, i, convention);
    return -w * ln;
  });
}

export function exactCrossEntropy(p: readonly number[], q: readonly number[], convention: Convention): number {
  const P = rowOf(p), Q = rowOf(q);
  return sumTerms(p.length, convention, (i) => {
    if (P.u[i] === 0n) return 0n;
    if (Q.u[i] === 0n) return null;
    return -weightOf(P, i, convention).w * weightOf(Q, i, convention).ln;
  });
}

export function exactKl(p: readonly number[], q: readonly number[], convention: Convention): number {
  const P = rowOf(p), Q = rowOf(q);
  return sumTerms(p.length, convention, (i) => {
    if (P.u[i] === 0n) return 0n;
    if (Q.u[i] === 0n) return null;
    const a = weightOf(P, i, convention);
    return a.w * (a.ln - weightOf(Q, i, convention).ln);
  });
}

/** ½ Σ [p' ln(p'/m) + q' ln(q'/m)], m = (p' + q')/2 = (p_i Q + q_i P)/(2PQ), exactly. */
export function exactJsd(p: readonly number[], q: readonly number[]): number {
  const P = rowOf(p), Q = rowOf(q);
  const lnPQ = lnInt(P.total * Q.total);
  const v = sumTerms(p.length, 'scipy', (i) => {
    if (P.u[i] === 0n && Q.u[i] === 0n) return 0n;
    const lnM = lnInt(P.u[i] * Q.total + Q.u[i] * P.total) - lnPQ - LN2;
    let t = 0n;
    if (P.u[i] > 0n) { const a = weightOf(P, i, 'scipy'); t += a.w * (a.ln - lnM); }
    if (Q.u[i] > 0n) { const b = weightOf(Q, i, 'scipy'); t += b.w * (b.ln - lnM); }
    return t / 2n;
  });
  return Math.max(0, v);
}
