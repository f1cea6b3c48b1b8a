/**
 * The reduced two-stage task: `Two_step(com_prob, rew_gen='blocks')`.
 *
 * @module
 */

import { checkNumber, rejectUnknownKeys } from "../options.ts";
import { alternatingBlocks } from "./reward_schedules.ts";
import type { Task } from "./task.ts";
import { checkBlockLength, checkProbabilityPair } from "./task_options.ts";
import { constantTransitions, TwoStepTask } from "./two_step.ts";

/** Options of `tasks.twoStage`. */
export interface TwoStageOptions {
  /** P(common transition): choice c reaches state c with this probability, else state 1 − c. Default 0.8. */
  commonProb?: number;
  /** Trials between reward reversals. Default 50. */
  blockLength?: number;
  /** Reward probabilities of state 0 and state 1 in the first block. Default [0.2, 0.8]. */
  probs?: [number, number];
}

/**
 * Reduced two-stage task (Miller rats): one binary choice, a common (`commonProb`) or rare transition to
 * one of two second-stage states, and a binary reward whose probability depends on the state; reward
 * probabilities reverse every `blockLength` trials, every block starting in the same phase.
 *
 * @example
 * ```ts
 * import { tasks } from "@tinyrnn/tinyrnn";
 * const task = tasks.twoStage({ commonProb: 0.8, blockLength: 50, probs: [0.2, 0.8] });
 * ```
 */
export function twoStage(options: TwoStageOptions = {}): Task {
  const where = "tasks.twoStage";
  rejectUnknownKeys(where, options, ["commonProb", "blockLength", "probs"]);
  const commonProb = checkNumber(where, "commonProb", options.commonProb ?? 0.8, { min: 0, max: 1 });
  const blockLength = checkBlockLength(where, "blockLength", options.blockLength ?? 50);
  const probs = checkProbabilityPair(where, "probs", options.probs ?? [0.2, 0.8]);
  return new TwoStepTask("twoStage", "twoStage", { commonProb, blockLength, probs }, {
    rewardProbs: (nTrials) => alternatingBlocks(nTrials, probs, blockLength),
    transitionProbs: constantTransitions(commonProb),
  });
}
