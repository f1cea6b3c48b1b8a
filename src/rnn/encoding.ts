/**
 * Turning trials into network inputs.
 *
 * @module
 */

import { type TaskKind, trialTypeCount, trialTypeOf } from "../data/dataset.ts";
import type { Trial } from "../agents/agent.ts";
import type { InputEncoding } from "./cell.ts";

/** Length of the input vector for an encoding and task kind. */
export function inputSizeOf(encoding: InputEncoding, kind: TaskKind): number {
  return encoding === "asr" ? 3 : trialTypeCount(kind);
}

/** Write the input vector of one trial to `out[o..]`. */
export function encodeTrial(
  encoding: InputEncoding,
  kind: TaskKind,
  trial: Trial,
  out: Float64Array,
  o: number,
): void {
  if (encoding === "asr") {
    out[o] = trial.action;
    out[o + 1] = trial.state;
    out[o + 2] = trial.reward;
    return;
  }
  const n = trialTypeCount(kind);
  for (let k = 0; k < n; k++) out[o + k] = 0;
  out[o + trialTypeOf(kind, trial.action, trial.state, trial.reward)] = 1;
}
