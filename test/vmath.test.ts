// Accuracy of the vector logarithms in assembly/vmath.ts, element by element, through the
// test-only build/probe.wasm (built by scripts/build-wasm.mjs).
//
// Errors are in ulps of the reference value. float64: reference Math.log (V8's fdlibm port,
// itself < 1 ulp), bound 1 ulp. float32: reference Math.log of the float32 input in float64,
// i.e. the true value to ~2^-29 float32 ulp, bound 2 ulp; results must also be within one
// float32 step of Math.fround(Math.log(x)). The ratio form of log(p/q) is checked against
// log1p((p − q)/q) near p = q (p − q is exact in float64) and Math.log(p/q) elsewhere.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';

interface Probe {
  memory: WebAssembly.Memory;
  heapBase(): number;
  logF64Array(src: number, dst: number, n: number): void;
  logF32Array(src: number, dst: number, n: number): void;
  logF64ScalarArray(src: number, dst: number, n: number): void;
  logF32ScalarArray(src: number, dst: number, n: number): void;
  logRatioF32Array(p: number, q: number, k: number, L: number, n: number): void;
}

let probe: Probe;
let base = 0;

beforeAll(async () => {
  const bytes = readFileSync(new URL('../build/probe.wasm', import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  probe = instance.exports as unknown as Probe;
  base = (probe.heapBase() + 63) & ~63;
});

/** Makes room for `bytes` above heapBase (views must be re-created after this). */
function reserve(bytes: number): void {
  const need = base + bytes - probe.memory.buffer.byteLength;
  if (need > 0) probe.memory.grow(Math.ceil(need / 65536));
}

type Fn = 'logF64Array' | 'logF32Array' | 'logF64ScalarArray' | 'logF32ScalarArray';

/** Runs fn over xs in wasm memory; the input is placed at an offset that breaks 16-byte alignment when `shift`. */
function run64(fn: Fn, xs: Float64Array, shift = false): Float64Array {
  const src = base + (shift ? 8 : 0);
  const dst = base + 16 + xs.length * 8 + (shift ? 8 : 0);
  reserve(32 + xs.length * 16);
  new Float64Array(probe.memory.buffer, src, xs.length).set(xs);
  probe[fn](src, dst, xs.length);
  return new Float64Array(probe.memory.buffer, dst, xs.length).slice();
}

function run32(fn: Fn, xs: Float32Array, shift = false): Float32Array {
  const src = base + (shift ? 4 : 0);
  const dst = base + 16 + xs.length * 4 + (shift ? 4 : 0);
  reserve(32 + xs.length * 8);
  new Float32Array(probe.memory.buffer, src, xs.length).set(xs);
  probe[fn](src, dst, xs.length);
  return new Float32Array(probe.memory.buffer, dst, xs.length).slice();
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Binary exponent of a normal double (2^e ≤ |v| < 2^(e+1)); logs of finite inputs are never subnormal. */
function exponentOf(v: number): number {
  f64[0] = v;
  return ((u32[1]! >>> 20) & 0x7ff) - 1023;
}

const ulp64 = (ref: number): number => 2 ** (exponentOf(ref) - 52);
const ulp32 = (ref: number): number => 2 ** (Math.max(exponentOf(ref), -126) - 23);

interface Stats {
  max: number;
  at: number;
}

/** Max error in ulps of got vs Math.log(xs); log(1) must be exactly 0. */
function errors(xs: ArrayLike<number>, got: ArrayLike<number>, ulp: (r: number) => number): Stats {
  let max = 0, at = NaN;
  for (let i = 0; i < xs.length; i++) {
    const ref = Math.log(xs[i]!);
    const e = ref === 0 ? (got[i] === 0 ? 0 : Infinity) : Math.abs(got[i]! - ref) / ulp(ref);
    if (!(e <= max)) { max = e; at = xs[i]!; } // NaN results count as failures too
  }
  return { max, at };
}

/** Max distance in float32 steps between got and Math.fround(Math.log(xs)). */
function steps32(xs: Float32Array, got: Float32Array): number {
  const a = new Int32Array(got.buffer, got.byteOffset, got.length);
  const refs = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) refs[i] = Math.log(xs[i]!);
  const b = new Int32Array(refs.buffer);
  let max = 0;
  for (let i = 0; i < xs.length; i++) {
    // both are finite here; map sign-magnitude bits onto a monotone integer line
    const ia = a[i]! < 0 ? -(a[i]! & 0x7fffffff) : a[i]!;
    const ib = b[i]! < 0 ? -(b[i]! & 0x7fffffff) : b[i]!;
    max = Math.max(max, Math.abs(ia - ib));
  }
  return max;
}

function concat<T extends Float64Array | Float32Array>(make: (n: number) => T, parts: ArrayLike<number>[]): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// Deterministic xorshift generator: reproducible failures.
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function f64Sets(): Record<string, Float64Array> {
  const r = rng(0x9e3779b9);
  const wide = new Float64Array(1_000_000).map(() => 10 ** (-308 + 616 * r()));
  const unit = new Float64Array(400_000).map(() => 0.5 + 1.5 * r());
  const nearOne = new Float64Array(100_000).map(() => 1 + (2 * r() - 1) * 1e-3);
  // subnormals from 5e-324 to 2.2e-308, log-uniform, and uniform in value
  const sub = new Float64Array(100_000).map((_, i) => (i & 1 ? 2 ** (-1074 + 52 * r()) : r() * 2.2250738585072014e-308));
  // the reduction boundaries √½ and √2, and exact powers of two
  const edges = new Float64Array(40_000).map((_, i) => (i & 1 ? Math.SQRT2 : Math.SQRT1_2) * (1 + (2 * r() - 1) * 2 ** -40) * 2 ** ((i % 200) - 100));
  const pow2 = new Float64Array(2098).map((_, i) => 2 ** (i - 1074));
  return { wide, unit, nearOne, sub, edges, pow2 };
}

function f32Sets(): Record<string, Float32Array> {
  const r = rng(0x85ebca6b);
  // uniformly random bit patterns cover every binade, subnormals included
  const bits = new Uint32Array(1_000_000).map(() => 1 + Math.floor(r() * 0x7f7fffff));
  const wide = new Float32Array(bits.buffer);
  const logU = new Float32Array(1_000_000).map(() => 10 ** (-45 + 83.5 * r()));
  // every float32 in [0.5, 2), in 1 ± 1e-3 and every subnormal: exhaustive
  const unit = new Float32Array(new Uint32Array(1 << 24).map((_, i) => 0x3f000000 + i).buffer);
  const lo = Math.fround(1 - 1e-3), hi = Math.fround(1 + 1e-3);
  const nearOneBits: number[] = [];
  const t = new Float32Array(1), tb = new Uint32Array(t.buffer);
  t[0] = lo;
  for (let b = tb[0]!; ; b++) { tb[0] = b; if (t[0]! > hi) break; nearOneBits.push(b); }
  const nearOne = new Float32Array(Uint32Array.from(nearOneBits).buffer);
  const sub = new Float32Array(new Uint32Array(0x7fffff).map((_, i) => i + 1).buffer);
  const pow2 = new Float32Array(277).map((_, i) => 2 ** (i - 149));
  return { wide, logU, unit, nearOne, sub, pow2 };
}

describe('logF64x2', () => {
  it('is within 1 ulp of Math.log on random and structured inputs', () => {
    for (const [name, xs] of Object.entries(f64Sets())) {
      const s = errors(xs, run64('logF64Array', xs), ulp64);
      expect(s.max, `${name}: max ${s.max} ulp at x=${s.at}`).toBeLessThanOrEqual(1);
    }
  });

  it('returns exact special values', () => {
    const xs = Float64Array.of(0, -0, Infinity, -Infinity, NaN, -NaN, -1, -5e-324, -Number.MAX_VALUE, 1, Number.MAX_VALUE, 5e-324, 2, 0.5);
    const got = run64('logF64Array', xs);
    expect(Object.is(got[0], -Infinity)).toBe(true);
    expect(Object.is(got[1], -Infinity)).toBe(true);
    expect(got[2]).toBe(Infinity);
    for (let i = 3; i <= 8; i++) expect(got[i], `x=${xs[i]}`).toBeNaN();
    expect(Object.is(got[9], 0)).toBe(true); // +0, not -0
    expect(got[10]).toBe(Math.log(Number.MAX_VALUE)); // 709.782712893384
    expect(got[11]).toBe(-1074 * Math.LN2);
    expect(got[12]).toBe(Math.LN2);
    expect(got[13]).toBe(-Math.LN2);
  });

  it('handles every length 1..67 and unaligned starts (odd tails)', () => {
    const r = rng(7);
    for (let n = 1; n <= 67; n++) {
      const xs = new Float64Array(n).map(() => 10 ** (-20 + 40 * r()));
      xs[n - 1] = 0; // a special value in the tail lane
      for (const shift of [false, true]) {
        const got = run64('logF64Array', xs, shift);
        expect(got[n - 1]).toBe(-Infinity);
        expect(errors(xs.subarray(0, n - 1), got, ulp64).max).toBeLessThanOrEqual(1);
      }
    }
  });

  it('has a scalar twin logF64 that agrees bit for bit', () => {
    const sets = f64Sets();
    const xs = concat((n) => new Float64Array(n), [sets.sub!, sets.wide!, sets.edges!, sets.pow2!,
      [0, -0, Infinity, -Infinity, NaN, -2, 1, Number.MAX_VALUE]]);
    const v = new BigUint64Array(run64('logF64Array', xs).buffer);
    const s = new BigUint64Array(run64('logF64ScalarArray', xs).buffer);
    for (let i = 0; i < xs.length; i++) {
      if (Number.isNaN(xs[i]) || xs[i]! < 0) continue; // NaN payloads may differ
      if (v[i] !== s[i]) expect.fail(`x=${xs[i]}: vector ${v[i]!.toString(16)} scalar ${s[i]!.toString(16)}`);
    }
  });
});

describe('logF32x4', () => {
  it('is within 2 ulp of the exact log, and one float32 step of fround(Math.log)', () => {
    for (const [name, xs] of Object.entries(f32Sets())) {
      const got = run32('logF32Array', xs);
      const s = errors(xs, got, ulp32);
      expect(s.max, `${name}: max ${s.max} ulp at x=${s.at}`).toBeLessThanOrEqual(2);
      expect(steps32(xs, got), name).toBeLessThanOrEqual(1);
    }
  });

  it('returns exact special values', () => {
    const maxF32 = 3.4028234663852886e38, minSub = 1.401298464324817e-45;
    const xs = Float32Array.of(0, -0, Infinity, -Infinity, NaN, -1, -minSub, -maxF32, 1, maxF32, minSub, 2, 0.5);
    const got = run32('logF32Array', xs);
    expect(Object.is(got[0], -Infinity)).toBe(true);
    expect(Object.is(got[1], -Infinity)).toBe(true);
    expect(got[2]).toBe(Infinity);
    for (let i = 3; i <= 7; i++) expect(got[i], `x=${xs[i]}`).toBeNaN();
    expect(Object.is(got[8], 0)).toBe(true);
    expect(got[9]).toBe(Math.fround(Math.log(maxF32))); // 88.72284
    expect(got[10]).toBe(Math.fround(-149 * Math.LN2));
    expect(got[11]).toBe(Math.fround(Math.LN2));
    expect(got[12]).toBe(Math.fround(-Math.LN2));
  });

  it('handles every length 1..67 and unaligned starts (odd tails)', () => {
    const r = rng(11);
    for (let n = 1; n <= 67; n++) {
      const xs = new Float32Array(n).map(() => 10 ** (-20 + 40 * r()));
      xs[n - 1] = 0;
      for (const shift of [false, true]) {
        const got = run32('logF32Array', xs, shift);
        expect(got[n - 1]).toBe(-Infinity);
        expect(errors(xs.subarray(0, n - 1), got, ulp32).max).toBeLessThanOrEqual(2);
      }
    }
  });

  it('has a scalar twin logF32 that agrees bit for bit', () => {
    const sets = f32Sets();
    const xs = concat((n) => new Float32Array(n), [sets.sub!, sets.wide!, sets.nearOne!, sets.pow2!,
      [0, -0, Infinity, -Infinity, NaN, -2, 1, 3.4028234663852886e38]]);
    const v = new Uint32Array(run32('logF32Array', xs).buffer);
    const s = new Uint32Array(run32('logF32ScalarArray', xs).buffer);
    for (let i = 0; i < xs.length; i++) {
      if (Number.isNaN(xs[i]) || xs[i]! < 0) continue;
      if (v[i] !== s[i]) expect.fail(`x=${xs[i]}: vector ${v[i]!.toString(16)} scalar ${s[i]!.toString(16)}`);
    }
  });
});

describe('log(p/q) in the ratio form (float32 KL)', () => {
  /** k and L with log(p/q) = k·ln2 + L, for every pair. */
  function ratioForm(ps: Float32Array, qs: Float32Array): { k: Int32Array; L: Float32Array } {
    const n = ps.length;
    reserve(16 * n);
    const m = probe.memory.buffer;
    new Float32Array(m, base, n).set(ps);
    new Float32Array(m, base + 4 * n, n).set(qs);
    probe.logRatioF32Array(base, base + 4 * n, base + 8 * n, base + 12 * n, n);
    return { k: new Int32Array(m, base + 8 * n, n).slice(), L: new Float32Array(m, base + 12 * n, n).slice() };
  }

  it('keeps L = log(p/q) − k·ln2 within 2 ulp of its exact value, also as p/q → 1', () => {
    const r = rng(21);
    const N = 1 << 16;
    const sets: Record<string, () => [number, number]> = {
      uniform: () => [r(), r()],
      logUniform: () => [Math.exp((r() - 0.5) * 160), Math.exp((r() - 0.5) * 160)],
      within1e3: () => { const p = r() + 0.1; return [p, p * (1 + (r() - 0.5) * 2e-3)]; },
      within1e6: () => { const p = r() + 0.1; return [p, p * (1 + (r() - 0.5) * 2e-6)]; },
      // ratios near the ends of the reduction's range, 2^±0.586
      edges: () => { const p = 2 ** Math.floor(r() * 40 - 20) * (1 + r()); return [p, p * 2 ** (r() < 0.5 ? 0.58 : -0.58) * (1 + (r() - 0.5) * 0.02)]; },
    };
    for (const [name, gen] of Object.entries(sets)) {
      const ps = new Float32Array(N), qs = new Float32Array(N);
      for (let i = 0; i < N; i++) [ps[i], qs[i]] = gen();
      const { k, L } = ratioForm(ps, qs);
      let worst = 0;
      for (let i = 0; i < N; i++) {
        const p = ps[i]!, q = qs[i]!, ratio = p / q;
        // p − q is exact in float64, so log1p keeps the digits near 1.
        const exact = (Math.abs(ratio - 1) < 0.5 ? Math.log1p((p - q) / q) : Math.log(ratio)) - k[i]! * Math.LN2;
        const e = exact === 0 ? (L[i] === 0 && k[i] === 0 ? 0 : Infinity) : Math.abs(L[i]! - exact) / ulp32(exact);
        if (!(e <= worst)) worst = e;
      }
      expect(worst, name).toBeLessThanOrEqual(2);
    }
  });
});
