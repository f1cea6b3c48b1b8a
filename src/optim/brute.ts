/**
 * Exhaustive grid search, as `scipy.optimize.brute(f, ranges, Ns, finish=None)`: the starting point the
 * original gives Nelder-Mead for cognitive models with at most three parameters.
 *
 * @module
 */

import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** Options of {@linkcode brute}. */
export interface BruteOptions {
  /** Per-coordinate `[low, high]`, both ends on the grid. Default `[-5, 5]` for every coordinate. */
  ranges?: readonly (readonly [number, number])[];
  /** Grid points per coordinate. Default 20 (the original's `Ns`). */
  points?: number;
}

/** Outcome of {@linkcode brute}. */
export interface BruteResult {
  /** The grid point with the lowest value. */
  x: Float64Array;
  /** f at `x`. */
  fun: number;
  /** Number of grid points evaluated (`points ** n`). */
  nfev: number;
}

const OPTION_KEYS = ["ranges", "points"] as const;

/**
 * The grid values of one axis exactly as numpy's `mgrid[low:high:points*1j]` computes them
 * (`i * step + low`), so that the grid optimum equals the original's to the last bit.
 */
export function gridAxis(low: number, high: number, points: number): Float64Array {
  const axis = new Float64Array(points);
  const step = points === 1 ? 1 : (high - low) / (points - 1);
  for (let i = 0; i < points; i++) axis[i] = i * step + low;
  return axis;
}

/**
 * Evaluate `f` on every point of a regular grid over `n` coordinates and return the lowest.
 *
 * Points are visited in numpy's C order (the last coordinate varies fastest) and the first minimum wins,
 * as `argmin` does. Unlike `argmin`, points where `f` is NaN are skipped; if every point is NaN the
 * first point is returned with a NaN value.
 *
 * @example
 * ```ts
 * const r = brute((x) => (x[0] - 1) ** 2 + x[1] ** 2, 2);
 * // r.x is the grid point nearest (1, 0): [0.789..., -0.263...]
 * ```
 */
export function brute(f: (x: Float64Array) => number, n: number, options: BruteOptions = {}): BruteResult {
  const where = "brute";
  rejectUnknownKeys(where, options, OPTION_KEYS);
  checkNumber(where, "n", n, { min: 1, integer: true });
  const points = checkNumber(where, "points", options.points ?? 20, { min: 1, integer: true });
  const ranges = options.ranges ?? Array.from({ length: n }, () => [-5, 5] as const);
  if (ranges.length !== n) {
    throw new TinyRnnInputError(`${where}: ranges has ${ranges.length} entries for ${n} coordinates`);
  }
  const axes = ranges.map(([low, high], k) => {
    checkNumber(where, `ranges[${k}][0]`, low);
    checkNumber(where, `ranges[${k}][1]`, high);
    return gridAxis(low, high, points);
  });

  const index = new Array<number>(n).fill(0);
  const x = new Float64Array(n);
  let best: Float64Array | undefined;
  let bestValue = NaN;
  let nfev = 0;
  for (;;) {
    for (let k = 0; k < n; k++) x[k] = axes[k][index[k]];
    const value = f(Float64Array.from(x));
    nfev++;
    if (best === undefined || (value === value && (bestValue !== bestValue || value < bestValue))) {
      best = Float64Array.from(x);
      bestValue = value;
    }
    let k = n - 1;
    while (k >= 0 && ++index[k] === points) index[k--] = 0;
    if (k < 0) break;
  }
  return { x: best!, fun: bestValue, nfev };
}
