/**
 * The buffers one network needs on one batch (a `Workspace`), made once per (network, batch) so that an epoch
 * allocates nothing, and the table of fast passes that cells can have beside the generic pass.
 *
 * The generic pass (`pass.ts`) runs any cell through its kernel, one trial and block at a time. A cell may
 * also have a fast pass: code written for that one cell that gives the same bits faster (the GRU's, in
 * `gru/`). Fast passes are registered here by cell definition (the object, not its name, so that a cell
 * registered under an existing name does not inherit a pass written for another cell's equations), and
 * `createWorkspace` asks the network's cell for one. This module imports no pass: passes import it, so the
 * dependencies point one way.
 *
 * @module
 */

import type { CellDefinition } from "../rnn/cell.ts";
import type { Network } from "../rnn/network.ts";
import type { BatchTensors, DistinctInputs, PreparedBatch, SharedPrefixes } from "./batch.ts";
import type { SimdKernels } from "./gru/wasm_simd.ts";

/** Loss and accuracy of a forward pass. */
export interface PassResult {
  /** Σ mask·CE / Σ mask over scored trials (NaN when nothing is scored). */
  loss: number;
  /** Σ mask·[argmax logit = action] / Σ mask (ties go to action 0). */
  accuracy: number;
}

/**
 * A pass written for one cell, used in place of the generic pass. It must give the generic pass's states,
 * logits, loss and gradient to the bit (only skipping work whose result is exactly zero or unused), so that
 * which pass trains a model never changes its result. One exception: the GRU's batched pass for large hidden
 * sizes (`gru/batched.ts`) sums the weight gradients over all trials in another order and (with WebAssembly
 * SIMD) evaluates the gates with its own exponential, so it agrees with the generic pass to rounding.
 */
export interface FastPass {
  /**
   * The pass's buffers for a network on a batch, or undefined when the pass does not serve this network
   * (e.g. a readout it was not written for); the generic pass serves it then. `forTraining` says whether
   * backward will run (the buffers only it needs can be left out otherwise).
   */
  buffers(net: Network, batch: BatchTensors, forTraining: boolean): FastBuffers | undefined;
  /** As `forward` in `pass.ts`, for a workspace whose `fast` buffers this pass made. */
  forward(ws: Workspace, w: Float64Array, withAccuracy: boolean): PassResult;
  /** As `backward` in `pass.ts`, after this pass's `forward` on the same weights. */
  backward(ws: Workspace, w: Float64Array, grad: Float64Array): void;
}

/** What a fast pass keeps beside the generic buffers. */
export interface FastBuffers {
  /** The pass that made these buffers (and runs the workspace while `fused` is true). */
  readonly pass: FastPass;
  /** Per-trial weighted cross-entropy of the last forward, `T x B` (summed trial-major). */
  readonly rowLoss: Float64Array;
  /** Per-trial largest logit and log Σ exp(logit − largest) of the last forward, `T x B`. */
  readonly rowMax: Float64Array;
  readonly rowLogSum: Float64Array;
  /**
   * Shared prefixes (leading states a block shares with an earlier one), the batch's few distinct inputs
   * when it has few, and the order blocks are computed in.
   */
  readonly prepared: PreparedBatch;
  /** Leading states each block shares with an earlier block (`prepared.shared`). */
  readonly shared: SharedPrefixes;
  /** The batch's few distinct inputs, when it has few (`prepared.inputs`). */
  readonly inputs?: DistinctInputs;
  /** Per distinct input, the input's contribution to the step, computed once per forward. */
  readonly projections: Float64Array;
  /** Per-step intermediate values of one row of blocks. */
  readonly scratch: Float64Array;
  /** The batched pass's buffers, when it runs this workspace. */
  readonly batched?: BatchedBuffers;
  /** States the pass wants the workspace to use (in memory its kernels can read), `(T + 1) x B x S`. */
  readonly states?: Float64Array;
  /** Caches the pass wants the workspace to use, likewise, `T x B x C`. */
  readonly caches?: Float64Array;
}

/**
 * Extra buffers of the GRU's batched pass (`gru/batched.ts`). With WebAssembly SIMD, the states and every
 * buffer its kernels read live in one WebAssembly memory (`kernels.memory`), and `at` gives their byte
 * addresses there; without it, the JavaScript loops use the same buffers from ordinary arrays.
 */
