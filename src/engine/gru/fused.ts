/**
 * The fused pass of a GRU with the linear readout, the paper's model and the engine's hot loop; the GRU's fast
 * pass (see `README.md` in this folder for which pass runs when).
 *
 * The generic pass (`../pass.ts`) calls the cell kernel, the readout and the cross-entropy once per trial and
 * block. Here the three are one loop with every offset hoisted, so that a tiny network's epoch costs little
 * more than its `exp`/`tanh` work; hidden sizes 1 and 2 with two actions go further (`unrolled_small.ts`).
 * Every value is formed with the same operations in the same order as the GRU kernel (`src/rnn/gru.ts`), the
 * readout and the generic pass, and every gradient entry sums its terms in the same order, so all paths give
 * the same states, logits, loss and gradient to the bit (`tests/engine/gru/bit_identity_test.ts`); the fused
 * passes only skip work whose result is exactly zero or unused.
 *
 * @module
 */

import type { Network } from "../../rnn/network.ts";
import { fastExp, fastTanh } from "../../fast_math.ts";
import { type BatchTensors, preparedBatch } from "../batch.ts";
import type { FastBuffers, FastPass, PassResult, Workspace } from "../workspace.ts";
import { backwardD1, backwardD2, forwardD1, forwardD2, smallGruApplies } from "./unrolled_small.ts";
import { BATCHED_MIN_HIDDEN, batchedBuffers, batchedGruBackward, batchedGruForward } from "./batched.ts";
import { gruOffsets, projectDistinctInputs } from "./gru_weights.ts";
import { twoActionLoss, twoActionSoftmax } from "./two_actions.ts";

/**
 * The GRU's fast pass: the fused pass for a GRU read out by `nn.Linear` (any hidden size), which hands the
 * smallest networks to the unrolled kernels. Other readouts take the generic pass.
 */
export const gruFastPass: FastPass = {
  buffers: gruBuffers,
  forward: gruForward,
  backward: gruBackward,
};

/**
 * Forward of the GRU's fast pass: the unrolled kernels when they serve the workspace, else the fused pass.
 * Chosen here rather than inside the fused pass, so that the fused loop is compiled only with what its own
 * networks do: when the small networks' calls passed through it (every thread trains d = 1 and 2 first, in
 * `primeEngine`), its forward for d = 3 ran about 12% slower.
 */
function gruForward(ws: Workspace, w: Float64Array, withAccuracy: boolean): PassResult {
  if (batchedApplies(ws)) {
    const { loss } = batchedGruForward(ws, w);
    return { loss, accuracy: withAccuracy ? accuracyOf(ws) : 0 };
  }
  if (!smallGruApplies(ws)) return fusedGruForward(ws, w, withAccuracy);
  const loss = ws.net.spec.hidden === 1 ? forwardD1(ws, w) : forwardD2(ws, w);
  return { loss, accuracy: withAccuracy ? accuracyOf(ws) : 0 };
}

/** Backward of the GRU's fast pass, after `gruForward` on the same weights. */
function gruBackward(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  if (batchedApplies(ws)) return batchedGruBackward(ws, w, grad);
  if (!smallGruApplies(ws)) return fusedGruBackward(ws, w, grad);
  return ws.net.spec.hidden === 1 ? backwardD1(ws, w, grad) : backwardD2(ws, w, grad);
}

/**
 * Whether the batched pass (`batched.ts`) runs a workspace: hidden size `BATCHED_MIN_HIDDEN` and up. It gives
 * the fused pass's forward bits and its gradient to rounding; smaller networks keep the bit-identical passes.
 */
export function batchedApplies(ws: Workspace): boolean {
  return ws.net.spec.hidden >= BATCHED_MIN_HIDDEN;
}

/**
 * The fused pass's buffers, or undefined when it does not serve the network or batch: soft targets, a readout
 * other than linear, or more than two actions (its readout gradient sums in another order than the generic
 * pass's there, which moves the last bit; the generic pass serves those networks so that the pass never
 * changes a result).
 */
function gruBuffers(net: Network, batch: BatchTensors, forTraining: boolean): FastBuffers | undefined {
  if (net.spec.readout !== "linear" || net.spec.nActions !== 2) return undefined;
  // Soft targets (distillation) have their own loss, which only the generic pass computes.
  if (batch.soft !== undefined) return undefined;
  const { T, B } = batch;
  const prepared = preparedBatch(batch);
  const inputs = prepared.inputs;
  const batched = net.spec.hidden >= BATCHED_MIN_HIDDEN
    ? batchedBuffers(net.spec.hidden, T, B, inputs ? inputs.count : 0, forTraining, true, inputs?.ids)
    : undefined;
  return {
    pass: gruFastPass,
    rowLoss: new Float64Array(T * B),
    rowMax: new Float64Array(T * B),
    rowLogSum: new Float64Array(T * B),
    prepared,
    shared: prepared.shared,
    inputs,
    projections: new Float64Array(inputs ? inputs.count * 3 * net.spec.hidden : 0),
    // Gate values of one row of blocks, for the unrolled kernels.
    scratch: new Float64Array(4 * net.stateSize * B),
    ...(batched ? { batched, states: batched.states, caches: batched.caches } : {}),
  };
}

