import assert from "node:assert/strict";
import { assertClose } from "./fixtures.ts";
import { assertFiniteDifferenceGradient, cellSpec, cellTestData } from "../rnn/cell_harness.ts";
import {
  type BatchTensors,
  datasetTensors,
  selectTensors,
  selectTensorsShared,
} from "../../src/engine/batch.ts";
import { backward, createWorkspace, forward } from "../../src/engine/pass.ts";
import { trainJob } from "../../src/engine/train.ts";
import { fit } from "../../src/engine/fit.ts";
import { buildNetwork, initialWeights, type NetworkSpec } from "../../src/rnn/network.ts";
import { getCell } from "../../src/rnn/registry.ts";
import { withSoftTargets } from "../../src/data/soft_targets.ts";
import { fromJson, toJson } from "../../src/data/json.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import type { Dataset } from "../../src/data/dataset.ts";

const BLOCKS = [0, 1, 2, 3, 4, 5];

/** Made-up teacher probabilities per trial (deterministic, away from 0 and 1). */
function teacherOf(data: Dataset): number[][][] {
  return data.blocks.map((block, b) =>
    block.action.map((_, t) => {
      const p = 0.5 + 0.4 * Math.sin(3 * t + 7 * b);
      return [p, 1 - p];
    })
  );
}

/** The cell test data's batch of blocks 0..5 (block 1 padded), with soft targets mixed at `teacherProp`. */
function softBatch(cell: string, teacherProp: number): { hard: BatchTensors; soft: BatchTensors } {
  const data = cellTestData();
  const encoding = getCell(cell).encoding;
  const hard = selectTensors(datasetTensors(data, encoding), BLOCKS);
  const soft = selectTensors(
    datasetTensors(withSoftTargets(data, teacherOf(data), teacherProp), encoding),
    BLOCKS,
  );
  return { hard, soft };
}

/** Loss and gradient of one network on a batch, from the same perturbed weights as the gradient check. */
function lossAndGradient(spec: NetworkSpec, batch: BatchTensors, seed: number) {
  const net = buildNetwork(spec);
  const w = initialWeights(net, seed);
  for (let i = 0; i < w.length; i++) w[i] += 0.3 * Math.sin(7 * i + seed);
  const ws = createWorkspace(net, batch);
  const grad = new Float64Array(net.size);
  const { loss } = forward(ws, w);
  backward(ws, w, grad);
  return { loss, grad, fused: ws.fused };
}

Deno.test("soft targets: finite-difference gradient of the distillation loss, gru and sgru at d = 1, 2", () => {
  for (const cell of ["gru", "sgru"]) {
    for (const hidden of [1, 2]) {
      const { soft } = softBatch(cell, 0.7);
      assert.ok(soft.soft);
      assertFiniteDifferenceGradient(cellSpec(cell, hidden), soft, 10 + hidden);
      assertFiniteDifferenceGradient(
        cellSpec(cell, hidden, { outputH0: false, trainableH0: true }),
        soft,
        hidden,
      );
    }
  }
});

Deno.test("soft targets: the GRU's fused pass declines them; without them nothing changes", () => {
  const { hard, soft } = softBatch("gru", 1);
  assert.equal(lossAndGradient(cellSpec("gru", 2), soft, 1).fused, false);
  assert.equal(lossAndGradient(cellSpec("gru", 2), hard, 1).fused, true);
  assert.equal(hard.soft, undefined);
  // Without soft targets the selection with or without them is one shared object.
  const full = datasetTensors(cellTestData(), "asr");
  assert.equal(selectTensorsShared(full, BLOCKS, false), selectTensorsShared(full, BLOCKS));
});

Deno.test("soft targets: one-hot targets (teacherProp 0) give the hard-target loss and gradient", () => {
  for (const cell of ["gru", "sgru"]) {
    for (const hidden of [1, 2]) {
      const { hard, soft } = softBatch(cell, 0);
      // teacherProp 0 is exactly one-hot on the choices.
      for (let cellIndex = 0; cellIndex < hard.T * hard.B; cellIndex++) {
        if (hard.mask[cellIndex] === 0) continue;
        const a = hard.target[cellIndex];
        assert.deepEqual(
          [soft.soft![2 * cellIndex], soft.soft![2 * cellIndex + 1]],
          a === 0 ? [1, 0] : [0, 1],
        );
      }
      const spec = cellSpec(cell, hidden);
      const h = lossAndGradient(spec, hard, hidden);
      const s = lossAndGradient(spec, soft, hidden);
      assert.ok(
        Math.abs(s.loss - h.loss) <= 1e-15 * Math.abs(h.loss) * 4,
        `${cell} d=${hidden}: ${s.loss} vs ${h.loss}`,
      );
      assertClose(`${cell} d=${hidden} gradient`, s.grad, h.grad, 1e-13, 1e-16);
    }
  }
});

