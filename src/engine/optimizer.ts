/**
 * The optimiser a training run uses, passed in rather than built inside the trainer, so that another update
 * rule can be tried without touching the training loop. AdamW (the original's optimiser, with PyTorch's order
 * of operations) is the default.
 *
 * @module
 */

import { AdamW } from "./adamw.ts";

/** Something that updates a flat parameter vector in place from its gradient, one step at a time. */
export interface Optimizer {
  /** One update of `w` in place from the gradient `g` (both in the network's flat layout). */
  step(w: Float64Array, g: Float64Array): void;
}

/** The hyper-parameters of a training job that an optimiser may use. */
export interface OptimizerSettings {
  /** Learning rate. */
  lr: number;
  /** AdamW's β1 and β2. */
  betas: [number, number];
  /** AdamW's ε. */
  eps: number;
  /** Decoupled weight decay. */
  weightDecay: number;
}

/** Makes a fresh optimiser for a parameter vector of `size` entries. */
export type OptimizerFactory = (size: number, settings: OptimizerSettings) => Optimizer;

/**
 * The default optimiser: AdamW as PyTorch computes it.
 *
 * @example
 * ```ts
 * import { adamW } from "@tinyrnn/tinyrnn";
 *
 * const opt = adamW(2, { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
 * const w = new Float64Array([1, -1]);
 * opt.step(w, new Float64Array([0.5, -0.5]));
 * console.log(w); // each weight moved by lr against its gradient's sign
 * ```
 */
export const adamW: OptimizerFactory = (size: number, settings: OptimizerSettings): Optimizer =>
  new AdamW(size, settings);
