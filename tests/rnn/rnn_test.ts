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

Deno.test("tanh RNN parameters: PyTorch nn.RNN names and shapes, counts, L1 coverage, init bounds", () => {
  // d(I + d + 2) weights and biases plus the 2d + 2 readout.
  assert.deepEqual([1, 2, 3, 4].map((d) => buildNetwork(cellSpec("rnn", d)).size), [10, 20, 32, 46]);
  const net = buildNetwork(cellSpec("rnn", 2));
  assert.equal(net.stateSize, 2);
  assert.deepEqual(net.parameters.map((p) => [p.name, p.shape, p.penalized]), [
    ["rnn.weight_ih_l0", [2, 3], true],
    ["rnn.weight_hh_l0", [2, 2], true],
    ["rnn.bias_ih_l0", [2], false],
    ["rnn.bias_hh_l0", [2], false],
    ["lin.weight", [2, 2], false],
    ["lin.bias", [2], false],
  ]);
  for (const x of initialWeights(net, 1)) assert.ok(Math.abs(x) <= 1 / Math.sqrt(2) && Math.fround(x) === x);
});

Deno.test("tanh RNN step equals h' = tanh(W_ih x + b_ih + W_hh h + b_hh)", () => {
  const spec = cellSpec("rnn", 2);
  const w = flatCellWeights(spec, {
    "rnn.weight_ih_l0": [0.5, -0.25, 1.5, -1, 0.75, 0.125],
    "rnn.weight_hh_l0": [0.9, -0.3, 0.2, 0.6],
    "rnn.bias_ih_l0": [0.1, -0.2],
    "rnn.bias_hh_l0": [0.05, 0.3],
  });
  const got = oneStep(spec, w, [1, 1, 1], [0.5, -0.5]);
  // Row 0: 0.5 - 0.25 + 1.5 + 0.1 + 0.45 + 0.15 + 0.05 = 2.5; row 1: -1 + 0.75 + 0.125 - 0.2 + 0.1 - 0.3 + 0.3 = -0.225.
  const expected = [Math.tanh(2.5), Math.tanh(-0.225)];
  got.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-15, `h'[${j}] ${v} vs ${expected[j]}`));
});

Deno.test("tanh RNN gradient = finite differences (d = 1..3, readouts, h0, masks)", () => {
  checkAllGradients("rnn");
});

Deno.test("tanh RNN loss and gradient agree with the same network in tfjs ops (cpu, float32)", async () => {
  await checkAgainstTfjs(cellSpec("rnn", 3), 12, (v, x, [h]) => [
    tf.tanh(
      tf.add(
        tf.add(tf.matMul(x, v["rnn.weight_ih_l0"] as tf.Tensor2D, false, true), v["rnn.bias_ih_l0"]),
        tf.add(tf.matMul(h, v["rnn.weight_hh_l0"] as tf.Tensor2D, false, true), v["rnn.bias_hh_l0"]),
      ),
    ) as tf.Tensor2D,
  ]);
});

Deno.test("tanh RNN trains through fit and acts as an agent in simulate", async () => {
  await checkFitAndAgent("rnn", 2, 2);
});
