/**
 * The paper's switching GRU (SGRU): the one-hot trial type selects a whole set of recurrent weights and biases,
 * and there is no input matrix.
 *
 * With `k` the active input, `g_i = B_ih[:, k]` and `g_h = W_hh[:, :, k] h + B_hh[:, k]`, then the GRU gates
 * `r = σ(g_i,r + g_h,r)`, `z = σ(g_i,z + g_h,z)`, `n = tanh(g_i,n + r ⊙ g_h,n)`, `h' = (1 - z) ⊙ n + z ⊙ h`
 * (gate order r, z, n as in PyTorch). The step is written as the sum over inputs `x_k` times the selected
 * tensors, which is the selection itself for a one-hot row (bit for bit, since only one term is nonzero) and
 * keeps all-zero padding rows harmless.
 *
 * @module
 */

import type { TaskKind } from "../data/dataset.ts";
import { TinyRnnInputError } from "../options.ts";
// The engine's inlined sigmoid and tanh, so that this kernel and the fused GRU passes give the same bits.
import { fastSigmoid as sigmoid, fastTanh } from "../fast_math.ts";
import type { CellDefinition, CellKernel, ParameterSpec } from "./cell.ts";
import { encodeTrial } from "./encoding.ts";
import type { StateDict } from "./state_dict.ts";
import { trialTypeCount } from "../data/dataset.ts";

/**
 * The SGRU cell: `rnn.rnncell.weight_hh` (3d x d x I), `rnn.rnncell.bias_ih` and `rnn.rnncell.bias_hh`
 * (3d x I), I = number of trial types; all N(0, 1) at initialisation; L1 covers `weight_hh`.
 */
export const sgru: CellDefinition = {
  name: "sgru",
  encoding: "onehot",
  stateSize: (hidden) => hidden,
  parameters(hidden: number, inputSize: number): ParameterSpec[] {
    const init = { kind: "normal", std: 1 } as const;
    return [
      { name: "rnn.rnncell.weight_hh", shape: [3 * hidden, hidden, inputSize], penalized: true, init },
      { name: "rnn.rnncell.bias_ih", shape: [3 * hidden, inputSize], penalized: false, init },
      { name: "rnn.rnncell.bias_hh", shape: [3 * hidden, inputSize], penalized: false, init },
    ];
  },
  kernel: sgruKernel,
};

/** Bind an SGRU step to hidden size `d`, `nIn` trial types and parameter offsets [W_hh, B_ih, B_hh]. */
function sgruKernel(d: number, nIn: number, offsets: readonly number[]): CellKernel {
  const [whh, bih, bhh] = offsets;
  // W_hh[row, c, k] lives at whh + (row * d + c) * nIn + k; B[row, k] at b + row * nIn + k.
  // Cache per step: r, z, n and the recurrent pre-activation of n (g_h,n), d values each.
  return {
    stateSize: d,
    cacheSize: 4 * d,
    forward(w, x, xo, h, ho, out, oo, cache, co) {
      for (let j = 0; j < d; j++) {
        const rowR = j, rowZ = d + j, rowN = 2 * d + j;
        let ir = 0, iz = 0, inn = 0, hr = 0, hz = 0, hn = 0;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          if (xk === 0) continue;
          let sr = 0, sz = 0, sn = 0;
          for (let c = 0; c < d; c++) {
            const hc = h[ho + c];
            sr += w[whh + (rowR * d + c) * nIn + k] * hc;
            sz += w[whh + (rowZ * d + c) * nIn + k] * hc;
            sn += w[whh + (rowN * d + c) * nIn + k] * hc;
          }
          sr += w[bhh + rowR * nIn + k];
          sz += w[bhh + rowZ * nIn + k];
          sn += w[bhh + rowN * nIn + k];
          hr += xk * sr;
          hz += xk * sz;
          hn += xk * sn;
          ir += xk * w[bih + rowR * nIn + k];
          iz += xk * w[bih + rowZ * nIn + k];
          inn += xk * w[bih + rowN * nIn + k];
        }
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
      for (let c = 0; c < d; c++) dPrev[dpo + c] = 0;
      for (let j = 0; j < d; j++) {
        const r = cache[co + j], z = cache[co + d + j], n = cache[co + 2 * d + j], hn = cache[co + 3 * d + j];
        const g = dOut[doo + j];
        dPrev[dpo + j] += g * z;
        const daN = g * (1 - z) * (1 - n * n);
        const daR = daN * hn * r * (1 - r);
        const daZ = g * (h[ho + j] - n) * z * (1 - z);
        const dhN = daN * r;
        const rowR = j, rowZ = d + j, rowN = 2 * d + j;
        for (let k = 0; k < nIn; k++) {
          const xk = x[xo + k];
          if (xk === 0) continue;
          const gR = xk * daR, gZ = xk * daZ, gN = xk * dhN;
          grad[bih + rowR * nIn + k] += gR;
          grad[bih + rowZ * nIn + k] += gZ;
          grad[bih + rowN * nIn + k] += xk * daN;
          grad[bhh + rowR * nIn + k] += gR;
          grad[bhh + rowZ * nIn + k] += gZ;
          grad[bhh + rowN * nIn + k] += gN;
          for (let c = 0; c < d; c++) {
            const hc = h[ho + c];
            const oR = whh + (rowR * d + c) * nIn + k;
            const oZ = whh + (rowZ * d + c) * nIn + k;
            const oN = whh + (rowN * d + c) * nIn + k;
            grad[oR] += gR * hc;
            grad[oZ] += gZ * hc;
            grad[oN] += gN * hc;
            dPrev[dpo + c] += w[oR] * gR + w[oZ] * gZ + w[oN] * gN;
          }
        }
      }
    },
  };
}