export interface BatchedBuffers {
  /** The SIMD kernels over the memory holding these buffers, or undefined for the JavaScript loops. */
  readonly kernels?: SimdKernels;
  /** Byte addresses in `kernels.memory` of the states and of the buffers below that the kernels read. */
  readonly at: {
    states: number;
    caches: number;
    deltas: number;
    pre: number;
    transposed: number;
    recurrent: number;
    dState: number;
    dA: number;
    dB: number;
    gradient: number;
    projections: number;
    bias: number;
    ids: number;
    dLogitRows: number;
    readoutGradient: number;
    readout: number;
    readoutLogits: number;
    inputSums: number;
  };
  /** Row lengths of the padded buffers: 3d and d rounded up to multiples of 4, B to a multiple of 4. */
  readonly n3: number;
  readonly d4: number;
  readonly b4: number;
  /** The states, `(T + 1) x B x d` (the workspace's `states`), with slack after them. */
  readonly states: Float64Array;
  /** The caches, `T x B x 4d` (the workspace's `caches`), when training. */
  readonly caches?: Float64Array;
  /** Gate gradients per trial and block, `T x B x 4d`: `[daR, daZ, dhN, daN]` (dhN = daN · r). */
  readonly deltas: Float64Array;
  /** The input projections (a copy of `projections`, padded) and `b_hh` (padded), for the SIMD gates. */
  readonly projections: Float64Array;
  readonly bias: Float64Array;
  /** The batch's input ids (`inputs.ids`), when it has few distinct inputs. */
  readonly ids?: Int32Array;
  /** Recurrent pre-activations `H_t W_hhᵀ` of one trial, `b4 x n3`. */
  readonly pre: Float64Array;
  /** `W_hhᵀ`, `d x n3` (zero-padded). */
  readonly transposed: Float64Array;
  /** `W_hh`, `3d x d4` (zero-padded). */
  readonly recurrent: Float64Array;
  /** `Δ_h W_hh` of one trial, `b4 x d4`. */
  readonly dState: Float64Array;
  /** dL/dstate, two alternating `b4 x d4` buffers (the SIMD backward's `dStateA`, `dStateB`). */
  readonly dA: Float64Array;
  readonly dB: Float64Array;
  /** `Σ Δ_hᵀ H`, `n3 x d4`. */
  readonly gradient: Float64Array;
  /** dL/dlogits per trial and block, `T x B x 4` (the last two columns zero, for the SIMD tiles). */
  readonly dLogitRows: Float64Array;
  /** `Σ dLᵀ H` of the readout, `4 x d4`. */
  readonly readoutGradient: Float64Array;
  /** `W_oᵀ`, `d x 4` (zero-padded), and the readout sums `H W_oᵀ` of every row, `(T + 1) B x 4` (padded). */
  readonly readout: Float64Array;
  readonly readoutLogits: Float64Array;
  /** Per distinct input, the sum of its trials' gate gradients (rows of `deltas`), `count x 4d`. */
  readonly inputSums: Float64Array;
}

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
  /** Per-trial 1 + e^−|logit margin| of the last forward with two actions, `T x B` (`gru/two_actions.ts`). */
  readonly rowSum: Float64Array;
  /** Whether the cell's fast pass (`fast.pass`) runs this workspace; false runs the generic pass. */
  readonly fused: boolean;
  /** The fast pass's buffers, when the network's cell has a fast pass that serves it. */
  readonly fast: FastBuffers | undefined;
}

const fastPasses = new Map<CellDefinition, FastPass>();

/** Give a cell definition a fast pass (replacing any it had); workspaces made afterwards use it. */
export function registerFastPass(cell: CellDefinition, pass: FastPass): void {
  fastPasses.set(cell, pass);
}

/** The fast pass registered for a network's cell definition, if any. */
export function fastPassFor(net: Network): FastPass | undefined {
  return fastPasses.get(net.cell);
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
  const fast = fastPassFor(net)?.buffers(net, batch, forTraining);
  let scored = 0;
  for (let t = firstScored; t < T; t++) for (let b = 0; b < B; b++) scored += batch.mask[t * B + b];
  return {
    net,
    batch,
    states: fast?.states ?? new Float64Array((T + 1) * B * S),
    caches: fast?.caches ?? new Float64Array(Math.max(1, T * B * net.kernel.cacheSize)),
    logits: new Float64Array((T + 1) * B * A),
    probs: new Float64Array((T + 1) * B * A),
    dLogits: new Float64Array(B * A),
    dStateA: new Float64Array(B * S),
    dStateB: new Float64Array(B * S),
    scored,
    firstScored,
    forTraining,
    lastRow,
    rowSum: new Float64Array(A === 2 ? T * B : 0),
    fused: fast !== undefined,
    fast,
  };
}
