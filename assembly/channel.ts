// Discrete memoryless channels W[x][y] = p(y|x) (float64, nx × ny, row-major): the mutual
// information of an input distribution, and the capacity by Blahut-Arimoto.
//
// Every evaluation of an input distribution p brackets the capacity:
//   I(p) = Σ_x p_x D_x ≤ C ≤ max_x D_x,   D_x = D(W_x ‖ pW),
// so the iteration keeps the best lower and upper bounds seen and stops once they are within
// `tol` nats, whatever produced the iterates. Plain Blahut-Arimoto converges linearly and very
// slowly on nearly useless channels, so after a while of it each step instead maximizes the
// exact second-order model of I(p) over the simplex (a small quadratic program solved by an
// active-set method), for as long as that keeps tightening the bracket; otherwise
// Blahut-Arimoto resumes from the best input, for twice as long before the next try. This is
// the schedule of the float64 reference (src/reference/channel.ts), so both backends take the
// same path; the kernels allocate nothing: all vectors live in a scratch block the host sizes
// with channelScratchBytes.
import { logF64, logF64x2 } from './vmath';

/** A row of W must sum to 1 within this (summed left to right, as the host checks it). */
const STOCHASTIC_TOL: f64 = 1e-9;
/** Blahut-Arimoto steps before the first Newton attempt; doubled each time Newton stalls. */
const FIRST_NEWTON_AFTER: i32 = 8;
/** Ridge (relative to the largest diagonal entry) for channels with linearly dependent rows. */
const RIDGE: f64 = 1e-10;
const EPSILON: f64 = 2.220446049250313e-16;

// Scratch layout (byte offsets from the scratch base), set by layout(): the best input comes
// first so that the host finds it at the base.
let oBest: usize = 0, oP: usize = 0, oD: usize = 0, oQ: usize = 0, oQinv: usize = 0;
let oB: usize = 0, oS: usize = 0, oFree: usize = 0, oIdx: usize = 0, oA: usize = 0, oM: usize = 0, oRhs: usize = 0, oSol: usize = 0;
let oEnd: usize = 0;

// @ts-ignore: decorator
@inline function f64s(n: i32): usize {
  return ((<usize>n << 3) + 15) & ~15;
}

function layout(nx: i32, ny: i32, newton: bool): void {
  oBest = 0;
  oP = oBest + f64s(nx);
  oD = oP + f64s(nx);
  oQ = oD + f64s(nx);
  oQinv = oQ + f64s(ny);
  oEnd = oQinv + f64s(ny);
  if (!newton) return;
  oB = oEnd;
  oS = oB + f64s(nx);
  oFree = oS + f64s(nx);
  oIdx = oFree + f64s(nx);
  oA = oIdx + f64s(nx);
  oM = oA + f64s(nx * nx);
  oRhs = oM + f64s((nx + 1) * (nx + 1));
  oSol = oRhs + f64s(nx + 1);
  oEnd = oSol + f64s(nx + 1);
}

/** Bytes of scratch the kernels below need for an nx × ny channel (`newton`: for the capacity). */
export function channelScratchBytes(nx: i32, ny: i32, newton: i32): usize {
  layout(nx, ny, newton != 0);
  return oEnd;
}

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/** True when every entry is finite and non-negative and every row sums to 1 within the tolerance. */
function isChannel(W: usize, nx: i32, ny: i32): bool {
  for (let x = 0; x < nx; x++) {
    const row = W + ((<usize>x * <usize>ny) << 3);
    let s = 0.0;
    for (let y = 0; y < ny; y++) {
      const v = load<f64>(at(row, y));
      if (!(v >= 0.0 && v < Infinity)) return false;
      s += v;
    }
    if (!(Math.abs(s - 1.0) <= STOCHASTIC_TOL)) return false;
  }
  return true;
}

/**
 * p = px / Σpx, by division as scipy normalizes. False when px has a negative or non-finite
 * entry or sums to 0. A sum that overflows is taken at the exact scale 2^-64.
 */
function normalizeInput(px: usize, nx: i32, p: usize): bool {
  let s = 0.0;
  for (let x = 0; x < nx; x++) {
    const v = load<f64>(at(px, x));
    if (!(v >= 0.0 && v < Infinity)) return false;
    s += v;
  }
  if (!(s > 0.0)) return false;
  const scale = s < Infinity ? 1.0 : 5.421010862427522e-20; // 2^-64
  if (scale != 1.0) {
    s = 0.0;
    for (let x = 0; x < nx; x++) s += load<f64>(at(px, x)) * scale;
  }
  for (let x = 0; x < nx; x++) store<f64>(at(p, x), (load<f64>(at(px, x)) * scale) / s);
  return true;
}

