/**
 * The batched GRU pass for larger hidden sizes (`BATCHED_MIN_HIDDEN` and up): the fused pass's work arranged
 * as matrix products over all the blocks of the batch, one trial at a time.
 *
 * Forward, per trial t: the recurrent sums of every block `H_t W_hhᵀ` (B x d times d x 3d) by the
 * WebAssembly SIMD kernel (`wasm_simd.ts`), each sum over k in ascending order with separate multiply and add
 * as the cell kernel (`src/rnn/gru.ts`) and the fused pass form it; then the gates, two hidden units at a time
 * in SIMD with that file's exponential (within a few ulp of `fastExp`), so states, logits and loss agree with
 * the fused pass to a few ulp rather than to the bit. (Batches with many distinct inputs take the gates in
 * JavaScript, bit for bit.)
 *
 * The readout of all rows is one product at the end (`H W_oᵀ`, the same bits as the per-row sums).
 *
 * Backward, per trial: the gate gradients of every block (SIMD; stored, `T x B x 4d`), then the state
 * gradient `Δ_h W_hh` (B x 3d times 3d x d, accumulated in place) and the readout's. The weight gradients are
 * left to the end, as products over all trials and blocks at once (`Δᵀ H` and the readout's `dLᵀ H` by the
 * SIMD kernel in tiles of rows; `Δᵀ X` and the biases through per-input sums of the delta rows). Those sums run in another order than the generic pass's, so the gradient
 * agrees with it to rounding (about 1e-15 relative), not to the bit (`tests/engine/gru/batched_test.ts`).
 *
 * Without WebAssembly SIMD (or with `TINYRNN_NO_SIMD` set) the same pass runs register-blocked JavaScript
 * loops (`stepForward`, `addABt`, `addAtB`), about as fast as the fused pass; its forward gives the fused
 * pass's bits.
 *
 * Serves what the fused pass serves (linear readout, two actions, no soft targets), trainable or zero h0,
 * with or without `outputH0`. Every buffer is made with the workspace.
 *
 * @module
 */

import { fastExp, fastTanh } from "../../fast_math.ts";
import type { BatchedBuffers, PassResult, Workspace } from "../workspace.ts";
import { twoActionLoss, twoActionSoftmax } from "./two_actions.ts";
import { gruOffsets, projectDistinctInputs } from "./gru_weights.ts";
import { type SimdKernels, simdKernels } from "./wasm_simd.ts";

/**
 * Smallest hidden size the batched pass runs (smaller ones take the fused or unrolled passes, whose results
 * other tests pin to the bit). Measured on the bench machine (monkey V, 19 training blocks x 60 trials).
 */
export const BATCHED_MIN_HIDDEN = 4;

/** Rows of a tile in the weight-gradient products (a tile of Δ and of H stays in the first-level cache). */
const TILE = 32;

/** Rows of a tile of the SIMD weight-gradient product. */
const SIMD_TILE = 128;

const up4 = (x: number) => Math.ceil(x / 4) * 4;

/** Largest memory the SIMD kernels are given (2 GiB, so that every byte address is a positive i32). */
const SIMD_MAX_BYTES = 2 ** 31;

/**
 * The batched pass's buffers for a network of hidden size d on T x B blocks with `count` distinct inputs:
 * in one WebAssembly memory with the SIMD kernels (unless `simd` is false or WebAssembly SIMD is missing),
 * else in one ordinary buffer. Without `forTraining` only what the forward needs.
 */
