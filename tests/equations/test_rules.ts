/**
 * Agents whose logit follows a hand-written rule per bandit trial type, for the equation-discovery tests.
 *
 * @module
 */

import type { Agent, Trial } from "../../src/agents/agent.ts";
import { RandomState } from "../../src/random.ts";

/** A logit update per trial type `2a + r`: L' = rule(L). */
export type LogitRule = (logit: number, trialType: number) => number;

/** An agent whose state is its logit L (scores [L, 0]) and whose update is `rule`, plus N(0, noise²). */
export function logitAgent(
  rule: LogitRule,
  options: { initial?: number; noise?: number; seed?: number } = {},
): Agent {
  const rng = new RandomState(options.seed ?? 0);
  const noise = options.noise ?? 0;
  return {
    name: "logit-rule",
    nActions: 2,
    stateNames: ["L"],
    dynamicalVariables: 1,
    initialState: () => Float64Array.of(options.initial ?? 0.3),
    scores: (state) => Float64Array.of(state[0], 0),
    step: (state, { action, reward }: Trial) =>
      Float64Array.of(rule(state[0], 2 * action + reward) + (noise > 0 ? noise * rng.normal() : 0)),
  };
}

/** Coefficients of the linear test rule `L' = slope · L + offset`, per trial type. */
export const LINEAR_RULE: readonly { slope: number; offset: number }[] = [
  { slope: 0.9, offset: -0.3 }, // A1 R=0
  { slope: 0.7, offset: 1.0 }, // A1 R=1
  { slope: 0.9, offset: 0.3 }, // A2 R=0
  { slope: 0.7, offset: -1.0 }, // A2 R=1
];

/** The linear rule as a function. */
export const linearRule: LogitRule = (logit, type) =>
  LINEAR_RULE[type].slope * logit + LINEAR_RULE[type].offset;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** A rule with sigmoid and tanh terms: saturating updates of the kind a GRU makes. */
export const saturatingRule: LogitRule = (logit, type) => {
  switch (type) {
    case 0:
      return 0.8 * Math.tanh(logit) - 0.2;
    case 1:
      return 0.5 * logit + 2 * sigmoid(logit) - 0.5;
    case 2:
      return 0.8 * Math.tanh(logit) + 0.2;
    default:
      return 0.5 * logit - 2 * sigmoid(logit) + 1.5;
  }
};
