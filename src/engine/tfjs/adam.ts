/**
 * AdamW over M stacked models with tf ops, in PyTorch's order of operations (ε added to the bias-corrected root
 * of the second moment; decoupled decay before the step). tfjs' own `tf.train.adam` places ε the same way but
 * keeps one learning rate and β for all parameters and its β powers in float32, so the engine writes its own:
 * every model keeps its own lr, β, ε and weight decay, and the bias corrections are computed in float64.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** AdamW settings of one model. */
export interface AdamSettings {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

/** A per-model value as a tensor that broadcasts against `[M, ...shape]` of rank `rank`. */
function perModel(values: readonly number[], rank: number): tf.Tensor {
  return tf.tensor(Float32Array.from(values), [values.length, ...new Array(rank - 1).fill(1)]);
}

/** AdamW state of stacked parameters (first dimension = model). */
export class StackedAdam {
  settings: AdamSettings[];
  /** First and second moments, one pair per parameter tensor. */
  m: tf.Variable[];
  v: tf.Variable[];
  /** Steps taken (the same for every stacked model: they start together). */
  steps = 0;
  /**
   * Per-model constants by tensor rank (β1, 1 - β1, β2, 1 - β2, ε, decay), built once (uploads are slow) and
   * kept out of the step's tidy scope.
   */
  #constants = new Map<number, tf.Tensor[]>();

  constructor(params: readonly tf.Variable[], settings: AdamSettings[]) {
    this.settings = settings;
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false));
  }

  #constantsFor(rank: number): tf.Tensor[] {
    let c = this.#constants.get(rank);
    if (!c) {
      const s = this.settings;
      // 1 - β in float64, then rounded once, as PyTorch forms it.
      c = [
        s.map((o) => o.betas[0]),
        s.map((o) => 1 - o.betas[0]),
        s.map((o) => o.betas[1]),
        s.map((o) => 1 - o.betas[1]),
        s.map((o) => o.eps),
        s.map((o) => 1 - o.lr * o.weightDecay),
      ].map((values) => tf.keep(perModel(values, rank)));
      this.#constants.set(rank, c);
    }
    return c;
  }

  /** One update of every parameter from its gradient (same order as the constructor's `params`). */
  step(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    const k = ++this.steps;
    const s = this.settings;
    const decay = s.some((o) => o.weightDecay !== 0);
    tf.tidy(() => {
      // Bias corrections in float64, one upload per step.
      const stepSize = tf.tensor1d(Float32Array.from(s, (o) => -o.lr / (1 - o.betas[0] ** k)));
      const correction2Sqrt = tf.tensor1d(Float32Array.from(s, (o) => Math.sqrt(1 - o.betas[1] ** k)));
      for (let i = 0; i < params.length; i++) {
        const p = params[i], g = grads[i], m = this.m[i], v = this.v[i];
        const r = p.rank;
        const [b1, a1, b2, a2, eps, decays] = this.#constantsFor(r);
        const shape = [s.length, ...new Array(r - 1).fill(1)];
        const nextM = tf.add(tf.mul(m, b1), tf.mul(a1, g));
        const nextV = tf.add(tf.mul(v, b2), tf.mul(tf.mul(a2, g), g));
        const denom = tf.add(tf.div(tf.sqrt(nextV), tf.reshape(correction2Sqrt, shape)), eps);
        const base = decay ? tf.mul(p, decays) : p;
        const update = tf.div(tf.mul(tf.reshape(stepSize, shape), nextM), denom);
        m.assign(nextM);
        v.assign(nextV);
        p.assign(tf.add(base, update));
      }
    });
  }

  /** Keep only the models at `keep` (indices into the current stack). */
  select(keep: readonly number[]): void {
    const idx = tf.tensor1d(Int32Array.from(keep), "int32");
    const regather = (vars: tf.Variable[]) =>
      vars.map((x) => {
        const next = tf.variable(tf.gather(x, idx), false);
        x.dispose();
        return next;
      });
    this.m = regather(this.m);
    this.v = regather(this.v);
    idx.dispose();
    this.settings = keep.map((i) => this.settings[i]);
    this.#disposeConstants();
  }

  #disposeConstants(): void {
    for (const c of this.#constants.values()) tf.dispose(c);
    this.#constants.clear();
  }

  /** Free the moments. */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
    this.#disposeConstants();
  }
}
