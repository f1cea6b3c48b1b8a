/**
 * The fused GRU pass unrolled for the paper's smallest networks: hidden size 1 or 2, two actions, and few
 * distinct inputs (binary actions and rewards). Every weight is a local, the gates are written out, and the
 * transcendental work per trial is three inlined exponentials (two sigmoids, one tanh; `src/fast_math.ts`)
 * plus one for the cross-entropy (`two_actions.ts`). Values are formed with the same operations in the same
 * order as the GRU kernel (`src/rnn/gru.ts`), so every path gives the same bits.
 *
 * Loops are trial-major (for each trial, every block), so that the blocks' independent recurrences overlap
 * in the processor instead of waiting on one block's chain of dependent operations.
 *
 * @module
 */

import { fastSigmoid, fastTanh } from "../../fast_math.ts";
import type { Workspace } from "../workspace.ts";
import { gruOffsets, projectDistinctInputs } from "./gru_weights.ts";
import { twoActionLoss, twoActionSoftmax } from "./two_actions.ts";

/** Whether the unrolled kernels serve a workspace ([a, s, r] inputs; the fused pass serves it otherwise). */
export function smallGruApplies(ws: Workspace): boolean {
  const d = ws.net.spec.hidden;
  return ws.fast?.inputs !== undefined && ws.net.spec.nActions === 2 && ws.batch.I === 3 &&
    (d === 1 || d === 2);
}

/** `W_ih x + b_ih` of each distinct input, `count x 3d`, in the order the step sums them. */
function projectInputs(ws: Workspace, w: Float64Array, wih: number, bih: number): void {
  const { vectors, count } = ws.fast!.inputs!;
  projectDistinctInputs(w, wih, bih, vectors, count, ws.batch.I, ws.net.spec.hidden, ws.fast!.projections);
}

/** Initial state rows: `h0` when trained, else zero. */
function initialStates(ws: Workspace, w: Float64Array, d: number): void {
  const h0 = ws.net.h0Offset;
  const B = ws.batch.B;
  for (let b = 0; b < B; b++) for (let k = 0; k < d; k++) ws.states[b * d + k] = h0 < 0 ? 0 : w[h0 + k];
}

/** `buf[k] = σ(buf[k])` for k < n: one small loop, so that the inlined exponential stays inlined. */
function sigmoidInPlace(buf: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) buf[k] = fastSigmoid(buf[k]);
}

/** `buf[k] = tanh(buf[k])` for `start <= k < start + n`. */
function tanhInPlace(buf: Float64Array, start: number, n: number): void {
  for (let k = start; k < start + n; k++) buf[k] = fastTanh(buf[k]);
}

/** Softmax of row t's logits for the first `n` blocks of `order` (those that computed the row). */
function softmaxRow(ws: Workspace, row: number, order: Int32Array, n: number): void {
  const { logits, rowSum, probs } = ws;
  const keepProbs = ws.forTraining;
  for (let i = 0; i < n; i++) twoActionSoftmax(logits, rowSum, probs, row + order[i], keepProbs);
}

/**
 * Copy row t (state, logits and, below row T, softmax) of every block that shares it with an earlier block.
 * Ascending blocks, so that a block copies from one whose row is already there.
 */
function copyRow(ws: Workspace, t: number, S: number): void {
  const { states, logits, rowSum, probs } = ws;
  const { T, B } = ws.batch;
  const { sharedRows } = ws.fast!.prepared;
  const from = ws.fast!.shared.from;
  for (let b = 0; b < B; b++) {
    if (sharedRows[b] <= t) continue;
    const cell = t * B + b, src = t * B + from[b];
    for (let k = 0; k < S; k++) states[cell * S + k] = states[src * S + k];
    logits[2 * cell] = logits[2 * src];
    logits[2 * cell + 1] = logits[2 * src + 1];
    if (t === T) continue;
    rowSum[cell] = rowSum[src];
    if (ws.forTraining) {
      probs[2 * cell] = probs[2 * src];
      probs[2 * cell + 1] = probs[2 * src + 1];
    }
  }
}

/** Copy the caches of step t of every block that shares state row t + 1 with an earlier block. */
function copyCaches(ws: Workspace, t: number, C: number): void {
  const { caches } = ws;
  const B = ws.batch.B;
  const { sharedRows } = ws.fast!.prepared;
  const from = ws.fast!.shared.from;
  for (let b = 0; b < B; b++) {
    if (sharedRows[b] <= t + 1) continue;
    const co = (t * B + b) * C, src = (t * B + from[b]) * C;
    for (let k = 0; k < C; k++) caches[co + k] = caches[src + k];
  }
}

