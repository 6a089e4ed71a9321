/**
 * Float64 reference for discrete memoryless channels W[x][y] = p(y|x) (row-major nx × ny):
 * the mutual information of an input distribution, and the capacity by Blahut-Arimoto.
 * Results are in nats. Invalid input (negative or non-finite entries, a zero-sum px) gives NaN;
 * whether the rows of W sum to 1 is the caller's check.
 */

import { CompensatedSum, MIN_NORMAL, isValidRow, rowMass, share } from './rows.js';

export interface CapacityResult {
  /** I(X;Y) of `inputDistribution`, in nats: a lower bound of the capacity. */
  capacity: number;
  inputDistribution: Float64Array;
  /** Number of Blahut-Arimoto iterations (bound evaluations) performed. */
  iterations: number;
  /** Certified bound on capacity − `capacity`, in nats (an upper bound minus the lower one). */
  gap: number;
  converged: boolean;
}

/** q = pW, the output distribution of input distribution p. */
function outputDistribution(
  p: Float64Array, W: ArrayLike<number>, nx: number, ny: number,
): Float64Array {
  const q = new Float64Array(ny);
  for (let y = 0; y < ny; y++) {
    const acc = new CompensatedSum();
    for (let x = 0; x < nx; x++) if (p[x] > 0) acc.add(p[x] * W[x * ny + y]);
    q[y] = acc.value;
  }
  return q;
}

/** D(W_x ‖ q) for every input x; +Infinity where W_x puts mass on an output with q_y = 0. */
function rowDivergences(
  W: ArrayLike<number>, q: Float64Array, nx: number, ny: number, out: Float64Array,
): void {
  for (let x = 0; x < nx; x++) {
    const acc = new CompensatedSum();
    for (let y = 0; y < ny; y++) {
      const w = W[x * ny + y];
      if (w === 0) continue;
      const qy = q[y];
      if (qy === 0) {
        acc.add(Infinity);
        break;
      }
      const ratio = w / qy;
      // w/q overflows only for inputs of (nearly) zero weight; log w − log q is then exact enough.
      acc.add(w * (ratio >= MIN_NORMAL && ratio < Infinity ? Math.log(ratio) : Math.log(w) - Math.log(qy)));
    }
    out[x] = acc.value;
  }
}

/** I(p) = Σ_x p_x D(W_x ‖ pW), given the row divergences d; clamped at 0. */
function informationOf(p: Float64Array, d: Float64Array): number {
  const acc = new CompensatedSum();
  for (let x = 0; x < p.length; x++) if (p[x] > 0) acc.add(p[x] * d[x]);
  return Math.max(0, acc.value);
}

/**
 * Mutual information I(X;Y) = Σ_x px Σ_y W log(W / q), q = px W, with px normalized by its
 * sum first (like scipy).
 */
export function channelMI(
  px: ArrayLike<number>, W: ArrayLike<number>, nx: number, ny: number,
): number {
  if (!isValidRow(px, 0, nx) || !isValidRow(W, 0, nx * ny)) return NaN;
  const mass = rowMass(px, 0, nx);
  if (mass.sum === 0) return NaN;
  const p = new Float64Array(nx);
  for (let x = 0; x < nx; x++) p[x] = share(px[x], mass);
  const d = new Float64Array(nx);
  rowDivergences(W, outputDistribution(p, W, nx, ny), nx, ny, d);
  return informationOf(p, d);
}

/** BA iterations before the first Newton attempt; doubled each time a Newton phase stalls. */
const FIRST_NEWTON_AFTER = 8;
/** Ridge (relative to the largest diagonal entry) for channels with linearly dependent rows. */
const RIDGE = 1e-10;

/**
 * Channel capacity: Blahut-Arimoto (p_x ← p_x exp(D(W_x‖pW)) / Σ) from the uniform input,
 * finished by Newton steps.
 *
 * Every iterate brackets the capacity, I(p) ≤ C ≤ max_x D(W_x‖pW), whatever produced it; the
 * best lower and upper bounds seen are kept and the iteration stops once they are within `tol`
 * nats (the reported `gap`), so the Newton steps can speed convergence up but never make the
 * answer wrong. Plain BA converges linearly, and very slowly on nearly useless channels (tens of
 * thousands of iterations for a gap of 1e-12); so after a while of BA each step maximizes the
 * exact second-order model of I(p) over the simplex instead (a small quadratic program, whose
 * active set also settles which inputs get zero weight), for as long as that keeps tightening
 * the bracket; otherwise BA resumes from the best input, for twice as long before the next try.
 * `iterations` counts bound evaluations (BA and Newton steps alike). After `maxIter` of them the
 * best input so far is returned with `converged: false`.
 */
