/**
 * The tanh RNN in tfjs ops with PyTorch `nn.RNN` semantics: `h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { affine, times, withBias } from "../cell.ts";
import { nativeBacked } from "./native_backed.ts";

/** The tfjs tanh RNN (`rnn.weight_ih_l0`, `rnn.weight_hh_l0`, `rnn.bias_ih_l0`, `rnn.bias_hh_l0`). */
export const rnnTfjs = nativeBacked("rnn", (p, inputs) => {
  const wx = withBias(p["rnn.weight_ih_l0"], tf.add(p["rnn.bias_ih_l0"], p["rnn.bias_hh_l0"]));
  const whh = p["rnn.weight_hh_l0"];
  return (t, h) => tf.tanh(tf.add(affine(inputs.withOne[t], wx), times(h, whh)));
});
