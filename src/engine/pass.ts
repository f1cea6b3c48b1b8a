/**
 * Forward pass, pooled cross-entropy and backpropagation through time of one network over a batch of blocks:
 * the generic pass, which runs any cell through its kernel one trial and block at a time, and hands a
 * workspace to its cell's fast pass when it has one (`Workspace.fused`).
 *
 * All buffers live in a `Workspace` (`workspace.ts`) made once per (network, batch), so an epoch allocates
 * nothing.
 *
 * @module
 */

import { gru } from "../rnn/gru.ts";
import { readoutBackward, readoutForward, writeInitialState } from "../rnn/network.ts";
import { gruFastPass } from "./gru/fused.ts";
import { twoActionLoss, twoActionSoftmax } from "./gru/two_actions.ts";
import { type PassResult, registerFastPass, type Workspace } from "./workspace.ts";

export { createWorkspace, type PassResult, type Workspace } from "./workspace.ts";

// The fast passes, registered where the passes run, so that any program that can run a workspace has them.
registerFastPass(gru, gruFastPass);

/**
 * Run the network over the batch, filling states, caches and logits; return the pooled cross-entropy
 * (without L1): to the choices, or to the batch's soft targets when it has them (distillation). With
 * `withAccuracy` also count correct argmax predictions (always against the choices).
 */
export function forward(ws: Workspace, w: Float64Array, withAccuracy = false): PassResult {
  if (ws.fused) return ws.fast!.pass.forward(ws, w, withAccuracy);
  const { net, batch, states, caches, logits, probs } = ws;
  const { T, B, I, input, target, mask, soft } = batch;
  const S = net.stateSize;
  const C = net.kernel.cacheSize;
  const A = net.spec.nActions;
  const kernel = net.kernel;
  // The shared two-action loss is the cross-entropy to the choices; soft targets take the general path.
  const twoAction = A === 2 && soft === undefined;
  for (let b = 0; b < B; b++) writeInitialState(net, w, states, b * S);
  for (let t = 0; t < T; t++) {
    const rowIn = t * B, rowOut = (t + 1) * B;
    for (let b = 0; b < B; b++) {
      kernel.forward(
        w,
        input,
        (rowIn + b) * I,
        states,
        (rowIn + b) * S,
        states,
        (rowOut + b) * S,
        caches,
        (rowIn + b) * C,
      );
    }
  }
  for (let r = 0; r <= T; r++) {
    for (let b = 0; b < B; b++) readoutForward(net, w, states, (r * B + b) * S, logits, (r * B + b) * A);
  }
  if (twoAction) {
    // The two-action softmax and loss every pass shares (written with the GRU's fast passes), so that all
    // passes give the same bits: e.g. a GRU and the same network as an SGRU, which takes this pass.
    for (let cell = 0; cell < T * B; cell++) twoActionSoftmax(logits, ws.rowSum, probs, cell, ws.forTraining);
  }
  let total = 0;
  let correct = 0;
  for (let t = ws.firstScored; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const m = mask[t * B + b];
      if (m === 0) continue;
      const lo = (t * B + b) * A;
      if (soft !== undefined) total += m * softCrossEntropy(logits, probs, soft, lo, A, ws.forTraining);
      else if (A !== 2) {
        total += m *
          (ws.forTraining
            ? crossEntropyAndProbs(logits, probs, lo, A, target[t * B + b])
            : crossEntropy(logits, lo, A, target[t * B + b]));
      }
      if (withAccuracy) {
        let best = 0;
        for (let a = 1; a < A; a++) if (logits[lo + a] > logits[lo + best]) best = a;
        if (best === target[t * B + b]) correct += m;
      }
    }
  }
  return { loss: twoAction ? twoActionLoss(ws) : total / ws.scored, accuracy: correct / ws.scored };
}

/**
 * The cross-entropy −Σ_a p_a log softmax(z)_a of logits `z = logits[lo..lo+A]` to target probabilities
 * `p = soft[lo..lo+A]`, with the log-softmax formed as in `crossEntropy`; with `keepProbs` the softmax is
 * stored in `probs` for the backward pass. A one-hot p gives `crossEntropy` to within rounding.
 */
export function softCrossEntropy(
  logits: Float64Array,
  probs: Float64Array,
  soft: Float64Array,
  lo: number,
  A: number,
  keepProbs: boolean,
): number {
  let max = -Infinity;
  for (let a = 0; a < A; a++) if (logits[lo + a] > max) max = logits[lo + a];
  let sum = 0;
  for (let a = 0; a < A; a++) sum += logits[lo + a] === max ? 1 : Math.exp(logits[lo + a] - max);
  const logSum = Math.log(sum);
  let loss = 0;
  for (let a = 0; a < A; a++) {
    const logP = (logits[lo + a] - max) - logSum;
    // A zero target weight contributes nothing, even where the model's probability underflows to 0.
    if (soft[lo + a] !== 0) loss -= soft[lo + a] * logP;
    if (keepProbs) probs[lo + a] = Math.exp(logP);
  }
  return loss;
}

