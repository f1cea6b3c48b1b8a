/**
 * The forward pass of M stacked models over the same blocks, and the per-trial cross-entropy. Trials are laid
 * out step-major, `t * B + b`, as in the native `BatchTensors`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { ReadoutKind } from "../../rnn/network.ts";
import { type PassInputs, passInputs, prepareStep, type TfjsCell, type TfjsParams } from "./cell.ts";

/** What every stacked model shares: its cell and architecture. */
export interface StackedArchitecture {
  cell: TfjsCell;
  hidden: number;
  stateSize: number;
  nActions: number;
  readout: ReadoutKind;
  /** Whether `h0` is a parameter (`[M, 1, 1, S]`); otherwise the state starts at zero. */
  trainableH0: boolean;
}

/** Blocks as tfjs tensors, built once per training run. */
export interface StackedData {
  /** Trials per block (the longest block). */
  T: number;
  /** Blocks. */
  B: number;
  /** Inputs of trials 0..T-2 (the last trial's input only moves the state past the last choice). */
  inputs: PassInputs;
  /** One-hot targets `[1, T * B, A]` (all zero on padding). */
  targetOneHot: tf.Tensor3D;
  /** Targets `[1, T * B]`. */
  target: tf.Tensor2D;
  /**
   * Soft targets `[1, T * B, A]` (distillation; zero on padding): what training fits. Early stopping and the
   * reported validation and test losses stay the cross-entropy to the choices (`targetOneHot`).
   */
  softTargets?: tf.Tensor3D;
}

/** Build the tensors of `T` x `B` blocks: inputs `[T * B * I]`, targets and the data mask `[T * B]`. */
export function stackedData(
  T: number,
  B: number,
  I: number,
  nActions: number,
  input: ArrayLike<number>,
  target: Int32Array,
  mask: ArrayLike<number>,
  soft?: ArrayLike<number>,
): StackedData {
  let data: StackedData | undefined;
  tf.tidy(() => {
    const x = tf.tensor3d(Float32Array.from(input), [T, B, I]);
    const inputs = passInputs(tf.slice(x, [0, 0, 0], [Math.max(T - 1, 0), B, I]));
    const valid = Float32Array.from(mask, (m) => (m > 0 ? 1 : 0));
    const targetOneHot = tf.reshape(
      tf.mul(tf.oneHot(tf.tensor1d(target, "int32"), nActions), tf.expandDims(tf.tensor1d(valid), 1)),
      [1, T * B, nActions],
    ) as tf.Tensor3D;
    data = { T, B, inputs, targetOneHot, target: tf.tensor2d(target, [1, T * B], "int32") };
    if (soft) {
      data.softTargets = tf.keep(
        tf.mul(
          tf.tensor3d(Float32Array.from(soft), [1, T * B, nActions]),
          tf.reshape(tf.tensor1d(valid), [1, T * B, 1]),
        ),
      ) as tf.Tensor3D;
    }
    tf.keep(data.targetOneHot);
    tf.keep(data.target);
    inputs.x.forEach((t) => tf.keep(t));
    inputs.withOne.forEach((t) => tf.keep(t));
  });
  return data!;
}

/** Free the tensors of `stackedData`. */
export function disposeStackedData(data: StackedData): void {
  tf.dispose([...data.inputs.x, ...data.inputs.withOne, data.targetOneHot, data.target]);
  if (data.softTargets) data.softTargets.dispose();
}

/**
 * Logits `[M, T * B, A]`: row t comes from the state before trial t, so it predicts trial t (the state after the
 * last trial predicts nothing and is never computed).
 */
export function stackedLogits(arch: StackedArchitecture, p: TfjsParams, data: StackedData): tf.Tensor3D {
  const { cell, hidden: d, stateSize: S, nActions: A } = arch;
  const { T, B } = data;
  const M = p[Object.keys(p)[0]].shape[0];
  let h: tf.Tensor3D = arch.trainableH0
    ? tf.tile(tf.reshape(p["h0"], [M, 1, S]), [1, B, 1])
    : tf.zeros([M, B, S]);
  const states: tf.Tensor3D[] = [h];
  const step = prepareStep(cell, p, data.inputs, d);
  for (let t = 0; t < T - 1; t++) {
    h = step(t, h);
    states.push(h);
  }
  // Concatenating along the block axis gives [M, T * B, S] in step-major order without a transpose.
  let seen = states.length === 1 ? states[0] : tf.concat(states, 1);
  if (S !== d) seen = tf.slice(seen, [0, 0, 0], [M, T * B, d]);
  if (arch.readout === "diagonal") return tf.mul(seen, tf.reshape(p["lin_coef"], [M, 1, 1]));
  return tf.add(
    tf.matMul(seen, p["lin.weight"] as tf.Tensor3D, false, true),
    tf.reshape(p["lin.bias"], [M, 1, A]),
  );
}

/** Per-trial cross-entropy `[M, T * B]` of logits `[M, T * B, A]` against one-hot targets `[1, T * B, A]`. */
export function crossEntropy(logits: tf.Tensor3D, targetOneHot: tf.Tensor3D): tf.Tensor2D {
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), targetOneHot), 2));
}
