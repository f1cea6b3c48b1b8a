/**
 * Softmax and pooled cross-entropy of two-action logits, shared by every forward pass so that they all give
 * the same bits (a GRU through the fused pass and the same network as an SGRU through the generic pass).
 *
 * With two actions the cross-entropy is softplus of the logit margin, max − logit[target] + log(1 + e) with
 * e = exp(−|l1 − l0|): one exponential per trial. The logarithms are not taken one per trial: the factors
 * 1 + e ∈ [1, 2] of the trials with weight 1 are multiplied together and the product's logarithm is taken
 * once (when it nears the top of the double range, and at the end), as accurate as summing the logarithms
 * and much cheaper.
 *
 * @module
 */

import { fastExp } from "../../fast_math.ts";
import type { Workspace } from "../workspace.ts";

/** Products of 1 + e factors are folded into the sum of logarithms before they pass this (< max double). */
const FOLD = 2 ** 1000;

/**
 * Softmax of the logits of trial `cell` (`logits[2 cell]`, `logits[2 cell + 1]`): stores 1 + e in
 * `rowSum[cell]` and, with `keepProbs`, the probabilities (e / (1 + e) and 1 / (1 + e), as PyTorch's
 * backward forms them to within an ulp) in `probs`.
 */
export function twoActionSoftmax(
  logits: Float64Array,
  rowSum: Float64Array,
  probs: Float64Array,
  cell: number,
  keepProbs: boolean,
): void {
  const l0 = logits[2 * cell], l1 = logits[2 * cell + 1];
  // exp(−0) is exactly 1, so tied logits give 1/2 each, as the general softmax does.
  const e = fastExp(-Math.abs(l1 - l0));
  const sum = 1 + e;
  rowSum[cell] = sum;
  if (keepProbs) {
    // Which logit is larger is unpredictable: select by exact arithmetic (0·e + 1 or 1·e + 0), not a branch.
    const inv = 1 / sum;
    const second = +(l1 > l0);
    probs[2 * cell] = (second * e + (1 - second)) * inv;
    probs[2 * cell + 1] = ((1 - second) * e + second) * inv;
  }
}

/**
 * The pooled cross-entropy Σ mask·CE / Σ mask over the scored trials of the last forward, from its logits
 * and `rowSum` (summed trial-major, the same in every pass).
 */
export function twoActionLoss(ws: Workspace): number {
  const { logits, rowSum, batch, firstScored } = ws;
  const { T, B, target, mask } = batch;
  let linear = 0, logs = 0, product = 1;
  for (let cell = firstScored * B; cell < T * B; cell++) {
    const m = mask[cell];
    if (m === 0) continue;
    const l0 = logits[2 * cell], l1 = logits[2 * cell + 1];
    // max − logit[target] = max(0, margin), formed without branches (both steps are exact).
    const margin = (l1 - l0) * (1 - 2 * target[cell]);
    linear += m * ((margin + Math.abs(margin)) * 0.5);
    if (m === 1) {
      product *= rowSum[cell];
      if (product > FOLD) {
        logs += Math.log(product);
        product = 1;
      }
    } else logs += m * Math.log(rowSum[cell]);
  }
  return (linear + (logs + Math.log(product))) / ws.scored;
}
