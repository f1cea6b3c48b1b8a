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

import { fastSigmoid, fastTanh } from "../fast_math.ts";
import type { Workspace } from "./pass.ts";
import { twoActionLoss, twoActionSoftmax } from "./two_actions.ts";

/** Offsets of the GRU tensors `[W_ih, W_hh, b_ih, b_hh]` in the flat weights. */
export function gruOffsets(ws: Workspace): [number, number, number, number] {
  const at = (name: string) => ws.net.parameters.find((p) => p.name === name)!.offset;
  return [at("rnn.weight_ih_l0"), at("rnn.weight_hh_l0"), at("rnn.bias_ih_l0"), at("rnn.bias_hh_l0")];
}

/** Whether the unrolled kernels serve a workspace (the fused pass serves it otherwise). */
export function smallGruApplies(ws: Workspace): boolean {
  const d = ws.net.spec.hidden;
  return ws.inputs !== undefined && ws.net.spec.nActions === 2 && (d === 1 || d === 2);
}

/** `W_ih x + b_ih` of each distinct input, `count x 3d`, in the order the step sums them. */
function projectInputs(ws: Workspace, w: Float64Array, wih: number, bih: number): void {
  const { vectors, count } = ws.inputs!;
  const I = ws.batch.I;
  const D3 = 3 * ws.net.spec.hidden;
  const proj = ws.projections;
  for (let u = 0; u < count; u++) {
    for (let row = 0; row < D3; row++) {
      let s = 0;
      for (let k = 0; k < I; k++) s += w[wih + row * I + k] * vectors[u * I + k];
      proj[u * D3 + row] = s + w[bih + row];
    }
  }
}

/** Add the input-projection gradients (per distinct input) to `W_ih` and `b_ih`. */
function inputGradients(ws: Workspace, grad: Float64Array, wih: number, bih: number): void {
  const { vectors, count } = ws.inputs!;
  const I = ws.batch.I;
  const D3 = 3 * ws.net.spec.hidden;
  const dProj = ws.projectionGrads;
  for (let u = 0; u < count; u++) {
    for (let row = 0; row < D3; row++) {
      const g = dProj[u * D3 + row];
      for (let k = 0; k < I; k++) grad[wih + row * I + k] += g * vectors[u * I + k];
      grad[bih + row] += g;
    }
  }
}

/** Initial state rows: `h0` when trained, else zero. */
function initialStates(ws: Workspace, w: Float64Array, d: number): void {
  const h0 = ws.net.h0Offset;
  const B = ws.batch.B;
  for (let b = 0; b < B; b++) for (let k = 0; k < d; k++) ws.states[b * d + k] = h0 < 0 ? 0 : w[h0 + k];
}

/** Rows of each block copied from an earlier block with the same inputs so far (see `SharedPrefixes`). */
function copiedRows(ws: Workspace, rows: number): Int32Array {
  const { from, states } = ws.shared!;
  const out = ws.copied;
  for (let b = 0; b < out.length; b++) out[b] = from[b] < 0 ? 0 : Math.min(states[b], rows);
  return out;
}

/** Forward of a d = 1 GRU; returns the pooled cross-entropy. */
export function forwardD1(ws: Workspace, w: Float64Array): number {
  const { batch, states, caches, logits, probs, rowSum } = ws;
  const { T, B } = batch;
  const keepProbs = ws.forTraining;
  const [wih, whh, bih, bhh] = gruOffsets(ws);
  const [wo, bo] = ws.net.readoutOffsets;
  const wo0 = w[wo], wo1 = w[wo + 1], bo0 = w[bo], bo1 = w[bo + 1];
  const whr = w[whh], whz = w[whh + 1], whn = w[whh + 2];
  const bhr = w[bhh], bhz = w[bhh + 1], bhn = w[bhh + 2];
  projectInputs(ws, w, wih, bih);
  const proj = ws.projections;
  const ids = ws.inputs!.ids;
  const from = ws.shared!.from;
  const rows = ws.lastRow ? T + 1 : T;
  const copied = copiedRows(ws, rows);
  initialStates(ws, w, 1);
  for (let t = 0; t < T; t++) {
    const stepped = t + 1 < rows;
    for (let b = 0; b < B; b++) {
      const cell = t * B + b;
      const lo = 2 * cell;
      const shared = copied[b];
      let h: number;
      if (t < shared) {
        const src = t * B + from[b];
        h = states[src];
        states[cell] = h;
        logits[lo] = logits[2 * src];
        logits[lo + 1] = logits[2 * src + 1];
        rowSum[cell] = rowSum[src];
        if (keepProbs) {
          probs[lo] = probs[2 * src];
          probs[lo + 1] = probs[2 * src + 1];
        }
      } else {
        h = states[cell];
        logits[lo] = wo0 * h + bo0;
        logits[lo + 1] = wo1 * h + bo1;
        twoActionSoftmax(logits, rowSum, probs, cell, keepProbs);
      }
      if (!stepped) continue;
      const co = 4 * cell;
      if (t + 1 < shared) {
        if (keepProbs) {
          const src = 4 * (t * B + from[b]);
          caches[co] = caches[src];
          caches[co + 1] = caches[src + 1];
          caches[co + 2] = caches[src + 2];
          caches[co + 3] = caches[src + 3];
        }
        continue;
      }
      const po = 3 * ids[cell];
      const hn = whn * h + bhn;
      const r = fastSigmoid((whr * h + bhr) + proj[po]);
      const z = fastSigmoid((whz * h + bhz) + proj[po + 1]);
      const n = fastTanh(proj[po + 2] + hn * r);
      states[cell + B] = (h - n) * z + n;
      if (keepProbs) {
        caches[co] = r;
        caches[co + 1] = z;
        caches[co + 2] = n;
        caches[co + 3] = hn;
      }
    }
  }
  if (ws.lastRow) {
    for (let b = 0; b < B; b++) {
      const cell = T * B + b;
      const h = T < copied[b] ? states[T * B + from[b]] : states[cell];
      states[cell] = h;
      logits[2 * cell] = wo0 * h + bo0;
      logits[2 * cell + 1] = wo1 * h + bo1;
    }
  }
  return twoActionLoss(ws);
}

