/**
 * The two-stage task with transition reversals: `Two_step(rew_gen='trans_rev')`.
 *
 * @module
 */

import { rejectUnknownKeys } from "../options.ts";
import { alternatingBlocks } from "./reward_schedules.ts";
import type { Task } from "./task.ts";
import { checkBlockLength, checkProbabilityPair } from "./task_options.ts";
import { TwoStepTask } from "./two_step.ts";

/** Options of `tasks.transitionReversal`. */
export interface TransitionReversalOptions {
  /** Trials between reward reversals. Default 50. */
  blockLength?: number;
  /** Trials between transition reversals. Default 50. */
  transRevLength?: number;
  /**
   * Reward probabilities of state 0 and state 1 in the first block. The original also uses this pair as the
   * P(common transition) schedule (probs[0], then probs[1], alternating every `transRevLength` trials).
   * Default [0.2, 0.8].
   */
  probs?: [number, number];
}

/**
 * Two-stage task whose reward probabilities reverse every `blockLength` trials and whose transition
 * probabilities reverse every `transRevLength` trials (Akam mice, simulated). Faithful to the original:
 * P(common transition) on trial t is the first column of the same alternating schedule built from `probs`
 * (so 0.2 for the first `transRevLength` trials with the defaults, i.e. "common" is then the rarer one).
 *
 * @example
 * ```ts
 * import { tasks } from "@tinyrnn/tinyrnn";
 * const task = tasks.transitionReversal({ blockLength: 50, transRevLength: 50 });
 * ```
 */
export function transitionReversal(options: TransitionReversalOptions = {}): Task {
  const where = "tasks.transitionReversal";
  rejectUnknownKeys(where, options, ["blockLength", "transRevLength", "probs"]);
  const blockLength = checkBlockLength(where, "blockLength", options.blockLength ?? 50);
  const transRevLength = checkBlockLength(where, "transRevLength", options.transRevLength ?? 50);
  const probs = checkProbabilityPair(where, "probs", options.probs ?? [0.2, 0.8]);
  return new TwoStepTask("transitionReversal", "twoStage", { blockLength, transRevLength, probs }, {
    rewardProbs: (nTrials) => alternatingBlocks(nTrials, probs, blockLength),
    transitionProbs: (nTrials) => alternatingBlocks(nTrials, probs, transRevLength).map((row) => row[0]),
  });
}
