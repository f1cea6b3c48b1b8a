/**
 * Checks every recurrent cell goes through: finite-difference gradients, one kernel step, and a short `fit`
 * whose model then acts as an agent in `simulate`.
 *
 * @module
 */

import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertClose, tutorialDataset } from "../engine/fixtures.ts";
import {
  addL1Gradient,
  buildNetwork,
  initialWeights,
  l1Term,
  type NetworkSpec,
} from "../../src/rnn/network.ts";
import { getCell } from "../../src/rnn/registry.ts";
import { inputSizeOf } from "../../src/rnn/encoding.ts";
import { type BatchTensors, datasetTensors, selectTensors } from "../../src/engine/batch.ts";
import { backward, createWorkspace, forward } from "../../src/engine/pass.ts";
import { fit } from "../../src/engine/fit.ts";
import { type Dataset, selectBlocks, type TaskKind } from "../../src/data/dataset.ts";
import { logLikelihood, traceBlock } from "../../src/agents/agent.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";

/** The tutorial data as `kind`, block 1 cut to 12 trials so batches carry padding rows (zero input, mask 0). */
export function cellTestData(kind: TaskKind = "bandit"): Dataset {
  const data = tutorialDataset();
  const b1 = data.blocks[1];
  const cut = (xs: number[]) => xs.slice(0, 12);
  data.blocks[1] = {
    action: cut(b1.action),
    state: cut(b1.state),
    reward: cut(b1.reward),
    trialType: cut(b1.trialType),
  };
  return { ...data, kind };
}

/** A network spec for `cell` on data of `kind` (input size from the cell's encoding). */
export function cellSpec(
  cell: string,
  hidden: number,
  extra: Partial<NetworkSpec> = {},
  kind: TaskKind = "bandit",
): NetworkSpec {
  return {
    cell,
    hidden,
    inputSize: inputSizeOf(getCell(cell).encoding, kind),
    nActions: 2,
    readout: "linear",
    outputH0: true,
    trainableH0: false,
    ...extra,
  };
}

/**
 * Central finite differences (step `h`) of `objective` in every entry of `w`, which is restored after each one.
 */
export function centralDifferences(objective: () => number, w: Float64Array, h = 1e-6): Float64Array {
  const numeric = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const keep = w[i];
    w[i] = keep + h;
    const up = objective();
    w[i] = keep - h;
    const down = objective();
    w[i] = keep;
    numeric[i] = (up - down) / (2 * h);
  }
  return numeric;
}

/**
 * Central finite differences (step 1e-6) of loss + L1 against the analytic gradient of every parameter,
 * on tutorial blocks 0..5 (block 1 padded) of `kind`, optionally with a custom mask.
 */
export function checkGradient(
  spec: NetworkSpec,
  seed: number,
  options: { kind?: TaskKind; mask?: (t: number, b: number) => number } = {},
): void {
  const data = cellTestData(options.kind);
  const batch = selectTensors(datasetTensors(data, getCell(spec.cell).encoding), [0, 1, 2, 3, 4, 5]);
  if (options.mask) {
    for (let t = 0; t < batch.T; t++) {
      for (let b = 0; b < batch.B; b++) {
        if (batch.mask[t * batch.B + b] > 0) batch.mask[t * batch.B + b] = options.mask(t, b);
      }
    }
  }
  const grad = assertFiniteDifferenceGradient(spec, batch, seed);
  assert.ok(grad.some((g) => g !== 0));
}

/** Every gradient check of a cell: d = 1..3, diagonal readout, trainable h0, outputH0 off, partial masks. */
export function checkAllGradients(cell: string, kind: TaskKind = "bandit"): void {
  for (const hidden of [1, 2, 3]) checkGradient(cellSpec(cell, hidden, {}, kind), hidden, { kind });
  checkGradient(cellSpec(cell, 2, { readout: "diagonal" }, kind), 5, { kind });
  checkGradient(cellSpec(cell, 2, { trainableH0: true }, kind), 6, { kind });
  checkGradient(cellSpec(cell, 2, { outputH0: false }, kind), 8, { kind });
  checkGradient(cellSpec(cell, 3, {}, kind), 9, {
    kind,
    mask: (t, b) => ((t + b) % 3 === 0 ? 0 : (t % 2) + 0.5),
  });
}

/** The cell's weights (flat, in parameter order) from named tensors given as flat arrays. */
export function flatCellWeights(spec: NetworkSpec, tensors: Record<string, number[]>): Float64Array {
  const net = buildNetwork(spec);
  const w = new Float64Array(net.size);
  for (const p of net.parameters) {
    const values = tensors[p.name];
    if (!values) continue;
    assert.equal(values.length, p.size, p.name);
    w.set(values, p.offset);
  }
  return w;
}

/** One kernel step of the cell of `spec` from state `h` on input `x`: the new state. */
export function oneStep(spec: NetworkSpec, w: Float64Array, x: number[], h: number[]): number[] {
  const net = buildNetwork(spec);
  const out = new Float64Array(net.stateSize);
  const cache = new Float64Array(Math.max(1, net.kernel.cacheSize));
  net.kernel.forward(w, Float64Array.from(x), 0, Float64Array.from(h), 0, out, 0, cache, 0);
  return Array.from(out);
}

/**
 * Train the cell for 30 epochs through `fit` on 40 tutorial blocks: the training loss falls; the model's agent
 * reproduces `run`'s logits, gives the same likelihood, and drives `simulate` on a bandit.
 */
