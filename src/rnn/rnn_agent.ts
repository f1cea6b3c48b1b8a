/**
 * A trained network acting through the `Agent` protocol: the same cell step as training, one trial at a time,
 * so `simulate`, likelihoods and portraits (the one-step map from any state) work on networks unchanged.
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

  /** `kind` fixes the trial-type encoding for one-hot cells. */
  constructor(net: Network, weights: Float64Array, kind: TaskKind, name?: string) {
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
    encodeTrial(this.#net.cell.encoding, this.#kind, trial, this.#input, 0, this.nActions);
    const out = new Float64Array(this.#net.stateSize);
    this.#net.kernel.forward(this.#w, this.#input, 0, state, 0, out, 0, this.#cache, 0);
    return out;
  }
}