/** q = pW. */
function outputOf(p: usize, W: usize, nx: i32, ny: i32, q: usize): void {
  memory.fill(q, 0, <usize>ny << 3);
  for (let x = 0; x < nx; x++) {
    const px = load<f64>(at(p, x));
    if (px == 0.0) continue;
    const row = W + ((<usize>x * <usize>ny) << 3);
    let y = 0;
    if (ASC_FEATURE_SIMD) {
      const vp = f64x2.splat(px);
      for (; y + 2 <= ny; y += 2) {
        v128.store(at(q, y), f64x2.add(v128.load(at(q, y)), f64x2.mul(vp, v128.load(at(row, y)))));
      }
    }
    for (; y < ny; y++) store<f64>(at(q, y), load<f64>(at(q, y)) + px * load<f64>(at(row, y)));
  }
}

/** Outputs at least this likely have a finite 1/q_y with room for W_xy/q_y ≤ 2^1000 as well. */
const Q_FAST_MIN: f64 = 9.332636185032189e-302; // 2^-1000

// Whether the last divergences() call found every q_y ≥ Q_FAST_MIN (then qinv holds 1/q).
let gFast = false;

/**
 * d_x = D(W_x ‖ q) for every input (+Infinity where W_x reaches an output with q_y = 0);
 * fills qinv = 1/q and returns max_x d_x.
 */
function divergences(W: usize, nx: i32, ny: i32, q: usize, qinv: usize, d: usize): f64 {
  let fast = true;
  for (let y = 0; y < ny; y++) {
    const qy = load<f64>(at(q, y));
    fast = fast && qy >= Q_FAST_MIN;
    store<f64>(at(qinv, y), 1.0 / qy);
  }
  gFast = fast;
  let dMax = -Infinity;
  for (let x = 0; x < nx; x++) {
    const row = W + ((<usize>x * <usize>ny) << 3);
    let s = 0.0;
    if (fast) {
      let y = 0;
      if (ASC_FEATURE_SIMD) {
        // Lanes with W = 0 (0·log 0 = NaN) are masked out.
        const zero = f64x2.splat(0);
        let acc = zero;
        for (; y + 2 <= ny; y += 2) {
          const w = v128.load(at(row, y));
          acc = f64x2.add(acc, v128.and(f64x2.mul(w, logF64x2(f64x2.mul(w, v128.load(at(qinv, y))))), f64x2.gt(w, zero)));
        }
        s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      }
      for (; y < ny; y++) {
        const w = load<f64>(at(row, y));
        if (w > 0.0) s += w * logF64(w * load<f64>(at(qinv, y)));
      }
    } else {
      // Some output is (nearly) unused: divide, and take logs apart where W/q overflows.
      for (let y = 0; y < ny; y++) {
        const w = load<f64>(at(row, y));
        if (!(w > 0.0)) continue;
        const qy = load<f64>(at(q, y));
        const ratio = w / qy;
        s += w * (ratio < Infinity || qy == 0.0 ? logF64(ratio) : logF64(w) - logF64(qy));
      }
    }
    store<f64>(at(d, x), s);
    dMax = Math.max(dMax, s);
  }
  return dMax;
}

/** I(p) = Σ_x p_x d_x over the inputs in use, clamped at 0 (rounding can make it −1e-17). */
function information(p: usize, d: usize, nx: i32): f64 {
  let s = 0.0;
  for (let x = 0; x < nx; x++) {
    const px = load<f64>(at(p, x));
    if (px > 0.0) s += px * load<f64>(at(d, x));
  }
  return Math.max(0.0, s);
}

/**
 * I(X;Y) in nats for `count` channels: input distribution px (normalized here; pxStride
 * elements between channels, 0 to use one px for all) through W (wStride elements between
 * channels, 0 to use one W for all). Invalid channels give NaN; returns how many.
 */
export function channelInformation(px: usize, pxStride: i32, W: usize, wStride: i32, count: i32, nx: i32, ny: i32, scratch: usize, out: usize): i32 {
  layout(nx, ny, false);
  const p = scratch + oP, d = scratch + oD, q = scratch + oQ, qinv = scratch + oQinv;
  let bad = 0;
  for (let t = 0; t < count; t++) {
    const wt = W + ((<usize>t * <usize>wStride) << 3);
    let v: f64 = NaN;
    if (isChannel(wt, nx, ny) && normalizeInput(px + ((<usize>t * <usize>pxStride) << 3), nx, p)) {
      outputOf(p, wt, nx, ny, q);
      divergences(wt, nx, ny, q, qinv, d);
      v = information(p, d, nx);
    } else {
      bad++;
    }
    store<f64>(at(out, t), v);
  }
  return bad;
}

