/**
 * Derivative-free minimisation by the Nelder-Mead simplex method, step for step as scipy 1.10's
 * `minimize(method="Nelder-Mead")` (no bounds; scipy's `adaptive` option included).
 *
 * The original fits cognitive models with scipy's defaults, and the reference fits (iteration and
 * evaluation counts included) can only be reproduced if every floating-point operation, comparison and
 * sort happens in the same order as there. Hence the literal coefficient expressions below.
 *
 * @module
 */

import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** Options of {@linkcode nelderMead}; the defaults are scipy's. */
export interface NelderMeadOptions {
  /** Absolute tolerance on the simplex vertices' spread (every coordinate). Default 1e-4. */
  xatol?: number;
  /** Absolute tolerance on the spread of the function values. Default 1e-4. */
  fatol?: number;
  /**
   * Most iterations. Default `200 n`; when only `maxfev` is given it is unlimited, unless `maxfev` is
   * Infinity (then `200 n`), as in scipy.
   */
  maxiter?: number;
  /** Most function evaluations. Default `200 n`; the mirror image of `maxiter`'s rule. */
  maxfev?: number;
  /**
   * The n + 1 starting vertices (n coordinates each). Default: `x0`, plus for each coordinate k a copy of
   * `x0` with coordinate k multiplied by 1.05, or set to 0.00025 where it is 0.
   */
  initialSimplex?: readonly (readonly number[])[];
  /**
   * Use the dimension-dependent coefficients of Gao & Han (2012), scipy's `adaptive=True`: expansion
   * 1 + 2/n, contraction 0.75 - 1/(2n), shrink 1 - 1/n (instead of 2, 0.5, 0.5). They keep the simplex
   * from collapsing in high dimensions. Default false (the original's).
   */
  adaptive?: boolean;
}

/** Outcome of {@linkcode nelderMead}, named as scipy's `OptimizeResult`. */
export interface NelderMeadResult {
  /** The best vertex of the final simplex. */
  x: Float64Array;
  /** f at `x`. */
  fun: number;
  /** Iterations as scipy counts them (it starts at 1). */
  nit: number;
  /** Function evaluations. */
  nfev: number;
  /** 0 = converged, 1 = `maxfev` reached, 2 = `maxiter` reached. */
  status: 0 | 1 | 2;
  /** True when the tolerances were met. */
  success: boolean;
  /** scipy's message for `status`. */
  message: string;
  /** Final simplex, sorted by value (best first), and its values. */
  finalSimplex: { vertices: Float64Array[]; values: Float64Array };
}

const OPTION_KEYS = ["xatol", "fatol", "maxiter", "maxfev", "initialSimplex", "adaptive"] as const;

const MESSAGES = [
  "Optimization terminated successfully.",
  "Maximum number of function evaluations has been exceeded.",
  "Maximum number of iterations has been exceeded.",
] as const;

/** Thrown by the counting wrapper when the evaluation budget is spent (scipy's `_MaxFuncCallError`). */
class EvaluationBudgetSpent extends Error {}

