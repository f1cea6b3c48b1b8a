/**
 * The paper's switching GRU in tfjs ops: the one-hot trial type selects the recurrent weights and biases
 * (`g_i = B_ih[:, k]`, `g_h = W_hh[:, :, k] h + B_hh[:, k]`), then the GRU gates r, z, n.
 *
 * The selection is a product with the one-hot input (exact for a one-hot row, zero for padding rows), so the
 * gradient reaches only the selected slices.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { gates, times } from "../cell.ts";
import { nativeBacked } from "./native_backed.ts";

/** The tfjs SGRU (`rnn.rnncell.weight_hh` (3d x d x I), `rnn.rnncell.bias_ih`, `rnn.rnncell.bias_hh` (3d x I)). */
export const sgruTfjs = nativeBacked("sgru", (p, inputs, d) => {
  const w = p["rnn.rnncell.weight_hh"]; // [M, 3d, d, I]
  const [M, , , I] = w.shape;
  const B = inputs.blocks;
  const [bir, biz, bin] = gates(p["rnn.rnncell.bias_ih"], 3, 1);
  const [bhr, bhz, bhn] = gates(p["rnn.rnncell.bias_hh"], 3, 1);
  const [wr, wz, wn] = gates(w, 3, 1).map((g) => tf.reshape(g, [M, d * d, I]));
  // Each block's selected d x d matrix times that block's state: [M, B, d].
  const apply = (wg: tf.Tensor, x: tf.Tensor3D, h: tf.Tensor3D) =>
    tf.sum(tf.mul(tf.reshape(times(x, wg), [M, B, d, d]), tf.expandDims(h, 2)), 3);
  return (t, h) => {
    const x = inputs.x[t];
    const r = tf.sigmoid(tf.add(tf.add(apply(wr, x, h), times(x, bhr)), times(x, bir)));
    const z = tf.sigmoid(tf.add(tf.add(apply(wz, x, h), times(x, bhz)), times(x, biz)));
    const n = tf.tanh(tf.add(times(x, bin), tf.mul(tf.add(apply(wn, x, h), times(x, bhn)), r)));
    return tf.add(tf.mul(tf.sub(h, n), z), n) as tf.Tensor3D;
  };
});
