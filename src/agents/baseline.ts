/**
 * `BAS`: the baseline model, a fixed choice bias with no memory.
 *
 * @module
 */

import { protectedLog } from "./agent.ts";
import type { CognitiveModelDefinition } from "./cognitive_definition.ts";

/** `BAS`: logits [log(1−p), log p] on every trial (iTemp fixed to 1; no state). */
export const BAS: CognitiveModelDefinition = {
  name: "BAS",
  description: "fixed bias: P(action 1) = p on every trial",
  paramNames: ["p"],
  paramRanges: ["unit"],
  defaultParams: [0.5],
  stateNames: [],
  dynamicalVariables: 0,
  initialState() {},
  scores(_state, params, _settings, out) {
    out[0] = protectedLog(1 - params[0]);
    out[1] = protectedLog(params[0]);
  },
  update() {},
};
