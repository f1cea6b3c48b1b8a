/**
 * numpy's legacy `RandomState.binomial(1, p)`, draw for draw: the tutorial bandit's reward draws used it.
 *
 * Not the same as `u < p`: numpy's inversion algorithm returns 1 when `u > (1 − p)` for p ≤ 0.5, and works
 * on `1 − p` (then flips) for p > 0.5, occasionally redrawing; only the exact algorithm reproduces the
 * reference data set.
 *
 * @module
 */

import type { Rng } from "../random.ts";

/** numpy's binomial inversion for n = 1 (`random_binomial_inversion`), returning 0 or 1. */
function inversion(p: number, rng: Rng): number {
  const q = 1 - p;
  // numpy computes q^n as exp(n·log q); keep that form so that the comparison thresholds match bit for bit.
  const qn = Math.exp(Math.log(q));
  const bound = Math.min(1, Math.trunc(p + 10 * Math.sqrt(p * q + 1)));
  let x = 0;
  let px = qn;
  let u = rng.random();
  while (u > px) {
    x++;
    if (x > bound) {
      x = 0;
      px = qn;
      u = rng.random();
    } else {
      u -= px;
      px = ((1 - x + 1) * p * px) / (x * q);
    }
  }
  return x;
}

/** A Bernoulli(p) draw exactly as numpy's legacy `binomial(1, p)` (no draw at all when p = 0). */
export function legacyBernoulli(p: number, rng: Rng): number {
  if (p === 0) return 0;
  if (p <= 0.5) return inversion(p, rng);
  return 1 - inversion(1 - p, rng);
}
