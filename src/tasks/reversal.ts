/**
 * The original's reversal-learning bandit: `Two_step(com_prob=1, rew_gen='blocks')`.
 *
 * @module
 */

import { rejectUnknownKeys } from "../options.ts";
import type { Task } from "./task.ts";
import { alternatingBlocks } from "./reward_schedules.ts";
import { checkBlockLength, checkProbabilityPair } from "./task_options.ts";
import { constantTransitions, TwoStepTask } from "./two_step.ts";

/** Options of `tasks.reversal`. */
export interface ReversalOptions {
  /** Trials between reversals. Default 30 (the monkey-matched simulation). */
  blockLength?: number;
  /** Reward probabilities of arm 0 and arm 1 in the first block; reversed every `blockLength` trials. Default [0.3, 0.7]. */
  probs?: [number, number];
}

/**
 * Two-armed reversal-learning bandit: deterministic reversals every `blockLength` trials, every block
 * starting with arm 1 good (for the default probabilities). Per trial it draws the (always common)
 * transition and then the outcome from Python's `random`, like the original.
 *
 * @example
 * ```ts
 * import { tasks } from "@tinyrnn/tinyrnn";
 * const task = tasks.reversal({ blockLength: 30, probs: [0.3, 0.7] });
 * ```
 */
export function reversal(options: ReversalOptions = {}): Task {
  const where = "tasks.reversal";
  rejectUnknownKeys(where, options, ["blockLength", "probs"]);
  const blockLength = checkBlockLength(where, "blockLength", options.blockLength ?? 30);
  const probs = checkProbabilityPair(where, "probs", options.probs ?? [0.3, 0.7]);
  return new TwoStepTask("reversal", "bandit", { blockLength, probs }, {
    rewardProbs: (nTrials) => alternatingBlocks(nTrials, probs, blockLength),
    transitionProbs: constantTransitions(1),
  });
}
