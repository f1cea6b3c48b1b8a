/**
 * The maps between the unconstrained space the optimiser searches and the parameter ranges of the
 * cognitive models, as the original's `CogAgentTrainer` does. The clips keep parameters away from values where the likelihood becomes
 * flat or overflows, exactly as the original does, so fits land on the same points.
 *
 * @module
 */

/** Where a cognitive-model parameter lives: (0,1), (0,0.5), (0,∞) or ℝ. */
export type ParamRange = "unit" | "half" | "pos" | "unc";

/** Lowest x the sigmoid ranges use (sigmoid(-16) ≈ 1.1e-7). */
const SIGMOID_FLOOR = -16;
/** Highest x the positive range uses (exp(16) ≈ 8.9e6). */
const EXP_CEILING = 16;

/** One unconstrained coordinate to its constrained value. */
export function toConstrained(x: number, range: ParamRange): number {
  switch (range) {
    case "unit":
      return 1 / (1 + Math.exp(-Math.max(x, SIGMOID_FLOOR)));
    case "half":
      return 0.5 / (1 + Math.exp(-Math.max(x, SIGMOID_FLOOR)));
    case "pos":
      return Math.exp(Math.min(x, EXP_CEILING));
    case "unc":
      return x;
  }
}

/**
 * One constrained value to an unconstrained coordinate (the inverse of {@linkcode toConstrained} inside
 * the clips). Values on or beyond a range's ends map to ±Infinity or NaN.
 */
export function toUnconstrained(value: number, range: ParamRange): number {
  switch (range) {
    case "unit":
      return Math.log(value / (1 - value));
    case "half":
      return Math.log(2 * value / (1 - 2 * value));
    case "pos":
      return Math.log(value);
    case "unc":
      return value;
  }
}

/** A whole unconstrained vector to constrained parameters. */
export function constrain(x: ArrayLike<number>, ranges: readonly ParamRange[]): number[] {
  return ranges.map((range, i) => toConstrained(x[i], range));
}

/** Constrained parameters to an unconstrained vector. */
export function unconstrain(params: ArrayLike<number>, ranges: readonly ParamRange[]): Float64Array {
  return Float64Array.from(ranges, (range, i) => toUnconstrained(params[i], range));
}
