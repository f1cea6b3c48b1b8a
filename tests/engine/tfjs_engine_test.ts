import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { assertClose, tutorialDataset } from "./fixtures.ts";
import { datasetTensors } from "../../src/engine/batch.ts";
import type { TrainJob } from "../../src/engine/job.ts";
import { trainMany } from "../../src/engine/many.ts";
import { fit } from "../../src/engine/fit.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { hardwareGpu, useTfjsBackend } from "../../src/engine/tfjs/backend.ts";
import { chooseEngine } from "../../src/engine/tfjs/auto.ts";
import { linear } from "../../src/engine/tfjs/cell.ts";
import { defineTfjsCell } from "../../src/engine/tfjs/define.ts";
import { trainTfjs } from "../../src/engine/tfjs/train.ts";

const data = tutorialDataset();
const tensors = { asr: datasetTensors(data, "asr") };
const blocks = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const base = { train: blocks(0, 20), val: blocks(20, 20), test: blocks(40, 20), maxEpochs: 6, patience: 3 };

Deno.test("backend auto: webgpu only on a hardware adapter, else wasm; the reason says why", async () => {
  const gpu = await hardwareGpu();
  const report = await useTfjsBackend("auto");
  assert.equal(report.backend, gpu.ok ? "webgpu" : "wasm");
  assert.match(report.reason, gpu.ok ? /hardware GPU/ : /wasm/);
  assert.equal(tf.getBackend(), report.backend);
  await assert.rejects(
    () => useTfjsBackend("gpu" as "cpu"),
    /backend must be one of auto, webgpu, wasm, cpu.*did you mean "cpu"/,
  );
});

Deno.test("a stack of models trains as each model alone (different seeds, folds, l1, lr, patience)", async () => {
  const jobs: TrainJob[] = [
    { hidden: 2, seed: 1, ...base },
    { hidden: 2, seed: 2, ...base, train: blocks(60, 20), l1: 1e-3, patience: 1 },
    { hidden: 2, seed: 3, ...base, lr: 0.02, maxEpochs: 3, testCurve: true },
    { hidden: 3, seed: 1, ...base, test: [] },
  ];
  const together = await trainTfjs(tensors, 2, jobs, { backend: "cpu" });
  for (let i = 0; i < jobs.length; i++) {
    const [alone] = await trainTfjs(tensors, 2, [jobs[i]], { backend: "cpu" });
    const r = together[i];
    assert.equal(r.epochs, alone.epochs, `job ${i} epochs`);
    assert.equal(r.bestEpoch, alone.bestEpoch);
    assert.equal(r.stoppedEarly, alone.stoppedEarly);
    assertClose(`job ${i} val curve`, r.curves.val, alone.curves.val, 1e-6, 0);
    assertClose(`job ${i} weights`, r.flatWeights, alone.flatWeights, 1e-5, 1e-7);
  }
  assert.equal(together[1].stoppedEarly || together[1].epochs === 7, true);
  assert.equal(together[2].epochs, 4);
  assert.equal(together[2].curves.test!.length, 4);
  assert.ok(Number.isNaN(together[3].testLoss));
  assert.equal(together[3].testTrials, 0);
});

Deno.test("trainMany and fit take engine: tfjs results say so; auto says which engine and why", async () => {
  const job: TrainJob = { hidden: 2, seed: 0, ...base };
  const [viaTfjs] = await trainMany(data, [job], { engine: "tfjs" });
  assert.equal(viaTfjs.engine?.name, "tfjs");
  const [viaNative] = await trainMany(data, [job]);
  assert.equal(viaNative.engine, undefined);
  assertClose("val curves", viaTfjs.curves.val, viaNative.curves.val, 1e-5, 0);
  const [viaAuto] = await trainMany(data, [job], { engine: "auto" });
  const backend = (await useTfjsBackend("auto")).backend;
  const expected = chooseEngine({ cell: "gru", hidden: 2, models: 1, blocks: 60 }, { backend, workers: 1 });
  assert.equal(viaAuto.engine?.name, expected.engine);
  assert.match(viaAuto.engine!.reason!, /^auto: /);
  const progress: number[] = [];
  const model = await fit(data, {
    hidden: 2,
    split: { train: base.train, val: base.val, test: base.test },
    maxEpochs: 4,
    engine: "tfjs",
    onProgress: (p) => p.done && progress.push(p.job),
  });
  assert.deepEqual(progress, [0]);
  assert.equal(model.epochs, 5);
  await assert.rejects(
    () => trainMany(data, [job], { engine: "gpu" as "tfjs" }),
    /engine must be one of native, tfjs, auto/,
  );
});