/**
 * Forward of a d = 1 GRU; returns the pooled cross-entropy. Row by row: the readout and softmax of every
 * block, then each phase of the step (pre-activations, sigmoids, tanh, update) for every block that does not
 * copy it, so that the exponentials run in tight loops with independent iterations.
 */
export function forwardD1(ws: Workspace, w: Float64Array): number {
  const { batch, states, caches, logits } = ws;
  const scratch = ws.fast!.scratch;
  const { T, B } = batch;
  const keepProbs = ws.forTraining;
  const [wih, whh, bih, bhh] = gruOffsets(ws.net);
  const [wo, bo] = ws.net.readoutOffsets;
  const wo0 = w[wo], wo1 = w[wo + 1], bo0 = w[bo], bo1 = w[bo + 1];
  const whr = w[whh], whz = w[whh + 1], whn = w[whh + 2];
  const bhr = w[bhh], bhz = w[bhh + 1], bhn = w[bhh + 2];
  projectInputs(ws, w, wih, bih);
  const fast = ws.fast!;
  const proj = fast.projections;
  const ids = fast.inputs!.ids;
  const { order, computed } = fast.prepared;
  const rows = ws.lastRow ? T + 1 : T;
  // scratch: [σ pre-activations r, z (2B) | recurrent n term (B) | n (B)], per active block i.
  const hnAt = 2 * B, nAt = 3 * B;
  initialStates(ws, w, 1);
  for (let t = 0; t < rows; t++) {
    const row = t * B;
    const read = computed[t];
    for (let i = 0; i < read; i++) {
      const cell = row + order[i];
      const h = states[cell];
      logits[2 * cell] = wo0 * h + bo0;
      logits[2 * cell + 1] = wo1 * h + bo1;
    }
    if (t < T) softmaxRow(ws, row, order, read);
    if (read < B) copyRow(ws, t, 1);
    if (t + 1 >= rows) break;
    const step = computed[t + 1];
    for (let i = 0; i < step; i++) {
      const cell = row + order[i];
      const h = states[cell];
      const po = 3 * ids[cell];
      scratch[2 * i] = (whr * h + bhr) + proj[po];
      scratch[2 * i + 1] = (whz * h + bhz) + proj[po + 1];
      scratch[hnAt + i] = whn * h + bhn;
    }
    sigmoidInPlace(scratch, 2 * step);
    for (let i = 0; i < step; i++) {
      const cell = row + order[i];
      scratch[nAt + i] = proj[3 * ids[cell] + 2] + scratch[hnAt + i] * scratch[2 * i];
    }
    tanhInPlace(scratch, nAt, step);
    for (let i = 0; i < step; i++) {
      const cell = row + order[i];
      const z = scratch[2 * i + 1], n = scratch[nAt + i];
      states[cell + B] = (states[cell] - n) * z + n;
      if (keepProbs) {
        caches[4 * cell] = scratch[2 * i];
        caches[4 * cell + 1] = z;
        caches[4 * cell + 2] = n;
        caches[4 * cell + 3] = scratch[hnAt + i];
      }
    }
    if (keepProbs && step < B) copyCaches(ws, t, 4);
  }
  return twoActionLoss(ws);
}

