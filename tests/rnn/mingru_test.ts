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

Deno.test("minGRU parameters: names, shapes, counts, L1 on both weight matrices, init bounds", () => {
  // 2d(I + 1) plus the 2d + 2 readout.
  assert.deepEqual([1, 2, 3, 4].map((d) => buildNetwork(cellSpec("mingru", d)).size), [12, 22, 32, 42]);
  const net = buildNetwork(cellSpec("mingru", 2));
  assert.equal(net.stateSize, 2);
  assert.deepEqual(net.parameters.map((p) => [p.name, p.shape, p.penalized]), [
    ["rnn.weight_z", [2, 3], true],
    ["rnn.bias_z", [2], false],
    ["rnn.weight_h", [2, 3], true],
    ["rnn.bias_h", [2], false],
    ["lin.weight", [2, 2], false],
    ["lin.bias", [2], false],
  ]);
  for (const x of initialWeights(net, 1)) assert.ok(Math.abs(x) <= 1 / Math.sqrt(2) && Math.fround(x) === x);
});

Deno.test("minGRU step equals z = σ(W_z x + b_z), h' = (1 - z) h + z (W_h x + b_h)", () => {
  const spec = cellSpec("mingru", 2);
  const w = flatCellWeights(spec, {
    "rnn.weight_z": [0.5, -0.25, 1, 2, 0, -1],
    "rnn.bias_z": [0.25, -0.5],
    "rnn.weight_h": [1, 0.5, -2, 0.25, 0.25, 3],
    "rnn.bias_h": [-0.5, 0.125],
  });
  const h = [0.4, -0.8];
  // x = [1, 1, 0]: z pre-activations 0.5 and 1.5, candidates 1 and 0.625.
  const z = [0.5, 1.5].map((v) => 1 / (1 + Math.exp(-v)));
  const expected = [(1 - z[0]) * h[0] + z[0] * 1, (1 - z[1]) * h[1] + z[1] * 0.625];
  const got = oneStep(spec, w, [1, 1, 0], h);
  got.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-15, `h'[${j}] ${v} vs ${expected[j]}`));
});

Deno.test("minGRU gradient = finite differences (d = 1..3, readouts, h0, masks)", () => {
  checkAllGradients("mingru");
});

Deno.test("minGRU loss and gradient agree with the same network in tfjs ops (cpu, float32)", async () => {
  await checkAgainstTfjs(cellSpec("mingru", 2), 13, (v, x, [h]) => {
    const z = tf.sigmoid(
      tf.add(tf.matMul(x, v["rnn.weight_z"] as tf.Tensor2D, false, true), v["rnn.bias_z"]),
    );
    const cand = tf.add(tf.matMul(x, v["rnn.weight_h"] as tf.Tensor2D, false, true), v["rnn.bias_h"]);
    return [tf.add(tf.mul(tf.sub(1, z), h), tf.mul(z, cand)) as tf.Tensor2D];
  });
});

Deno.test("minGRU trains through fit and acts as an agent in simulate", async () => {
  await checkFitAndAgent("mingru", 2, 2);
});