/** One Blahut-Arimoto update p_x ← p_x exp(d_x − max d) / Σ (every factor in (0, 1]). */
function blahutArimotoStep(p: usize, d: usize, dMax: f64, nx: i32): void {
  let z = 0.0;
  for (let x = 0; x < nx; x++) {
    const dx = load<f64>(at(d, x));
    // dx == dMax also covers both being +Infinity (an input reaching an unused output).
    const v = load<f64>(at(p, x)) * (dx == dMax ? 1.0 : Math.exp(dx - dMax));
    store<f64>(at(p, x), v);
    z += v;
  }
  for (let x = 0; x < nx; x++) store<f64>(at(p, x), load<f64>(at(p, x)) / z);
}

/** Σ_y u_y v_y w_y over ny elements. */
function dot3(u: usize, v: usize, w: usize, ny: i32): f64 {
  let s = 0.0;
  let y = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    for (; y + 2 <= ny; y += 2) {
      acc = f64x2.add(acc, f64x2.mul(f64x2.mul(v128.load(at(u, y)), v128.load(at(v, y))), v128.load(at(w, y))));
    }
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; y < ny; y++) s += load<f64>(at(u, y)) * load<f64>(at(v, y)) * load<f64>(at(w, y));
  return s;
}

/**
 * Solves M·sol = rhs (n × n, row-major; M and rhs are overwritten) by Gaussian elimination
 * with partial pivoting. False if M is singular or the solution is not finite.
 */
function solve(M: usize, rhs: usize, sol: usize, n: i32): bool {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(load<f64>(at(M, col * n + col)));
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(load<f64>(at(M, r * n + col)));
      if (v > best) { best = v; pivot = r; }
    }
    if (!(best > 0.0)) return false;
    if (pivot != col) {
      for (let c = col; c < n; c++) {
        const t = load<f64>(at(M, col * n + c));
        store<f64>(at(M, col * n + c), load<f64>(at(M, pivot * n + c)));
        store<f64>(at(M, pivot * n + c), t);
      }
      const t = load<f64>(at(rhs, col));
      store<f64>(at(rhs, col), load<f64>(at(rhs, pivot)));
      store<f64>(at(rhs, pivot), t);
    }
    const diag = load<f64>(at(M, col * n + col));
    for (let r = col + 1; r < n; r++) {
      const f = load<f64>(at(M, r * n + col)) / diag;
      if (f == 0.0) continue;
      for (let c = col; c < n; c++) store<f64>(at(M, r * n + c), load<f64>(at(M, r * n + c)) - f * load<f64>(at(M, col * n + c)));
      store<f64>(at(rhs, r), load<f64>(at(rhs, r)) - f * load<f64>(at(rhs, col)));
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = load<f64>(at(rhs, r));
    for (let c = r + 1; c < n; c++) s -= load<f64>(at(M, r * n + c)) * load<f64>(at(sol, c));
    const v = s / load<f64>(at(M, r * n + r));
    if (!(Math.abs(v) < Infinity)) return false;
    store<f64>(at(sol, r), v);
  }
  return true;
}

/**
 * Primal active-set method for min ½ sᵀAs − bᵀs subject to s ≥ 0, Σs = 1 (A positive
 * definite), from the feasible point already in s. The free inputs solve the equality-
 * constrained problem; a solution leaving the simplex is cut back at its boundary and the
 * inputs reaching 0 become fixed; a fixed input whose multiplier says the objective decreases
 * by freeing it is freed. False if a system is singular or the method does not settle.
 */
