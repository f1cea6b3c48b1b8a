/**
 * The gated recurrent unit with PyTorch `nn.GRU` semantics (the paper's model).
 *
 * Gates are stacked r (reset), z (update), n (new) along the first axis of every tensor; the reset gate
 * multiplies the recurrent product *after* its bias, and the update is evaluated as PyTorch does,
 * `h' = (h - n) z + n`, so that results agree with PyTorch to the last bits wherever possible.
 *
 * @module
 */

// The engine's inlined sigmoid and tanh, so that this kernel and the fused GRU passes give the same bits.
import { fastSigmoid as sigmoid, fastTanh } from "../fast_math.ts";
import type { CellDefinition, CellKernel, ParameterSpec } from "./cell.ts";

/** The GRU cell: `rnn.weight_ih_l0` (3d x I), `rnn.weight_hh_l0` (3d x d), `rnn.bias_ih_l0`, `rnn.bias_hh_l0` (3d). */
export const gru: CellDefinition = {
  name: "gru",
  encoding: "asr",
  stateSize: (hidden) => hidden,
  parameters(hidden: number, inputSize: number): ParameterSpec[] {
    const init = { kind: "uniform", bound: 1 / Math.sqrt(hidden) } as const;
    return [
      { name: "rnn.weight_ih_l0", shape: [3 * hidden, inputSize], penalized: true, init },
      { name: "rnn.weight_hh_l0", shape: [3 * hidden, hidden], penalized: true, init },
      { name: "rnn.bias_ih_l0", shape: [3 * hidden], penalized: false, init },
      { name: "rnn.bias_hh_l0", shape: [3 * hidden], penalized: false, init },
    ];
  },
  kernel: gruKernel,
};

/** Bind a GRU step to hidden size `d`, input size `nIn` and parameter offsets [W_ih, W_hh, b_ih, b_hh]. */
function gruKernel(d: number, nIn: number, offsets: readonly number[]): CellKernel {
  const [wih, whh, bih, bhh] = offsets;
  // Cache per step: r, z, n and the recurrent pre-activation of n (W_hn h + b_hn), d values each.
  return {
    stateSize: d,
    cacheSize: 4 * d,
    forward(w, x, xo, h, ho, out, oo, cache, co) {
      for (let j = 0; j < d; j++) {
        const rowR = j, rowZ = d + j, rowN = 2 * d + j;
        let ir = 0, iz = 0, inn = 0;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          ir += w[wih + rowR * nIn + k] * xk;
          iz += w[wih + rowZ * nIn + k] * xk;
          inn += w[wih + rowN * nIn + k] * xk;
        }
        ir += w[bih + rowR];
        iz += w[bih + rowZ];
        inn += w[bih + rowN];
        let hr = 0, hz = 0, hn = 0;
        for (let k = 0; k < d; k++) {
          const hk = h[ho + k];
          hr += w[whh + rowR * d + k] * hk;
          hz += w[whh + rowZ * d + k] * hk;
          hn += w[whh + rowN * d + k] * hk;
        }
        hr += w[bhh + rowR];
        hz += w[bhh + rowZ];
        hn += w[bhh + rowN];
        const r = sigmoid(hr + ir);
        const z = sigmoid(hz + iz);
        const n = fastTanh(inn + hn * r);
        out[oo + j] = (h[ho + j] - n) * z + n;
        cache[co + j] = r;
        cache[co + d + j] = z;
        cache[co + 2 * d + j] = n;
        cache[co + 3 * d + j] = hn;
      }
    },
    backward(w, grad, x, xo, h, ho, cache, co, dOut, doo, dPrev, dpo) {
      for (let k = 0; k < d; k++) dPrev[dpo + k] = 0;
      for (let j = 0; j < d; j++) {
        const r = cache[co + j], z = cache[co + d + j], n = cache[co + 2 * d + j], hn = cache[co + 3 * d + j];
        const g = dOut[doo + j];
        const hj = h[ho + j];
        dPrev[dpo + j] += g * z;
        const dn = g * (1 - z);
        const dz = g * (hj - n);
        const daN = dn * (1 - n * n);
        const dr = daN * hn;
        const daR = dr * r * (1 - r);
        const daZ = dz * z * (1 - z);
        const dhN = daN * r;
        const rowR = j, rowZ = d + j, rowN = 2 * d + j;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          grad[wih + rowR * nIn + k] += daR * xk;
          grad[wih + rowZ * nIn + k] += daZ * xk;
          grad[wih + rowN * nIn + k] += daN * xk;
        }
        grad[bih + rowR] += daR;
        grad[bih + rowZ] += daZ;
        grad[bih + rowN] += daN;
        for (let k = 0; k < d; k++) {
          const hk = h[ho + k];
          grad[whh + rowR * d + k] += daR * hk;
          grad[whh + rowZ * d + k] += daZ * hk;
          grad[whh + rowN * d + k] += dhN * hk;
          dPrev[dpo + k] += w[whh + rowR * d + k] * daR + w[whh + rowZ * d + k] * daZ +
            w[whh + rowN * d + k] * dhN;
        }
        grad[bhh + rowR] += daR;
        grad[bhh + rowZ] += daZ;
        grad[bhh + rowN] += dhN;
      }
    },
  };
}