/** `-log softmax(logits[lo..lo+A])[target]`, evaluated as PyTorch's log-softmax. */
export function crossEntropy(logits: Float64Array, lo: number, A: number, target: number): number {
  let max = -Infinity;
  for (let a = 0; a < A; a++) if (logits[lo + a] > max) max = logits[lo + a];
  let sum = 0;
  // exp(0) is exactly 1: skipping the call for the maximum keeps every bit.
  for (let a = 0; a < A; a++) sum += logits[lo + a] === max ? 1 : Math.exp(logits[lo + a] - max);
  return -((logits[lo + target] - max) - Math.log(sum));
}

/** Cross-entropy as `crossEntropy`, also storing the softmax probabilities (as PyTorch's backward forms them). */
function crossEntropyAndProbs(
  logits: Float64Array,
  probs: Float64Array,
  lo: number,
  A: number,
  target: number,
): number {
  let max = -Infinity;
  for (let a = 0; a < A; a++) if (logits[lo + a] > max) max = logits[lo + a];
  let sum = 0;
  // exp(0) is exactly 1: skipping the call for the maximum keeps every bit.
  for (let a = 0; a < A; a++) sum += logits[lo + a] === max ? 1 : Math.exp(logits[lo + a] - max);
  const logSum = Math.log(sum);
  for (let a = 0; a < A; a++) probs[lo + a] = Math.exp((logits[lo + a] - max) - logSum);
  return -((logits[lo + target] - max) - logSum);
}

/**
 * Add the gradient of the pooled cross-entropy to `grad`, using the buffers of the last `forward` on the
 * same weights. If the network has a trainable `h0`, its gradient (summed over blocks) is added too.
 */
export function backward(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  if (!ws.forTraining) throw new Error("backward needs a workspace created for training");
  if (ws.fused) return ws.fast!.pass.backward(ws, w, grad);
  const { net, batch, states, caches, probs, dLogits } = ws;
  const { T, B, I, input, target, mask, soft } = batch;
  const S = net.stateSize;
  const C = net.kernel.cacheSize;
  const A = net.spec.nActions;
  const kernel = net.kernel;
  const inv = 1 / ws.scored;
  let dNext = ws.dStateA;
  let dPrev = ws.dStateB;
  dNext.fill(0);
  // Row T predicts nothing; rows t < T add their readout gradient before the step that produced them.
  for (let t = T - 1; t >= 0; t--) {
    const row = t * B;
    for (let b = 0; b < B; b++) {
      kernel.backward(
        w,
        grad,
        input,
        (row + b) * I,
        states,
        (row + b) * S,
        caches,
        (row + b) * C,
        dNext,
        b * S,
        dPrev,
        b * S,
      );
    }
    if (t >= ws.firstScored) {
      if (soft !== undefined) softRowLogitGradient(probs, soft, row * A, mask, row, B, A, inv, dLogits);
      else rowLogitGradient(probs, row * A, target, mask, row, B, A, inv, dLogits);
      for (let b = 0; b < B; b++) {
        readoutBackward(net, w, grad, states, (row + b) * S, dLogits, b * A, dPrev, b * S);
      }
    }
    const swap = dNext;
    dNext = dPrev;
    dPrev = swap;
  }
  if (net.h0Offset >= 0) {
    for (let b = 0; b < B; b++) for (let k = 0; k < S; k++) grad[net.h0Offset + k] += dNext[b * S + k];
  }
}

/** dL/dlogits of one row of blocks: mask·(softmax − onehot(target)) / Σmask, in PyTorch's order. */
function rowLogitGradient(
  probs: Float64Array,
  lo: number,
  target: Int32Array,
  mask: Float64Array,
  row: number,
  B: number,
  A: number,
  inv: number,
  out: Float64Array,
): void {
  for (let b = 0; b < B; b++) {
    const o = lo + b * A;
    const scale = mask[row + b] * inv;
    const tgt = target[row + b];
    for (let a = 0; a < A; a++) {
      const g = scale === 0 ? 0 : probs[o + a] * scale;
      out[b * A + a] = a === tgt && scale !== 0 ? -scale + g : g;
    }
  }
}

/** dL/dlogits of one row of blocks with soft targets p: mask·(softmax − p) / Σmask. */
function softRowLogitGradient(
  probs: Float64Array,
  soft: Float64Array,
  lo: number,
  mask: Float64Array,
  row: number,
  B: number,
  A: number,
  inv: number,
  out: Float64Array,
): void {
  for (let b = 0; b < B; b++) {
    const o = lo + b * A;
    const scale = mask[row + b] * inv;
    for (let a = 0; a < A; a++) out[b * A + a] = scale === 0 ? 0 : probs[o + a] * scale - soft[o + a] * scale;
  }
}
