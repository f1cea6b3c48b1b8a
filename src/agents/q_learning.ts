/**
 * `Q(0)`: TD(0) learning of first-stage action values from second-stage state values (Akam et al. 2015).
 *
 * @module
 */

import type { CognitiveModelDefinition } from "./cognitive_definition.ts";

/** `Q(0)`: Q_f[c] ← (1−α)Q_f[c] + α·Q_s[s] (old Q_s), then Q_s[s] ← (1−α)Q_s[s] + α·o; P = softmax(iTemp·Q_f). */
export const Q0: CognitiveModelDefinition = {
  name: "Q(0)",
  aliases: ["Q0"],
  description: "TD(0): Q_f[c] ← (1−α)Q_f[c] + α·Q_s[s]; Q_s[s] ← (1−α)Q_s[s] + α·o",
  paramNames: ["alpha", "iTemp"],
  paramRanges: ["unit", "pos"],
  defaultParams: [0.5, 5],
  stateNames: ["Q_f[0]", "Q_f[1]", "Q_s[0]", "Q_s[1]"],
  dynamicalVariables: 4,
  initialState(state) {
    state.fill(0);
  },
  scores(state, params, _settings, out) {
    out[0] = state[0] * params[1];
    out[1] = state[1] * params[1];
  },
  update(state, params, _settings, c, s, o) {
    const alpha = params[0];
    // The first-stage value learns from the second-stage value *before* this trial's update.
    state[c] = (1 - alpha) * state[c] + alpha * state[2 + s];
    state[2 + s] = (1 - alpha) * state[2 + s] + alpha * o;
  },
};
