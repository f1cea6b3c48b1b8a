/**
 * The LSTM in tfjs ops with PyTorch `nn.LSTM` semantics: gates i, f, g, o; `c' = f c + i g`, `h' = o tanh(c')`.
 * The state is `[h, c]` along the last axis, as in the native cell.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { affine, gates, times, withBias } from "../cell.ts";
import { nativeBacked } from "./native_backed.ts";

/** The tfjs LSTM (`rnn.weight_ih_l0`, `rnn.weight_hh_l0`, `rnn.bias_ih_l0`, `rnn.bias_hh_l0`, 4d rows each). */
export const lstmTfjs = nativeBacked("lstm", (p, inputs, d) => {
  const wi = gates(p["rnn.weight_ih_l0"], 4, 1);
  const wh = gates(p["rnn.weight_hh_l0"], 4, 1);
  const b = gates(tf.add(p["rnn.bias_ih_l0"], p["rnn.bias_hh_l0"]), 4, 1);
  const [xi, xf, xg, xo] = [0, 1, 2, 3].map((k) => withBias(wi[k], b[k]));
  return (t, state) => {
    const x = inputs.withOne[t];
    const [h, c] = tf.split(state, [d, d], 2) as tf.Tensor3D[];
    const i = tf.sigmoid(tf.add(affine(x, xi), times(h, wh[0])));
    const f = tf.sigmoid(tf.add(affine(x, xf), times(h, wh[1])));
    const g = tf.tanh(tf.add(affine(x, xg), times(h, wh[2])));
    const o = tf.sigmoid(tf.add(affine(x, xo), times(h, wh[3])));
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, g));
    return tf.concat([tf.mul(o, tf.tanh(cNext)), cNext], 2) as tf.Tensor3D;
  };
});
