/**
 * Quasi-Newton (BFGS) minimisation of a smooth function with central finite-difference gradients: the
 * optional final polish of cognitive-model fits, where Nelder-Mead has found the basin but creeps along
 * its floor in many dimensions.
 *
 * @module
 */

import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** Options of {@linkcode bfgs}. */
export interface BfgsOptions {
  /** Stop when every gradient component is at most this in magnitude. Default 1e-6. */
  gtol?: number;
  /** Stop when an iteration lowers f by at most this. Default 1e-10. */
  ftol?: number;
  /** Most iterations (one gradient each). Default 100. */
  maxiter?: number;
  /** Most function evaluations, gradients included. Default 200 · n. */
  maxfev?: number;
}

/** Outcome of {@linkcode bfgs}. */
export interface BfgsResult {
  /** The best point found. */
  x: Float64Array;
  /** f at `x`. */
  fun: number;
  /** Iterations (gradient evaluations). */
  nit: number;
  /** Function evaluations, gradients included. */
  nfev: number;
  /** Why it stopped. */
  reason: "gradient" | "no progress" | "line search" | "maxiter" | "maxfev";
}

const OPTION_KEYS = ["gtol", "ftol", "maxiter", "maxfev"] as const;

/** Relative step of central differences: cbrt(machine epsilon) balances truncation and rounding error. */
const DIFFERENCE_STEP = Math.cbrt(2 ** -52);
/** Armijo's sufficient-decrease constant. */
const ARMIJO = 1e-4;
/** Most step halvings in one line search. */
const MAX_BACKTRACKS = 40;

/** Thrown when the evaluation budget is spent. */
class BudgetSpent extends Error {}

/**
 * Minimise `f` from `x0` by BFGS with a backtracking (Armijo) line search and central-difference
 * gradients (2n evaluations each). Non-finite values count as worse than any finite one, so the line
 * search backs away from them. Deterministic: the same `f` and `x0` give the same bits.
 *
 * The inverse-Hessian update is skipped when the curvature condition fails, which keeps it positive
 * definite without a Wolfe line search.
 *
 * @example
 * ```ts
 * const r = bfgs((x) => (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2, [0, 0]);
 * // r.x ≈ [1, -2]
 * ```
 */
export function bfgs(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: BfgsOptions = {},
): BfgsResult {
  const where = "bfgs";
  rejectUnknownKeys(where, options, OPTION_KEYS);
  const n = x0.length;
  if (n === 0) throw new TinyRnnInputError(`${where}: x0 must have at least one coordinate`);
  const gtol = checkNumber(where, "gtol", options.gtol ?? 1e-6, { min: 0 });
  const ftol = checkNumber(where, "ftol", options.ftol ?? 1e-10, { min: 0 });
  const maxiter = checkNumber(where, "maxiter", options.maxiter ?? 100, { min: 1, integer: true });
  const maxfev = checkNumber(where, "maxfev", options.maxfev ?? 200 * n, { min: 1 });

  let nfev = 0;
  let best = Float64Array.from(x0);
  let bestValue = Infinity;
  const evaluate = (x: Float64Array): number => {
    if (nfev >= maxfev) throw new BudgetSpent();
    nfev++;
    const value = f(Float64Array.from(x));
    const finite = Number.isFinite(value) ? value : Infinity;
    if (finite < bestValue) {
      bestValue = finite;
      best = Float64Array.from(x);
    }
    return finite;
  };
  const gradient = (x: Float64Array): Float64Array => {
    const g = new Float64Array(n);
    const probe = Float64Array.from(x);
    for (let i = 0; i < n; i++) {
      const h = DIFFERENCE_STEP * Math.max(1, Math.abs(x[i]));
      probe[i] = x[i] + h;
      const up = evaluate(probe);
      probe[i] = x[i] - h;
      const down = evaluate(probe);
      probe[i] = x[i];
      // Where a side is non-finite the slope is unknown: 0 keeps the search off that coordinate.
      g[i] = Number.isFinite(up) && Number.isFinite(down) ? (up - down) / (2 * h) : 0;
    }
    return g;
  };

  let nit = 0;
  let reason: BfgsResult["reason"] = "maxiter";
  try {
    let x = Float64Array.from(x0);
    let fx = evaluate(x);
    let g = gradient(x);
    // Inverse Hessian, row-major; identity until the first step gives a curvature scale.
    let H = identity(n);
    let scaled = false;
    while (nit < maxiter) {
      nit++;
      if (maxAbs(g) <= gtol) {
        reason = "gradient";
        break;
      }
      const p = matVec(H, g);
      for (let i = 0; i < n; i++) p[i] = -p[i];
      let slope = dot(p, g);
      if (!(slope < 0)) {
        // Not a descent direction (rounding in H): fall back to steepest descent.
        H = identity(n);
        scaled = false;
        for (let i = 0; i < n; i++) p[i] = -g[i];
        slope = dot(p, g);
      }
      let step = 1;
      let xNew = new Float64Array(n);
      let fNew = Infinity;
      let accepted = false;
      for (let k = 0; k < MAX_BACKTRACKS; k++) {
        for (let i = 0; i < n; i++) xNew[i] = x[i] + step * p[i];
        fNew = evaluate(xNew);
        if (fNew <= fx + ARMIJO * step * slope) {
          accepted = true;
          break;
        }
        step /= 2;
      }
      if (!accepted) {
        reason = "line search";
        break;
      }
      const gNew = gradient(xNew);
      const s = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      const sy = dot(s, y);
      if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
        if (!scaled) {
          H = identity(n, sy / dot(y, y));
          scaled = true;
        }
        H = bfgsUpdate(H, s, y, sy);
      }
      const decrease = fx - fNew;
      x = xNew;
      fx = fNew;
      g = gNew;
      xNew = new Float64Array(n);
      if (decrease <= ftol) {
        reason = "no progress";
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof BudgetSpent)) throw error;
    reason = "maxfev";
  }
  return { x: best, fun: bestValue, nit, nfev, reason };
}

function identity(n: number, scale = 1): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = scale;
  return m;
}

function matVec(m: Float64Array, v: Float64Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += m[i * n + j] * v[j];
    out[i] = total;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const value of v) m = Math.max(m, Math.abs(value));
  return m;
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / (yᵀs), expanded to avoid the matrix products. */
function bfgsUpdate(H: Float64Array, s: Float64Array, y: Float64Array, sy: number): Float64Array {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = matVec(H, y);
  const yHy = dot(y, Hy);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * n + j] = H[i * n + j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]) +
        (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
  return out;
}
