/**
 * AdamW with PyTorch's defaults and its exact order of operations, so parameters track a PyTorch run.
 *
 * @module
 */

/** AdamW settings. */
export interface AdamWOptions {
  /** Learning rate. Default 0.005 (the paper's). */
  lr?: number;
  /** β1 and β2. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** ε added to the bias-corrected root of the second moment. Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay. Default 0 (then AdamW is Adam). */
  weightDecay?: number;
}

/** AdamW state over one flat parameter vector. */
export class AdamW {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** First moment (`exp_avg`). */
  readonly m: Float64Array;
  /** Second moment (`exp_avg_sq`). */
  readonly v: Float64Array;
  /** Steps taken so far. */
  steps = 0;

  constructor(size: number, options: AdamWOptions = {}) {
    this.lr = options.lr ?? 0.005;
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update of `w` in place from gradient `g`. */
  step(w: Float64Array, g: Float64Array): void {
    const k = ++this.steps;
    const { lr, beta1, beta2, eps, m, v } = this;
    const decay = 1 - lr * this.weightDecay;
    const stepSize = lr / (1 - beta1 ** k);
    const correction2Sqrt = Math.sqrt(1 - beta2 ** k);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      if (decay !== 1) w[i] *= decay;
      m[i] = m[i] * beta1 + a1 * gi;
      v[i] = v[i] * beta2 + a2 * gi * gi;
      const denom = Math.sqrt(v[i]) / correction2Sqrt + eps;
      w[i] = w[i] + (-stepSize * m[i]) / denom;
    }
  }

  /** Forget the moments and the step count. */
  reset(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.steps = 0;
  }
}
