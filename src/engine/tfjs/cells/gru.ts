/**
 * The GRU in tfjs ops with PyTorch `nn.GRU` semantics (not `tf.layers.gru`): gates r, z, n; separate input and
 * recurrent biases; the reset gate multiplies the recurrent product after its bias; `h' = (h - n) z + n`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { affine, gates, tiled, times, withBias } from "../cell.ts";
import { nativeBacked } from "./native_backed.ts";

/** The tfjs GRU (`rnn.weight_ih_l0`, `rnn.weight_hh_l0`, `rnn.bias_ih_l0`, `rnn.bias_hh_l0`). */
export const gruTfjs = nativeBacked("gru", (p, inputs) => {
  const [wir, wiz, win] = gates(p["rnn.weight_ih_l0"], 3, 1);
  const [whr, whz, whn] = gates(p["rnn.weight_hh_l0"], 3, 1);
  const [bir, biz, bin] = gates(p["rnn.bias_ih_l0"], 3, 1);
  const [bhr, bhz, bhn] = gates(p["rnn.bias_hh_l0"], 3, 1);
  // The recurrent biases of r and z join the input side; that of n stays with W_hn h, which r scales.
  const ir = withBias(wir, tf.add(bir, bhr));
  const iz = withBias(wiz, tf.add(biz, bhz));
  const inn = withBias(win, bin);
  const bn = tiled(bhn, inputs.blocks);
  return (t, h) => {
    const x = inputs.withOne[t];
    const r = tf.sigmoid(tf.add(times(h, whr), affine(x, ir)));
    const z = tf.sigmoid(tf.add(times(h, whz), affine(x, iz)));
    const n = tf.tanh(tf.add(affine(x, inn), tf.mul(tf.add(times(h, whn), bn), r)));
    return tf.add(tf.mul(tf.sub(h, n), z), n);
  };
});