Deno.test("auto: native on cpu backends; webgpu only for wide stacks of large networks", () => {
  for (const backend of ["wasm", "cpu"] as const) {
    for (const hidden of [2, 8, 32, 128]) {
      assert.equal(
        chooseEngine({ cell: "gru", hidden, models: 64, blocks: 500 }, { backend, workers: 2 }).engine,
        "native",
      );
    }
  }
  assert.equal(
    chooseEngine({ cell: "gru", hidden: 2, models: 64, blocks: 500 }, { backend: "webgpu", workers: 16 })
      .engine,
    "native",
  );
  assert.equal(
    chooseEngine({ cell: "gru", hidden: 128, models: 64, blocks: 500 }, { backend: "webgpu", workers: 16 })
      .engine,
    "tfjs",
  );
});

// A GRU written as a user would, with only `step` (the generic path): it must train exactly as the built-in
// tfjs GRU from the same weights.
defineTfjsCell({
  name: "user_gru",
  params: (d, inputs) => [
    { name: "rnn.weight_ih_l0", shape: [3 * d, inputs] },
    { name: "rnn.weight_hh_l0", shape: [3 * d, d] },
    { name: "rnn.bias_ih_l0", shape: [3 * d] },
    { name: "rnn.bias_hh_l0", shape: [3 * d] },
  ],
  step: (p, x, h) => {
    const [ir, iz, inn] = tf.split(linear(x, p["rnn.weight_ih_l0"], p["rnn.bias_ih_l0"]), 3, 2);
    const [hr, hz, hn] = tf.split(linear(h, p["rnn.weight_hh_l0"], p["rnn.bias_hh_l0"]), 3, 2);
    const r = tf.sigmoid(tf.add(ir, hr));
    const z = tf.sigmoid(tf.add(iz, hz));
    const n = tf.tanh(tf.add(inn, tf.mul(r, hn)));
    return tf.add(tf.mul(tf.sub(h, n), z), n) as tf.Tensor3D;
  },
});

// The documented example: a leaky tanh unit with a learned rate per unit.
defineTfjsCell({
  name: "leaky",
  params: (d, inputs) => [
    { name: "rnn.weight_ih", shape: [d, inputs] },
    { name: "rnn.weight_hh", shape: [d, d] },
    { name: "rnn.bias", shape: [d] },
    { name: "rnn.leak", shape: [d], init: { kind: "constant", value: 0 } },
  ],
  step: (p, x, h) => {
    const drive = tf.tanh(
      tf.add(linear(x, p["rnn.weight_ih"], p["rnn.bias"]), linear(h, p["rnn.weight_hh"])),
    );
    const rate = tf.sigmoid(tf.expandDims(p["rnn.leak"], 1));
    return tf.add(h, tf.mul(rate, tf.sub(drive, h))) as tf.Tensor3D;
  },
});

Deno.test("defineTfjsCell: a GRU written with step alone trains as the built-in tfjs GRU", async () => {
  const [builtin] = await trainTfjs(tensors, 2, [{ hidden: 2, seed: 5, ...base }], { backend: "cpu" });
  const [user] = await trainTfjs(tensors, 2, [{ cell: "user_gru", hidden: 2, seed: 5, ...base }], {
    backend: "cpu",
  });
  assert.equal(user.epochs, builtin.epochs);
  assertClose("val curve", user.curves.val, builtin.curves.val, 1e-6, 0);
  assertClose("weights", user.flatWeights, builtin.flatWeights, 1e-5, 1e-7);
});

