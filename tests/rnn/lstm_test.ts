import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  cellSpec,
  checkAgainstTfjs,
  checkAllGradients,
  checkFitAndAgent,
  flatCellWeights,
  oneStep,
} from "./cell_harness.ts";
import { buildNetwork, initialWeights } from "../../src/rnn/network.ts";

Deno.test("LSTM parameters: PyTorch nn.LSTM names and shapes, state [h, c], counts, L1 coverage, init bounds", () => {
  // 4d(I + d + 2) weights and biases plus the 2d + 2 readout.
  assert.deepEqual([1, 2, 3, 4].map((d) => buildNetwork(cellSpec("lstm", d)).size), [28, 62, 104, 154]);
  const net = buildNetwork(cellSpec("lstm", 2));
  assert.equal(net.stateSize, 4);
  assert.deepEqual(net.parameters.map((p) => [p.name, p.shape, p.penalized]), [
    ["rnn.weight_ih_l0", [8, 3], true],
    ["rnn.weight_hh_l0", [8, 2], true],
    ["rnn.bias_ih_l0", [8], false],
    ["rnn.bias_hh_l0", [8], false],
    ["lin.weight", [2, 2], false],
    ["lin.bias", [2], false],
  ]);
  for (const x of initialWeights(net, 1)) assert.ok(Math.abs(x) <= 1 / Math.sqrt(2) && Math.fround(x) === x);
});

Deno.test("LSTM step equals the hand-written nn.LSTM equations (gates i, f, g, o)", () => {
  const d = 2, nIn = 3;
  const spec = cellSpec("lstm", d);
  const Wi = (row: number, k: number) => 0.13 * row - 0.21 * k + 0.05;
  const Wh = (row: number, k: number) => -0.09 * row + 0.17 * k - 0.1;
  const bi = (row: number) => 0.02 * row - 0.07;
  const bh = (row: number) => -0.03 * row + 0.04;
  const w = flatCellWeights(spec, {
    "rnn.weight_ih_l0": Array.from({ length: 4 * d * nIn }, (_, i) => Wi(i / nIn | 0, i % nIn)),
    "rnn.weight_hh_l0": Array.from({ length: 4 * d * d }, (_, i) => Wh(i / d | 0, i % d)),
    "rnn.bias_ih_l0": Array.from({ length: 4 * d }, (_, i) => bi(i)),
    "rnn.bias_hh_l0": Array.from({ length: 4 * d }, (_, i) => bh(i)),
  });
  const x = [1, 1, 0], h = [0.3, -0.5], c = [0.8, -1.2];
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const pre = (row: number) =>
    Wi(row, 0) * x[0] + Wi(row, 1) * x[1] + Wi(row, 2) * x[2] + bi(row) + Wh(row, 0) * h[0] +
    Wh(row, 1) * h[1] +
    bh(row);
  const cNew = [0, 1].map((j) => sig(pre(d + j)) * c[j] + sig(pre(j)) * Math.tanh(pre(2 * d + j)));
  const hNew = [0, 1].map((j) => sig(pre(3 * d + j)) * Math.tanh(cNew[j]));
  const got = oneStep(spec, w, x, [...h, ...c]);
  [...hNew, ...cNew].forEach((v, i) =>
    assert.ok(Math.abs(got[i] - v) < 1e-15, `state[${i}] ${got[i]} vs ${v}`)
  );
});

Deno.test("LSTM gradient = finite differences (d = 1..3, readouts, trainable [h0, c0], masks)", () => {
  checkAllGradients("lstm");
});

Deno.test("LSTM loss and gradient agree with the same network in tfjs ops (cpu, float32)", async () => {
  await checkAgainstTfjs(cellSpec("lstm", 2), 11, (v, x, [h, c]) => {
    const d = h.shape[1];
    const gates = tf.add(
      tf.add(tf.matMul(x, v["rnn.weight_ih_l0"] as tf.Tensor2D, false, true), v["rnn.bias_ih_l0"]),
      tf.add(tf.matMul(h, v["rnn.weight_hh_l0"] as tf.Tensor2D, false, true), v["rnn.bias_hh_l0"]),
    );
    const part = (k: number) => gates.slice([0, k * d], [h.shape[0], d]);
    const cNew = tf.add(tf.mul(tf.sigmoid(part(1)), c), tf.mul(tf.sigmoid(part(0)), tf.tanh(part(2))));
    return [tf.mul(tf.sigmoid(part(3)), tf.tanh(cNew)) as tf.Tensor2D, cNew as tf.Tensor2D];
  });
});

Deno.test("LSTM trains through fit and acts as an agent (2d dynamical variables) in simulate", async () => {
  await checkFitAndAgent("lstm", 2, 4);
});