export function batchedBuffers(
  d: number,
  T: number,
  B: number,
  count: number,
  forTraining = true,
  simd = true,
  ids?: Int32Array,
): BatchedBuffers {
  const n3 = up4(3 * d), d4 = up4(d), b4 = up4(B);
  // Lengths in doubles, each region starting on 16 bytes; slack after the states, deltas, projections and
  // bias for the tiles' extra rows and columns and an odd d's second lane.
  const lengths = {
    states: (T + 1) * B * d + 4 * d + 8,
    caches: forTraining ? T * B * 4 * d + 8 : 0,
    deltas: forTraining ? T * B * 4 * d + 16 * d : 0,
    pre: b4 * n3,
    transposed: d * n3,
    recurrent: forTraining ? 3 * d * d4 : 0,
    dState: forTraining ? b4 * d4 : 0,
    dA: forTraining ? b4 * d4 : 0,
    dB: forTraining ? b4 * d4 : 0,
    gradient: forTraining ? n3 * d4 : 0,
    projections: count * 3 * d + 4,
    bias: 3 * d + 4,
    ids: Math.ceil((T * B) / 2),
    dLogitRows: forTraining ? T * B * 4 : 0,
    readoutGradient: forTraining ? 4 * d4 : 0,
    readout: d * 4,
    readoutLogits: ((T + 1) * B + 4) * 4,
    inputSums: forTraining ? count * 4 * d : 0,
  };
  const at = {
    states: 0,
    caches: 0,
    deltas: 0,
    pre: 0,
    transposed: 0,
    recurrent: 0,
    dState: 0,
    dA: 0,
    dB: 0,
    gradient: 0,
    projections: 0,
    bias: 0,
    ids: 0,
    dLogitRows: 0,
    readoutGradient: 0,
    readout: 0,
    readoutLogits: 0,
    inputSums: 0,
  };
  let total = 0;
  for (const key of Object.keys(lengths) as (keyof typeof lengths)[]) {
    at[key] = total * 8;
    total += Math.ceil(lengths[key] / 2) * 2;
  }
  // A WebAssembly memory holds at most 4 GiB (and addresses are i32): larger batches take the JavaScript loops.
  let kernels: SimdKernels | undefined;
  if (simd && total * 8 <= SIMD_MAX_BYTES) {
    try {
      kernels = simdKernels(total * 8);
    } catch {
      kernels = undefined;
    }
  }
  const buffer = kernels ? kernels.memory.buffer : new ArrayBuffer(total * 8);
  const view = (key: keyof typeof lengths, length = lengths[key]) =>
    new Float64Array(buffer, at[key], length);
  const idView = new Int32Array(buffer, at.ids, T * B);
  if (ids) idView.set(ids);
  return {
    kernels,
    at,
    n3,
    d4,
    b4,
    states: view("states", (T + 1) * B * d),
    caches: forTraining ? view("caches", T * B * 4 * d) : undefined,
    deltas: view("deltas"),
    pre: view("pre"),
    transposed: view("transposed"),
    recurrent: view("recurrent"),
    dState: view("dState"),
    dA: view("dA"),
    dB: view("dB"),
    gradient: view("gradient"),
    projections: view("projections"),
    bias: view("bias"),
    ids: ids ? idView : undefined,
    dLogitRows: view("dLogitRows"),
    readoutGradient: view("readoutGradient"),
    readout: view("readout"),
    readoutLogits: view("readoutLogits"),
    inputSums: view("inputSums"),
  };
}

/**
 * The batched forward: states, caches (when training), logits and softmax, and the pooled cross-entropy,
 * the same bits as `fusedGruForward` (without copying shared prefixes: every block computes every row).
 */