Deno.test("soft targets: the loss is -sum p log softmax, mixing teacher and choices by teacherProp", () => {
  const data = cellTestData();
  const teacher = teacherOf(data);
  const mixed = withSoftTargets(data, teacher, 0.25);
  const t = 3, b = 2;
  const a = data.blocks[b].action[t];
  const expected = [0, 1].map((k) => 0.25 * teacher[b][t][k] + (k === a ? 0.75 : 0));
  assert.deepEqual(mixed.blocks[b].softTargets![t], expected);
  // The input data set is not changed, and JSON keeps the targets.
  assert.equal(data.blocks[b].softTargets, undefined);
  assert.deepEqual(fromJson(toJson(mixed)).blocks[b].softTargets, mixed.blocks[b].softTargets);
  assert.throws(() => withSoftTargets(data, teacher, 1.5), /teacherProp/);
  assert.throws(() => withSoftTargets(data, teacher.slice(1)), /each of the/);
  const bad = teacher.map((rows) => rows.map(() => [0.7, 0.7]));
  assert.throws(() => withSoftTargets(data, bad), /softTargets": expected 2 probabilities summing to 1/);
  // The generic pass's loss against a direct sum over its logits.
  const spec = cellSpec("sgru", 2);
  const net = buildNetwork(spec);
  const w = initialWeights(net, 4);
  const batch = selectTensors(datasetTensors(mixed, "asr"), BLOCKS);
  const ws = createWorkspace(net, batch, false);
  const { loss } = forward(ws, w);
  let total = 0, scored = 0;
  for (let cellIndex = 0; cellIndex < batch.T * batch.B; cellIndex++) {
    const m = batch.mask[cellIndex];
    if (m === 0) continue;
    const [z0, z1] = [ws.logits[2 * cellIndex], ws.logits[2 * cellIndex + 1]];
    const lse = Math.log(Math.exp(z0) + Math.exp(z1));
    total += m * -(batch.soft![2 * cellIndex] * (z0 - lse) + batch.soft![2 * cellIndex + 1] * (z1 - lse));
    scored += m;
  }
  assert.ok(Math.abs(loss - total / scored) < 1e-12, `${loss} vs ${total / scored}`);
});

/** A bandit data set whose generating agent is the teacher (its choice probabilities). */
function agentData(): Dataset {
  return simulate(cognitive("MF", { alpha: 0.4, iTemp: 3 }), tasks.bandit(), {
    blocks: 30,
    trials: 40,
    seed: 7,
  });
}

Deno.test("soft targets: training uses them; validation and test are scored against the choices", () => {
  const data = agentData();
  const distill = withSoftTargets(data, data.blocks.map((b) => b.choiceProbs!), 0.9);
  const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
  const job = {
    hidden: 2,
    seed: 1,
    train: range(0, 20),
    val: range(20, 5),
    test: range(25, 5),
    maxEpochs: 40,
  };
  const soft = datasetTensors(distill, "asr");
  const hard = datasetTensors(data, "asr");
  const result = trainJob(soft, 2, job);
  // The held-out losses are those of the same weights on the choices (hard targets) ...
  const net = buildNetwork({
    cell: "gru",
    hidden: 2,
    inputSize: hard.I,
    nActions: 2,
    readout: "linear",
    outputH0: true,
    trainableH0: false,
  });
  const score = (full: BatchTensors, blocks: number[]) =>
    forward(createWorkspace(net, selectTensors(full, blocks, false), false, false), result.flatWeights).loss;
  assert.equal(result.valLoss, score(hard, job.val));
  assert.equal(result.testLoss, score(hard, job.test));
  // ... while the training loss is the distillation loss, which differs from the loss on the choices.
  assert.equal(
    result.trainLoss,
    forward(createWorkspace(net, selectTensors(soft, job.train), true, false), result.flatWeights).loss,
  );
  assert.notEqual(result.trainLoss, score(hard, job.train));
});

Deno.test("soft targets: fit() on distillation data trains (the loss falls)", async () => {
  const data = agentData();
  const distill = withSoftTargets(data, data.blocks.map((b) => b.choiceProbs!), 1);
  const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
  const model = await fit(distill, {
    cell: "gru",
    hidden: 1,
    seed: 2,
    maxEpochs: 60,
    lr: 0.02,
    split: { train: range(0, 20), val: range(20, 5), test: range(25, 5) },
  });
  const train = model.curves.train;
  assert.ok(train[train.length - 1] < train[0] - 0.01, `train loss ${train[0]} -> ${train.at(-1)}`);
  assert.ok(model.curves.val.at(-1)! < model.curves.val[0], "validation loss on the choices falls too");
  assert.ok(Number.isFinite(model.testLoss));
});

Deno.test("soft targets: three actions (the generic softmax): gradient, and one-hot equals hard to the bit", () => {
  // A made-up three-choice bandit: actions and rewards from a fixed pattern, 6 blocks of 15 trials.
  const blocks = Array.from({ length: 6 }, (_, b) => {
    const action = Array.from({ length: 15 }, (_, t) => (t * t + 2 * b) % 3);
    const reward = action.map((a, t) => (a + t + b) % 2);
    return { action, state: action.slice(), reward, trialType: action.map((a, t) => 2 * a + reward[t]) };
  });
  const data: Dataset = { kind: "bandit", nActions: 3, blocks };
  const teacher = blocks.map((block, b) =>
    block.action.map((_, t) => {
      const x = [1 + Math.sin(t + b), 1 + Math.cos(2 * t), 0.5];
      const s = x[0] + x[1] + x[2];
      return x.map((v) => v / s);
    })
  );
  for (const cell of ["gru", "sgru"]) {
    const encoding = getCell(cell).encoding;
    const spec = { ...cellSpec(cell, 2), nActions: 3, inputSize: datasetTensors(data, encoding).I };
    const soft = datasetTensors(withSoftTargets(data, teacher, 0.6), encoding);
    assertFiniteDifferenceGradient(spec, soft, 3);
    // With more than two actions hard targets take the same general softmax, so one-hot is bit-identical.
    const hard = datasetTensors(data, encoding);
    const oneHot = datasetTensors(withSoftTargets(data, teacher, 0), encoding);
    const h = lossAndGradient(spec, hard, 2);
    const s = lossAndGradient(spec, oneHot, 2);
    assert.equal(s.loss, h.loss);
    assert.deepEqual(s.grad, h.grad);
  }
});