/**
 * The fused forward, for any hidden size: over every block (block by block, so a block's state stays in
 * cache), writing states, caches, logits (and softmax probabilities when the workspace trains) and returning
 * the pooled cross-entropy. The per-trial losses are summed in trial-major order, as the generic pass sums
 * them. `gruFastPass` sends the smallest networks to the unrolled kernels instead.
 */
export function fusedGruForward(ws: Workspace, w: Float64Array, withAccuracy: boolean): PassResult {
  const { net, batch, states, caches, logits, probs, rowSum } = ws;
  const fast = ws.fast!;
  const { rowLoss, rowMax, rowLogSum } = fast;
  const { T, B, I, input, target, mask } = batch;
  const d = net.spec.hidden;
  const A = net.spec.nActions;
  const twoActions = A === 2;
  const C = 4 * d;
  const [wih, whh, bih, bhh] = gruOffsets(net);
  const [wo, bo] = net.readoutOffsets;
  const h0 = net.h0Offset;
  const firstScored = ws.firstScored;
  const keepProbs = ws.forTraining;
  const shareFrom = fast.shared.from;
  const sharedStates = fast.shared.states;
  // State rows computed: 0..T, or 0..T-1 when row T (which predicts nothing) is not wanted.
  const rows = ws.lastRow ? T + 1 : T;
  const table = fast.inputs;
  const proj = fast.projections;
  const D3 = 3 * d;
  if (table) {
    // Each distinct input's projection once, with the same operations the step would use.
    projectDistinctInputs(w, wih, bih, table.vectors, table.count, I, d, proj);
  }
  for (let b = 0; b < B; b++) {
    const from = shareFrom[b];
    // Rows 0..copied-1 equal an earlier block's (same inputs so far): copy them instead of computing them.
    const copied = from < 0 ? 0 : Math.min(sharedStates[b], rows);
    if (copied === 0) { for (let k = 0; k < d; k++) states[b * d + k] = h0 < 0 ? 0 : w[h0 + k]; }
    for (let t = 0; t < rows; t++) {
      const cell = t * B + b;
      const ho = cell * d;
      const lo = cell * A;
      if (t < copied) {
        const src = t * B + from;
        for (let k = 0; k < d; k++) states[ho + k] = states[src * d + k];
        for (let a = 0; a < A; a++) logits[lo + a] = logits[src * A + a];
        if (t === T) break;
        rowMax[cell] = rowMax[src];
        rowLogSum[cell] = rowLogSum[src];
        if (twoActions) rowSum[cell] = rowSum[src];
        if (keepProbs) { for (let a = 0; a < A; a++) probs[lo + a] = probs[src * A + a]; }
      } else {
        let max = -Infinity;
        for (let a = 0; a < A; a++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += w[wo + a * d + k] * states[ho + k];
          const logit = s + w[bo + a];
          logits[lo + a] = logit;
          if (logit > max) max = logit;
        }
        if (t === T) break;
        if (twoActions) twoActionSoftmax(logits, rowSum, probs, cell, keepProbs);
        else {
          let sum = 0;
          // exp(0) is exactly 1: skipping the call for the maximum keeps every bit. The shifted exponentials
          // wait in `probs` to become the softmax.
          for (let a = 0; a < A; a++) {
            const e = logits[lo + a] === max ? 1 : fastExp(logits[lo + a] - max);
            probs[lo + a] = e;
            sum += e;
          }
          if (keepProbs) {
            // e / Σe instead of PyTorch's exp(logit − max − log Σe): within an ulp, without A more exp calls.
            const inv = 1 / sum;
            for (let a = 0; a < A; a++) probs[lo + a] *= inv;
          }
          rowMax[cell] = max;
          rowLogSum[cell] = Math.log(sum);
        }
      }
      const m = mask[cell];
      if (!twoActions && t >= firstScored && m !== 0) {
        rowLoss[cell] = m * -((logits[lo + target[cell]] - rowMax[cell]) - rowLogSum[cell]);
      }
      if (t + 1 === rows) break;
      const co = cell * C;
      if (t + 1 < copied) {
        const src = (t * B + from) * C;
        if (keepProbs) { for (let k = 0; k < C; k++) caches[co + k] = caches[src + k]; }
        continue;
      }
      const xo = cell * I;
      const oo = ho + B * d;
      for (let j = 0; j < d; j++) {
        const rowR = j, rowZ = d + j, rowN = 2 * d + j;
        let ir = 0, iz = 0, inn = 0;
        if (table) {
          const po = table.ids[cell] * D3;
          ir = proj[po + rowR];
          iz = proj[po + rowZ];
          inn = proj[po + rowN];
        } else {
          for (let k = 0; k < I; k++) {
            const xk = input[xo + k];
            ir += w[wih + rowR * I + k] * xk;
            iz += w[wih + rowZ * I + k] * xk;
            inn += w[wih + rowN * I + k] * xk;
          }
          ir += w[bih + rowR];
          iz += w[bih + rowZ];
          inn += w[bih + rowN];
        }
        let hr = 0, hz = 0, hn = 0;
        for (let k = 0; k < d; k++) {
          const hk = states[ho + k];
          hr += w[whh + rowR * d + k] * hk;
          hz += w[whh + rowZ * d + k] * hk;
          hn += w[whh + rowN * d + k] * hk;
        }
        hr += w[bhh + rowR];
        hz += w[bhh + rowZ];
        hn += w[bhh + rowN];
        const r = 1 / (1 + fastExp(-(hr + ir)));
        const z = 1 / (1 + fastExp(-(hz + iz)));
        const n = fastTanh(inn + hn * r);
        states[oo + j] = (states[ho + j] - n) * z + n;
        // Only backward reads the caches.
        if (keepProbs) {
          caches[co + j] = r;
          caches[co + d + j] = z;
          caches[co + 2 * d + j] = n;
          caches[co + 3 * d + j] = hn;
        }
      }
    }
  }
  const accuracy = withAccuracy ? accuracyOf(ws) : 0;
  if (twoActions) return { loss: twoActionLoss(ws), accuracy };
  let total = 0;
  for (let t = firstScored; t < T; t++) {
    for (let b = 0; b < B; b++) if (mask[t * B + b] !== 0) total += rowLoss[t * B + b];
  }
  return { loss: total / ws.scored, accuracy };
}

