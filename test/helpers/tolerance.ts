// The scale of a row measure's rounding error, which tolerances against the reference multiply.

/** Magnitude of the terms whose rounding the result inherits (the conformance rule's C). */
export function termScale(p: ArrayLike<number>, q: ArrayLike<number>, normalize: boolean): number {
  let sp = 0, sq = 0;
  for (let i = 0; i < p.length; i++) { sp += p[i]; sq += q[i]; }
  if (!normalize) { sp = 1; sq = 1; }
  let c = 1;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp, b = q[i] / sq;
    const la = a > 0 ? Math.abs(Math.log(a)) : 0, lb = b > 0 ? Math.abs(Math.log(b)) : 0;
    c += (a + b) * (la + lb + 1);
  }
  return c;
}
