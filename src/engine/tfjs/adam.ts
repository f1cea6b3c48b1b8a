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

  constructor(params: readonly tf.Variable[], settings: AdamSettings[]) {
    this.settings = settings;
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false));
  }

  /** One update of every parameter from its gradient (same order as the constructor's `params`). */
  step(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    const k = ++this.steps;
    const s = this.settings;
    const stepSize = s.map((o) => o.lr / (1 - o.betas[0] ** k));
    const correction2Sqrt = s.map((o) => Math.sqrt(1 - o.betas[1] ** k));
    const decays = s.map((o) => 1 - o.lr * o.weightDecay);
    const decay = decays.some((x) => x !== 1);
    tf.tidy(() => {
      for (let i = 0; i < params.length; i++) {
        const p = params[i], g = grads[i], m = this.m[i], v = this.v[i];
        const r = p.rank;
        const b1 = perModel(s.map((o) => o.betas[0]), r);
        const b2 = perModel(s.map((o) => o.betas[1]), r);
        // 1 - β in float64, then rounded once, as PyTorch forms it.
        const a1 = perModel(s.map((o) => 1 - o.betas[0]), r);
        const a2 = perModel(s.map((o) => 1 - o.betas[1]), r);
        const nextM = tf.add(tf.mul(m, b1), tf.mul(a1, g));
        const nextV = tf.add(tf.mul(v, b2), tf.mul(tf.mul(a2, g), g));
        const denom = tf.add(
          tf.div(tf.sqrt(nextV), perModel(correction2Sqrt, r)),
          perModel(s.map((o) => o.eps), r),
        );
        const base = decay ? tf.mul(p, perModel(decays, r)) : p;
        const update = tf.div(tf.mul(tf.neg(perModel(stepSize, r)), nextM), denom);
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
  }

  /** Free the moments. */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
