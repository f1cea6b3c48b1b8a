/**
 * minGRU (Feng et al. 2024) in tfjs ops: `z = σ(W_z x + b_z)`, `h~ = W_h x + b_h`, `h' = (1 - z) h + z h~`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { affine, withBias } from "../cell.ts";
import { nativeBacked } from "./native_backed.ts";

/** The tfjs minGRU (`rnn.weight_z`, `rnn.bias_z`, `rnn.weight_h`, `rnn.bias_h`). */
export const minGruTfjs = nativeBacked("mingru", (p, inputs) => {
  const wz = withBias(p["rnn.weight_z"], p["rnn.bias_z"]);
  const wh = withBias(p["rnn.weight_h"], p["rnn.bias_h"]);
  return (t, h) => {
    const x = inputs.withOne[t];
    const z = tf.sigmoid(affine(x, wz));
    return tf.add(tf.mul(tf.sub(1, z), h), tf.mul(z, affine(x, wh)));
  };
});
