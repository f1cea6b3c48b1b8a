/**
 * Bayesian latent-state models (`LS0`, `LS1`): a belief p1 that the world is in state 1 (state 1 good).
 *
 * @module
 */

import type { CognitiveModelDefinition, CognitiveSettings } from "./cognitive_definition.ts";

/**
 * One belief update: Bayes on the outcome, then the reversal hazard. `bias0`/`bias1` scale the world-0
 * likelihood of second-stage state 0/1 (both 1 in LS0, where the likelihoods stay normalised).
 */
function updateBelief(
  p1: number,
  pr: number,
  bias0: number,
  bias1: number,
  settings: CognitiveSettings,
  s: number,
  o: number,
): number {
  const g = settings.goodProb;
  // P(o | s, world 1): state 1 is good in world 1.
  const likelihood1 = s === o ? g : 1 - g;
  const likelihood0 = (1 - likelihood1) * (s === 0 ? bias0 : bias1);
  const posterior = likelihood1 * p1 / (likelihood1 * p1 + likelihood0 * (1 - p1));
  return (1 - pr) * posterior + pr * (1 - posterior);
}

function latentStateModel(
  spec: Pick<
    CognitiveModelDefinition,
    "name" | "description" | "paramNames" | "paramRanges" | "defaultParams"
  >,
  biases: (params: Float64Array) => [number, number],
): CognitiveModelDefinition {
  const iTempIndex = spec.paramNames.indexOf("iTemp");
  return {
    ...spec,
    stateNames: ["p_1"],
    dynamicalVariables: 1,
    initialState(state) {
      state[0] = 0.5;
    },
    scores(state, params, _settings, out) {
      const iTemp = params[iTempIndex];
      out[0] = (1 - state[0]) * iTemp;
      out[1] = state[0] * iTemp;
    },
    update(state, params, settings, _action, s, o) {
      const [bias0, bias1] = biases(params);
      state[0] = updateBelief(state[0], params[0], bias0, bias1, settings, s, o);
    },
  };
}

/** `LS0`: latent-state inference with reversal hazard p_r; logits iTemp·[1 − p1, p1]. */
export const LS0: CognitiveModelDefinition = latentStateModel({
  name: "LS0",
  description: "Bayesian belief p1 with good_prob g and reversal hazard p_r; P = softmax(iTemp·[1−p1, p1])",
  paramNames: ["p_r", "iTemp"],
  paramRanges: ["half", "pos"],
  defaultParams: [0.1, 5],
}, () => [1, 1]);

/** `LS1`: LS0 with the world-0 outcome likelihoods of state 0 and state 1 scaled by bias1 and bias2. */
export const LS1: CognitiveModelDefinition = latentStateModel({
  name: "LS1",
  description: "as LS0, world-0 likelihood of state 0 (1) multiplied by bias1 (bias2)",
  paramNames: ["p_r", "bias1", "bias2", "iTemp"],
  paramRanges: ["half", "pos", "pos", "pos"],
  defaultParams: [0.1, 1, 1, 5],
}, (params) => [params[1], params[2]]);

/** Every model of this file. */
export const LATENT_STATE_MODELS: readonly CognitiveModelDefinition[] = [LS0, LS1];
