/**
 * The reduced two-stage (RTS) family's own models, and the family constants of each task.
 *
 * Most RTS models are the PRL models of the other family files evaluated with `pTransit` 0.8 and
 * `goodProb` 0.8 (the original's two-stage defaults); this file adds the three that exist only in the RTS family: `MFs` (symmetric
 * model-free action values), `MXs` (a hybrid of symmetric model-free and model-based values) and `Q(1)`
 * (model-free action values learned directly from the outcome).
 *
 * @module
 */

import type { TaskKind } from "../data/dataset.ts";
import {
  type CognitiveModelDefinition,
  type CognitiveSettings,
  writeModelBasedScores,
} from "./cognitive_definition.ts";

/** Constants of the reversal-learning (PRL) family: `MB…` models reduce to model-free learners. */
export const REVERSAL_SETTINGS: Readonly<CognitiveSettings> = Object.freeze({ pTransit: 1, goodProb: 0.7 });

/** Constants of the reduced two-stage (RTS) family, matching `tasks.twoStage()`'s defaults. */
export const TWO_STAGE_SETTINGS: Readonly<CognitiveSettings> = Object.freeze({
  pTransit: 0.8,
  goodProb: 0.8,
});

/** The family constants a model assumes on a task of this kind (bandits: PRL; two-stage: RTS). */
export function settingsForTask(kind: TaskKind): Readonly<CognitiveSettings> {
  return kind === "twoStage" ? TWO_STAGE_SETTINGS : REVERSAL_SETTINGS;
}

/** `MFs`: MB0s's symmetric update applied to action values indexed by the choice (one dynamical variable). */
export const MFs: CognitiveModelDefinition = {
  name: "MFs",
  description: "Q[c] ← (1−α)Q[c] + α·o; Q[1−c] ← (1−α)Q[1−c] − α·o; P = softmax(iTemp·Q)",
  paramNames: ["alpha", "iTemp"],
  paramRanges: ["unit", "pos"],
  defaultParams: [0.5, 5],
  stateNames: ["Q[0]", "Q[1]"],
  dynamicalVariables: 1,
  initialState(state) {
    state.fill(0);
  },
  scores(state, params, _settings, out) {
    out[0] = state[0] * params[1];
    out[1] = state[1] * params[1];
  },
  update(state, params, _settings, c, _s, o) {
    const alpha = params[0];
    state[c] = (1 - alpha) * state[c] + alpha * o;
    state[1 - c] = (1 - alpha) * state[1 - c] - alpha * o;
  },
};

/**
 * `MXs`: symmetric model-free action values Q (rate α_mf) and symmetric state values Q_s (rate α_mb);
 * choice values `w·Q_mb + (1 − w)·Q` with `Q_mb` the model-based mix of Q_s under `pTransit`.
 */
export const MXs: CognitiveModelDefinition = {
  name: "MXs",
  description:
    "symmetric MF action values and symmetric MB state values; P = softmax(iTemp·(w·Q_mb + (1−w)·Q))",
  paramNames: ["alpha_mf", "alpha_mb", "w", "iTemp"],
  paramRanges: ["unit", "unit", "unit", "pos"],
  defaultParams: [0.5, 0.5, 0.5, 5],
  stateNames: ["Q[0]", "Q[1]", "Q_s[0]", "Q_s[1]"],
  dynamicalVariables: 2,
  initialState(state) {
    state.fill(0);
  },
  scores(state, params, settings, out) {
    const w = params[2];
    const iTemp = params[3];
    // Q_mb first (iTemp 1), then the weighted sum, then the temperature: the original's order.
    writeModelBasedScores(state[2], state[3], settings.pTransit, 1, out);
    out[0] = (w * out[0] + (1 - w) * state[0]) * iTemp;
    out[1] = (w * out[1] + (1 - w) * state[1]) * iTemp;
  },
  update(state, params, _settings, c, s, o) {
    const alphaMf = params[0];
    const alphaMb = params[1];
    state[c] = (1 - alphaMf) * state[c] + alphaMf * o;
    state[1 - c] = (1 - alphaMf) * state[1 - c] - alphaMf * o;
    state[2 + s] = (1 - alphaMb) * state[2 + s] + alphaMb * o;
    state[3 - s] = (1 - alphaMb) * state[3 - s] - alphaMb * o;
  },
};

/** `Q(1)`: Q[c] ← (1−α)Q[c] + α·o, the unchosen value unchanged; P = softmax(iTemp·Q). Ignores the state. */
export const Q1: CognitiveModelDefinition = {
  name: "Q(1)",
  aliases: ["Q1"],
  description: "TD(1) on first-stage actions: Q[c] ← (1−α)Q[c] + α·o; P = softmax(iTemp·Q)",
  paramNames: ["alpha", "iTemp"],
  paramRanges: ["unit", "pos"],
  defaultParams: [0.5, 5],
  stateNames: ["Q[0]", "Q[1]"],
  dynamicalVariables: 2,
  initialState(state) {
    state.fill(0);
  },
  scores(state, params, _settings, out) {
    out[0] = state[0] * params[1];
    out[1] = state[1] * params[1];
  },
  update(state, params, _settings, c, _s, o) {
    const alpha = params[0];
    state[c] = (1 - alpha) * state[c] + alpha * o;
  },
};

/** Every model of this file. */
export const TWO_STEP_MODELS: readonly CognitiveModelDefinition[] = [MFs, MXs, Q1];
