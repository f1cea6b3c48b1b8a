/**
 * Turning trials into network inputs.
 *
 * With two actions the input is the original's `[a, s, r]` (or, for the switching GRU, the one-hot trial
 * type). With k > 2 options a scalar action would impose an order on the options that has no meaning, so the
 * action is one-hot, as the paper's networks for the multi-armed human tasks take it: `[onehot(a), r]` on a
 * bandit, `[onehot(a), s, r]` on a two-stage task. Rewards enter as given: point rewards (e.g. 1-100) should be
 * rescaled to about [0, 1] before fitting, since large inputs saturate the gates. The trial type counts a
 * reward as "rewarded" when it is positive, which for 0/1 rewards is the reward itself.
 *
 * @module
 */

import { type TaskKind, trialTypeCount, trialTypeOf } from "../data/dataset.ts";
import type { Trial } from "../agents/agent.ts";
import type { InputEncoding } from "./cell.ts";

/** Length of the input vector for an encoding, task kind and number of actions (default 2). */
export function inputSizeOf(encoding: InputEncoding, kind: TaskKind, nActions = 2): number {
  if (encoding === "asr") return nActions === 2 ? 3 : nActions + (kind === "bandit" ? 1 : 2);
  return trialTypeCount(kind, nActions);
}

/** Write the input vector of one trial to `out[o..]` (`nActions` as for `inputSizeOf`). */
export function encodeTrial(
  encoding: InputEncoding,
  kind: TaskKind,
  trial: Trial,
  out: Float64Array,
  o: number,
  nActions = 2,
): void {
  if (encoding === "asr") {
    if (nActions === 2) {
      out[o] = trial.action;
      out[o + 1] = trial.state;
      out[o + 2] = trial.reward;
      return;
    }
    for (let a = 0; a < nActions; a++) out[o + a] = a === trial.action ? 1 : 0;
    if (kind === "bandit") out[o + nActions] = trial.reward;
    else {
      out[o + nActions] = trial.state;
      out[o + nActions + 1] = trial.reward;
    }
    return;
  }
  const n = trialTypeCount(kind, nActions);
  for (let k = 0; k < n; k++) out[o + k] = 0;
  const type = trialTypeOf(kind, trial.action, trial.state, trial.reward > 0 ? 1 : 0);
  if (!(type >= 0 && type < n)) {
    throw new RangeError(`trial (action ${trial.action}, state ${trial.state}) has no trial type of ${n}`);
  }
  out[o + type] = 1;
}
