/**
 * Trial types as the analyses see them: the observation that drives the state from trial t to t + 1.
 *
 * @module
 */

import type { Trial } from "../agents/agent.ts";
import { type TaskKind, trialTypeCount } from "../data/dataset.ts";

/**
 * Short labels of every trial type of a task kind, in trial-type order.
 * Bandits: `A1 R=0`, `A1 R=1`, `A2 R=0`, `A2 R=1`; two-stage tasks add the second-stage state (`A1 S1 R=0`, ...).
 */
export function trialTypeLabels(kind: TaskKind): string[] {
  const labels: string[] = [];
  for (let type = 0; type < trialTypeCount(kind); type++) {
    const { action, state, reward } = trialOfType(kind, type);
    labels.push(
      kind === "bandit" ? `A${action + 1} R=${reward}` : `A${action + 1} S${state + 1} R=${reward}`,
    );
  }
  return labels;
}

/** The (action, second-stage state, reward) a trial type stands for; the inverse of `trialTypeOf`. */
export function trialOfType(kind: TaskKind, trialType: number): Trial {
  const count = trialTypeCount(kind);
  if (!Number.isInteger(trialType) || trialType < 0 || trialType >= count) {
    throw new RangeError(
      `trial type must be an integer in [0, ${count}) for ${kind} tasks, got ${trialType}`,
    );
  }
  if (kind === "bandit") {
    const action = trialType >> 1;
    return { action, state: action, reward: trialType & 1 };
  }
  return { action: trialType >> 2, state: (trialType >> 1) & 1, reward: trialType & 1 };
}

/** First-stage action of a trial type. */
export function actionOfType(kind: TaskKind, trialType: number): number {
  return trialOfType(kind, trialType).action;
}