/** Backward of the last `forwardD1` (trained workspace), adding to `grad`. */
export function backwardD1(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  const { batch, states, caches, probs, firstScored } = ws;
  const { T, B, target, mask } = batch;
  const [wih, whh, bih, bhh] = gruOffsets(ws);
  const [wo, bo] = ws.net.readoutOffsets;
  const wo0 = w[wo], wo1 = w[wo + 1];
  const whr = w[whh], whz = w[whh + 1], whn = w[whh + 2];
  const ids = ws.inputs!.ids;
  const dProj = ws.projectionGrads;
  dProj.fill(0);
  const inv = 1 / ws.scored;
  let gWr = 0, gWz = 0, gWn = 0, gBr = 0, gBz = 0, gBn = 0;
  let gO0 = 0, gO1 = 0, gC0 = 0, gC1 = 0;
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
        const po = 3 * ids[cell];
        dProj[po] += daR;
        dProj[po + 1] += daZ;
        dProj[po + 2] += daN;
      }
      const scale = mask[cell] * inv;
      if (scored && scale !== 0) {
        // dL/dlogit = mask·(softmax − onehot(target)) / Σmask, formed as PyTorch forms it.
        const p0 = probs[2 * cell] * scale, p1 = probs[2 * cell + 1] * scale;
        const first = target[cell] === 0;
        const g0 = first ? -scale + p0 : p0;
        const g1 = first ? p1 : -scale + p1;
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
  inputGradients(ws, grad, wih, bih);
  if (ws.net.h0Offset >= 0) { for (let b = 0; b < B; b++) grad[ws.net.h0Offset] += dNext[b]; }
}

/** Forward of a d = 2 GRU; returns the pooled cross-entropy. */
export function forwardD2(ws: Workspace, w: Float64Array): number {
  const { batch, states, caches, logits, probs, rowSum } = ws;
  const { T, B } = batch;
  const keepProbs = ws.forTraining;
  const [wih, whh, bih, bhh] = gruOffsets(ws);
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
  const proj = ws.projections;
  const ids = ws.inputs!.ids;
  const from = ws.shared!.from;
  const rows = ws.lastRow ? T + 1 : T;
  const copied = copiedRows(ws, rows);
  initialStates(ws, w, 2);
  for (let t = 0; t < T; t++) {
    const stepped = t + 1 < rows;
    for (let b = 0; b < B; b++) {
      const cell = t * B + b;
      const ho = 2 * cell;
      const lo = 2 * cell;
      const shared = copied[b];
      let h0: number, h1: number;
      if (t < shared) {
        const src = t * B + from[b];
        h0 = states[2 * src];
        h1 = states[2 * src + 1];
        states[ho] = h0;
        states[ho + 1] = h1;
        logits[lo] = logits[2 * src];
        logits[lo + 1] = logits[2 * src + 1];
        rowSum[cell] = rowSum[src];
        if (keepProbs) {
          probs[lo] = probs[2 * src];
          probs[lo + 1] = probs[2 * src + 1];
        }
      } else {
        h0 = states[ho];
        h1 = states[ho + 1];
        logits[lo] = (wo00 * h0 + wo01 * h1) + bo0;
        logits[lo + 1] = (wo10 * h0 + wo11 * h1) + bo1;
        twoActionSoftmax(logits, rowSum, probs, cell, keepProbs);
      }
      if (!stepped) continue;
      const co = 8 * cell;
      if (t + 1 < shared) {
        if (keepProbs) {
          const src = 8 * (t * B + from[b]);
          for (let k = 0; k < 8; k++) caches[co + k] = caches[src + k];
        }
        continue;
      }
      const po = 6 * ids[cell];
      const hn0 = (wn00 * h0 + wn01 * h1) + bn0;
      const hn1 = (wn10 * h0 + wn11 * h1) + bn1;
      const r0 = fastSigmoid(((wr00 * h0 + wr01 * h1) + br0) + proj[po]);
      const r1 = fastSigmoid(((wr10 * h0 + wr11 * h1) + br1) + proj[po + 1]);
      const z0 = fastSigmoid(((wz00 * h0 + wz01 * h1) + bz0) + proj[po + 2]);
      const z1 = fastSigmoid(((wz10 * h0 + wz11 * h1) + bz1) + proj[po + 3]);
      const n0 = fastTanh(proj[po + 4] + hn0 * r0);
      const n1 = fastTanh(proj[po + 5] + hn1 * r1);
      const oo = ho + 2 * B;
      states[oo] = (h0 - n0) * z0 + n0;
      states[oo + 1] = (h1 - n1) * z1 + n1;
      if (keepProbs) {
        caches[co] = r0;
        caches[co + 1] = r1;
        caches[co + 2] = z0;
        caches[co + 3] = z1;
        caches[co + 4] = n0;
        caches[co + 5] = n1;
        caches[co + 6] = hn0;
        caches[co + 7] = hn1;
      }
    }
  }
  if (ws.lastRow) {
    for (let b = 0; b < B; b++) {
      const ho = 2 * (T * B + b);
      const src = T < copied[b] ? 2 * (T * B + from[b]) : ho;
      const h0 = states[src], h1 = states[src + 1];
      states[ho] = h0;
      states[ho + 1] = h1;
      logits[ho] = (wo00 * h0 + wo01 * h1) + bo0;
      logits[ho + 1] = (wo10 * h0 + wo11 * h1) + bo1;
    }
  }
  return twoActionLoss(ws);
}