export async function checkFitAndAgent(
  cell: string,
  hidden: number,
  dynamicalVariables: number,
): Promise<void> {
  const data = selectBlocks(tutorialDataset(), Array.from({ length: 40 }, (_, i) => i));
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  const model = await fit(data, {
    cell,
    hidden,
    seed: 3,
    maxEpochs: 30,
    lr: 0.02,
    split: { train: range(0, 20), val: range(20, 30), test: range(30, 40) },
  });
  const train = model.curves.train;
  assert.equal(train.length, model.epochs);
  assert.ok(train[train.length - 1] < train[0] - 0.01, `${cell}: train loss ${train[0]} -> ${train.at(-1)}`);
  assert.ok(Number.isFinite(model.testLoss));

  const agent = model.agent();
  assert.equal(agent.dynamicalVariables, dynamicalVariables);
  assert.equal(agent.stateNames.length, model.run(selectBlocks(data, [0])).hidden[0][0].length);
  const out = model.run(data);
  const trace = traceBlock(agent, data.blocks[7]);
  assertClose(`${cell} agent trace`, trace.scores.flatMap((s) => [...s]), out.logits[7].flat(), 0, 0);
  const ll = logLikelihood(agent, selectBlocks(data, range(30, 40)));
  assertClose(`${cell} agent likelihood`, [-ll.total / ll.scoredTrials], [model.testLoss], 1e-12, 0);

  const sim = simulate(agent, tasks.bandit(), { blocks: 3, trials: 25, seed: 4 });
  assert.equal(sim.blocks.length, 3);
  for (const block of sim.blocks) {
    assert.equal(block.action.length, 25);
    assert.ok(block.action.every((a) => a === 0 || a === 1));
    assert.equal(block.internal!.length, 26);
    assert.equal(block.internal![0].length, agent.stateNames.length);
  }
}

/** One step of a cell written with tfjs ops: `state[0]` is what the readout sees. */
export type TfStep = (
  vars: Record<string, tf.Variable>,
  x: tf.Tensor2D,
  state: tf.Tensor2D[],
) => tf.Tensor2D[];

/**
 * Loss (cross-entropy + L1) and gradient of the native engine against the same network written with tfjs ops
 * (cpu backend, float32) and differentiated by `tf.variableGrads`, on tutorial blocks 0..7.
 */
export async function checkAgainstTfjs(spec: NetworkSpec, seed: number, step: TfStep): Promise<void> {
  await tf.setBackend("cpu");
  const l1 = 1e-3;
  const batch = selectTensors(datasetTensors(tutorialDataset(), "asr"), [0, 1, 2, 3, 4, 5, 6, 7]);
  const { T, B, I } = batch;
  const net = buildNetwork(spec);
  const d = spec.hidden;
  const w = initialWeights(net, seed);
  const ws = createWorkspace(net, batch);
  const loss64 = forward(ws, w).loss + l1Term(net, w, l1);
  const grad = new Float64Array(net.size);
  backward(ws, w, grad);
  addL1Gradient(net, w, l1, grad);

  const vars: Record<string, tf.Variable> = Object.fromEntries(
    net.parameters.map((p) => [
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
    let state: tf.Tensor2D[] = Array.from({ length: net.stateSize / d }, () => tf.zeros([B, d]));
    const hs: tf.Tensor2D[] = [state[0]];
    for (let t = 0; t < T - 1; t++) {
      state = step(vars, x.slice([t, 0, 0], [1, B, I]).reshape([B, I]), state);
      hs.push(state[0]);
    }
    const logits = tf.add(
      tf.matMul(tf.stack(hs).reshape([T * B, d]), vars["lin.weight"] as tf.Tensor2D, false, true),
      vars["lin.bias"],
    );
    const ce = tf.losses.softmaxCrossEntropy(target.reshape([T * B, 2]), logits);
    let penalty: tf.Tensor = tf.scalar(0);
    for (const p of net.parameters) if (p.penalized) penalty = tf.add(penalty, tf.sum(tf.abs(vars[p.name])));
    return tf.add(ce, tf.mul(l1, penalty)) as tf.Scalar;
  });
  assertClose(`${spec.cell} loss`, [loss64], [value.dataSync()[0]], 1e-5, 1e-6);
  for (const p of net.parameters) {
    const expected = Array.from(grads[p.name].dataSync());
    assertClose(
      `${spec.cell} grad ${p.name}`,
      grad.subarray(p.offset, p.offset + p.size),
      expected,
      2e-3,
      2e-5,
    );
  }
  tf.dispose([value, ...Object.values(grads), ...Object.values(vars), x, target]);
}

/**
 * Central finite differences (step 1e-6) of loss + L1 (1e-3) on `batch` against the analytic gradient of every
 * parameter, from seeded weights moved off their symmetric start. Returns the analytic gradient.
 */
export function assertFiniteDifferenceGradient(
  spec: NetworkSpec,
  batch: BatchTensors,
  seed: number,
): Float64Array {
  const net = buildNetwork(spec);
  const w = initialWeights(net, seed);
  // Move off the symmetric start (h0 = 0, lin_coef = 1) so every parameter has a non-trivial gradient.
  for (let i = 0; i < w.length; i++) w[i] += 0.3 * Math.sin(7 * i + seed);
  const ws = createWorkspace(net, batch);
  const l1 = 1e-3;
  const objective = () => forward(ws, w).loss + l1Term(net, w, l1);
  const grad = new Float64Array(net.size);
  forward(ws, w);
  backward(ws, w, grad);
  addL1Gradient(net, w, l1, grad);
  const numeric = centralDifferences(objective, w);
  assertClose(`${JSON.stringify(spec)} gradient`, grad, numeric, 1e-6, 1e-9);
  return grad;
}