export function batchedGruForward(ws: Workspace, w: Float64Array): PassResult {
  const { net, batch, states, logits, probs, rowSum } = ws;
  const fast = ws.fast!;
  const { T, B, I } = batch;
  const d = net.spec.hidden;
  const D3 = 3 * d;
  const [wih, whh, bih, bhh] = gruOffsets(ws.net);
  const [wo, bo] = net.readoutOffsets;
  const h0 = net.h0Offset;
  const keepProbs = ws.forTraining;
  const rows = ws.lastRow ? T + 1 : T;
  const table = fast.inputs;
  const proj = fast.projections;
  if (table) projectDistinctInputs(w, wih, bih, table.vectors, table.count, I, d, proj);
  for (let b = 0; b < B; b++) for (let k = 0; k < d; k++) states[b * d + k] = h0 < 0 ? 0 : w[h0 + k];
  const buffers = fast.batched!;
  const kernels = buffers.kernels;
  if (kernels) {
    // W_hhᵀ, zero-padded to n3 columns: transposed[k * n3 + m] = W_hh[m, k].
    const { transposed, n3 } = buffers;
    for (let m = 0; m < D3; m++) for (let k = 0; k < d; k++) transposed[k * n3 + m] = w[whh + m * d + k];
  }
  // The SIMD gates need the input table (and, when training, the caches in their memory).
  const simdGates = kernels !== undefined && table !== undefined && buffers.ids !== undefined &&
    (!keepProbs || buffers.caches === ws.caches);
  if (simdGates) {
    buffers.projections.set(proj.subarray(0, table.count * D3));
    for (let m = 0; m < D3; m++) buffers.bias[m] = w[bhh + m];
  }
  const w0 = wo, w1 = wo + d, b0 = w[bo], b1 = w[bo + 1];
  if (kernels) {
    // Every step first, then the readout of all rows at once (H W_oᵀ by the SIMD kernel, W_oᵀ padded to
    // four columns; each sum over k ascending, then the bias, as the fused pass forms it), then the softmax.
    const { at, n3, b4, readout, readoutLogits } = buffers;
    for (let k = 0; k < d; k++) {
      readout[4 * k] = w[w0 + k];
      readout[4 * k + 1] = w[w1 + k];
    }
    for (let t = 0; t + 1 < rows; t++) {
      kernels.nn(at.states + t * B * d * 8, d * 8, at.transposed, n3 * 8, at.pre, n3 * 8, b4, n3, d);
      if (simdGates) {
        const keep = keepProbs ? 1 : 0;
        const cache = at.caches + t * B * 4 * d * 8;
        const h = at.states + t * B * d * 8;
        kernels.gates(at.pre, n3 * 8, h, cache, at.projections, at.ids + t * B * 4, at.bias, B, d, keep);
      } else gatesFromPre(ws, w, t, d, bhh, wih, bih, keepProbs);
    }
    const cells = rows * B;
    kernels.nn(at.states, d * 8, at.readout, 32, at.readoutLogits, 32, Math.ceil(cells / 4) * 4, 4, d);
    for (let cell = 0; cell < cells; cell++) {
      logits[2 * cell] = readoutLogits[4 * cell] + b0;
      logits[2 * cell + 1] = readoutLogits[4 * cell + 1] + b1;
    }
    for (let cell = 0; cell < Math.min(rows, T) * B; cell++) {
      twoActionSoftmax(logits, rowSum, probs, cell, keepProbs);
    }
    return { loss: twoActionLoss(ws), accuracy: 0 };
  }
  for (let t = 0; t < rows; t++) {
    const rowCell = t * B;
    // Readout of row t: s = Σ_k wo[a, k] h[k] + bo[a], as the fused pass forms it.
    for (let b = 0; b < B; b++) {
      const ho = (rowCell + b) * d;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < d; k++) {
        const hk = states[ho + k];
        s0 += w[w0 + k] * hk;
        s1 += w[w1 + k] * hk;
      }
      logits[2 * (rowCell + b)] = s0 + b0;
      logits[2 * (rowCell + b) + 1] = s1 + b1;
    }
    if (t === T) break;
    for (let b = 0; b < B; b++) twoActionSoftmax(logits, rowSum, probs, rowCell + b, keepProbs);
    if (t + 1 === rows) break;
    stepForward(ws, w, t, d, whh, bhh, wih, bih, keepProbs);
  }
  return { loss: twoActionLoss(ws), accuracy: 0 };
}

/**
 * One trial of every block from the recurrent sums of the SIMD kernel (`pre`, `b4 x n3`): state row t + 1
 * and the caches of row t, each value formed as `stepForward` forms it.
 */
