/**
 * The beta distribution's CDF (regularised incomplete beta) and quantile, for Clopper-Pearson intervals.
 *
 * @module
 */

import { incompleteBeta } from "../special_functions.ts";

/** The regularised incomplete beta I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`betaCdf: a and b must be > 0, got ${a}, ${b}`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return incompleteBeta(x, a, b);
}

/** The p-quantile of Beta(a, b), by bisection on the CDF (monotone, so bisection cannot fail). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`betaQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return 1;
  let low = 0;
  let high = 1;
  for (let i = 0; i < 200 && high - low > 1e-15; i++) {
    const mid = (low + high) / 2;
    if (betaCdf(mid, a, b) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Clopper-Pearson ("exact") interval for a binomial proportion with k successes in n trials, at the given
 * confidence (0.68 in the original's choice-frequency check).
 */
export function clopperPearson(k: number, n: number, confidence = 0.95): { lower: number; upper: number } {
  if (!(k >= 0 && n >= k && n > 0)) {
    throw new RangeError(`clopperPearson: need 0 <= k <= n, n > 0; got ${k}, ${n}`);
  }
  const alpha = 1 - confidence;
  return {
    lower: k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1),
    upper: k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k),
  };
}
