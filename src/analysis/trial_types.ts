/**
 * Trial types as the analyses see them: the observation that drives the state from trial t to t + 1.
 *
 * @module
 */

import type { Trial } from "../agents/agent.ts";
import { type TaskKind, trialTypeCount } from "../data/dataset.ts";

/**
 * Short labels of every trial type of a task kind, in trial-type order (`nActions` first-stage options,
 * default 2). Bandits: `A1 R=0`, `A1 R=1`, `A2 R=0`, `A2 R=1`, ... up to `Ak R=1`; two-stage tasks add the
 * second-stage state (`A1 S1 R=0`, ...). `R=1` means a positive reward (any number of points).
 *
 * @example
 * ```ts
 * import { trialTypeLabels } from "./trial_types.ts";
 * trialTypeLabels("bandit", 3); // ["A1 R=0", "A1 R=1", "A2 R=0", "A2 R=1", "A3 R=0", "A3 R=1"]
 * ```
 */
export function trialTypeLabels(kind: TaskKind, nActions = 2): string[] {
  const labels: string[] = [];
  for (let type = 0; type < trialTypeCount(kind, nActions); type++) {
    const { action, state, reward } = trialOfType(kind, type, nActions);
    labels.push(
      kind === "bandit" ? `A${action + 1} R=${reward}` : `A${action + 1} S${state + 1} R=${reward}`,
    );
  }
  return labels;
}

/**
 * The (action, second-stage state, reward) a trial type stands for; the inverse of `trialTypeOf`
 * (`nActions` first-stage options, default 2).
 *
 * @example
 * ```ts
 * import { trialOfType } from "./trial_types.ts";
 * trialOfType("bandit", 5, 4); // { action: 2, state: 2, reward: 1 }
 * ```
 */
export function trialOfType(kind: TaskKind, trialType: number, nActions = 2): Trial {
  const count = trialTypeCount(kind, nActions);
  if (!Number.isInteger(trialType) || trialType < 0 || trialType >= count) {
    throw new RangeError(
      `trial type must be an integer in [0, ${count}) for ${kind} tasks with ${nActions} actions, got ${trialType}`,
    );
  }
  if (kind === "bandit") {
    const action = trialType >> 1;
    return { action, state: action, reward: trialType & 1 };
  }
  return { action: trialType >> 2, state: (trialType >> 1) & 1, reward: trialType & 1 };
}

/** First-stage action of a trial type (`nActions` as for `trialOfType`). */
export function actionOfType(kind: TaskKind, trialType: number, nActions = 2): number {
  return trialOfType(kind, trialType, nActions).action;
}
