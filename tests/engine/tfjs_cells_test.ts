import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertClose } from "./fixtures.ts";
import { cellSpec, cellTestData } from "../rnn/cell_harness.ts";
import {
  addL1Gradient,
  buildNetwork,
  initialWeights,
  l1Term,
  type Network,
  type NetworkSpec,
} from "../../src/rnn/network.ts";
import { getCell } from "../../src/rnn/registry.ts";
import { datasetTensors, selectTensors } from "../../src/engine/batch.ts";
import { backward, createWorkspace, forward } from "../../src/engine/pass.ts";
import { useTfjsBackend } from "../../src/engine/tfjs/backend.ts";
import { tfjsCellOf } from "../../src/engine/tfjs/train.ts";
import {
  crossEntropy,
  disposeStackedData,
  stackedData,
  stackedLogits,
} from "../../src/engine/tfjs/forward.ts";

const L1 = 1e-3;

/** Native float64 loss + L1 and its gradient for one model. */
function native(net: Network, batch: ReturnType<typeof selectTensors>, w: Float64Array) {
  const ws = createWorkspace(net, batch);
  const loss = forward(ws, w).loss + l1Term(net, w, L1);
  const grad = new Float64Array(net.size);
  backward(ws, w, grad);
  addL1Gradient(net, w, L1, grad);
  return { loss, grad };
}

/** The same for M stacked models through the tfjs engine's forward pass: per-model losses and gradients. */
function stacked(net: Network, batch: ReturnType<typeof selectTensors>, weights: Float64Array[]) {
  const { T, B, I } = batch;
  const spec = net.spec;
  const data = stackedData(T, B, I, spec.nActions, batch.input, batch.target, batch.mask);
  const firstScored = spec.outputH0 ? 0 : 1;
  const mask = Float32Array.from(batch.mask, (m, i) => (Math.floor(i / B) >= firstScored ? m : 0));
  let scored = 0;
  mask.forEach((m) => (scored += m));
  const vars = net.parameters.map((p) => {
    const values = new Float32Array(weights.length * p.size);
    weights.forEach((w, m) => values.set(w.subarray(p.offset, p.offset + p.size), m * p.size));
    return tf.variable(tf.tensor(values, [weights.length, ...p.shape]));
  });
  const arch = {
    cell: tfjsCellOf(spec.cell),
    hidden: spec.hidden,
    stateSize: net.stateSize,
    nActions: spec.nActions,
    readout: spec.readout,
    trainableH0: spec.trainableH0,
  };
  const maskT = tf.tensor2d(mask, [1, T * B]);
  let perModel: Float32Array | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const p = Object.fromEntries(net.parameters.map((q, k) => [q.name, vars[k]]));
    const ce = crossEntropy(stackedLogits(arch, p, data), data.targetOneHot);
    let total = tf.div(tf.sum(tf.mul(ce, maskT), 1), scored);
    vars.forEach((v, k) => {
      if (net.parameters[k].penalized) {
        total = tf.add(total, tf.mul(L1, tf.sum(tf.reshape(tf.abs(v), [weights.length, -1]), 1)));
      }
    });
    perModel = total.dataSync() as Float32Array;
    return tf.sum(total) as tf.Scalar;
  }, vars);
  const gradOf = (m: number) => {
    const g = new Float64Array(net.size);
    net.parameters.forEach((p, k) => {
      const values = grads[vars[k].name].dataSync();
      for (let e = 0; e < p.size; e++) g[p.offset + e] = values[m * p.size + e];
    });
    return g;
  };
  const out = weights.map((_, m) => ({ loss: perModel![m], grad: gradOf(m) }));
  tf.dispose([value, ...Object.values(grads), ...vars, maskT]);
  disposeStackedData(data);
  return out;
}

const cases: [string, number, Partial<NetworkSpec>][] = [
  ["gru", 3, {}],
  ["gru", 2, { readout: "diagonal", trainableH0: true }],
  ["gru", 2, { outputH0: false }],
  ["sgru", 2, {}],
  ["lstm", 3, {}],
  ["rnn", 3, {}],
  ["mingru", 3, {}],
  ["minlstm", 3, {}],
];

for (const backend of ["cpu", "wasm"] as const) {
  for (const [cell, hidden, extra] of cases) {
    const label = `${cell} d=${hidden}${Object.keys(extra).length ? " " + JSON.stringify(extra) : ""}`;
    Deno.test(`tfjs ${label} (${backend}): two stacked models give the native float64 loss and gradient`, async () => {
      await useTfjsBackend(backend);
      const data = cellTestData();
      const encoding = getCell(cell).encoding;
      const batch = selectTensors(datasetTensors(data, encoding), [0, 1, 2, 3, 4, 5]);
      const net = buildNetwork(cellSpec(cell, hidden, extra));
      // Two different models in one stack; h0 moved off zero so its gradient is exercised too.
      const weights = [initialWeights(net, 3), initialWeights(net, 4)];
      if (net.h0Offset >= 0) weights.forEach((w) => w.fill(0.1, net.h0Offset, net.h0Offset + net.stateSize));
      const got = stacked(net, batch, weights);
      weights.forEach((w, m) => {
        const want = native(net, batch, w);
        assertClose(`model ${m} loss`, [got[m].loss], [want.loss], 1e-5, 1e-6);
        for (const p of net.parameters) {
          assertClose(
            `model ${m} grad ${p.name}`,
            got[m].grad.subarray(p.offset, p.offset + p.size),
            want.grad.subarray(p.offset, p.offset + p.size),
            2e-3,
            2e-5,
          );
        }
      });
      assert.equal(tf.memory().numTensors < 1000, true);
    });
  }
}