/** numpy's float ordering for sorts: NaN after every number. */
function sortsBefore(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/**
 * Reorder vertices and values by value. A stable insertion sort, which is what numpy's `argsort` does for
 * the at most 16 vertices of any model tinyrnn fits (larger arrays would only differ on exact ties).
 */
function sortSimplex(sim: Float64Array[], fsim: Float64Array): void {
  for (let i = 1; i < fsim.length; i++) {
    const v = fsim[i];
    const row = sim[i];
    let j = i;
    while (j > 0 && sortsBefore(v, fsim[j - 1])) {
      fsim[j] = fsim[j - 1];
      sim[j] = sim[j - 1];
      j--;
    }
    fsim[j] = v;
    sim[j] = row;
  }
}

/** scipy's defaulting of the two budgets. */
function budgets(n: number, maxiter: number | undefined, maxfev: number | undefined): [number, number] {
  if (maxiter === undefined && maxfev === undefined) return [200 * n, 200 * n];
  if (maxiter === undefined) return [maxfev === Infinity ? 200 * n : Infinity, maxfev!];
  if (maxfev === undefined) return [maxiter, maxiter === Infinity ? 200 * n : Infinity];
  return [maxiter, maxfev];
}

/** scipy's default starting simplex around `x0`. */
function defaultSimplex(x0: Float64Array): Float64Array[] {
  const nonzeroDelta = 0.05;
  const zeroDelta = 0.00025;
  const sim = [Float64Array.from(x0)];
  for (let k = 0; k < x0.length; k++) {
    const y = Float64Array.from(x0);
    y[k] = y[k] !== 0 ? (1 + nonzeroDelta) * y[k] : zeroDelta;
    sim.push(y);
  }
  return sim;
}

interface ResolvedOptions {
  xatol: number;
  fatol: number;
  maxiter: number;
  maxfev: number;
  initialSimplex?: Float64Array[];
  adaptive: boolean;
}

function validated(where: string, options: NelderMeadOptions, n: number): ResolvedOptions {
  rejectUnknownKeys(where, options, OPTION_KEYS);
  const xatol = checkNumber(where, "xatol", options.xatol ?? 1e-4, { min: 0 });
  const fatol = checkNumber(where, "fatol", options.fatol ?? 1e-4, { min: 0 });
  if (options.maxiter !== undefined) checkNumber(where, "maxiter", options.maxiter, { min: 1 });
  if (options.maxfev !== undefined) checkNumber(where, "maxfev", options.maxfev, { min: 1 });
  const [maxiter, maxfev] = budgets(n, options.maxiter, options.maxfev);
  let initialSimplex: Float64Array[] | undefined;
  if (options.initialSimplex !== undefined) {
    const rows = options.initialSimplex;
    if (rows.length !== n + 1 || rows.some((row) => row.length !== n)) {
      throw new TinyRnnInputError(`${where}: initialSimplex must have ${n + 1} rows of ${n} numbers`);
    }
    initialSimplex = rows.map((row) => Float64Array.from(row));
  }
  const adaptive = options.adaptive ?? false;
  if (typeof adaptive !== "boolean") {
    throw new TinyRnnInputError(`${where}: adaptive must be true or false, got ${JSON.stringify(adaptive)}`);
  }
  return { xatol, fatol, maxiter, maxfev, initialSimplex, adaptive };
}

/**
 * Minimise `f` from `x0` with scipy 1.10's Nelder-Mead (coefficients 1, 2, 0.5, 0.5, or the adaptive ones).
 *
 * `f` receives a fresh copy of the point each call. Returns the best vertex even when a budget ran out
 * (`success` is then false).
 *
 * @example
 * ```ts
 * const r = nelderMead((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [0, 0]);
 * // r.x ≈ [1, -2], r.success === true
 * ```
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const where = "nelderMead";
  const start = Float64Array.from(x0);
  const n = start.length;
  if (n === 0) throw new TinyRnnInputError(`${where}: x0 must have at least one coordinate`);
  const { xatol, fatol, maxiter, maxfev, initialSimplex, adaptive } = validated(where, options, n);
  // scipy's expressions, so the adaptive coefficients round as there.
  const rho = 1;
  const chi = adaptive ? 1 + 2 / n : 2;
  const psi = adaptive ? 0.75 - 1 / (2 * n) : 0.5;
  const sigma = adaptive ? 1 - 1 / n : 0.5;

  let nfev = 0;
  const evaluate = (x: Float64Array): number => {
    if (nfev >= maxfev) throw new EvaluationBudgetSpent();
    nfev++;
    return f(Float64Array.from(x));
  };

  const sim = initialSimplex ?? defaultSimplex(start);
  const fsim = new Float64Array(n + 1).fill(Infinity);
  try {
    for (let k = 0; k <= n; k++) fsim[k] = evaluate(sim[k]);
  } catch (error) {
    if (!(error instanceof EvaluationBudgetSpent)) throw error;
  }
  sortSimplex(sim, fsim);

  let iterations = 1;
  while (nfev < maxfev && iterations < maxiter) {
    try {
      if (converged(sim, fsim, xatol, fatol)) break;
      const worst = sim[n];
      const xbar = Float64Array.from(sim[0]);
      for (let j = 1; j < n; j++) for (let i = 0; i < n; i++) xbar[i] += sim[j][i];
      for (let i = 0; i < n; i++) xbar[i] /= n;

      const xr = combine(1 + rho, xbar, rho, worst);
      const fxr = evaluate(xr);
      let shrink = false;
      if (fxr < fsim[0]) {
        const xe = combine(1 + rho * chi, xbar, rho * chi, worst);
        const fxe = evaluate(xe);
        if (fxe < fxr) replaceWorst(sim, fsim, xe, fxe);
        else replaceWorst(sim, fsim, xr, fxr);
      } else if (fxr < fsim[n - 1]) {
        replaceWorst(sim, fsim, xr, fxr);
      } else if (fxr < fsim[n]) {
        const xc = combine(1 + psi * rho, xbar, psi * rho, worst);
        const fxc = evaluate(xc);
        if (fxc <= fxr) replaceWorst(sim, fsim, xc, fxc);
        else shrink = true;
      } else {
        const xcc = new Float64Array(n);
        for (let i = 0; i < n; i++) xcc[i] = (1 - psi) * xbar[i] + psi * worst[i];
        const fxcc = evaluate(xcc);
        if (fxcc < fsim[n]) replaceWorst(sim, fsim, xcc, fxcc);
        else shrink = true;
      }
      if (shrink) {
        for (let j = 1; j <= n; j++) {
          const moved = new Float64Array(n);
          for (let i = 0; i < n; i++) moved[i] = sim[0][i] + sigma * (sim[j][i] - sim[0][i]);
          sim[j] = moved;
          fsim[j] = evaluate(moved);
        }
      }
      iterations++;
    } catch (error) {
      if (!(error instanceof EvaluationBudgetSpent)) throw error;
    }
    sortSimplex(sim, fsim);
  }

  let fun = fsim[0];
  for (let k = 1; k <= n; k++) if (fsim[k] < fun || fsim[k] !== fsim[k]) fun = fsim[k];
  const status: 0 | 1 | 2 = nfev >= maxfev ? 1 : iterations >= maxiter ? 2 : 0;
  return {
    x: Float64Array.from(sim[0]),
    fun,
    nit: iterations,
    nfev,
    status,
    success: status === 0,
    message: MESSAGES[status],
    finalSimplex: { vertices: sim.map((v) => Float64Array.from(v)), values: Float64Array.from(fsim) },
  };
}

/** scipy's stopping test: every vertex within `xatol` of the best, and every value within `fatol`. */
function converged(sim: Float64Array[], fsim: Float64Array, xatol: number, fatol: number): boolean {
  // Math.max propagates NaN like np.max, so a NaN never counts as converged.
  let spread = -Infinity;
  for (let j = 1; j < sim.length; j++) {
    for (let i = 0; i < sim[0].length; i++) spread = Math.max(spread, Math.abs(sim[j][i] - sim[0][i]));
  }
  if (!(spread <= xatol)) return false;
  let valueSpread = -Infinity;
  for (let j = 1; j < fsim.length; j++) valueSpread = Math.max(valueSpread, Math.abs(fsim[0] - fsim[j]));
  return valueSpread <= fatol;
}

/** `a * u - b * v`, the form of scipy's reflection, expansion and outside contraction. */
function combine(a: number, u: Float64Array, b: number, v: Float64Array): Float64Array {
  const out = new Float64Array(u.length);
  for (let i = 0; i < u.length; i++) out[i] = a * u[i] - b * v[i];
  return out;
}

function replaceWorst(sim: Float64Array[], fsim: Float64Array, x: Float64Array, fx: number): void {
  sim[sim.length - 1] = x;
  fsim[fsim.length - 1] = fx;
}