function gatesFromPre(
  ws: Workspace,
  w: Float64Array,
  t: number,
  d: number,
  bhh: number,
  wih: number,
  bih: number,
  keepCaches: boolean,
): void {
  const { states, caches, batch } = ws;
  const { B, I, input } = batch;
  const fast = ws.fast!;
  const { pre, n3 } = fast.batched!;
  const table = fast.inputs;
  const ids = table ? table.ids : undefined;
  const proj = fast.projections;
  const D3 = 3 * d, C = 4 * d;
  const rowCell = t * B;
  for (let b = 0; b < B; b++) {
    const cell = rowCell + b;
    const ho = cell * d, oo = ho + B * d, co = cell * C, go = b * n3;
    const po = ids ? ids[cell] * D3 : 0;
    for (let j = 0; j < d; j++) {
      const hr = pre[go + j] + w[bhh + j];
      const hz = pre[go + d + j] + w[bhh + d + j];
      const hn = pre[go + 2 * d + j] + w[bhh + 2 * d + j];
      let ir = 0, iz = 0, inn = 0;
      if (ids) {
        ir = proj[po + j];
        iz = proj[po + d + j];
        inn = proj[po + 2 * d + j];
      } else {
        const xo = cell * I;
        for (let k = 0; k < I; k++) {
          const xk = input[xo + k];
          ir += w[wih + j * I + k] * xk;
          iz += w[wih + (d + j) * I + k] * xk;
          inn += w[wih + (2 * d + j) * I + k] * xk;
        }
        ir += w[bih + j];
        iz += w[bih + d + j];
        inn += w[bih + 2 * d + j];
      }
      const r = 1 / (1 + fastExp(-(hr + ir)));
      const z = 1 / (1 + fastExp(-(hz + iz)));
      const n = fastTanh(inn + hn * r);
      states[oo + j] = (states[ho + j] - n) * z + n;
      if (keepCaches) {
        caches[co + j] = r;
        caches[co + d + j] = z;
        caches[co + 2 * d + j] = n;
        caches[co + 3 * d + j] = hn;
      }
    }
  }
}

/**
 * One trial of every block: state row t + 1 and the caches of row t from state row t. Two blocks at a time
 * (their sums share the weight loads), then the odd block alone.
 */
function stepForward(
  ws: Workspace,
  w: Float64Array,
  t: number,
  d: number,
  whh: number,
  bhh: number,
  wih: number,
  bih: number,
  keepCaches: boolean,
): void {
  const { states, caches, batch } = ws;
  const { B, I, input } = batch;
  const table = ws.fast!.inputs;
  const ids = table ? table.ids : undefined;
  const proj = ws.fast!.projections;
  const D3 = 3 * d, C = 4 * d;
  const dd = d * d;
  const rowCell = t * B;
  let b = 0;
  for (; b + 1 < B; b += 2) {
    const cellA = rowCell + b, cellB = cellA + 1;
    const hoA = cellA * d, hoB = hoA + d;
    const ooA = hoA + B * d, ooB = ooA + d;
    const coA = cellA * C, coB = coA + C;
    const poA = ids ? ids[cellA] * D3 : 0, poB = ids ? ids[cellB] * D3 : 0;
    for (let j = 0; j < d; j++) {
      const wr = whh + j * d, wz = wr + dd, wn = wz + dd;
      let rA = 0, zA = 0, nA = 0, rB = 0, zB = 0, nB = 0;
      for (let k = 0; k < d; k++) {
        const a = w[wr + k], c = w[wz + k], e = w[wn + k];
        const xA = states[hoA + k], xB = states[hoB + k];
        rA += a * xA;
        zA += c * xA;
        nA += e * xA;
        rB += a * xB;
        zB += c * xB;
        nB += e * xB;
      }
      const br = w[bhh + j], bz = w[bhh + d + j], bn = w[bhh + 2 * d + j];
      rA += br;
      zA += bz;
      nA += bn;
      rB += br;
      zB += bz;
      nB += bn;
      let irA = 0, izA = 0, inA = 0, irB = 0, izB = 0, inB = 0;
      if (ids) {
        irA = proj[poA + j];
        izA = proj[poA + d + j];
        inA = proj[poA + 2 * d + j];
        irB = proj[poB + j];
        izB = proj[poB + d + j];
        inB = proj[poB + 2 * d + j];
      } else {
        const xoA = cellA * I, xoB = cellB * I;
        for (let k = 0; k < I; k++) {
          const a = w[wih + j * I + k], c = w[wih + (d + j) * I + k], e = w[wih + (2 * d + j) * I + k];
          const xA = input[xoA + k], xB = input[xoB + k];
          irA += a * xA;
          izA += c * xA;
          inA += e * xA;
          irB += a * xB;
          izB += c * xB;
          inB += e * xB;
        }
        const cr = w[bih + j], cz = w[bih + d + j], cn = w[bih + 2 * d + j];
        irA += cr;
        izA += cz;
        inA += cn;
        irB += cr;
        izB += cz;
        inB += cn;
      }
      const gA = 1 / (1 + fastExp(-(rA + irA)));
      const uA = 1 / (1 + fastExp(-(zA + izA)));
      const mA = fastTanh(inA + nA * gA);
      states[ooA + j] = (states[hoA + j] - mA) * uA + mA;
      const gB = 1 / (1 + fastExp(-(rB + irB)));
      const uB = 1 / (1 + fastExp(-(zB + izB)));
      const mB = fastTanh(inB + nB * gB);
      states[ooB + j] = (states[hoB + j] - mB) * uB + mB;
      if (keepCaches) {
        caches[coA + j] = gA;
        caches[coA + d + j] = uA;
        caches[coA + 2 * d + j] = mA;
        caches[coA + 3 * d + j] = nA;
        caches[coB + j] = gB;
        caches[coB + d + j] = uB;
        caches[coB + 2 * d + j] = mB;
        caches[coB + 3 * d + j] = nB;
      }
    }
  }
  for (; b < B; b++) {
    const cell = rowCell + b;
    const ho = cell * d, oo = ho + B * d, co = cell * C;
    const po = ids ? ids[cell] * D3 : 0;
    for (let j = 0; j < d; j++) {
      const wr = whh + j * d, wz = wr + dd, wn = wz + dd;
      let hr = 0, hz = 0, hn = 0;
      for (let k = 0; k < d; k++) {
        const hk = states[ho + k];
        hr += w[wr + k] * hk;
        hz += w[wz + k] * hk;
        hn += w[wn + k] * hk;
      }
      hr += w[bhh + j];
      hz += w[bhh + d + j];
      hn += w[bhh + 2 * d + j];
      let ir = 0, iz = 0, inn = 0;
      if (ids) {
        ir = proj[po + j];
        iz = proj[po + d + j];
        inn = proj[po + 2 * d + j];
      } else {
        const xo = cell * I;
        for (let k = 0; k < I; k++) {
          const xk = input[xo + k];
          ir += w[wih + j * I + k] * xk;
          iz += w[wih + (d + j) * I + k] * xk;
          inn += w[wih + (2 * d + j) * I + k] * xk;
        }
        ir += w[bih + j];
        iz += w[bih + d + j];
        inn += w[bih + 2 * d + j];
      }
      const r = 1 / (1 + fastExp(-(hr + ir)));
      const z = 1 / (1 + fastExp(-(hz + iz)));
      const n = fastTanh(inn + hn * r);
      states[oo + j] = (states[ho + j] - n) * z + n;
      if (keepCaches) {
        caches[co + j] = r;
        caches[co + d + j] = z;
        caches[co + 2 * d + j] = n;
        caches[co + 3 * d + j] = hn;
      }
    }
  }
}

