/**
 * minLSTM (Feng et al. 2024) in tfjs ops: `f = σ(W_f x + b_f)`, `i = σ(W_i x + b_i)`, `h~ = W_h x + b_h`,
 * `h' = f/(f+i) h + i/(f+i) h~`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { affine, withBias } from "../cell.ts";
import { nativeBacked } from "./native_backed.ts";

/** The tfjs minLSTM (`rnn.weight_f`, `rnn.bias_f`, `rnn.weight_i`, `rnn.bias_i`, `rnn.weight_h`, `rnn.bias_h`). */
export const minLstmTfjs = nativeBacked("minlstm", (p, inputs) => {
  const wf = withBias(p["rnn.weight_f"], p["rnn.bias_f"]);
  const wi = withBias(p["rnn.weight_i"], p["rnn.bias_i"]);
  const wh = withBias(p["rnn.weight_h"], p["rnn.bias_h"]);
  return (t, h) => {
    const x = inputs.withOne[t];
    const f = tf.sigmoid(affine(x, wf));
    const i = tf.sigmoid(affine(x, wi));
    const s = tf.add(f, i);
    return tf.add(tf.mul(tf.div(f, s), h), tf.mul(tf.div(i, s), affine(x, wh)));
  };
});