/**
 * Backpropagation through time of the last `fusedGruForward` on the same weights, adding to `grad`.
 * Trial-major like the generic pass, so every gradient entry receives its terms in the same order.
 */
export function fusedGruBackward(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  const { net, batch, states, caches, probs } = ws;
  const { T, B, I, input, target, mask } = batch;
  const d = net.spec.hidden;
  const A = net.spec.nActions;
  const C = 4 * d;
  const [wih, whh, bih, bhh] = gruOffsets(net);
  const [wo, bo] = net.readoutOffsets;
  const inv = 1 / ws.scored;
  let dNext = ws.dStateA;
  let dPrev = ws.dStateB;
  // Row T predicts nothing, so the last step's state gradient is zero and its backward adds nothing.
  for (let t = T - 1; t >= 0; t--) {
    const lastStep = t === T - 1;
    for (let b = 0; b < B; b++) {
      const cell = t * B + b;
      const ho = cell * d;
      const dpo = b * d;
      for (let k = 0; k < d; k++) dPrev[dpo + k] = 0;
      if (!lastStep) {
        const xo = cell * I;
        const co = cell * C;
        for (let j = 0; j < d; j++) {
          const r = caches[co + j], z = caches[co + d + j], n = caches[co + 2 * d + j];
          const hn = caches[co + 3 * d + j];
          const g = dNext[dpo + j];
          const hj = states[ho + j];
          dPrev[dpo + j] += g * z;
          const dn = g * (1 - z);
          const dz = g * (hj - n);
          const daN = dn * (1 - n * n);
          const dr = daN * hn;
          const daR = dr * r * (1 - r);
          const daZ = dz * z * (1 - z);
          const dhN = daN * r;
          const rowR = j, rowZ = d + j, rowN = 2 * d + j;
          for (let k = 0; k < I; k++) {
            const xk = input[xo + k];
            grad[wih + rowR * I + k] += daR * xk;
            grad[wih + rowZ * I + k] += daZ * xk;
            grad[wih + rowN * I + k] += daN * xk;
          }
          grad[bih + rowR] += daR;
          grad[bih + rowZ] += daZ;
          grad[bih + rowN] += daN;
          for (let k = 0; k < d; k++) {
            const hk = states[ho + k];
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
      }
      const scale = mask[cell] * inv;
      if (t < ws.firstScored || scale === 0) continue;
      // dL/dlogit = mask·(softmax − onehot(target)) / Σmask, formed as PyTorch forms it.
      const lo = cell * A;
      const tgt = target[cell];
      for (let a = 0; a < A; a++) {
        const p = probs[lo + a] * scale;
        const g = a === tgt ? -scale + p : p;
        grad[bo + a] += g;
        for (let k = 0; k < d; k++) {
          grad[wo + a * d + k] += g * states[ho + k];
          dPrev[dpo + k] += w[wo + a * d + k] * g;
        }
      }
    }
    const swap = dNext;
    dNext = dPrev;
    dPrev = swap;
  }
  if (net.h0Offset >= 0) {
    for (let b = 0; b < B; b++) for (let k = 0; k < d; k++) grad[net.h0Offset + k] += dNext[b * d + k];
  }
}

/** Σ mask·[argmax logit = action] / Σ mask over the scored trials of the last forward (ties to action 0). */
export function accuracyOf(ws: Workspace): number {
  const { logits, batch, firstScored } = ws;
  const { T, B, target, mask } = batch;
  const A = ws.net.spec.nActions;
  let correct = 0;
  for (let cell = firstScored * B; cell < T * B; cell++) {
    const m = mask[cell];
    if (m === 0) continue;
    let best = 0;
    for (let a = 1; a < A; a++) if (logits[cell * A + a] > logits[cell * A + best]) best = a;
    if (best === target[cell]) correct += m;
  }
  return correct / ws.scored;
}
