/**
 * minGRU (Feng et al. 2024, "Were RNNs all we needed?"): a GRU whose update gate and candidate depend only on
 * the input, `z = σ(W_z x + b_z)`, `h~ = W_h x + b_h`, `h' = (1 - z) ⊙ h + z ⊙ h~`.
 *
 * With no recurrent weights, each unit is a leaky integrator of its own input-driven target, and units do not
 * interact; the readout combines them.
 *
 * @module
 */

import { type CellDefinition, type CellKernel, type ParameterSpec, sigmoid } from "./cell.ts";

/**
 * The minGRU cell: `rnn.weight_z` (d x I), `rnn.bias_z` (d), `rnn.weight_h` (d x I), `rnn.bias_h` (d);
 * PyTorch-style U(-1/√d, 1/√d) initialisation; L1 covers both weight matrices.
 */
export const mingru: CellDefinition = {
  name: "mingru",
  encoding: "asr",
  stateSize: (hidden) => hidden,
  parameters(hidden: number, inputSize: number): ParameterSpec[] {
    const init = { kind: "uniform", bound: 1 / Math.sqrt(hidden) } as const;
    return [
      { name: "rnn.weight_z", shape: [hidden, inputSize], penalized: true, init },
      { name: "rnn.bias_z", shape: [hidden], penalized: false, init },
      { name: "rnn.weight_h", shape: [hidden, inputSize], penalized: true, init },
      { name: "rnn.bias_h", shape: [hidden], penalized: false, init },
    ];
  },
  kernel: minGruKernel,
};

/** Bind a minGRU step to hidden size `d`, input size `nIn` and parameter offsets [W_z, b_z, W_h, b_h]. */
function minGruKernel(d: number, nIn: number, offsets: readonly number[]): CellKernel {
  const [wz, bz, wh, bh] = offsets;
  // Cache per step: z and h~, d values each.
  return {
    stateSize: d,
    cacheSize: 2 * d,
    forward(w, x, xo, h, ho, out, oo, cache, co) {
      for (let j = 0; j < d; j++) {
        let az = 0, cand = 0;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          az += w[wz + j * nIn + k] * xk;
          cand += w[wh + j * nIn + k] * xk;
        }
        const z = sigmoid(az + w[bz + j]);
        cand += w[bh + j];
        out[oo + j] = (1 - z) * h[ho + j] + z * cand;
        cache[co + j] = z;
        cache[co + d + j] = cand;
      }
    },
    backward(_w, grad, x, xo, h, ho, cache, co, dOut, doo, dPrev, dpo) {
      for (let j = 0; j < d; j++) {
        const z = cache[co + j], cand = cache[co + d + j];
        const g = dOut[doo + j];
        dPrev[dpo + j] = g * (1 - z);
        const daZ = g * (cand - h[ho + j]) * z * (1 - z);
        const dCand = g * z;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          grad[wz + j * nIn + k] += daZ * xk;
          grad[wh + j * nIn + k] += dCand * xk;
        }
        grad[bz + j] += daZ;
        grad[bh + j] += dCand;
      }
    },
  };
}