export function blahutArimoto(
  W: ArrayLike<number>, nx: number, ny: number, tol: number, maxIter: number,
): CapacityResult {
  if (nx === 0 || ny === 0 || !isValidRow(W, 0, nx * ny)) {
    return {
      capacity: NaN, inputDistribution: new Float64Array(nx).fill(NaN),
      iterations: 0, gap: NaN, converged: false,
    };
  }
  const p = new Float64Array(nx).fill(1 / nx);
  const best = Float64Array.from(p);
  const d = new Float64Array(nx);
  let lower = -Infinity;
  let upper = Infinity;
  let iterations = 0;
  let newton = false;
  let baSteps = 0;
  let baBudget = FIRST_NEWTON_AFTER;
  while (iterations < maxIter) {
    iterations++;
    const q = outputDistribution(p, W, nx, ny);
    rowDivergences(W, q, nx, ny, d);
    const info = informationOf(p, d);
    let dMax = -Infinity;
    for (let x = 0; x < nx; x++) dMax = Math.max(dMax, d[x]);
    const tightened = info > lower || dMax < upper;
    upper = Math.min(upper, dMax);
    if (info > lower) {
      lower = info;
      best.set(p);
    }
    if (upper - lower <= tol) break;
    if (newton && !tightened) {
      // The last Newton step did not help: more BA first, from the best input so far.
      newton = false;
      baSteps = 0;
      baBudget *= 2;
      p.set(best);
      continue;
    }
    if (!newton && baSteps >= baBudget) newton = true;
    if (newton) {
      if (newtonStep(p, W, q, d, info, nx, ny)) continue;
      newton = false;
      baSteps = 0;
      baBudget *= 2;
    }
    blahutArimotoStep(p, d, dMax);
    baSteps++;
  }
  const gap = Math.max(0, upper - lower);
  return { capacity: lower, inputDistribution: best, iterations, gap, converged: gap <= tol };
}

/** One BA update. Shifting by max D keeps every factor in (0, 1]: nothing overflows. */
function blahutArimotoStep(p: Float64Array, d: Float64Array, dMax: number): void {
  const acc = new CompensatedSum();
  for (let x = 0; x < p.length; x++) {
    p[x] *= Math.exp(d[x] - dMax);
    acc.add(p[x]);
  }
  const total = acc.value;
  for (let x = 0; x < p.length; x++) p[x] /= total;
}

/**
 * One Newton step: p ← argmax over the simplex of the second-order model of I at p,
 * I(p) + D·(t − p) − ½ (t − p)ᵀ A (t − p), where ∂I/∂p_x = D_x − 1 (the constant vanishes on
 * the simplex) and A_xz = −∂²I/∂p_x∂p_z = Σ_y W_xy W_zy / q_y (positive semidefinite; a small
 * ridge makes it definite). Returns false, leaving p alone, if the program cannot be solved.
 */
function newtonStep(
  p: Float64Array, W: ArrayLike<number>, q: Float64Array, d: Float64Array, info: number,
  nx: number, ny: number,
): boolean {
  const A = new Float64Array(nx * nx);
  let diagMax = 0;
  for (let x = 0; x < nx; x++) {
    for (let z = 0; z <= x; z++) {
      const acc = new CompensatedSum();
      for (let y = 0; y < ny; y++) {
        const w = W[x * ny + y] * W[z * ny + y];
        if (w > 0) acc.add(w / q[y]);
      }
      A[x * nx + z] = A[z * nx + x] = acc.value;
    }
    diagMax = Math.max(diagMax, A[x * nx + x]);
  }
  for (let x = 0; x < nx; x++) A[x * nx + x] += RIDGE * diagMax;
  // The model in standard form: minimize ½ tᵀAt − bᵀt with b = A p + D.
  const b = new Float64Array(nx);
  for (let x = 0; x < nx; x++) {
    const acc = new CompensatedSum();
    acc.add(d[x]);
    for (let z = 0; z < nx; z++) acc.add(A[x * nx + z] * p[z]);
    b[x] = acc.value;
  }
  // The program's solution does not depend on where the active-set method starts. Starting
  // from the inputs that currently do better than average (D_x ≥ I(p), which include every
  // input of the optimal support once q is close) spares removing the many others one round at
  // a time; inputs missing from the start join through their multipliers.
  const start = new Float64Array(nx);
  let kept = 0;
  for (let x = 0; x < nx; x++) {
    if (d[x] >= info) {
      start[x] = p[x];
      kept += p[x];
    }
  }
  if (!(kept > 0)) return false;
  for (let x = 0; x < nx; x++) start[x] /= kept;
  const t = minimizeOnSimplex(A, b, start, nx);
  if (t === null || leavesOutputUncovered(t, W, nx, ny)) return false;
  p.set(t);
  return true;
}

