/**
 * Forward pass, pooled cross-entropy and backpropagation through time of one network over a batch of blocks.
 *
 * All buffers live in a `Workspace` made once per (network, batch), so an epoch allocates nothing.
 *
 * @module
 */

import { type Network, readoutBackward, readoutForward, writeInitialState } from "../rnn/network.ts";
import {
  type BatchTensors,
  type DistinctInputs,
  type PreparedBatch,
  preparedBatch,
  type SharedPrefixes,
} from "./batch.ts";
import { fusedGruApplies, fusedGruBackward, fusedGruForward } from "./gru_pass.ts";
import { twoActionLoss, twoActionSoftmax } from "./two_actions.ts";

/** Buffers of one network on one batch. */
export interface Workspace {
  readonly net: Network;
  readonly batch: BatchTensors;
  /** States, `(T + 1) x B x S`: row t is the state before trial t. */
  readonly states: Float64Array;
  /** Per-step caches, `T x B x C`. */
  readonly caches: Float64Array;
  /** Logits, `(T + 1) x B x A`. */
  readonly logits: Float64Array;
  /** Softmax probabilities of the scored rows from the last forward, `(T + 1) x B x A`. */
  readonly probs: Float64Array;
  /** dL/dlogits of one row, `B x A`. */
  readonly dLogits: Float64Array;
  /** dL/dstate, two alternating `B x S` buffers. */
  readonly dStateA: Float64Array;
  readonly dStateB: Float64Array;
  /** Sum of the scored trials' weights (the loss denominator). */
  readonly scored: number;
  /** Whether `forward` keeps what `backward` needs (the softmax probabilities). */
  readonly forTraining: boolean;
  /** First trial that is scored: 0 with `outputH0`, else 1 (nothing predicts the first choice). */
  readonly firstScored: number;
  /**
   * Whether `forward` also fills row T of states and logits (the state after the last trial, which predicts
   * nothing). Training and evaluation in the trainer skip it; inspection keeps it.
   */
  readonly lastRow: boolean;
  /** Per-trial weighted cross-entropy of the last fused forward, `T x B` (summed trial-major). */
  readonly rowLoss: Float64Array;
  /** Per-trial largest logit and log Σ exp(logit − largest) of the last fused forward, `T x B`. */
  readonly rowMax: Float64Array;
  readonly rowLogSum: Float64Array;
  /** Leading states each block shares with an earlier block (fused pass only). */
  readonly shared?: SharedPrefixes;
  /** The batch's few distinct inputs, when it has few (fused pass only). */
  readonly inputs?: DistinctInputs;
  /** Input projections `W_ih x + b_ih` of the distinct inputs, `count x 3d` (fused pass only). */
  readonly projections: Float64Array;
  /** Per-trial 1 + e^−|logit margin| of the last unrolled forward, `T x B` (copied with shared prefixes). */
  readonly rowSum: Float64Array;
  /** Shared prefixes, distinct inputs and the order blocks are computed in (fused passes only). */
  readonly prepared?: PreparedBatch;
  /** Gate values of one row of blocks, `B x 4S` (unrolled kernels only). */
  readonly scratch: Float64Array;
  /** Whether the fused GRU pass (`gru_pass.ts`) serves this network. */
  readonly fused: boolean;
}

/**
 * Allocate the buffers of a network on a batch; `forTraining` = false for evaluation-only batches,
 * `lastRow` = false when nothing reads the state and logits after the last trial.
 */
export function createWorkspace(
  net: Network,
  batch: BatchTensors,
  forTraining = true,
  lastRow = true,
): Workspace {
  const { T, B } = batch;
  const S = net.stateSize;
  const A = net.spec.nActions;
  const firstScored = net.spec.outputH0 ? 0 : 1;
  const fused = fusedGruApplies(net);
  const prepared = fused ? preparedBatch(batch) : undefined;
  const inputs = prepared?.inputs;
  let scored = 0;
  for (let t = firstScored; t < T; t++) for (let b = 0; b < B; b++) scored += batch.mask[t * B + b];
  return {
    net,
    batch,
    states: new Float64Array((T + 1) * B * S),
    caches: new Float64Array(Math.max(1, T * B * net.kernel.cacheSize)),
    logits: new Float64Array((T + 1) * B * A),
    probs: new Float64Array((T + 1) * B * A),
    dLogits: new Float64Array(B * A),
    dStateA: new Float64Array(B * S),
    dStateB: new Float64Array(B * S),
    scored,
    firstScored,
    forTraining,
    lastRow,
    rowLoss: new Float64Array(T * B),
    rowMax: new Float64Array(T * B),
    rowLogSum: new Float64Array(T * B),
    shared: prepared?.shared,
    inputs,
    projections: new Float64Array(inputs ? inputs.count * 3 * net.spec.hidden : 0),
    rowSum: new Float64Array(A === 2 ? T * B : 0),
    prepared,
    scratch: new Float64Array(fused ? 4 * S * B : 0),
    fused,
  };
}

/** Loss and accuracy of a forward pass. */
export interface PassResult {
  /** Σ mask·CE / Σ mask over scored trials (NaN when nothing is scored). */
  loss: number;
  /** Σ mask·[argmax logit = action] / Σ mask (ties go to action 0). */
  accuracy: number;
}

/**
 * Run the network over the batch, filling states, caches and logits; return the pooled cross-entropy
 * (without L1). With `withAccuracy` also count correct argmax predictions.
 */
export function forward(ws: Workspace, w: Float64Array, withAccuracy = false): PassResult {
  if (ws.fused) return fusedGruForward(ws, w, withAccuracy);
  const { net, batch, states, caches, logits, probs } = ws;
  const { T, B, I, input, target, mask } = batch;
  const S = net.stateSize;
  const C = net.kernel.cacheSize;
  const A = net.spec.nActions;
  const kernel = net.kernel;
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
  if (A === 2) {
    // The two-action softmax and loss every pass shares, so that all passes give the same bits.
    for (let cell = 0; cell < T * B; cell++) twoActionSoftmax(logits, ws.rowSum, probs, cell, ws.forTraining);
  }
  let total = 0;
  let correct = 0;
  for (let t = ws.firstScored; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const m = mask[t * B + b];
      if (m === 0) continue;
      const lo = (t * B + b) * A;
      if (A !== 2) {
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
  return { loss: A === 2 ? twoActionLoss(ws) : total / ws.scored, accuracy: correct / ws.scored };
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
  if (ws.fused) return fusedGruBackward(ws, w, grad);
  const { net, batch, states, caches, probs, dLogits } = ws;
  const { T, B, I, input, target, mask } = batch;
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
      rowLogitGradient(probs, row * A, target, mask, row, B, A, inv, dLogits);
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