function minimizeOnSimplex(base: usize, n: i32): bool {
  const A = base + oA, b = base + oB, s = base + oS, free = base + oFree, idx = base + oIdx;
  const M = base + oM, rhs = base + oRhs, sol = base + oSol;
  let bMax = 0.0;
  for (let x = 0; x < n; x++) {
    bMax = Math.max(bMax, Math.abs(load<f64>(at(b, x))));
    store<f64>(at(free, x), load<f64>(at(s, x)) > 0.0 ? 1.0 : 0.0);
  }
  // Multipliers this close to 0 are rounding noise, not a reason to free an input.
  const noise = 64.0 * EPSILON * (1.0 + bMax);
  for (let round = 0; round < 4 * n + 8; round++) {
    let m = 0;
    for (let x = 0; x < n; x++) {
      if (load<f64>(at(free, x)) != 0.0) { store<i32>(idx + (<usize>m << 2), x); m++; }
    }
    const size = m + 1;
    for (let i = 0; i < m; i++) {
      const xi = load<i32>(idx + (<usize>i << 2));
      for (let j = 0; j < m; j++) store<f64>(at(M, i * size + j), load<f64>(at(A, xi * n + load<i32>(idx + (<usize>j << 2)))));
      store<f64>(at(M, i * size + m), 1.0);
      store<f64>(at(M, m * size + i), 1.0);
      store<f64>(at(rhs, i), load<f64>(at(b, xi)));
    }
    store<f64>(at(M, m * size + m), 0.0);
    store<f64>(at(rhs, m), 1.0);
    if (!solve(M, rhs, sol, size)) return false;
    const nu = load<f64>(at(sol, m));
    // Walk from s towards the free solution, stopping where an input first reaches 0.
    let alpha = 1.0;
    for (let i = 0; i < m; i++) {
      const si = load<f64>(at(sol, i));
      if (si <= 0.0) alpha = Math.min(alpha, reach(load<f64>(at(s, load<i32>(idx + (<usize>i << 2)))), si));
    }
    if (alpha < 1.0) {
      for (let i = 0; i < m; i++) {
        const x = load<i32>(idx + (<usize>i << 2));
        const sx = load<f64>(at(s, x)), si = load<f64>(at(sol, i));
        if (si <= 0.0 && reach(sx, si) <= alpha) {
          store<f64>(at(s, x), 0.0);
          store<f64>(at(free, x), 0.0);
        } else {
          store<f64>(at(s, x), sx + alpha * (si - sx));
        }
      }
      continue;
    }
    for (let i = 0; i < m; i++) store<f64>(at(s, load<i32>(idx + (<usize>i << 2))), load<f64>(at(sol, i)));
    // Optimal unless a fixed input has a negative multiplier (A s − b + ν)_x.
    let enter = -1;
    let most = -noise;
    for (let x = 0; x < n; x++) {
      if (load<f64>(at(free, x)) != 0.0) continue;
      let g = nu - load<f64>(at(b, x));
      for (let i = 0; i < m; i++) g += load<f64>(at(A, x * n + load<i32>(idx + (<usize>i << 2)))) * load<f64>(at(sol, i));
      if (g < most) { most = g; enter = x; }
    }
    if (enter < 0) return true;
    store<f64>(at(free, enter), 1.0);
  }
  return false;
}

/** Fraction of the way from s_x to a non-positive target at which the input reaches 0. */
// @ts-ignore: decorator
@inline function reach(sx: f64, target: f64): f64 {
  return sx > 0.0 ? sx / (sx - target) : 0.0;
}

/**
 * True if input distribution s gives zero weight to every input reaching some output: the
 * divergences would be infinite there, which the iteration cannot recover from (and the
 * optimum never does).
 */
function leavesOutputUncovered(s: usize, W: usize, nx: i32, ny: i32): bool {
  for (let y = 0; y < ny; y++) {
    let reachable = false, covered = false;
    for (let x = 0; x < nx && !covered; x++) {
      if (load<f64>(at(W, x * ny + y)) > 0.0) {
        reachable = true;
        covered = load<f64>(at(s, x)) > 0.0;
      }
    }
    if (reachable && !covered) return true;
  }
  return false;
}

/**
 * Σ_y W_xy W_zy / q_y over the outputs both inputs reach. Outputs no input in use reaches
 * (q_y = 0) are common — a column of zeros, a channel like [[t, 0, 1 − t], [0, 0, 1]] — and
 * must not keep Newton from running: plain Blahut-Arimoto needs ~10^5 steps on such channels.
 */
function sparseHessianEntry(wx: usize, wz: usize, q: usize, ny: i32): f64 {
  let s = 0.0;
  for (let y = 0; y < ny; y++) {
    const w = load<f64>(at(wx, y)) * load<f64>(at(wz, y));
    if (w > 0.0) s += w / load<f64>(at(q, y));
  }
  return s;
}

/**
 * One Newton step: p ← argmax over the simplex of the second-order model of I at p,
 * I(p) + D·(t − p) − ½ (t − p)ᵀ A (t − p), where ∂I/∂p_x = D_x − 1 (the constant vanishes on
 * the simplex) and A_xz = Σ_y W_xy W_zy / q_y (positive semidefinite; a small ridge makes it
 * definite). Returns false, leaving p alone, if the program cannot be solved.
 */