/** Backward of the last `forwardD1` (trained workspace), adding to `grad`. */
export function backwardD1(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  const { batch, states, caches, probs, firstScored } = ws;
  const { T, B, target, mask } = batch;
  const [wih, whh, bih, bhh] = gruOffsets(ws.net);
  const [wo, bo] = ws.net.readoutOffsets;
  const wo0 = w[wo], wo1 = w[wo + 1];
  const whr = w[whh], whz = w[whh + 1], whn = w[whh + 2];
  const { input } = batch;
  const inv = 1 / ws.scored;
  let gWr = 0, gWz = 0, gWn = 0, gBr = 0, gBz = 0, gBn = 0;
  let gO0 = 0, gO1 = 0, gC0 = 0, gC1 = 0;
  // Input weights (rows r, z, n; columns a, s, r) and biases.
  let gIr0 = 0, gIr1 = 0, gIr2 = 0, gIz0 = 0, gIz1 = 0, gIz2 = 0, gIn0 = 0, gIn1 = 0, gIn2 = 0;
  let gIbr = 0, gIbz = 0, gIbn = 0;
  let dNext = ws.dStateA;
  let dPrev = ws.dStateB;
  // Row T predicts nothing, so the last step's state gradient is zero and its backward adds nothing.
  for (let t = T - 1; t >= 0; t--) {
    const stepped = t < T - 1;
    const scored = t >= firstScored;
    for (let b = 0; b < B; b++) {
      const cell = t * B + b;
      const h = states[cell];
      let dh = 0;
      if (stepped) {
        const co = 4 * cell;
        const r = caches[co], z = caches[co + 1], n = caches[co + 2], hn = caches[co + 3];
        const g = dNext[b];
        dh = g * z;
        const daN = g * (1 - z) * (1 - n * n);
        const daR = daN * hn * r * (1 - r);
        const daZ = g * (h - n) * z * (1 - z);
        const dhN = daN * r;
        gWr += daR * h;
        gWz += daZ * h;
        gWn += dhN * h;
        dh += whr * daR + whz * daZ + whn * dhN;
        gBr += daR;
        gBz += daZ;
        gBn += dhN;
        // Input weights per trial (not per distinct input), so that every entry sums its terms in the order
        // of the generic pass and the whole gradient matches it to the bit.
        const x0 = input[3 * cell], x1 = input[3 * cell + 1], x2 = input[3 * cell + 2];
        gIr0 += daR * x0;
        gIr1 += daR * x1;
        gIr2 += daR * x2;
        gIz0 += daZ * x0;
        gIz1 += daZ * x1;
        gIz2 += daZ * x2;
        gIn0 += daN * x0;
        gIn1 += daN * x1;
        gIn2 += daN * x2;
        gIbr += daR;
        gIbz += daZ;
        gIbn += daN;
      }
      const scale = mask[cell] * inv;
      if (scored && scale !== 0) {
        // dL/dlogit = mask·(softmax − onehot(target)) / Σmask, formed as PyTorch forms it.
        const p0 = probs[2 * cell] * scale, p1 = probs[2 * cell + 1] * scale;
        // −scale added to the target's entry by a 0/1 factor, not a branch (p + −0 = p exactly).
        const second = target[cell];
        const g0 = -scale * (1 - second) + p0;
        const g1 = -scale * second + p1;
        gC0 += g0;
        gO0 += g0 * h;
        dh += wo0 * g0;
        gC1 += g1;
        gO1 += g1 * h;
        dh += wo1 * g1;
      }
      dPrev[b] = dh;
    }
    const swap = dNext;
    dNext = dPrev;
    dPrev = swap;
  }
  grad[whh] += gWr;
  grad[whh + 1] += gWz;
  grad[whh + 2] += gWn;
  grad[bhh] += gBr;
  grad[bhh + 1] += gBz;
  grad[bhh + 2] += gBn;
  grad[wo] += gO0;
  grad[wo + 1] += gO1;
  grad[bo] += gC0;
  grad[bo + 1] += gC1;
  grad[wih] += gIr0;
  grad[wih + 1] += gIr1;
  grad[wih + 2] += gIr2;
  grad[wih + 3] += gIz0;
  grad[wih + 4] += gIz1;
  grad[wih + 5] += gIz2;
  grad[wih + 6] += gIn0;
  grad[wih + 7] += gIn1;
  grad[wih + 8] += gIn2;
  grad[bih] += gIbr;
  grad[bih + 1] += gIbz;
  grad[bih + 2] += gIbn;
  if (ws.net.h0Offset >= 0) { for (let b = 0; b < B; b++) grad[ws.net.h0Offset] += dNext[b]; }
}

