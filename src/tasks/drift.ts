/**
 * The drifting two-armed bandit: `Two_step(com_prob=1, rew_gen='walks')`.
 *
 * @module
 */

import { checkNumber, rejectUnknownKeys } from "../options.ts";
import { reflectingWalks } from "./reward_schedules.ts";
import type { Task } from "./task.ts";
import { constantTransitions, TwoStepTask } from "./two_step.ts";

/** Options of `tasks.drift`. */
export interface DriftOptions {
  /** SD of the per-trial Gaussian step of each arm's reward probability. Default 0.1. */
  stepSD?: number;
}

/**
 * Two-armed bandit whose reward probabilities follow independent reflecting Gaussian random walks on
 * [0, 1], redrawn (from numpy) at every block start; per trial the (always common) transition and the
 * outcome are drawn from Python's `random`.
 *
 * @example
 * ```ts
 * import { tasks } from "@tinyrnn/tinyrnn";
 * const task = tasks.drift({ stepSD: 0.1 });
 * ```
 */
export function drift(options: DriftOptions = {}): Task {
  const where = "tasks.drift";
  rejectUnknownKeys(where, options, ["stepSD"]);
  const stepSD = checkNumber(where, "stepSD", options.stepSD ?? 0.1, { min: 0 });
  return new TwoStepTask("drift", "bandit", { stepSD }, {
    rewardProbs: (nTrials, random) => reflectingWalks(nTrials, stepSD, random.numpy),
    transitionProbs: constantTransitions(1),
  });
}
