// An exact oracle for adversarial rows, independent of float64 and of the library: every double
// is an integer multiple of 2^-1074, so row sums are exact BigInts and shares exact rationals
// (kept to 320 significant bits, however small); logarithms are evaluated in 320-bit fixed point
// (atanh series). Each term's relative error is ~2^-320 and the sum is rounded to a double once,
// also where ratios or shares over- or underflow in float64.

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

/** x·2^-shift as the nearest double (to within an ulp). */
export function toNumber(x: bigint, shift: number): number {
  if (x === 0n) return 0;
  const negative = x < 0n;
  const a = negative ? -x : x;
  const drop = Math.max(0, bitLength(a) - 64);
  const v = ldexp(Number(a >> BigInt(drop)), drop - shift);
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

/** A weight w·2^-shift (kept to 320 significant bits however small) and its log in fixed point. */
interface Weight {
  w: bigint;
  shift: number;
  ln: bigint;
}

/** Element i's weight: its share x_i/Σx (scipy) or x_i itself (raw, exactly u_i·2^-1074). */
function weightOf(r: Row, i: number, convention: Convention): Weight {
  if (convention === 'raw') return { w: r.u[i], shift: UNIT_EXP, ln: lnInt(r.u[i]) - BigInt(UNIT_EXP) * LN2 };
  const shift = Number(BITS) + Math.max(0, bitLength(r.total) - bitLength(r.u[i]));
  return { w: (r.u[i] << BigInt(shift)) / r.total, shift, ln: lnInt(r.u[i]) - lnInt(r.total) };
}

/** A term w·l as a value num·2^-shift (l a fixed-point log). */
const product = (a: Weight, l: bigint): [bigint, number] => [a.w * l, a.shift + Number(BITS)];

/** Σ of the terms of every element, rounded once to a double; a null term (p > 0 = q) makes it Infinity. */
function sumTerms(n: number, term: (i: number) => [bigint, number][] | null): number {
  const all: [bigint, number][] = [];
  for (let i = 0; i < n; i++) {
    const t = term(i);
    if (t === null) return Infinity;
    all.push(...t);
  }
  const shift = Math.max(0, ...all.map(([, s]) => s));
  const sum = all.reduce((acc, [v, s]) => acc + (v << BigInt(shift - s)), 0n);
  return toNumber(sum, shift);
}

export function exactEntropy(p: readonly number[], convention: Convention): number {
  const P = rowOf(p);
  return sumTerms(p.length, (i) => {
    if (P.u[i] === 0n) return [];
    const a = weightOf(P, i, convention);
    return [product(a, -a.ln)];
  });
}

export function exactCrossEntropy(p: readonly number[], q: readonly number[], convention: Convention): number {
  const P = rowOf(p), Q = rowOf(q);
  return sumTerms(p.length, (i) => {
    if (P.u[i] === 0n) return [];
    if (Q.u[i] === 0n) return null;
    return [product(weightOf(P, i, convention), -weightOf(Q, i, convention).ln)];
  });
}

export function exactKl(p: readonly number[], q: readonly number[], convention: Convention): number {
  const P = rowOf(p), Q = rowOf(q);
  return sumTerms(p.length, (i) => {
    if (P.u[i] === 0n) return [];
    if (Q.u[i] === 0n) return null;
    const a = weightOf(P, i, convention);
    return [product(a, a.ln - weightOf(Q, i, convention).ln)];
  });
}

/** ½ Σ [p' ln(p'/m) + q' ln(q'/m)], m = (p' + q')/2 = (p_i Q + q_i P)/(2PQ), exactly. */
export function exactJsd(p: readonly number[], q: readonly number[]): number {
  const P = rowOf(p), Q = rowOf(q);
  const lnPQ = lnInt(P.total * Q.total);
  const v = sumTerms(p.length, (i) => {
    if (P.u[i] === 0n && Q.u[i] === 0n) return [];
    const lnM = lnInt(P.u[i] * Q.total + Q.u[i] * P.total) - lnPQ - LN2;
    const terms: [bigint, number][] = [];
    for (const [R, u] of [[P, P.u[i]], [Q, Q.u[i]]] as const) {
      if (u === 0n) continue;
      const a = weightOf(R, i, 'scipy');
      // ½ by one more bit of shift.
      const [num, shift] = product(a, a.ln - lnM);
      terms.push([num, shift + 1]);
    }
    return terms;
  });
  return Math.max(0, v);
}
