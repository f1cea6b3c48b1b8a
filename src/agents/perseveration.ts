/**
 * Value-plus-perseveration models: choice values `Q + Pers`, where Pers is a decaying choice kernel.
 *
 * State layout: two values, then the two perseveration entries. Logits are `iTemp·(Q_choice + Pers)`.
 *
 * @module
 */

import type { CognitiveModelDefinition } from "./cognitive_definition.ts";

/** Symmetric perseveration: the chosen action's kernel moves towards +k, the other towards −k. */
function symmetricPerseveration(state: Float64Array, alphaPers: number, kPers: number, c: number): void {
  const n = 1 - c;
  state[2 + c] = (1 - alphaPers) * state[2 + c] + alphaPers * kPers;
  state[2 + n] = (1 - alphaPers) * state[2 + n] - alphaPers * kPers;
}

/** `MB0p` and `MB1p`: MB0/MB1 state values (model-based mix with pTransit) plus symmetric perseveration. */
function modelBasedPerseveration(decay: boolean): CognitiveModelDefinition {
  const paramNames = decay
    ? ["alpha", "beta", "alpha_pers", "k_pers", "iTemp"]
    : ["alpha", "alpha_pers", "k_pers", "iTemp"];
  const offset = decay ? 1 : 0;
  return {
    name: decay ? "MB1p" : "MB0p",
    description: decay
      ? "MB1 values plus symmetric perseveration"
      : "MB0 values plus symmetric perseveration",
    paramNames,
    paramRanges: decay ? ["unit", "unit", "unit", "unc", "pos"] : ["unit", "unit", "unc", "pos"],
    defaultParams: decay ? [0.5, 0.5, 0.5, 0, 5] : [0.5, 0.5, 0, 5],
    stateNames: ["Q_s[0]", "Q_s[1]", "Pers[0]", "Pers[1]"],
    dynamicalVariables: 3,
    initialState(state) {
      state.fill(0);
    },
    scores(state, params, settings, out) {
      const p = settings.pTransit;
      const iTemp = params[3 + offset];
      out[0] = (p * state[0] + (1 - p) * state[1] + state[2]) * iTemp;
      out[1] = (p * state[1] + (1 - p) * state[0] + state[3]) * iTemp;
    },
    update(state, params, _settings, c, s, o) {
      const alpha = params[0];
      state[s] = (1 - alpha) * state[s] + alpha * o;
      if (decay) state[1 - s] = params[1] * state[1 - s];
      symmetricPerseveration(state, params[1 + offset], params[2 + offset], c);
    },
  };
}

/** `MB0p`: MB0 plus symmetric perseveration. */
export const MB0p: CognitiveModelDefinition = modelBasedPerseveration(false);

/** `MB1p`: MB1 plus symmetric perseveration. */
export const MB1p: CognitiveModelDefinition = modelBasedPerseveration(true);

/** `MF0sp`: symmetric action values (as MB0s, indexed by the action) plus symmetric perseveration. */
export const MF0sp: CognitiveModelDefinition = {
  name: "MF0sp",
  description: "symmetric action values plus symmetric perseveration",
  paramNames: ["alpha", "alpha_pers", "k_pers", "iTemp"],
  paramRanges: ["unit", "unit", "unc", "pos"],
  defaultParams: [0.5, 0.5, 0, 5],
  stateNames: ["Q[0]", "Q[1]", "Pers[0]", "Pers[1]"],
  dynamicalVariables: 2,
  initialState(state) {
    state.fill(0);
  },
  scores(state, params, _settings, out) {
    out[0] = (state[0] + state[2]) * params[3];
    out[1] = (state[1] + state[3]) * params[3];
  },
  update(state, params, _settings, c, _s, o) {
    const alpha = params[0];
    state[c] = (1 - alpha) * state[c] + alpha * o;
    state[1 - c] = (1 - alpha) * state[1 - c] - alpha * o;
    symmetricPerseveration(state, params[1], params[2], c);
  },
};

/** `MFDp`: decaying action values plus a decaying one-sided perseveration kernel. */
export const MFDp: CognitiveModelDefinition = {
  name: "MFDp",
  description: "all Q ← β·Q, Q[c] ← (1−α)Q_old[c] + α·o; Pers ← (1−α_p)Pers, Pers[c] += k_pers",
  paramNames: ["alpha", "beta", "alpha_pers", "k_pers", "iTemp"],
  paramRanges: ["unit", "unit", "unit", "unc", "pos"],
  defaultParams: [0.5, 0.5, 0.5, 0, 5],
  stateNames: ["Q[0]", "Q[1]", "Pers[0]", "Pers[1]"],
  dynamicalVariables: 4,
  initialState(state) {
    state.fill(0);
  },
  scores(state, params, _settings, out) {
    out[0] = (state[0] + state[2]) * params[4];
    out[1] = (state[1] + state[3]) * params[4];
  },
  update(state, params, _settings, c, _s, o) {
    const alpha = params[0];
    const beta = params[1];
    const decayPers = 1 - params[2];
    const chosen = (1 - alpha) * state[c] + alpha * o;
    state[0] *= beta;
    state[1] *= beta;
    state[c] = chosen;
    state[2] *= decayPers;
    state[3] *= decayPers;
    state[2 + c] += params[3];
  },
};

/** Every model of this file. */
export const PERSEVERATION_MODELS: readonly CognitiveModelDefinition[] = [MB0p, MB1p, MF0sp, MFDp];