/** Forward of a d = 2 GRU (as `forwardD1`); returns the pooled cross-entropy. */
export function forwardD2(ws: Workspace, w: Float64Array): number {
  const { batch, states, caches, logits } = ws;
  const scratch = ws.fast!.scratch;
  const { T, B } = batch;
  const keepProbs = ws.forTraining;
  const [wih, whh, bih, bhh] = gruOffsets(ws.net);
  const [wo, bo] = ws.net.readoutOffsets;
  // Readout rows a = 0, 1 and columns k = 0, 1: woAK.
  const wo00 = w[wo], wo01 = w[wo + 1], wo10 = w[wo + 2], wo11 = w[wo + 3];
  const bo0 = w[bo], bo1 = w[bo + 1];
  // Recurrent rows r0, r1, z0, z1, n0, n1, columns 0, 1.
  const wr00 = w[whh], wr01 = w[whh + 1], wr10 = w[whh + 2], wr11 = w[whh + 3];
  const wz00 = w[whh + 4], wz01 = w[whh + 5], wz10 = w[whh + 6], wz11 = w[whh + 7];
  const wn00 = w[whh + 8], wn01 = w[whh + 9], wn10 = w[whh + 10], wn11 = w[whh + 11];
  const br0 = w[bhh], br1 = w[bhh + 1], bz0 = w[bhh + 2], bz1 = w[bhh + 3];
  const bn0 = w[bhh + 4], bn1 = w[bhh + 5];
  projectInputs(ws, w, wih, bih);
  const fast = ws.fast!;
  const proj = fast.projections;
  const ids = fast.inputs!.ids;
  const { order, computed } = fast.prepared;
  const rows = ws.lastRow ? T + 1 : T;
  // scratch: [σ pre-activations r0, r1, z0, z1 (4B) | recurrent n terms (2B) | n0, n1 (2B)].
  const hnAt = 4 * B, nAt = 6 * B;
  initialStates(ws, w, 2);
  for (let t = 0; t < rows; t++) {
    const row = t * B;
    const read = computed[t];
    for (let i = 0; i < read; i++) {
      const cell = row + order[i];
      const h0 = states[2 * cell], h1 = states[2 * cell + 1];
      logits[2 * cell] = (wo00 * h0 + wo01 * h1) + bo0;
      logits[2 * cell + 1] = (wo10 * h0 + wo11 * h1) + bo1;
    }
    if (t < T) softmaxRow(ws, row, order, read);
    if (read < B) copyRow(ws, t, 2);
    if (t + 1 >= rows) break;
    const step = computed[t + 1];
    for (let i = 0; i < step; i++) {
      const cell = row + order[i];
      const h0 = states[2 * cell], h1 = states[2 * cell + 1];
      const po = 6 * ids[cell];
      scratch[4 * i] = ((wr00 * h0 + wr01 * h1) + br0) + proj[po];
      scratch[4 * i + 1] = ((wr10 * h0 + wr11 * h1) + br1) + proj[po + 1];
      scratch[4 * i + 2] = ((wz00 * h0 + wz01 * h1) + bz0) + proj[po + 2];
      scratch[4 * i + 3] = ((wz10 * h0 + wz11 * h1) + bz1) + proj[po + 3];
      scratch[hnAt + 2 * i] = (wn00 * h0 + wn01 * h1) + bn0;
      scratch[hnAt + 2 * i + 1] = (wn10 * h0 + wn11 * h1) + bn1;
    }
    sigmoidInPlace(scratch, 4 * step);
    for (let i = 0; i < step; i++) {
      const po = 6 * ids[row + order[i]];
      scratch[nAt + 2 * i] = proj[po + 4] + scratch[hnAt + 2 * i] * scratch[4 * i];
      scratch[nAt + 2 * i + 1] = proj[po + 5] + scratch[hnAt + 2 * i + 1] * scratch[4 * i + 1];
    }
    tanhInPlace(scratch, nAt, 2 * step);
    for (let i = 0; i < step; i++) {
      const cell = row + order[i];
      const z0 = scratch[4 * i + 2], z1 = scratch[4 * i + 3];
      const n0 = scratch[nAt + 2 * i], n1 = scratch[nAt + 2 * i + 1];
      const oo = 2 * (cell + B);
      states[oo] = (states[2 * cell] - n0) * z0 + n0;
      states[oo + 1] = (states[2 * cell + 1] - n1) * z1 + n1;
      if (keepProbs) {
        const co = 8 * cell;
        caches[co] = scratch[4 * i];
        caches[co + 1] = scratch[4 * i + 1];
        caches[co + 2] = z0;
        caches[co + 3] = z1;
        caches[co + 4] = n0;
        caches[co + 5] = n1;
        caches[co + 6] = scratch[hnAt + 2 * i];
        caches[co + 7] = scratch[hnAt + 2 * i + 1];
      }
    }
    if (keepProbs && step < B) copyCaches(ws, t, 8);
  }
  return twoActionLoss(ws);
}