Deno.test("defineTfjsCell: the documented leaky cell trains through fit (tfjs and auto), not native", async () => {
  const split = { train: blocks(0, 40), val: blocks(40, 20), test: blocks(60, 20) };
  const model = await fit(data, { cell: "leaky", hidden: 2, split, maxEpochs: 30, lr: 0.05, engine: "tfjs" });
  assert.deepEqual(Object.keys(model.weights), [
    "rnn.weight_ih",
    "rnn.weight_hh",
    "rnn.bias",
    "rnn.leak",
    "lin.weight",
    "lin.bias",
  ]);
  assert.ok(model.curves.val[model.bestEpoch] < model.curves.val[0] - 0.01, "validation loss falls");
  // The fitted model runs through the same step (a float64 view of the tfjs cell).
  const run = model.run({ ...data, blocks: data.blocks.slice(60, 62) });
  assert.equal(run.logits.length, 2);
  assert.ok(run.logits[0].flat().every(Number.isFinite));
  const [auto] = await trainMany(data, [{ cell: "leaky", hidden: 2, ...base }], { engine: "auto" });
  assert.equal(auto.engine?.name, "tfjs");
  assert.match(auto.engine!.reason!, /exists only as tfjs ops/);
  await assert.rejects(
    () => trainMany(data, [{ cell: "leaky", hidden: 2, ...base }]),
    (e: unknown) => e instanceof TinyRnnInputError && /engine "tfjs" or "auto"/.test(e.message),
  );
});

Deno.test("defineTfjsCell: bad definitions are rejected with the option named", () => {
  assert.throws(
    () => defineTfjsCell({ name: "gru", params: () => [], step: (_p, _x, h) => h }),
    /built-in cell/,
  );
  assert.throws(
    () =>
      defineTfjsCell(
        {
          name: "x",
          params: () => [],
          step: (_p: unknown, _x: unknown, h: tf.Tensor3D) => h,
          stateSze: 2,
        } as never,
      ),
    /unknown option "stateSze" \(did you mean "stateSize"\?\)/,
  );
  const bad = defineTfjsCell({
    name: "bad_shape",
    params: () => [{ name: "rnn.w", shape: [0] }],
    step: (_p, _x, h) => h,
  });
  assert.throws(() => bad.parameters(2, 3), /shape must be a list of positive integers/);
});

Deno.test("soft targets on tfjs: training fits them, validation scores the choices, as the native engine (float32)", async () => {
  const { withSoftTargets } = await import("../../src/data/soft_targets.ts");
  const { trainJob } = await import("../../src/engine/train.ts");
  const few = { ...data, blocks: data.blocks.slice(0, 60) };
  // A made-up teacher, deterministic and away from 0 and 1, mixed with the choices.
  const teacher = few.blocks.map((block, b) =>
    block.action.map((_, t) => {
      const p = 0.5 + 0.35 * Math.sin(3 * t + 7 * b);
      return [p, 1 - p];
    })
  );
  const soft = withSoftTargets(few, teacher, 0.7);
  const job: TrainJob = { hidden: 2, seed: 4, ...base, maxEpochs: 5, patience: 10 };
  const native = trainJob(datasetTensors(soft, "asr"), 2, job);
  const [viaTfjs] = await trainTfjs({ asr: datasetTensors(soft, "asr") }, 2, [job], { backend: "cpu" });
  assertClose("train curve (soft targets)", viaTfjs.curves.train, native.curves.train, 1e-5, 1e-6);
  assertClose("val curve (choices)", viaTfjs.curves.val, native.curves.val, 1e-5, 1e-6);
  assert.ok(Math.abs(viaTfjs.testLoss - native.testLoss) < 1e-5);
  assert.ok(
    Math.abs(viaTfjs.trainLoss - native.trainLoss) < 1e-5,
    `${viaTfjs.trainLoss} vs ${native.trainLoss}`,
  );
  assert.ok(Math.abs(viaTfjs.valLoss - native.valLoss) < 1e-5);
  // The soft loss differs from the loss on the choices: the targets did reach training.
  const hard = trainJob(datasetTensors(few, "asr"), 2, job);
  assert.ok(Math.abs(hard.curves.train[0] - native.curves.train[0]) > 1e-3);
  assert.equal(hard.curves.val[0], native.curves.val[0]);
});
