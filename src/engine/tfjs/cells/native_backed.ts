/**
 * Built-in tfjs cells take their parameter list, state size and input encoding from the native cell of the same
 * name, so both engines share one layout (PyTorch names, shapes, L1 coverage, initialisation).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { getCell } from "../../../rnn/registry.ts";
import type { PassInputs, TfjsCell, TfjsParams, TfjsStep } from "../cell.ts";

/** A tfjs cell whose layout is the native cell `name`'s (looked up when used, so registration order is free). */
export function nativeBacked(
  name: string,
  prepare: (p: TfjsParams, inputs: PassInputs, hidden: number) => TfjsStep,
): TfjsCell {
  return {
    name,
    get encoding() {
      return getCell(name).encoding;
    },
    stateSize: (hidden) => getCell(name).stateSize(hidden),
    parameters: (hidden, inputSize) => getCell(name).parameters(hidden, inputSize),
    prepare,
    // A lone step is a pass over one trial.
    step(p, x, h, hidden) {
      const withOne = tf.concat([x, tf.ones([1, x.shape[1], 1])], 2) as tf.Tensor3D;
      return prepare(p, { blocks: x.shape[1], x: [x], withOne: [withOne] }, hidden)(0, h);
    },
  };
}
