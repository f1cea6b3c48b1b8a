/**
 * The protocol of a recurrent cell written with tfjs ops, for the tfjs engine.
 *
 * The engine trains many models of one cell and hidden size at once, stacked along a leading model axis M:
 * every parameter tensor arrives with shape `[M, ...shape]` (the shape of its `ParameterSpec`), the state is
 * `[M, B, S]` (B blocks, S = `stateSize(hidden)`), and a step returns the next state of the same shape. Only
 * the forward step is written: tfjs' autodiff gives the gradients.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { InputEncoding, ParameterSpec } from "../../rnn/cell.ts";

/** A tfjs tensor (`tf.Tensor` of `@tensorflow/tfjs`), named here so that cell code need not import tfjs' types. */
export type Tensor = tf.Tensor;

/** A rank-3 tfjs tensor (`tf.Tensor3D`): `[models, blocks, features]` throughout the engine. */
export type Tensor3D = tf.Tensor3D;

/** Parameter tensors of M stacked models by PyTorch name, each `[M, ...shape]`. */
export type TfjsParams = Record<string, Tensor>;

/** One recurrent step of M stacked models: state `[M, B, S]` before trial t to the state after it. */
export type TfjsStep = (t: number, h: Tensor3D) => Tensor3D;

/**
 * The inputs of a pass, already split by trial (they are built once per training run: slicing inside the loop
 * is slow on tfjs' wasm backend).
 */
export interface PassInputs {
  /** Blocks in the batch. */
  blocks: number;
  /** Per trial, `[1, B, I]`, shared by every model. */
  x: readonly Tensor3D[];
  /** Per trial, `[1, B, I + 1]` with a last column of ones, for `affine`. */
  withOne: readonly Tensor3D[];
}

/** A recurrent cell written with tfjs ops (forward only). */
export interface TfjsCell {
  /** Registry name (also the name of the matching native cell, when there is one). */
  readonly name: string;
  /** How trials become inputs (`"asr"`: `[a, s, r]`; `"onehot"`: trial type). */
  readonly encoding: InputEncoding;
  /** Numbers of state per block; the readout sees the first `hidden`. */
  stateSize(hidden: number): number;
  /** The parameter tensors, in state-dict order (names, shapes, L1 coverage, initialisation). */
  parameters(hidden: number, inputSize: number): ParameterSpec[];
  /**
   * One step: the trial's input `x` `[1, B, I]` (shared by every model, so broadcast it) and the state
   * `[M, B, S]` to the next state `[M, B, S]`.
   */
  step(p: TfjsParams, x: Tensor3D, h: Tensor3D, hidden: number): Tensor3D;
  /**
   * Optional fast path: once per pass, do the work that does not depend on the trial (gate splits, biases
   * joined to weights, tiled biases) and return the step. Built-in cells use it to keep broadcasting and
   * slicing out of the time loop, where tfjs' cpu and wasm backends are slow at them.
   */
  prepare?(p: TfjsParams, inputs: PassInputs, hidden: number): TfjsStep;
}

/** The step of a cell for one pass (its `prepare`, or its `step` on each trial's input). */
export function prepareStep(cell: TfjsCell, p: TfjsParams, inputs: PassInputs, hidden: number): TfjsStep {
  if (cell.prepare) return cell.prepare(p, inputs, hidden);
  return (t, h) => cell.step(p, inputs.x[t], h, hidden);
}

/** Split one pass's inputs `[T, B, I]` by trial (see `PassInputs`). */
export function passInputs(x: Tensor3D): PassInputs {
  const [T, B] = x.shape;
  const withOne = tf.concat([x, tf.ones([T, B, 1])], 2);
  return {
    blocks: B,
    x: tf.unstack(tf.expandDims(x, 1)) as Tensor3D[],
    withOne: tf.unstack(tf.expandDims(withOne, 1)) as Tensor3D[],
  };
}

