/**
 * The long short-term memory cell with PyTorch `nn.LSTM` semantics.
 *
 * Gates are stacked i (input), f (forget), g (cell candidate), o (output) along the first axis of every tensor:
 * `c' = f ⊙ c + i ⊙ g`, `h' = o ⊙ tanh(c')`. The state is `[h, c]` (2d numbers): the readout sees `h`, and both
 * halves are dynamical variables of the model.
 *
 * @module
 */

import { type CellDefinition, type CellKernel, type ParameterSpec, sigmoid } from "./cell.ts";

/** The LSTM cell: `rnn.weight_ih_l0` (4d x I), `rnn.weight_hh_l0` (4d x d), `rnn.bias_ih_l0`, `rnn.bias_hh_l0` (4d). */
export const lstm: CellDefinition = {
  name: "lstm",
  encoding: "asr",
  stateSize: (hidden) => 2 * hidden,
  parameters(hidden: number, inputSize: number): ParameterSpec[] {
    const init = { kind: "uniform", bound: 1 / Math.sqrt(hidden) } as const;
    return [
      { name: "rnn.weight_ih_l0", shape: [4 * hidden, inputSize], penalized: true, init },
      { name: "rnn.weight_hh_l0", shape: [4 * hidden, hidden], penalized: true, init },
      { name: "rnn.bias_ih_l0", shape: [4 * hidden], penalized: false, init },
      { name: "rnn.bias_hh_l0", shape: [4 * hidden], penalized: false, init },
    ];
  },
  kernel: lstmKernel,
};

/** Bind an LSTM step to hidden size `d`, input size `nIn` and parameter offsets [W_ih, W_hh, b_ih, b_hh]. */
function lstmKernel(d: number, nIn: number, offsets: readonly number[]): CellKernel {
  const [wih, whh, bih, bhh] = offsets;
  // Cache per step: i, f, g, o and tanh(c'), d values each.
  return {
    stateSize: 2 * d,
    cacheSize: 5 * d,
    forward(w, x, xo, h, ho, out, oo, cache, co) {
      for (let j = 0; j < d; j++) {
        const rowI = j, rowF = d + j, rowG = 2 * d + j, rowO = 3 * d + j;
        let ai = 0, af = 0, ag = 0, ao = 0;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          ai += w[wih + rowI * nIn + k] * xk;
          af += w[wih + rowF * nIn + k] * xk;
          ag += w[wih + rowG * nIn + k] * xk;
          ao += w[wih + rowO * nIn + k] * xk;
        }
        ai += w[bih + rowI];
        af += w[bih + rowF];
        ag += w[bih + rowG];
        ao += w[bih + rowO];
        let hi = 0, hf = 0, hg = 0, hoo = 0;
        for (let k = 0; k < d; k++) {
          const hk = h[ho + k];
          hi += w[whh + rowI * d + k] * hk;
          hf += w[whh + rowF * d + k] * hk;
          hg += w[whh + rowG * d + k] * hk;
          hoo += w[whh + rowO * d + k] * hk;
        }
        hi += w[bhh + rowI];
        hf += w[bhh + rowF];
        hg += w[bhh + rowG];
        hoo += w[bhh + rowO];
        const i = sigmoid(ai + hi);
        const f = sigmoid(af + hf);
        const g = Math.tanh(ag + hg);
        const o = sigmoid(ao + hoo);
        const c = f * h[ho + d + j] + i * g;
        const tc = Math.tanh(c);
        out[oo + j] = o * tc;
        out[oo + d + j] = c;
        cache[co + j] = i;
        cache[co + d + j] = f;
        cache[co + 2 * d + j] = g;
        cache[co + 3 * d + j] = o;
        cache[co + 4 * d + j] = tc;
      }
    },
    backward(w, grad, x, xo, h, ho, cache, co, dOut, doo, dPrev, dpo) {
      for (let k = 0; k < d; k++) dPrev[dpo + k] = 0;
      for (let j = 0; j < d; j++) {
        const i = cache[co + j], f = cache[co + d + j], g = cache[co + 2 * d + j];
        const o = cache[co + 3 * d + j], tc = cache[co + 4 * d + j];
        const dh = dOut[doo + j];
        const dc = dOut[doo + d + j] + dh * o * (1 - tc * tc);
        dPrev[dpo + d + j] = dc * f;
        const daI = dc * g * i * (1 - i);
        const daF = dc * h[ho + d + j] * f * (1 - f);
        const daG = dc * i * (1 - g * g);
        const daO = dh * tc * o * (1 - o);
        const rowI = j, rowF = d + j, rowG = 2 * d + j, rowO = 3 * d + j;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          grad[wih + rowI * nIn + k] += daI * xk;
          grad[wih + rowF * nIn + k] += daF * xk;
          grad[wih + rowG * nIn + k] += daG * xk;
          grad[wih + rowO * nIn + k] += daO * xk;
        }
        grad[bih + rowI] += daI;
        grad[bih + rowF] += daF;
        grad[bih + rowG] += daG;
        grad[bih + rowO] += daO;
        grad[bhh + rowI] += daI;
        grad[bhh + rowF] += daF;
        grad[bhh + rowG] += daG;
        grad[bhh + rowO] += daO;
        for (let k = 0; k < d; k++) {
          const hk = h[ho + k];
          grad[whh + rowI * d + k] += daI * hk;
          grad[whh + rowF * d + k] += daF * hk;
          grad[whh + rowG * d + k] += daG * hk;
          grad[whh + rowO * d + k] += daO * hk;
          dPrev[dpo + k] += w[whh + rowI * d + k] * daI + w[whh + rowF * d + k] * daF +
            w[whh + rowG * d + k] * daG + w[whh + rowO * d + k] * daO;
        }
      }
    },
  };
}
