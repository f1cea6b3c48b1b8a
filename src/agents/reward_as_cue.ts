/**
 * `RC`, "reward as cue": values of each action conditioned on the previous trial's (state, outcome).
 *
 * State layout: `Q[a, ps, po]` at index `4a + 2ps + po` (8 entries), then the previous state `ps` and
 * outcome `po` (both 0 before the first trial). The choice values are `Q[·, ps, po]`, which is also what
 * the original's separate choice-value vector holds (it is 0 before the first trial, as is `Q[·, 0, 0]`).
 *
 * @module
 */

import type { CognitiveModelDefinition } from "./cognitive_definition.ts";

const PREVIOUS_STATE = 8;
const PREVIOUS_OUTCOME = 9;

/** `RC`: Q[c, ps, po] ← (1−α)Q[c, ps, po] + α·o; next values V[a] = Q[a, s, o]. */
export const RC: CognitiveModelDefinition = {
  name: "RC",
  description: "reward as cue: Q[c, s_prev, o_prev] ← (1−α)Q + α·o; V[a] = Q[a, s, o]",
  paramNames: ["alpha", "iTemp"],
  paramRanges: ["unit", "pos"],
  defaultParams: [0.05, 6],
  stateNames: [
    "Q[0,0,0]",
    "Q[0,0,1]",
    "Q[0,1,0]",
    "Q[0,1,1]",
    "Q[1,0,0]",
    "Q[1,0,1]",
    "Q[1,1,0]",
    "Q[1,1,1]",
    "prev_state",
    "prev_outcome",
  ],
  dynamicalVariables: 8,
  initialState(state) {
    state.fill(0);
  },
  scores(state, params, _settings, out) {
    const cue = 2 * state[PREVIOUS_STATE] + state[PREVIOUS_OUTCOME];
    out[0] = state[cue] * params[1];
    out[1] = state[4 + cue] * params[1];
  },
  update(state, params, _settings, c, s, o) {
    const alpha = params[0];
    const i = 4 * c + 2 * state[PREVIOUS_STATE] + state[PREVIOUS_OUTCOME];
    state[i] = (1 - alpha) * state[i] + alpha * o;
    state[PREVIOUS_STATE] = s;
    state[PREVIOUS_OUTCOME] = o;
  },
};
