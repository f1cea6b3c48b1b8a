/**
 * The protocol every recurrent cell follows.
 *
 * A cell is a definition (parameters, state size, input encoding) that binds, for a hidden size and input size,
 * to a kernel: one step forward and its backward on flat `Float64Array`s with offsets. Kernels never allocate,
 * so the same step serves batched training (many blocks, many trials), a trained network acting as an agent,
 * and portraits that evaluate the one-step map from arbitrary states.
 *
 * Conventions of a kernel call:
 * - `w` holds every parameter of the model; the cell reads its own tensors at the offsets it was bound with.
 * - the state is `stateSize(hidden)` numbers; the first `hidden` of them are what the readout sees (an LSTM
 *   keeps its cell state after them).
 * - the cache is `cacheSize` numbers per step, written by `forward` and read back by `backward` of the same
 *   step (together with the step's input and previous state, which the caller keeps).
 *
 * @module
 */

/** How a trial is turned into the network's input vector. */
export type InputEncoding =
  /** `[a, s, r]`: action, second-stage state and reward as numbers (3 inputs). */
  | "asr"
  /** One-hot trial type (4 inputs for bandits, 8 for two-stage tasks). */
  | "onehot";

/** How a parameter tensor is initialised from a seed. */
export type ParameterInit =
  /** U(-bound, bound), drawn like PyTorch (float32 values). */
  | { kind: "uniform"; bound: number }
  /** N(0, std^2). */
  | { kind: "normal"; std: number }
  /** Every entry equals `value`. */
  | { kind: "constant"; value: number };

/** One parameter tensor of a cell, for a given hidden and input size. */
export interface ParameterSpec {
  /** PyTorch state-dict name, e.g. `"rnn.weight_ih_l0"`. */
  name: string;
  /** Tensor shape (row-major), e.g. `[3 * hidden, inputSize]`. */
  shape: number[];
  /** Whether the L1 penalty covers it (every weight matrix of the recurrent layer, input weights included). */
  penalized: boolean;
  /** Seeded initialisation. */
  init: ParameterInit;
}

/** A cell bound to a hidden size, an input size and the offsets of its parameters in the flat weight vector. */
export interface CellKernel {
  /** Numbers of state per step (`hidden`, or `2 * hidden` for cells with a separate cell state). */
  readonly stateSize: number;
  /** Numbers the forward step stores for its backward. */
  readonly cacheSize: number;
  /**
   * One step: reads input `x[xo..]` and previous state `h[ho..]`, writes the new state to `out[oo..]` and
   * the step's intermediate values to `cache[co..]`. `out` must not overlap the previous state.
   */
  forward(
    w: Float64Array,
    x: Float64Array,
    xo: number,
    h: Float64Array,
    ho: number,
    out: Float64Array,
    oo: number,
    cache: Float64Array,
    co: number,
  ): void;
  /**
   * Backward of one step: given dL/d(new state) in `dOut[doo..]`, adds the parameter gradients to `grad`
   * (same layout as `w`) and writes (overwrites) dL/d(previous state) to `dPrev[dpo..]`.
   */
  backward(
    w: Float64Array,
    grad: Float64Array,
    x: Float64Array,
    xo: number,
    h: Float64Array,
    ho: number,
    cache: Float64Array,
    co: number,
    dOut: Float64Array,
    doo: number,
    dPrev: Float64Array,
    dpo: number,
  ): void;
}

/** A recurrent cell type: its parameters and how to bind a kernel. */
export interface CellDefinition {
  /** Registry name, e.g. `"gru"`. */
  readonly name: string;
  /** The input encoding the cell needs (`"onehot"` for cells that select weights by trial type). */
  readonly encoding: InputEncoding;
  /** State size for a hidden size. */
  stateSize(hidden: number): number;
  /** Parameter tensors of the recurrent layer, in state-dict order. */
  parameters(hidden: number, inputSize: number): ParameterSpec[];
  /**
   * Bind a kernel. `offsets[i]` is where `parameters(hidden, inputSize)[i]` starts in the flat weight vector.
   */
  kernel(hidden: number, inputSize: number, offsets: readonly number[]): CellKernel;
}

/** Number of entries of a tensor shape. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Logistic sigmoid as PyTorch evaluates it (`1 / (1 + exp(-x))`; saturates to 0 or 1 without NaN). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