/** Backward of the last `forwardD2` (trained workspace), adding to `grad`. */
export function backwardD2(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  const { batch, states, caches, probs, firstScored } = ws;
  const { T, B, target, mask } = batch;
  const [wih, whh, bih, bhh] = gruOffsets(ws);
  const [wo, bo] = ws.net.readoutOffsets;
  const wo00 = w[wo], wo01 = w[wo + 1], wo10 = w[wo + 2], wo11 = w[wo + 3];
  const wr00 = w[whh], wr01 = w[whh + 1], wr10 = w[whh + 2], wr11 = w[whh + 3];
  const wz00 = w[whh + 4], wz01 = w[whh + 5], wz10 = w[whh + 6], wz11 = w[whh + 7];
  const wn00 = w[whh + 8], wn01 = w[whh + 9], wn10 = w[whh + 10], wn11 = w[whh + 11];
  const ids = ws.inputs!.ids;
  const dProj = ws.projectionGrads;
  dProj.fill(0);
  const inv = 1 / ws.scored;
  // Gradient accumulators named like the weights they belong to.
  let gr00 = 0, gr01 = 0, gr10 = 0, gr11 = 0, gz00 = 0, gz01 = 0, gz10 = 0, gz11 = 0;
  let gn00 = 0, gn01 = 0, gn10 = 0, gn11 = 0;
  let gbr0 = 0, gbr1 = 0, gbz0 = 0, gbz1 = 0, gbn0 = 0, gbn1 = 0;
  let go00 = 0, go01 = 0, go10 = 0, go11 = 0, gc0 = 0, gc1 = 0;
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
        const po = 6 * ids[cell];
        dProj[po] += daR0;
        dProj[po + 1] += daR1;
        dProj[po + 2] += daZ0;
        dProj[po + 3] += daZ1;
        dProj[po + 4] += daN0;
        dProj[po + 5] += daN1;
      }
      const scale = mask[cell] * inv;
      if (scored && scale !== 0) {
        const p0 = probs[2 * cell] * scale, p1 = probs[2 * cell + 1] * scale;
        const first = target[cell] === 0;
        const g0 = first ? -scale + p0 : p0;
        const g1 = first ? p1 : -scale + p1;
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
  const recurrent = [gr00, gr01, gr10, gr11, gz00, gz01, gz10, gz11, gn00, gn01, gn10, gn11];
  for (let k = 0; k < 12; k++) grad[whh + k] += recurrent[k];
  const biases = [gbr0, gbr1, gbz0, gbz1, gbn0, gbn1];
  for (let k = 0; k < 6; k++) grad[bhh + k] += biases[k];
  grad[wo] += go00;
  grad[wo + 1] += go01;
  grad[wo + 2] += go10;
  grad[wo + 3] += go11;
  grad[bo] += gc0;
  grad[bo + 1] += gc1;
  inputGradients(ws, grad, wih, bih);
  if (ws.net.h0Offset >= 0) {
    for (let b = 0; b < B; b++) {
      grad[ws.net.h0Offset] += dNext[2 * b];
      grad[ws.net.h0Offset + 1] += dNext[2 * b + 1];
    }
  }
}