/** Backward of the last `forwardD2` (trained workspace), adding to `grad`. */
export function backwardD2(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  const { batch, states, caches, probs, firstScored } = ws;
  const { T, B, target, mask } = batch;
  const [wih, whh, bih, bhh] = gruOffsets(ws.net);
  const [wo, bo] = ws.net.readoutOffsets;
  const wo00 = w[wo], wo01 = w[wo + 1], wo10 = w[wo + 2], wo11 = w[wo + 3];
  const wr00 = w[whh], wr01 = w[whh + 1], wr10 = w[whh + 2], wr11 = w[whh + 3];
  const wz00 = w[whh + 4], wz01 = w[whh + 5], wz10 = w[whh + 6], wz11 = w[whh + 7];
  const wn00 = w[whh + 8], wn01 = w[whh + 9], wn10 = w[whh + 10], wn11 = w[whh + 11];
  const { input } = batch;
  const inv = 1 / ws.scored;
  // Gradient accumulators named like the weights they belong to.
  let gr00 = 0, gr01 = 0, gr10 = 0, gr11 = 0, gz00 = 0, gz01 = 0, gz10 = 0, gz11 = 0;
  let gn00 = 0, gn01 = 0, gn10 = 0, gn11 = 0;
  let gbr0 = 0, gbr1 = 0, gbz0 = 0, gbz1 = 0, gbn0 = 0, gbn1 = 0;
  let go00 = 0, go01 = 0, go10 = 0, go11 = 0, gc0 = 0, gc1 = 0;
  // Input weights: gIgjk for gate g, unit j, input column k (a, s, r); and biases.
  let gIr00 = 0, gIr01 = 0, gIr02 = 0, gIr10 = 0, gIr11 = 0, gIr12 = 0;
  let gIz00 = 0, gIz01 = 0, gIz02 = 0, gIz10 = 0, gIz11 = 0, gIz12 = 0;
  let gIn00 = 0, gIn01 = 0, gIn02 = 0, gIn10 = 0, gIn11 = 0, gIn12 = 0;
  let gIbr0 = 0, gIbr1 = 0, gIbz0 = 0, gIbz1 = 0, gIbn0 = 0, gIbn1 = 0;
  let dNext = ws.dStateA;
  let dPrev = ws.dStateB;
  for (let t = T - 1; t >= 0; t--) {
    const stepped = t < T - 1;
    const scored = t >= firstScored;
    for (let b = 0; b < B; b++) {
      const cell = t * B + b;
      const h0 = states[2 * cell], h1 = states[2 * cell + 1];
      let dh0 = 0, dh1 = 0;
      if (stepped) {
        const co = 8 * cell;
        const r0 = caches[co], r1 = caches[co + 1], z0 = caches[co + 2], z1 = caches[co + 3];
        const n0 = caches[co + 4], n1 = caches[co + 5], hn0 = caches[co + 6], hn1 = caches[co + 7];
        const g0 = dNext[2 * b], g1 = dNext[2 * b + 1];
        const daN0 = g0 * (1 - z0) * (1 - n0 * n0);
        const daR0 = daN0 * hn0 * r0 * (1 - r0);
        const daZ0 = g0 * (h0 - n0) * z0 * (1 - z0);
        const dhN0 = daN0 * r0;
        const daN1 = g1 * (1 - z1) * (1 - n1 * n1);
        const daR1 = daN1 * hn1 * r1 * (1 - r1);
        const daZ1 = g1 * (h1 - n1) * z1 * (1 - z1);
        const dhN1 = daN1 * r1;
        dh0 = g0 * z0;
        dh0 += wr00 * daR0 + wz00 * daZ0 + wn00 * dhN0;
        dh1 = wr01 * daR0 + wz01 * daZ0 + wn01 * dhN0;
        dh1 += g1 * z1;
        dh0 += wr10 * daR1 + wz10 * daZ1 + wn10 * dhN1;
        dh1 += wr11 * daR1 + wz11 * daZ1 + wn11 * dhN1;
        gr00 += daR0 * h0;
        gr01 += daR0 * h1;
        gr10 += daR1 * h0;
        gr11 += daR1 * h1;
        gz00 += daZ0 * h0;
        gz01 += daZ0 * h1;
        gz10 += daZ1 * h0;
        gz11 += daZ1 * h1;
        gn00 += dhN0 * h0;
        gn01 += dhN0 * h1;
        gn10 += dhN1 * h0;
        gn11 += dhN1 * h1;
        gbr0 += daR0;
        gbr1 += daR1;
        gbz0 += daZ0;
        gbz1 += daZ1;
        gbn0 += dhN0;
        gbn1 += dhN1;
        const x0 = input[3 * cell], x1 = input[3 * cell + 1], x2 = input[3 * cell + 2];
        gIr00 += daR0 * x0;
        gIr01 += daR0 * x1;
        gIr02 += daR0 * x2;
        gIr10 += daR1 * x0;
        gIr11 += daR1 * x1;
        gIr12 += daR1 * x2;
        gIz00 += daZ0 * x0;
        gIz01 += daZ0 * x1;
        gIz02 += daZ0 * x2;
        gIz10 += daZ1 * x0;
        gIz11 += daZ1 * x1;
        gIz12 += daZ1 * x2;
        gIn00 += daN0 * x0;
        gIn01 += daN0 * x1;
        gIn02 += daN0 * x2;
        gIn10 += daN1 * x0;
        gIn11 += daN1 * x1;
        gIn12 += daN1 * x2;
        gIbr0 += daR0;
        gIbr1 += daR1;
        gIbz0 += daZ0;
        gIbz1 += daZ1;
        gIbn0 += daN0;
        gIbn1 += daN1;
      }
      const scale = mask[cell] * inv;
      if (scored && scale !== 0) {
        const p0 = probs[2 * cell] * scale, p1 = probs[2 * cell + 1] * scale;
        // −scale added to the target's entry by a 0/1 factor, not a branch (p + −0 = p exactly).
        const second = target[cell];
        const g0 = -scale * (1 - second) + p0;
        const g1 = -scale * second + p1;
        gc0 += g0;
        go00 += g0 * h0;
        go01 += g0 * h1;
        dh0 += wo00 * g0;
        dh1 += wo01 * g0;
        gc1 += g1;
        go10 += g1 * h0;
        go11 += g1 * h1;
        dh0 += wo10 * g1;
        dh1 += wo11 * g1;
      }
      dPrev[2 * b] = dh0;
      dPrev[2 * b + 1] = dh1;
    }
    const swap = dNext;
    dNext = dPrev;
    dPrev = swap;
  }
  // One statement each, no array literal: code optimised while the loop ran (on-stack replacement) has no
  // feedback for one and would be thrown away at every call.
  grad[whh] += gr00;
  grad[whh + 1] += gr01;
  grad[whh + 2] += gr10;
  grad[whh + 3] += gr11;
  grad[whh + 4] += gz00;
  grad[whh + 5] += gz01;
  grad[whh + 6] += gz10;
  grad[whh + 7] += gz11;
  grad[whh + 8] += gn00;
  grad[whh + 9] += gn01;
  grad[whh + 10] += gn10;
  grad[whh + 11] += gn11;
  grad[bhh] += gbr0;
  grad[bhh + 1] += gbr1;
  grad[bhh + 2] += gbz0;
  grad[bhh + 3] += gbz1;
  grad[bhh + 4] += gbn0;
  grad[bhh + 5] += gbn1;
  grad[wo] += go00;
  grad[wo + 1] += go01;
  grad[wo + 2] += go10;
  grad[wo + 3] += go11;
  grad[bo] += gc0;
  grad[bo + 1] += gc1;
  grad[wih] += gIr00;
  grad[wih + 1] += gIr01;
  grad[wih + 2] += gIr02;
  grad[wih + 3] += gIr10;
  grad[wih + 4] += gIr11;
  grad[wih + 5] += gIr12;
  grad[wih + 6] += gIz00;
  grad[wih + 7] += gIz01;
  grad[wih + 8] += gIz02;
  grad[wih + 9] += gIz10;
  grad[wih + 10] += gIz11;
  grad[wih + 11] += gIz12;
  grad[wih + 12] += gIn00;
  grad[wih + 13] += gIn01;
  grad[wih + 14] += gIn02;
  grad[wih + 15] += gIn10;
  grad[wih + 16] += gIn11;
  grad[wih + 17] += gIn12;
  grad[bih] += gIbr0;
  grad[bih + 1] += gIbr1;
  grad[bih + 2] += gIbz0;
  grad[bih + 3] += gIbz1;
  grad[bih + 4] += gIbn0;
  grad[bih + 5] += gIbn1;
  if (ws.net.h0Offset >= 0) {
    for (let b = 0; b < B; b++) {
      grad[ws.net.h0Offset] += dNext[2 * b];
      grad[ws.net.h0Offset + 1] += dNext[2 * b + 1];
    }
  }
}
