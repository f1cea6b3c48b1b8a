/**
 * The shape of one cognitive model: its parameters, its state vector and its in-place trial update.
 *
 * A model is a plain definition object; `cognitive()` wraps it into an `Agent`. Definitions work on
 * preallocated `Float64Array`s so that likelihood evaluation inside a fit allocates nothing per trial.
 *
 * @module
 */

import type { ParamRange } from "../optim/transforms.ts";

// One definition of the parameter spaces (`unit` ∈ [0, 1], `half` ∈ [0, 0.5], `pos` ∈ [0, ∞), `unc` ∈ ℝ),
// shared with the transforms that fitting uses to map unconstrained values into them.
export type { ParamRange };

/** Task-dependent constants of a model family (not fitted). */
export interface CognitiveSettings {
  /**
   * P(common transition) the model assumes: 1 for reversal-learning bandits (the PRL family, where the
   * "model-based" models reduce to model-free learners), 0.8 for the reduced two-stage task (RTS family).
   */
  pTransit: number;
  /** Reward probability of the good state assumed by the latent-state models (0.7 PRL, 0.8 RTS). */
  goodProb: number;
}

/** One cognitive model. Arrays passed in are owned by the caller; `update` mutates `state` in place. */
export interface CognitiveModelDefinition {
  /** Canonical name, e.g. `"MB0"` (the original's `cog_type`). */
  readonly name: string;
  /** Other names users know the model by, e.g. `["MF"]`. */
  readonly aliases?: readonly string[];
  /** One line: what the model does. */
  readonly description: string;
  /** Parameter names, in the original's order (the order of parameter vectors). */
  readonly paramNames: readonly string[];
  /** Range of each parameter, aligned with `paramNames`. */
  readonly paramRanges: readonly ParamRange[];
  /** The original class's default parameter values (used when the caller gives none). */
  readonly defaultParams: readonly number[];
  /** Names of the entries of the state vector. */
  readonly stateNames: readonly string[];
  /** Number of dynamical variables d (the original's `cog_hidden_dim` table). */
  readonly dynamicalVariables: number;
  /** Number of first-stage actions the definition scores. Default 2. */
  readonly nActions?: number;
  /**
   * The same model for `k` actions, for models defined for any number of options (the k-arm family); absent
   * for models with a fixed number of actions.
   */
  forActions?(k: number): CognitiveModelDefinition;
  /** Write the state before the first trial of a block into `state`. */
  initialState(state: Float64Array, params: Float64Array, settings: CognitiveSettings): void;
  /** Write the action logits of `state` into `out`. */
  scores(state: Float64Array, params: Float64Array, settings: CognitiveSettings, out: Float64Array): void;
  /** Advance `state` in place by one observed trial (first-stage action, second-stage state, reward). */
  update(
    state: Float64Array,
    params: Float64Array,
    settings: CognitiveSettings,
    action: number,
    secondStage: number,
    reward: number,
  ): void;
}

/** Model-based values of two second-stage state values: `p·Q[a] + (1 − p)·Q[1 − a]`, times `iTemp`. */
export function writeModelBasedScores(
  q0: number,
  q1: number,
  pTransit: number,
  iTemp: number,
  out: Float64Array,
): void {
  // Same operation order as the original (mix first, then scale), so p = 1 reproduces Q exactly.
  out[0] = (pTransit * q0 + (1 - pTransit) * q1) * iTemp;
  out[1] = (pTransit * q1 + (1 - pTransit) * q0) * iTemp;
}