/**
 * True if input distribution t gives zero probability to an output some input can reach: D
 * would be infinite for those inputs, which BA cannot recover from (and the optimum never does).
 */
function leavesOutputUncovered(t: Float64Array, W: ArrayLike<number>, nx: number, ny: number): boolean {
  for (let y = 0; y < ny; y++) {
    let reachable = false;
    let covered = false;
    for (let x = 0; x < nx && !covered; x++) {
      if (W[x * ny + y] > 0) {
        reachable = true;
        covered = t[x] > 0;
      }
    }
    if (reachable && !covered) return true;
  }
  return false;
}

/**
 * Primal active-set method for min ½ tᵀAt − bᵀt subject to t ≥ 0, Σt = 1, with A positive
 * definite, started from the feasible point `start`. The free inputs solve the equality-
 * constrained problem; a solution leaving the simplex is cut back at its boundary and the inputs
 * reaching 0 become fixed; a fixed input whose multiplier says the objective decreases by
 * freeing it is freed. Returns null if a system is singular or the method does not settle.
 */
function minimizeOnSimplex(
  A: Float64Array, b: Float64Array, start: Float64Array, n: number,
): Float64Array | null {
  const s = Float64Array.from(start);
  const free: boolean[] = Array.from(s, (v) => v > 0);
  let bMax = 0;
  for (let x = 0; x < n; x++) bMax = Math.max(bMax, Math.abs(b[x]));
  // Multipliers this close to 0 are rounding noise, not a reason to free an input.
  const noise = 64 * Number.EPSILON * (1 + bMax);
  for (let round = 0; round < 4 * n + 8; round++) {
    const idx: number[] = [];
    for (let x = 0; x < n; x++) if (free[x]) idx.push(x);
    const m = idx.length;
    const size = m + 1;
    const M = new Float64Array(size * size);
    const rhs = new Float64Array(size);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) M[i * size + j] = A[idx[i] * n + idx[j]];
      M[i * size + m] = M[m * size + i] = 1;
      rhs[i] = b[idx[i]];
    }
    rhs[m] = 1;
    const sol = solveLinear(M, rhs, size);
    if (sol === null) return null;
    const nu = sol[m];
    // Walk from s towards the free solution, stopping where an input first reaches 0; the
    // inputs stopping the walk become fixed at 0.
    const reach = (i: number): number => {
      const x = idx[i];
      return s[x] > 0 ? s[x] / (s[x] - sol[i]) : 0;
    };
    let alpha = 1;
    for (let i = 0; i < m; i++) if (sol[i] <= 0) alpha = Math.min(alpha, reach(i));
    if (alpha < 1) {
      for (let i = 0; i < m; i++) {
        const x = idx[i];
        if (sol[i] <= 0 && reach(i) <= alpha) {
          s[x] = 0;
          free[x] = false;
        } else {
          s[x] += alpha * (sol[i] - s[x]);
        }
      }
      continue;
    }
    for (let i = 0; i < m; i++) s[idx[i]] = sol[i];
    // Optimal unless some fixed input has a negative multiplier (A t − b + ν)_x.
    let enter = -1;
    let most = -noise;
    for (let x = 0; x < n; x++) {
      if (free[x]) continue;
      const acc = new CompensatedSum();
      acc.add(nu - b[x]);
      for (let i = 0; i < m; i++) acc.add(A[x * n + idx[i]] * sol[i]);
      if (acc.value < most) {
        most = acc.value;
        enter = x;
      }
    }
    if (enter < 0) return s;
    free[enter] = true;
  }
  return null;
}
/** Gaussian elimination with partial pivoting (M is overwritten); null if singular. */
function solveLinear(M: Float64Array, rhs: Float64Array, n: number): Float64Array | null {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(M[r * n + col]) > Math.abs(M[pivot * n + col])) pivot = r;
    }
    if (!(Math.abs(M[pivot * n + col]) > 0)) return null;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const t = M[col * n + c];
        M[col * n + c] = M[pivot * n + c];
        M[pivot * n + c] = t;
      }
      const t = rhs[col];
      rhs[col] = rhs[pivot];
      rhs[pivot] = t;
    }
    const diag = M[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = M[r * n + col] / diag;
      if (f === 0) continue;
      for (let c = col; c < n; c++) M[r * n + c] -= f * M[col * n + c];
      rhs[r] -= f * rhs[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = rhs[r];
    for (let c = r + 1; c < n; c++) s -= M[r * n + c] * x[c];
    x[r] = s / M[r * n + r];
    if (!Number.isFinite(x[r])) return null;
  }
  return x;
}
