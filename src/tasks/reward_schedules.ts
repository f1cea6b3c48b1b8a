/**
 * The per-trial reward-probability schedules of the original `Two_step` task.
 *
 * @module
 */

import type { Rng } from "../random.ts";

/**
 * Deterministic reversals: trials 0..L−1 use `probs`, L..2L−1 the reversed pair, and so on (the original's
 * `_fixed_length_blocks`). Every block starts in the same phase.
 */
export function alternatingBlocks(
  nTrials: number,
  probs: readonly [number, number],
  blockLength: number,
): number[][] {
  const rows: number[][] = new Array(nTrials);
  for (let t = 0; t < nTrials; t++) {
    const reversed = Math.floor(t / blockLength) % 2 === 1;
    rows[t] = reversed ? [probs[1], probs[0]] : [probs[0], probs[1]];
  }
  return rows;
}

/** Python/numpy floored modulo (`np.mod`): the result has the sign of the divisor. */
function floorMod(x: number, m: number): number {
  const r = x % m;
  return r !== 0 && r < 0 !== m < 0 ? r + m : r;
}

/**
 * Two reflecting Gaussian random walks on [0, 1] (the original's `_gauss_rand_walks`), drawn from numpy:
 * first `nTrials × 2` normals of SD `stepSD` (row-major; row 0 is drawn and then discarded), then two
 * uniform starting points; the cumulative sums are folded into [0, 1] by `v mod 2`, `v > 1 → 2 − v`.
 */
export function reflectingWalks(nTrials: number, stepSD: number, numpy: Rng, nWalks = 2): number[][] {
  const steps: number[][] = [];
  for (let t = 0; t < nTrials; t++) {
    const row = new Array<number>(nWalks);
    for (let w = 0; w < nWalks; w++) row[w] = stepSD * numpy.normal();
    steps.push(row);
  }
  if (nTrials > 0) { for (let w = 0; w < nWalks; w++) steps[0][w] = numpy.random(); }
  const sums = new Array<number>(nWalks).fill(0);
  return steps.map((row) =>
    row.map((step, w) => {
      sums[w] += step;
      const folded = floorMod(sums[w], 2);
      return folded > 1 ? 2 - folded : folded;
    })
  );
}
