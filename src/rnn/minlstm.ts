/**
 * minLSTM (Feng et al. 2024, "Were RNNs all we needed?"): forget and input gates that depend only on the input,
 * normalised to sum to one: `f = σ(W_f x + b_f)`, `i = σ(W_i x + b_i)`, `h~ = W_h x + b_h`,
 * `f' = f / (f + i)`, `i' = i / (f + i)`, `h' = f' ⊙ h + i' ⊙ h~`. There is no separate cell state.
 *
 * @module
 */

import { type CellDefinition, type CellKernel, type ParameterSpec, sigmoid } from "./cell.ts";

/**
 * The minLSTM cell: `rnn.weight_f`, `rnn.weight_i`, `rnn.weight_h` (d x I) with biases `rnn.bias_f`,
 * `rnn.bias_i`, `rnn.bias_h` (d); PyTorch-style U(-1/√d, 1/√d) initialisation; L1 covers the weight matrices.
 */
export const minlstm: CellDefinition = {
  name: "minlstm",
  encoding: "asr",
  stateSize: (hidden) => hidden,
  parameters(hidden: number, inputSize: number): ParameterSpec[] {
    const init = { kind: "uniform", bound: 1 / Math.sqrt(hidden) } as const;
    return [
      { name: "rnn.weight_f", shape: [hidden, inputSize], penalized: true, init },
      { name: "rnn.bias_f", shape: [hidden], penalized: false, init },
      { name: "rnn.weight_i", shape: [hidden, inputSize], penalized: true, init },
      { name: "rnn.bias_i", shape: [hidden], penalized: false, init },
      { name: "rnn.weight_h", shape: [hidden, inputSize], penalized: true, init },
      { name: "rnn.bias_h", shape: [hidden], penalized: false, init },
    ];
  },
  kernel: minLstmKernel,
};

/** Bind a minLSTM step to hidden size `d`, input size `nIn` and offsets [W_f, b_f, W_i, b_i, W_h, b_h]. */
function minLstmKernel(d: number, nIn: number, offsets: readonly number[]): CellKernel {
  const [wf, bf, wi, bi, wh, bh] = offsets;
  // Cache per step: f, i and h~, d values each.
  return {
    stateSize: d,
    cacheSize: 3 * d,
    forward(w, x, xo, h, ho, out, oo, cache, co) {
      for (let j = 0; j < d; j++) {
        let af = 0, ai = 0, cand = 0;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          af += w[wf + j * nIn + k] * xk;
          ai += w[wi + j * nIn + k] * xk;
          cand += w[wh + j * nIn + k] * xk;
        }
        const f = sigmoid(af + w[bf + j]);
        const i = sigmoid(ai + w[bi + j]);
        cand += w[bh + j];
        const s = f + i;
        out[oo + j] = (f / s) * h[ho + j] + (i / s) * cand;
        cache[co + j] = f;
        cache[co + d + j] = i;
        cache[co + 2 * d + j] = cand;
      }
    },
    backward(_w, grad, x, xo, h, ho, cache, co, dOut, doo, dPrev, dpo) {
      for (let j = 0; j < d; j++) {
        const f = cache[co + j], i = cache[co + d + j], cand = cache[co + 2 * d + j];
        const g = dOut[doo + j];
        const s = f + i;
        dPrev[dpo + j] = g * (f / s);
        // h' = h~ + f'(h - h~) with f' = f / (f + i): only the gap h - h~ moves the gates.
        const dFn = g * (h[ho + j] - cand);
        const s2 = s * s;
        const daF = dFn * (i / s2) * f * (1 - f);
        const daI = -dFn * (f / s2) * i * (1 - i);
        const dCand = g * (i / s);
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          grad[wf + j * nIn + k] += daF * xk;
          grad[wi + j * nIn + k] += daI * xk;
          grad[wh + j * nIn + k] += dCand * xk;
        }
        grad[bf + j] += daF;
        grad[bi + j] += daI;
        grad[bh + j] += dCand;
      }
    },
  };
}
