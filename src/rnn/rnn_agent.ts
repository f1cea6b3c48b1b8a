/**
 * A trained network acting through the `Agent` protocol: the same cell step as training, one trial at a time,
 * so `simulate`, likelihoods and portraits (the one-step map from any state) work on networks unchanged. A
 * network trained on point rewards keeps the reward scale it was trained with (`rewardScaleOf`): the agent
 * divides each trial's reward by it before the cell sees it, so it can act on a task that pays raw points.
 *
 * @module
 */

import type { Agent, Trial } from "../agents/agent.ts";
import type { TaskKind } from "../data/dataset.ts";
import { encodeTrial } from "./encoding.ts";
import { type Network, readoutForward, writeInitialState } from "./network.ts";

/** A network with fixed weights as an `Agent`. */
export class RnnAgent implements Agent {
  readonly name: string;
  readonly nActions: number;
  readonly stateNames: readonly string[];
  readonly dynamicalVariables: number;
  readonly #net: Network;
  readonly #w: Float64Array;
  readonly #kind: TaskKind;
  readonly #input: Float64Array;
  readonly #cache: Float64Array;
  /** What rewards are divided by before they enter the network (1: as given). */
  readonly rewardScale: number;

  /**
   * `kind` fixes the trial-type encoding for one-hot cells; `rewardScale` (default 1) is the factor the
   * training data's rewards were divided by.
   */
  constructor(net: Network, weights: Float64Array, kind: TaskKind, name?: string, rewardScale = 1) {
    if (!(rewardScale > 0 && Number.isFinite(rewardScale))) {
      throw new RangeError(`reward scale must be a finite positive number, got ${rewardScale}`);
    }
    this.rewardScale = rewardScale;
    this.#net = net;
    this.#w = Float64Array.from(weights);
    this.#kind = kind;
    this.name = name ?? `${net.spec.cell}-${net.spec.hidden}`;
    this.nActions = net.spec.nActions;
    const d = net.spec.hidden;
    this.stateNames = Array.from({ length: net.stateSize }, (_, i) => (i < d ? `h${i}` : `c${i - d}`));
    this.dynamicalVariables = net.stateSize;
    this.#input = new Float64Array(net.spec.inputSize);
    this.#cache = new Float64Array(Math.max(1, net.kernel.cacheSize));
  }

  /** The initial state (zeros, or the trained `h0`). */
  initialState(): Float64Array {
    const s = new Float64Array(this.#net.stateSize);
    writeInitialState(this.#net, this.#w, s, 0);
    return s;
  }

  /** Action logits of a state. */
  scores(state: Float64Array): Float64Array {
    const out = new Float64Array(this.nActions);
    readoutForward(this.#net, this.#w, state, 0, out, 0);
    return out;
  }

  /** The state after one trial (a new array). */
  step(state: Float64Array, trial: Trial): Float64Array {
    encodeTrial(this.#net.cell.encoding, this.#kind, trial, this.#input, 0, this.nActions, this.rewardScale);
    const out = new Float64Array(this.#net.stateSize);
    this.#net.kernel.forward(this.#w, this.#input, 0, state, 0, out, 0, this.#cache, 0);
    return out;
  }
}