/**
 * Backpropagation through time of the last `batchedGruForward` on the same weights, adding to `grad`:
 * per trial (last first) the gate gradients and the state gradient of every block, then the weight
 * gradients as products over all trials at once.
 */
export function batchedGruBackward(ws: Workspace, w: Float64Array, grad: Float64Array): void {
  const { net, batch, states, caches, probs } = ws;
  const { T, B, I, input, target, mask } = batch;
  const buffers = ws.fast!.batched!;
  const { deltas, dLogitRows, transposed, inputSums, kernels } = buffers;
  const d = net.spec.hidden;
  const D3 = 3 * d, C = 4 * d;
  const [wih, whh, bih, bhh] = gruOffsets(ws.net);
  const [wo, bo] = net.readoutOffsets;
  const inv = 1 / ws.scored;
  const firstScored = ws.firstScored;
  if (kernels) {
    // W_hh zero-padded to d4 columns (the forward left W_hhᵀ in `transposed`).
    const { recurrent, d4 } = buffers;
    for (let m = 0; m < D3; m++) for (let k = 0; k < d; k++) recurrent[m * d4 + k] = w[whh + m * d + k];
  } else {
    // W_hhᵀ: transposed[k * 3d + m] = W_hh[m, k].
    for (let m = 0; m < D3; m++) for (let k = 0; k < d; k++) transposed[k * D3 + m] = w[whh + m * d + k];
  }
  // With the SIMD kernels the state gradients live in their memory, rows padded to d4 (and b4 rows).
  const simdGrads = kernels !== undefined && buffers.caches === caches;
  const ds = simdGrads ? buffers.d4 : d;
  const width = simdGrads ? buffers.b4 * buffers.d4 : B * d;
  let dNext = simdGrads ? buffers.dA : ws.dStateA;
  let dPrev = simdGrads ? buffers.dB : ws.dStateB;
  let atNext = buffers.at.dA, atPrev = buffers.at.dB;
  let gb0 = 0, gb1 = 0;
  for (let t = T - 1; t >= 0; t--) {
    const rowCell = t * B;
    dPrev.fill(0, 0, width);
    // Row T predicts nothing, so the last step's state gradient is zero and its backward adds nothing.
    if (t < T - 1 && simdGrads) {
      const { at, d4, b4 } = buffers;
      const co = rowCell * C * 8;
      kernels.grads(
        at.caches + co,
        atNext,
        at.states + rowCell * d * 8,
        at.deltas + co,
        atPrev,
        B,
        d,
        d4 * 8,
      );
      // dPrev += Δ_h W_hh (B x 3d times 3d x d).
      kernels.nnAdd(at.deltas + co, C * 8, at.recurrent, d4 * 8, atPrev, d4 * 8, b4, d4, D3);
    } else if (t < T - 1) {
      for (let b = 0; b < B; b++) {
        const cell = rowCell + b;
        const co = cell * C, dpo = b * d, ho = cell * d;
        for (let j = 0; j < d; j++) {
          const r = caches[co + j], z = caches[co + d + j], n = caches[co + 2 * d + j];
          const hn = caches[co + 3 * d + j];
          const g = dNext[dpo + j];
          dPrev[dpo + j] = g * z;
          const dn = g * (1 - z);
          const dz = g * (states[ho + j] - n);
          const daN = dn * (1 - n * n);
          const dr = daN * hn;
          deltas[co + j] = dr * r * (1 - r);
          deltas[co + d + j] = dz * z * (1 - z);
          deltas[co + 2 * d + j] = daN * r;
          deltas[co + 3 * d + j] = daN;
        }
      }
      // dPrev += Δ_h W_hh (B x 3d times 3d x d).
      if (kernels) {
        const { at, d4, b4, dState } = buffers;
        kernels.nn(at.deltas + rowCell * C * 8, C * 8, at.recurrent, d4 * 8, at.dState, d4 * 8, b4, d4, D3);
        for (let b = 0; b < B; b++) for (let k = 0; k < d; k++) dPrev[b * d + k] += dState[b * d4 + k];
      } else addABt(deltas, rowCell * C, C, transposed, 0, D3, B, d, D3, dPrev, 0, d);
    }
    if (t >= firstScored) {
      for (let b = 0; b < B; b++) {
        const cell = rowCell + b;
        const scale = mask[cell] * inv;
        if (scale === 0) {
          dLogitRows[4 * cell] = 0;
          dLogitRows[4 * cell + 1] = 0;
          continue;
        }
        // dL/dlogit = mask·(softmax − onehot(target)) / Σmask, formed as PyTorch forms it.
        const tgt = target[cell];
        const p0 = probs[2 * cell] * scale, p1 = probs[2 * cell + 1] * scale;
        const g0 = tgt === 0 ? -scale + p0 : p0;
        const g1 = tgt === 1 ? -scale + p1 : p1;
        dLogitRows[4 * cell] = g0;
        dLogitRows[4 * cell + 1] = g1;
        gb0 += g0;
        gb1 += g1;
        const dpo = b * ds;
        for (let k = 0; k < d; k++) dPrev[dpo + k] += w[wo + k] * g0 + w[wo + d + k] * g1;
      }
    }
    const swap = dNext;
    dNext = dPrev;
    dPrev = swap;
    const swapAt = atNext;
    atNext = atPrev;
    atPrev = swapAt;
  }
  if (net.h0Offset >= 0) {
    for (let b = 0; b < B; b++) for (let k = 0; k < d; k++) grad[net.h0Offset + k] += dNext[b * ds + k];
  }
  grad[bo] += gb0;
  grad[bo + 1] += gb1;
  // The readout's weights: Σ over scored rows of dL/dlogit ⊗ h.
  if (kernels) {
    // dLᵀ H over the scored rows (dL padded to four columns, the last two zero), by the SIMD kernel.
    const { at, d4, readoutGradient } = buffers;
    readoutGradient.fill(0);
    const first = firstScored * B, scoredRows = T * B - first;
    for (let r0 = 0; r0 < scoredRows; r0 += SIMD_TILE) {
      const rows = Math.min(SIMD_TILE, scoredRows - r0);
      const cell = first + r0;
      kernels.tn(
        at.dLogitRows + cell * 32,
        32,
        at.states + cell * d * 8,
        d * 8,
        at.readoutGradient,
        d4 * 8,
        4,
        d4,
        rows,
      );
    }
    for (let k = 0; k < d; k++) {
      grad[wo + k] += readoutGradient[k];
      grad[wo + d + k] += readoutGradient[d4 + k];
    }
  } else {
    // Rows of h along k, both logits at once; rows with zero weight add nothing.
    for (let cell = firstScored * B; cell < T * B; cell++) {
      const g0 = dLogitRows[4 * cell], g1 = dLogitRows[4 * cell + 1];
      if (g0 === 0 && g1 === 0) continue;
      const ho = cell * d;
      for (let k = 0; k < d; k++) {
        const hk = states[ho + k];
        grad[wo + k] += g0 * hk;
        grad[wo + d + k] += g1 * hk;
      }
    }
  }
  // Steps 0..T-2 (the last step's gradient is zero): W_hh gets Δ_h ⊗ h, b_hh Σ Δ_h.
  const steps = (T - 1) * B;
  if (steps <= 0) return;
  if (kernels) {
    const { at, n3, d4, gradient } = buffers;
    gradient.fill(0);
    for (let r0 = 0; r0 < steps; r0 += SIMD_TILE) {
      const rows = Math.min(SIMD_TILE, steps - r0);
      kernels.tn(
        at.deltas + r0 * C * 8,
        C * 8,
        at.states + r0 * d * 8,
        d * 8,
        at.gradient,
        d4 * 8,
        n3,
        d4,
        rows,
      );
    }
    for (let m = 0; m < D3; m++) for (let k = 0; k < d; k++) grad[whh + m * d + k] += gradient[m * d4 + k];
  } else addAtB(deltas, 0, C, D3, states, 0, d, d, steps, grad, whh, d);
  // Input side: Δ_i = [daR, daZ, daN] (columns 0..2d and 3d..4d of the deltas).
  const table = ws.fast!.inputs;
  if (table) {
    // Sum each delta row per distinct input (4d sums per input), then the biases from those sums (b_hh's
    // r and z parts are b_ih's; its n part sums dhN) and W_ih from one small product with the distinct vectors.
    const { ids, vectors, count } = table;
    inputSums.fill(0);
    if (kernels && buffers.ids !== undefined) {
      kernels.rowSums(buffers.at.ids, buffers.at.deltas, C * 8, buffers.at.inputSums, steps);
    } else {
      for (let cell = 0; cell < steps; cell++) {
        const so = ids[cell] * C, co = cell * C;
        for (let m = 0; m < C; m++) inputSums[so + m] += deltas[co + m];
      }
    }
    for (let m = 0; m < D3; m++) {
      // Row m of W_ih (and b_ih) takes column m of the deltas for the r and z gates, daN (3d + j) for n.
      const col = m < 2 * d ? m : m + d;
      let bias = 0, recurrent = 0;
      for (let u = 0; u < count; u++) {
        bias += inputSums[u * C + col];
        recurrent += inputSums[u * C + m];
      }
      grad[bih + m] += bias;
      grad[bhh + m] += recurrent;
      for (let k = 0; k < I; k++) {
        let s = 0;
        for (let u = 0; u < count; u++) s += inputSums[u * C + col] * vectors[u * I + k];
        grad[wih + m * I + k] += s;
      }
    }
  } else {
    columnSums(deltas, 0, C, D3, steps, grad, bhh);
    addAtB(deltas, 0, C, 2 * d, input, 0, I, I, steps, grad, wih, I);
    addAtB(deltas, 3 * d, C, d, input, 0, I, I, steps, grad, wih + 2 * d * I, I);
    columnSums(deltas, 0, C, 2 * d, steps, grad, bih);
    columnSums(deltas, 3 * d, C, d, steps, grad, bih + 2 * d);
  }
}

