/**
 * The readout direction: which direction of state space moves the logit (as in the paper's 2-D analysis).
 *
 * @module
 */

import type { LogitChanges } from "./logits.ts";
import { fitLinear } from "./regression.ts";

/** OLS fit L ≈ w·h + b over all trials. */
export interface Readout {
  weights: Float64Array;
  bias: number;
  /** `weights / |weights|`. */
  direction: Float64Array;
  r2: number;
}

/** Regress the logit on the state (before and after every trial, so the last state of each block counts too). */
export function readoutDirection(changes: LogitChanges): Readout {
  const rows = [...changes.state, ...changes.nextState];
  const target = [...changes.logit, ...changes.logit.map((l, i) => l + changes.change[i])];
  const { weights, bias, r2 } = fitLinear(rows, target);
  const norm = Math.hypot(...weights);
  const direction = weights.map((w) => (norm > 0 ? w / norm : 0));
  return { weights, bias, direction, r2 };
}
