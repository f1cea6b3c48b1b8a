/**
 * The original's "model-based" family over second-stage state values `Q_s` (PRL/RTS `MB…` models).
 *
 * Choice values are `Q_mb[a] = p·Q_s[a] + (1 − p)·Q_s[1 − a]` with p = `pTransit`; with p = 1 (reversal
 * bandits) every model here is a model-free learner over the two arms.
 *
 * @module
 */

import { type CognitiveModelDefinition, writeModelBasedScores } from "./cognitive_definition.ts";

const STATE_VALUES = ["Q_s[0]", "Q_s[1]"] as const;

/** A model whose state is the two state values and whose logits are the model-based mix of them. */
function stateValueModel(
  spec: Omit<CognitiveModelDefinition, "stateNames" | "initialState" | "scores"> & { initialValue?: number },
): CognitiveModelDefinition {
  const initialValue = spec.initialValue ?? 0;
  const iTempIndex = spec.paramNames.indexOf("iTemp");
  return {
    ...spec,
    stateNames: STATE_VALUES,
    initialState(state) {
      state[0] = initialValue;
      state[1] = initialValue;
    },
    scores(state, params, settings, out) {
      writeModelBasedScores(state[0], state[1], settings.pTransit, params[iTempIndex], out);
    },
  };
}

/** `MB0`: delta rule on the reached state; the tutorial's model-free agent (alias `MF`). */
export const MB0: CognitiveModelDefinition = stateValueModel({
  name: "MB0",
  aliases: ["MF"],
  description: "Q[s] ← (1−α)Q[s] + α·o; other value unchanged; P = softmax(iTemp·Q_mb)",
  paramNames: ["alpha", "iTemp"],
  paramRanges: ["unit", "pos"],
  defaultParams: [0.5, 5],
  dynamicalVariables: 2,
  update(state, params, _settings, _action, s, o) {
    const alpha = params[0];
    state[s] = (1 - alpha) * state[s] + alpha * o;
  },
});

/** `MB1`: as MB0, and the unvisited state's value decays by β. */
export const MB1: CognitiveModelDefinition = stateValueModel({
  name: "MB1",
  description: "as MB0, plus Q[1−s] ← β·Q[1−s]",
  paramNames: ["alpha", "beta", "iTemp"],
  paramRanges: ["unit", "unit", "pos"],
  defaultParams: [0.5, 0.5, 5],
  dynamicalVariables: 2,
  update(state, params, _settings, _action, s, o) {
    const alpha = params[0];
    state[s] = (1 - alpha) * state[s] + alpha * o;
    state[1 - s] = params[1] * state[1 - s];
  },
});

/** `MBf`: forgetful values that relax towards 0.5 after the delta rule (Collins & Frank 2012). */
export const MBf: CognitiveModelDefinition = stateValueModel({
  name: "MBf",
  description: "Q[s] ← (1−α)Q[s] + α·o, then both Q ← (1−β)Q + β·0.5; Q starts at 0.5",
  paramNames: ["alpha", "beta", "iTemp"],
  paramRanges: ["unit", "unit", "pos"],
  defaultParams: [0.5, 0.5, 5],
  dynamicalVariables: 2,
  initialValue: 0.5,
  update(state, params, _settings, _action, s, o) {
    const alpha = params[0];
    const beta = params[1];
    state[s] = (1 - alpha) * state[s] + alpha * o;
    state[0] = (1 - beta) * state[0] + beta * 0.5;
    state[1] = (1 - beta) * state[1] + beta * 0.5;
  },
});

/** `MB0off`: MB0 with an additive reward offset. */
export const MB0off: CognitiveModelDefinition = stateValueModel({
  name: "MB0off",
  description: "Q[s] ← (1−α)Q[s] + α·(o + r_offset)",
  paramNames: ["alpha", "r_offset", "iTemp"],
  paramRanges: ["unit", "unc", "pos"],
  defaultParams: [0.5, 0, 5],
  dynamicalVariables: 2,
  update(state, params, _settings, _action, s, o) {
    const alpha = params[0];
    state[s] = (1 - alpha) * state[s] + alpha * (o + params[1]);
  },
});

/** The symmetric update shared by MB0s and MB0se: the other value moves the opposite way. */
function symmetricUpdate(state: Float64Array, alpha: number, s: number, o: number): void {
  state[s] = (1 - alpha) * state[s] + alpha * o;
  state[1 - s] = (1 - alpha) * state[1 - s] - alpha * o;
}