/**
 * `c[cOff + i * ldc + j] += Σ_k a[aOff + i * lda + k] · bt[btOff + j * ldbt + k]` for i < m, j < n, k < K
 * (C += A Bᵀ with both factors read along their rows), two rows of A and two of Bᵀ at a time.
 */
export function addABt(
  a: Float64Array,
  aOff: number,
  lda: number,
  bt: Float64Array,
  btOff: number,
  ldbt: number,
  m: number,
  n: number,
  K: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = aOff + i * lda, a1 = a0 + lda;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = btOff + j * ldbt, b1 = b0 + ldbt;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k], x1 = a[a1 + k], y0 = bt[b0 + k], y1 = bt[b1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      const c0 = cOff + i * ldc + j, c1 = c0 + ldc;
      c[c0] += s00;
      c[c0 + 1] += s01;
      c[c1] += s10;
      c[c1 + 1] += s11;
    }
    if (j < n) {
      const b0 = btOff + j * ldbt;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < K; k++) {
        const y = bt[b0 + k];
        s0 += a[a0 + k] * y;
        s1 += a[a1 + k] * y;
      }
      c[cOff + i * ldc + j] += s0;
      c[cOff + (i + 1) * ldc + j] += s1;
    }
  }
  if (i < m) {
    const a0 = aOff + i * lda;
    for (let j = 0; j < n; j++) {
      const b0 = btOff + j * ldbt;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[a0 + k] * bt[b0 + k];
      c[cOff + i * ldc + j] += s;
    }
  }
}

