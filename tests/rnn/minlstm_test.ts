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

Deno.test("minLSTM parameters: names, shapes, counts, L1 on the three weight matrices, init bounds", () => {
  // 3d(I + 1) plus the 2d + 2 readout.
  assert.deepEqual([1, 2, 3, 4].map((d) => buildNetwork(cellSpec("minlstm", d)).size), [16, 30, 44, 58]);
  const net = buildNetwork(cellSpec("minlstm", 2));
  assert.equal(net.stateSize, 2);
  assert.deepEqual(net.parameters.map((p) => [p.name, p.shape, p.penalized]), [
    ["rnn.weight_f", [2, 3], true],
    ["rnn.bias_f", [2], false],
    ["rnn.weight_i", [2, 3], true],
    ["rnn.bias_i", [2], false],
    ["rnn.weight_h", [2, 3], true],
    ["rnn.bias_h", [2], false],
    ["lin.weight", [2, 2], false],
    ["lin.bias", [2], false],
  ]);
  for (const x of initialWeights(net, 1)) assert.ok(Math.abs(x) <= 1 / Math.sqrt(2) && Math.fround(x) === x);
});

Deno.test("minLSTM step equals h' = f/(f+i) h + i/(f+i) h~ with input-only gates", () => {
  const spec = cellSpec("minlstm", 2);
  const w = flatCellWeights(spec, {
    "rnn.weight_f": [0.5, -0.25, 1, 2, 0, -1],
    "rnn.bias_f": [0.25, -0.5],
    "rnn.weight_i": [-1, 0.75, 0.5, 0, 1, 1],
    "rnn.bias_i": [0, 0.5],
    "rnn.weight_h": [1, 0.5, -2, 0.25, 0.25, 3],
    "rnn.bias_h": [-0.5, 0.125],
  });
  const h = [0.4, -0.8];
  // x = [0, 1, 1]: f pre-activations 1 and -1.5, i pre-activations 1.25 and 2.5, candidates -2 and 3.375.
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const f = [1, -1.5].map(sig), i = [1.25, 2.5].map(sig), cand = [-2, 3.375];
  const expected = [0, 1].map((j) => (f[j] * h[j] + i[j] * cand[j]) / (f[j] + i[j]));
  const got = oneStep(spec, w, [0, 1, 1], h);
  got.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-15, `h'[${j}] ${v} vs ${expected[j]}`));
});

Deno.test("minLSTM gradient = finite differences (d = 1..3, readouts, h0, masks)", () => {
  checkAllGradients("minlstm");
});

Deno.test("minLSTM loss and gradient agree with the same network in tfjs ops (cpu, float32)", async () => {
  await checkAgainstTfjs(cellSpec("minlstm", 2), 14, (v, x, [h]) => {
    const gate = (name: string) =>
      tf.sigmoid(
        tf.add(tf.matMul(x, v[`rnn.weight_${name}`] as tf.Tensor2D, false, true), v[`rnn.bias_${name}`]),
      );
    const f = gate("f"), i = gate("i");
    const cand = tf.add(tf.matMul(x, v["rnn.weight_h"] as tf.Tensor2D, false, true), v["rnn.bias_h"]);
    return [tf.div(tf.add(tf.mul(f, h), tf.mul(i, cand)), tf.add(f, i)) as tf.Tensor2D];
  });
});

Deno.test("minLSTM trains through fit and acts as an agent in simulate", async () => {
  await checkFitAndAgent("minlstm", 2, 2);
});
