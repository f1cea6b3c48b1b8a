/**
 * Turning trials into network inputs.
 *
 * With two actions the input is the original's `[a, s, r]` (or, for the switching GRU, the one-hot trial
 * type). With k > 2 options a scalar action would impose an order on the options that has no meaning, so the
 * action is one-hot, as the paper's networks for the multi-armed human tasks take it: `[onehot(a), r]` on a
 * bandit, `[onehot(a), s, r]` on a two-stage task. The trial type counts a reward as "rewarded" when it is
 * positive, which for 0/1 rewards is the reward itself.
 *
 * Point rewards (e.g. 1-100 on the Daw et al. 2006 / Bahrami & Navajas bandits) are divided by the data set's
 * reward scale, `rewardScaleOf`: the largest absolute reward when it exceeds 1, else 1. Large inputs would
 * saturate the gates at initialisation and make the learning rate data-dependent; dividing by max |r| maps
 * the rewards into [-1, 1] while keeping 0 as "no reward" and the sign of losses (a min/max map to [0, 1]
 * would move 0 and turn -1/+1 outcomes into 0/1 ones, and would change 0/1 data if a data set lacked one of
 * the two values). Data whose rewards already lie in [-1, 1], 0/1 data in particular, have scale 1 and enter
 * unchanged, to the bit. Training (`scaledForNetwork`, applied to every data set the engine encodes) and a
 * trained network (`FitConfig.rewardScale`, used by `FittedModel.run` and `FittedModel.agent`) apply the same
 * scale; cognitive models see the raw magnitudes.
 *
 * @module
 */

import { type Dataset, type TaskKind, trialTypeCount, trialTypeOf } from "../data/dataset.ts";
import type { Trial } from "../agents/agent.ts";
import type { InputEncoding } from "./cell.ts";

/** Length of the input vector for an encoding, task kind and number of actions (default 2). */
export function inputSizeOf(encoding: InputEncoding, kind: TaskKind, nActions = 2): number {
  if (encoding === "asr") return nActions === 2 ? 3 : nActions + (kind === "bandit" ? 1 : 2);
  return trialTypeCount(kind, nActions);
}

/**
 * The factor a network's reward input is divided by: the largest absolute (finite) reward of the data set
 * when it exceeds 1, else exactly 1 (0/1 and ±1 data, and data without rewards above 1, are not rescaled).
 *
 * @example
 * ```ts
 * import { rewardScaleOf } from "./encoding.ts";
 * const block = { action: [0, 1], state: [0, 1], reward: [40, 80], trialType: [1, 3] };
 * rewardScaleOf({ kind: "bandit", nActions: 2, blocks: [block] }); // 80
 * ```
 */
export function rewardScaleOf(data: Dataset): number {
  let max = 1;
  for (const block of data.blocks) {
    for (const r of block.reward) {
      const a = Math.abs(r);
      if (Number.isFinite(a) && a > max) max = a;
    }
  }
  return max;
}

/**
 * The data set as a network is trained on it: every reward divided by `scale` (default `rewardScaleOf(data)`).
 * With scale 1 it returns `data` itself, so binary data are untouched. Cognitive models are fitted to the
 * original.
 *
 * @example
 * ```ts
 * import { scaledForNetwork } from "./encoding.ts";
 * const block = { action: [0, 1], state: [0, 1], reward: [40, 80], trialType: [1, 3] };
 * const scaled = scaledForNetwork({ kind: "bandit", nActions: 2, blocks: [block] });
 * console.log(scaled.blocks[0].reward); // [0.5, 1]
 * ```
 */
export function scaledForNetwork(data: Dataset, scale: number = rewardScaleOf(data)): Dataset {
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new RangeError(`reward scale must be a finite positive number, got ${scale}`);
  }
  if (scale === 1) return data;
  return { ...data, blocks: data.blocks.map((b) => ({ ...b, reward: b.reward.map((r) => r / scale) })) };
}

/**
 * Write the input vector of one trial to `out[o..]` (`nActions` as for `inputSizeOf`). `rewardScale` divides
 * the reward first (a trained network's `FitConfig.rewardScale`; 1 leaves it as given).
 */
export function encodeTrial(
  encoding: InputEncoding,
  kind: TaskKind,
  given: Trial,
  out: Float64Array,
  o: number,
  nActions = 2,
  rewardScale = 1,
): void {
  const trial = rewardScale === 1 ? given : { ...given, reward: given.reward / rewardScale };
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