/** `MB0s`: symmetric values, Q[1] = −Q[0] forever (one dynamical variable). */
export const MB0s: CognitiveModelDefinition = stateValueModel({
  name: "MB0s",
  description: "Q[s] ← (1−α)Q[s] + α·o; Q[1−s] ← (1−α)Q[1−s] − α·o",
  paramNames: ["alpha", "iTemp"],
  paramRanges: ["unit", "pos"],
  defaultParams: [0.5, 5],
  dynamicalVariables: 1,
  update(state, params, _settings, _action, s, o) {
    symmetricUpdate(state, params[0], s, o);
  },
});

/** `MB0se`: MB0s with the outcome recoded 0 → −1 ("equal reward"). */
export const MB0se: CognitiveModelDefinition = stateValueModel({
  name: "MB0se",
  description: "as MB0s with o recoded 0 → −1",
  paramNames: ["alpha", "iTemp"],
  paramRanges: ["unit", "pos"],
  defaultParams: [0.5, 5],
  dynamicalVariables: 1,
  update(state, params, _settings, _action, s, o) {
    symmetricUpdate(state, params[0], s, o === 0 ? -1 : o);
  },
});

/** The GRU-inspired update of MB0md/MB0mdnb. */
function mixDecayUpdate(
  state: Float64Array,
  alpha1: number,
  alpha2: number,
  b: number,
  s: number,
  o: number,
) {
  const n = 1 - s;
  if (o === 1) {
    state[s] = alpha1 * state[s] + 1;
    state[n] = state[n] - b;
  } else {
    state[s] = state[s] + alpha2 * (state[n] - state[s]);
  }
}

/** `MB0md`: GRU-inspired mixture/decay update. */
export const MB0md: CognitiveModelDefinition = stateValueModel({
  name: "MB0md",
  description: "o=1: Q[s] ← α1·Q[s] + 1, Q[1−s] ← Q[1−s] − b; o=0: Q[s] ← Q[s] + α2·(Q[1−s] − Q[s])",
  paramNames: ["alpha1", "alpha2", "b", "iTemp"],
  paramRanges: ["unit", "unit", "unit", "pos"],
  defaultParams: [0.4, 0.2, 0.4, 5],
  dynamicalVariables: 2,
  update(state, params, _settings, _action, s, o) {
    mixDecayUpdate(state, params[0], params[1], params[2], s, o);
  },
});

/** `MB0mdnb`: MB0md with b fixed to 0. */
export const MB0mdnb: CognitiveModelDefinition = stateValueModel({
  name: "MB0mdnb",
  description: "as MB0md with b = 0",
  paramNames: ["alpha1", "alpha2", "iTemp"],
  paramRanges: ["unit", "unit", "pos"],
  defaultParams: [0.4, 0.2, 5],
  dynamicalVariables: 2,
  update(state, params, _settings, _action, s, o) {
    mixDecayUpdate(state, params[0], params[1], 0, s, o);
  },
});

/** `MB0m`: separate learning rates for rewarded and unrewarded trials. */
export const MB0m: CognitiveModelDefinition = stateValueModel({
  name: "MB0m",
  description: "α = α1 if o=1 else α2; Q[s] ← (1−α)Q[s] + α·o; if o=0 also Q[1−s] ← (1−α2)Q[1−s]",
  paramNames: ["alpha1", "alpha2", "iTemp"],
  paramRanges: ["unit", "unit", "pos"],
  defaultParams: [0.5, 0.5, 5],
  dynamicalVariables: 2,
  update(state, params, _settings, _action, s, o) {
    const alpha = o === 1 ? params[0] : params[1];
    state[s] = (1 - alpha) * state[s] + alpha * o;
    // The original writes (1−α)Q − α·o here, and o = 0 on this branch.
    if (o === 0) state[1 - s] = (1 - alpha) * state[1 - s] - alpha * o;
  },
});

/** Every model of this file, in the order the original lists them. */
export const MODEL_BASED_MODELS: readonly CognitiveModelDefinition[] = [
  MB0,
  MB1,
  MBf,
  MB0off,
  MB0s,
  MB0se,
  MB0md,
  MB0mdnb,
  MB0m,
];
