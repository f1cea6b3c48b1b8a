import * as tf from "@tensorflow/tfjs";
import { assertClose, tutorialDataset } from "../engine/fixtures.ts";
import { addL1Gradient, buildNetwork, initialWeights, l1Term } from "../../src/rnn/network.ts";
import { datasetTensors, selectTensors } from "../../src/engine/batch.ts";
import { backward, createWorkspace, forward } from "../../src/engine/pass.ts";

Deno.test("GRU loss and gradient agree with tf.variableGrads (tfjs cpu, float32)", async () => {
  await tf.setBackend("cpu");
  const d = 2;
  const l1 = 1e-3;
  const batch = selectTensors(datasetTensors(tutorialDataset(), "asr"), [0, 1, 2, 3, 4, 5, 6, 7]);
  const { T, B, I } = batch;
  const net = buildNetwork({
    cell: "gru",
    hidden: d,
    inputSize: I,
    nActions: 2,
    readout: "linear",
    outputH0: true,
    trainableH0: false,
  });
  const w = initialWeights(net, 11);
  const ws = createWorkspace(net, batch);
  const loss64 = forward(ws, w).loss + l1Term(net, w, l1);
  const grad = new Float64Array(net.size);
  backward(ws, w, grad);
  addL1Gradient(net, w, l1, grad);

  // The same network written with tfjs ops, in PyTorch's layout, differentiated by tfjs.
  const vars = Object.fromEntries(
    net.parameters.map((
      p,
    ) => [
      p.name,
      tf.variable(
        tf.tensor(Float32Array.from(w.subarray(p.offset, p.offset + p.size)), p.shape),
        true,
        p.name,
      ),
    ]),
  );
  const x = tf.tensor3d(Float32Array.from(batch.input), [T, B, I]);
  const target = tf.oneHot(tf.tensor2d(batch.target, [T, B], "int32"), 2);
  const { value, grads } = tf.variableGrads(() => {
    const wih = vars["rnn.weight_ih_l0"], whh = vars["rnn.weight_hh_l0"];
    const bih = vars["rnn.bias_ih_l0"], bhh = vars["rnn.bias_hh_l0"];
    let h: tf.Tensor2D = tf.zeros([B, d]);
    const hs: tf.Tensor2D[] = [h];
    for (let t = 0; t < T; t++) {
      const xt = x.slice([t, 0, 0], [1, B, I]).reshape([B, I]) as tf.Tensor2D;
      const gi = tf.add(tf.matMul(xt, wih as tf.Tensor2D, false, true), bih);
      const gh = tf.add(tf.matMul(h, whh as tf.Tensor2D, false, true), bhh);
      const split = (g: tf.Tensor, k: number) => g.slice([0, k * d], [B, d]);
      const r = tf.sigmoid(tf.add(split(gi, 0), split(gh, 0)));
      const z = tf.sigmoid(tf.add(split(gi, 1), split(gh, 1)));
      const n = tf.tanh(tf.add(split(gi, 2), tf.mul(r, split(gh, 2))));
      h = tf.add(tf.mul(tf.sub(h, n), z), n) as tf.Tensor2D;
      hs.push(h);
    }
    const states = tf.stack(hs.slice(0, T)); // rows 0..T-1 predict trials 0..T-1
    const logits = tf.add(
      tf.matMul(states.reshape([T * B, d]), vars["lin.weight"] as tf.Tensor2D, false, true),
      vars["lin.bias"],
    );
    const ce = tf.losses.softmaxCrossEntropy(target.reshape([T * B, 2]), logits);
    const penalty = tf.mul(l1, tf.add(tf.sum(tf.abs(wih)), tf.sum(tf.abs(whh))));
    return tf.add(ce, penalty) as tf.Scalar;
  });
  assertClose("loss", [loss64], [value.dataSync()[0]], 1e-5, 1e-6);
  for (const p of net.parameters) {
    const expected = Array.from(grads[p.name].dataSync());
    assertClose(`grad ${p.name}`, grad.subarray(p.offset, p.offset + p.size), expected, 2e-3, 2e-5);
  }
  tf.dispose([value, ...Object.values(grads), ...Object.values(vars), x, target]);
});
