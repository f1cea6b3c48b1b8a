/**
 * The vanilla recurrent cell with PyTorch `nn.RNN` semantics (tanh nonlinearity):
 * `h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`.
 *
 * @module
 */

import type { CellDefinition, CellKernel, ParameterSpec } from "./cell.ts";

/** The tanh RNN cell: `rnn.weight_ih_l0` (d x I), `rnn.weight_hh_l0` (d x d), `rnn.bias_ih_l0`, `rnn.bias_hh_l0` (d). */
export const rnn: CellDefinition = {
  name: "rnn",
  encoding: "asr",
  stateSize: (hidden) => hidden,
  parameters(hidden: number, inputSize: number): ParameterSpec[] {
    const init = { kind: "uniform", bound: 1 / Math.sqrt(hidden) } as const;
    return [
      { name: "rnn.weight_ih_l0", shape: [hidden, inputSize], penalized: true, init },
      { name: "rnn.weight_hh_l0", shape: [hidden, hidden], penalized: true, init },
      { name: "rnn.bias_ih_l0", shape: [hidden], penalized: false, init },
      { name: "rnn.bias_hh_l0", shape: [hidden], penalized: false, init },
    ];
  },
  kernel: rnnKernel,
};

/** Bind a tanh RNN step to hidden size `d`, input size `nIn` and parameter offsets [W_ih, W_hh, b_ih, b_hh]. */
function rnnKernel(d: number, nIn: number, offsets: readonly number[]): CellKernel {
  const [wih, whh, bih, bhh] = offsets;
  // Cache per step: the new state h' (its derivative is 1 - h'^2).
  return {
    stateSize: d,
    cacheSize: d,
    forward(w, x, xo, h, ho, out, oo, cache, co) {
      for (let j = 0; j < d; j++) {
        let a = 0;
        for (let k = 0; k < nIn; k++) a += w[wih + j * nIn + k] * x[xo + k];
        a += w[bih + j];
        let b = 0;
        for (let k = 0; k < d; k++) b += w[whh + j * d + k] * h[ho + k];
        b += w[bhh + j];
        const y = Math.tanh(a + b);
        out[oo + j] = y;
        cache[co + j] = y;
      }
    },
    backward(w, grad, x, xo, h, ho, cache, co, dOut, doo, dPrev, dpo) {
      for (let k = 0; k < d; k++) dPrev[dpo + k] = 0;
      for (let j = 0; j < d; j++) {
        const y = cache[co + j];
        const da = dOut[doo + j] * (1 - y * y);
        for (let k = 0; k < nIn; k++) grad[wih + j * nIn + k] += da * x[xo + k];
        grad[bih + j] += da;
        grad[bhh + j] += da;
        for (let k = 0; k < d; k++) {
          grad[whh + j * d + k] += da * h[ho + k];
          dPrev[dpo + k] += w[whh + j * d + k] * da;
        }
      }
    },
  };
}