function newtonStep(base: usize, W: usize, nx: i32, ny: i32, info: f64): bool {
  const p = base + oP, d = base + oD, q = base + oQ, qinv = base + oQinv;
  const A = base + oA, b = base + oB, s = base + oS;
  let diagMax = 0.0;
  for (let x = 0; x < nx; x++) {
    const wx = W + ((<usize>x * <usize>ny) << 3);
    for (let z = 0; z <= x; z++) {
      const wz = W + ((<usize>z * <usize>ny) << 3);
      // With an unused or nearly unused output (no usable 1/q_y) the pairs of entries skip it.
      const v = gFast ? dot3(wx, wz, qinv, ny) : sparseHessianEntry(wx, wz, q, ny);
      store<f64>(at(A, x * nx + z), v);
      store<f64>(at(A, z * nx + x), v);
    }
    diagMax = Math.max(diagMax, load<f64>(at(A, x * nx + x)));
  }
  for (let x = 0; x < nx; x++) store<f64>(at(A, x * nx + x), load<f64>(at(A, x * nx + x)) + RIDGE * diagMax);
  // The model in standard form: minimize ½ tᵀAt − bᵀt with b = A p + D.
  for (let x = 0; x < nx; x++) {
    let v = load<f64>(at(d, x));
    for (let z = 0; z < nx; z++) v += load<f64>(at(A, x * nx + z)) * load<f64>(at(p, z));
    store<f64>(at(b, x), v);
  }
  // Start from the inputs doing better than average (D_x ≥ I(p)): once q is close they include
  // the optimal support, which spares removing the others one round at a time.
  let kept = 0.0;
  for (let x = 0; x < nx; x++) {
    const v = load<f64>(at(d, x)) >= info ? load<f64>(at(p, x)) : 0.0;
    store<f64>(at(s, x), v);
    kept += v;
  }
  if (!(kept > 0.0)) return false;
  for (let x = 0; x < nx; x++) store<f64>(at(s, x), load<f64>(at(s, x)) / kept);
  if (!minimizeOnSimplex(base, nx) || leavesOutputUncovered(s, W, nx, ny)) return false;
  memory.copy(p, s, <usize>nx << 3);
  return true;
}

// Slots of channelCapacity's result.
export const CAP_CAPACITY: i32 = 0;
export const CAP_ITERATIONS: i32 = 1;
export const CAP_GAP: i32 = 2;

/**
 * Capacity of channel W (nats) to within `tol`, after at most maxIter bound evaluations.
 * Writes [capacity = best lower bound, iterations, gap] to out and the input achieving the
 * capacity to the start of scratch (channelScratchBytes(nx, ny, 1) bytes). Returns 0, or 1
 * (nothing written) when W is not a valid channel.
 */
export function channelCapacity(W: usize, nx: i32, ny: i32, tol: f64, maxIter: i32, scratch: usize, out: usize): i32 {
  if (!isChannel(W, nx, ny)) return 1;
  layout(nx, ny, true);
  const best = scratch + oBest, p = scratch + oP, d = scratch + oD, q = scratch + oQ, qinv = scratch + oQinv;
  for (let x = 0; x < nx; x++) store<f64>(at(p, x), 1.0 / <f64>nx);
  memory.copy(best, p, <usize>nx << 3);
  let lower = -Infinity, upper = Infinity;
  let iterations = 0, baSteps = 0, baBudget = FIRST_NEWTON_AFTER;
  let newton = false;
  while (iterations < maxIter) {
    iterations++;
    outputOf(p, W, nx, ny, q);
    const dMax = divergences(W, nx, ny, q, qinv, d);
    const info = information(p, d, nx);
    const tightened = info > lower || dMax < upper;
    upper = Math.min(upper, dMax);
    if (info > lower) {
      lower = info;
      memory.copy(best, p, <usize>nx << 3);
    }
    if (upper - lower <= tol) break;
    if (newton && !tightened) {
      // The last Newton step did not help: more Blahut-Arimoto first, from the best input.
      newton = false;
      baSteps = 0;
      baBudget *= 2;
      memory.copy(p, best, <usize>nx << 3);
      continue;
    }
    if (!newton && baSteps >= baBudget) newton = true;
    if (newton) {
      if (newtonStep(scratch, W, nx, ny, info)) continue;
      newton = false;
      baSteps = 0;
      baBudget *= 2;
    }
    blahutArimotoStep(p, d, dMax, nx);
    baSteps++;
  }
  store<f64>(at(out, CAP_CAPACITY), lower);
  store<f64>(at(out, CAP_ITERATIONS), <f64>iterations);
  store<f64>(at(out, CAP_GAP), Math.max(0.0, upper - lower));
  return 0;
}