/**
 * The SGRU that computes exactly what a trained GRU computes (the paper's switching GRU keeps one set of input
 * biases per trial type, so a GRU maps onto it without loss): every trial type `k` gets the GRU's
 * recurrent weights and recurrent bias, and its input bias absorbs the input weights applied to the `[a, s, r]`
 * vector of type `k`: `B_ih[:, k] = W_ih x(k) + b_ih`. Readout and `h0` tensors are carried over unchanged.
 *
 * `kind` decides the trial types (`2a + r` with s = a for bandits, `4a + 2s + r` for two-stage tasks), so the
 * result is the SGRU a `fit` with `cell: "sgru"` on data of that kind would have.
 *
 * @example
 * ```ts
 * import { cognitive, fit, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import type { StateDict } from "./state_dict.ts";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const gruModel = await fit(data, { cell: "gru", hidden: 2, maxEpochs: 20 });
 * const sgruWeights = sgruFromGru(gruModel.weights as StateDict, "bandit");
 * const model = await fit(data, { cell: "sgru", hidden: 2, init: sgruWeights, maxEpochs: 0 });
 * console.log(model.trainLoss === gruModel.trainLoss); // the same network, written as an SGRU
 * ```
 */
export function sgruFromGru(gruWeights: StateDict, kind: TaskKind): StateDict {
  const tensor = (name: string): number[][] => {
    const t = gruWeights[name];
    if (!Array.isArray(t)) throw new TinyRnnInputError(`sgruFromGru: missing GRU tensor "${name}"`);
    return (t as unknown[]).map((row) => (Array.isArray(row) ? row as number[] : [row as number]));
  };
  const wih = tensor("rnn.weight_ih_l0"), whh = tensor("rnn.weight_hh_l0");
  const bih = tensor("rnn.bias_ih_l0").map((r) => r[0]), bhh = tensor("rnn.bias_hh_l0").map((r) => r[0]);
  const rows = wih.length;
  if (rows % 3 !== 0 || wih[0].length !== 3) {
    throw new TinyRnnInputError(
      `sgruFromGru: "rnn.weight_ih_l0" must be 3d x 3 ([a, s, r] inputs), got ${rows} x ${wih[0].length}`,
    );
  }
  const nTypes = trialTypeCount(kind);
  const inputs = Array.from({ length: nTypes }, (_, k) => {
    const x = new Float64Array(3);
    const action = kind === "bandit" ? k >> 1 : k >> 2;
    const state = kind === "bandit" ? action : (k >> 1) & 1;
    encodeTrial("asr", kind, { action, state, reward: k & 1 }, x, 0);
    return x;
  });
  const converted: StateDict = {};
  for (const [name, value] of Object.entries(gruWeights)) {
    if (!name.startsWith("rnn.")) converted[name] = value;
  }
  converted["rnn.rnncell.weight_hh"] = whh.map((row) => row.map((v) => new Array(nTypes).fill(v)));
  // Same summation order as the GRU step (input products, then the bias), so the converted network agrees
  // with the GRU to the last bit.
  converted["rnn.rnncell.bias_ih"] = wih.map((row, i) =>
    inputs.map((x) => {
      let s = 0;
      for (let c = 0; c < 3; c++) s += row[c] * x[c];
      return s + bih[i];
    })
  );
  converted["rnn.rnncell.bias_hh"] = bhh.map((b) => new Array(nTypes).fill(b));
  return converted;
}