/**
 * `g[gOff + i * ldg + j] += Σ_r a[aOff + r * lda + i] · b[bOff + r * ldb + j]` for i < m, j < n over
 * `rows` rows r (G += Aᵀ B: a weight gradient summed over trials and blocks), in tiles of `TILE` rows, four
 * entries of A's row and two of B's at a time.
 */
export function addAtB(
  a: Float64Array,
  aOff: number,
  lda: number,
  m: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  n: number,
  rows: number,
  g: Float64Array,
  gOff: number,
  ldg: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    let i = 0;
    for (; i + 3 < m; i += 4) {
      let j = 0;
      for (; j + 1 < n; j += 2) {
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        let ao = aOff + r0 * lda + i, bo = bOff + r0 * ldb + j;
        for (let r = r0; r < r1; r++, ao += lda, bo += ldb) {
          const y0 = b[bo], y1 = b[bo + 1];
          const x0 = a[ao], x1 = a[ao + 1], x2 = a[ao + 2], x3 = a[ao + 3];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s20 += x2 * y0;
          s21 += x2 * y1;
          s30 += x3 * y0;
          s31 += x3 * y1;
        }
        const go = gOff + i * ldg + j;
        g[go] += s00;
        g[go + 1] += s01;
        g[go + ldg] += s10;
        g[go + ldg + 1] += s11;
        g[go + 2 * ldg] += s20;
        g[go + 2 * ldg + 1] += s21;
        g[go + 3 * ldg] += s30;
        g[go + 3 * ldg + 1] += s31;
      }
      for (; j < n; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let ao = aOff + r0 * lda + i, bo = bOff + r0 * ldb + j;
        for (let r = r0; r < r1; r++, ao += lda, bo += ldb) {
          const y = b[bo];
          s0 += a[ao] * y;
          s1 += a[ao + 1] * y;
          s2 += a[ao + 2] * y;
          s3 += a[ao + 3] * y;
        }
        const go = gOff + i * ldg + j;
        g[go] += s0;
        g[go + ldg] += s1;
        g[go + 2 * ldg] += s2;
        g[go + 3 * ldg] += s3;
      }
    }
    for (; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let r = r0; r < r1; r++) s += a[aOff + r * lda + i] * b[bOff + r * ldb + j];
        g[gOff + i * ldg + j] += s;
      }
    }
  }
}

/** `g[gOff + i] += Σ_r a[aOff + r * lda + i]` for i < m over `rows` rows. */
function columnSums(
  a: Float64Array,
  aOff: number,
  lda: number,
  m: number,
  rows: number,
  g: Float64Array,
  gOff: number,
): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += a[aOff + r * lda + i];
    g[gOff + i] += s;
  }
}