/**
 * `x W^T (+ b)` for every stacked model: `x` is `[M or 1, B, K]`, `W` is `[M, N, K]` (a PyTorch weight
 * matrix per model), `b` is `[M, N]`; the result is `[M, B, N]`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { linear } from "@tinyrnn/tinyrnn/tfjs";
 *
 * // 2 stacked models, 3 blocks, 2 inputs, 4 outputs.
 * const x = tf.ones([2, 3, 2]);
 * const drive = linear(x, tf.ones([2, 4, 2]), tf.zeros([2, 4]));
 * console.log(drive.shape); // [2, 3, 4]: every stacked model's input drive, with its bias
 * ```
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor3D {
  const y = tf.matMul(x as Tensor3D, w as Tensor3D, false, true);
  return (b ? tf.add(y, tf.expandDims(b, 1)) : y) as Tensor3D;
}

/**
 * A weight `[M, N, K]` with its bias `[M, N]` as a last column, `[M, N, K + 1]` (for `affine`).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { withBias } from "@tinyrnn/tinyrnn/tfjs";
 *
 * // 2 stacked models, 3 blocks, 2 inputs, 4 outputs.
 * // Once per pass, in a cell's prepare: join weight and bias for the time loop.
 * const wb = withBias(tf.ones([2, 4, 2]), tf.zeros([2, 4]));
 * console.log(wb.shape); // [2, 4, 3]
 * ```
 */
export function withBias(w: Tensor, b: Tensor): Tensor3D {
  return tf.concat([w as Tensor3D, tf.expandDims(b, 2) as Tensor3D], 2);
}

/**
 * `W x + b` as one product: `xWithOne` `[1, B, K + 1]` (from `PassInputs.withOne`), `wb` from `withBias`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { affine, withBias } from "@tinyrnn/tinyrnn/tfjs";
 *
 * // 2 stacked models, 3 blocks, 2 inputs, 4 outputs.
 * const wb = withBias(tf.ones([2, 4, 2]), tf.zeros([2, 4]));
 * const xWithOne = tf.ones([1, 3, 3]) as tf.Tensor3D; // one trial's inputs with a column of ones
 * const drive = affine(xWithOne, wb);
 * console.log(drive.shape); // [2, 3, 4]
 * ```
 */
export function affine(xWithOne: Tensor3D, wb: Tensor3D): Tensor3D {
  return tf.matMul(xWithOne, wb, false, true);
}

/**
 * `x W^T` for a state `x` `[M, B, K]` and a weight `[M, N, K]` (no broadcasting).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { times } from "@tinyrnn/tinyrnn/tfjs";
 *
 * // 2 stacked models, 3 blocks, state size 4.
 * // The recurrent drive of every stacked model from its own state.
 * const h = tf.zeros([2, 3, 4]) as tf.Tensor3D;
 * const recurrent = times(h, tf.ones([2, 12, 4]));
 * console.log(recurrent.shape); // [2, 3, 12]
 * ```
 */
export function times(x: Tensor3D, w: Tensor): Tensor3D {
  return tf.matMul(x, w as Tensor3D, false, true);
}

/** A bias `[M, N]` repeated over B blocks, `[M, B, N]`, so adding it in the loop needs no broadcast. */
export function tiled(b: Tensor, blocks: number): Tensor3D {
  const [M, N] = b.shape;
  return tf.tile(tf.reshape(b, [M, 1, N]), [1, blocks, 1]);
}

/** Split axis `axis` into `n` equal parts (PyTorch's stacked gates). */
export function gates(t: Tensor, n: number, axis = t.rank - 1): Tensor[] {
  return tf.split(t, n, axis);
}

const registry = new Map<string, TfjsCell>();

/** Add (or replace) a tfjs cell under its name. */
export function registerTfjsCell(cell: TfjsCell): void {
  registry.set(cell.name, cell);
}

/** The tfjs cell registered as `name`, if any. */
export function findTfjsCell(name: string): TfjsCell | undefined {
  return registry.get(name);
}

/** Names of every registered tfjs cell. */
export function tfjsCellNames(): string[] {
  return [...registry.keys()];
}
