import assert from "node:assert/strict";
import { assertClose, readFixture, tutorialDataset, tutorialFold00 } from "./fixtures.ts";
import { fit, randomSplit } from "../../src/engine/fit.ts";
import { FittedModel } from "../../src/engine/fitted_model.ts";
import { logLikelihood, traceBlock } from "../../src/agents/agent.ts";
import { selectBlocks } from "../../src/data/dataset.ts";
import { TinyRnnInputError } from "../../src/options.ts";

const parity = readFixture("gru_parity.json");
const trajectory = readFixture("training_trajectory.json");
const initOf = (hidden: number, seed = 0) =>
  parity.cases.find((c: { hidden_dim: number; seed: number }) => c.hidden_dim === hidden && c.seed === seed)
    .init_params;

Deno.test("fit reproduces the original d=1 training run (epochs, best epoch, best losses)", async () => {
  const data = tutorialDataset();
  const run = trajectory.runs.find((r: { hidden_dim: number }) => r.hidden_dim === 1);
  const model = await fit(data, {
    cell: "gru",
    hidden: 1,
    l1: 1e-5,
    lr: 0.005,
    init: initOf(1),
    split: tutorialFold00(),
  });
  assert.equal(model.epochs, run.epochs_run);
  assert.equal(model.bestEpoch, run.best_epoch);
  assertClose(
    "losses",
    [model.trainLoss, model.valLoss, model.testLoss],
    [
      run.best_train_loss,
      run.best_val_loss,
      run.best_test_loss,
    ],
    0,
    1e-6,
  );
  assertClose("val curve", model.curves.val.slice(0, 500), run.val_loss_log.slice(0, 500), 0, 1e-9);
  assert.equal(model.curves.test, undefined);
  for (const [name, tensor] of Object.entries(run.best_params)) {
    assertClose(name, (model.weights[name] as number[][]).flat(), (tensor as number[][]).flat(), 1e-6, 1e-9);
  }
  assert.ok(model.testAccuracy > 0.6 && model.testAccuracy < 0.75);
});

Deno.test("a fitted model runs, acts as an agent and survives a JSON round trip", async () => {
  const data = tutorialDataset();
  const c = parity.cases.find((k: { hidden_dim: number; seed: number }) =>
    k.hidden_dim === 2 && k.seed === 1
  );
  // maxEpochs 0: one step is taken, but the best (and returned) weights are those of epoch 0, the initial ones.
  const model = await fit(data, {
    hidden: 2,
    init: c.init_params,
    maxEpochs: 0,
    split: { train: [8, 9], val: [10] },
  });
  assert.equal(model.epochs, 1);
  assert.equal(model.bestEpoch, 0);
  assert.ok(Number.isNaN(model.testLoss));
  const first8 = selectBlocks(data, parity.batch.blocks);
  const out = model.run(first8);
  const logits = out.logits.map((rows) => rows.flat());
  const expected: number[][] = parity.batch.blocks.map((_: number, b: number) =>
    c.logits.flatMap((row: number[][]) => row[b])
  );
  for (let b = 0; b < 8; b++) assertClose(`logits block ${b}`, logits[b], expected[b], 1e-10, 1e-13);
  assertClose("probs sum", out.probs[0].map((p) => p[0] + p[1]), new Array(21).fill(1), 0, 1e-15);

  const agent = model.agent();
  assert.equal(agent.dynamicalVariables, 2);
  assert.deepEqual(agent.stateNames, ["h0", "h1"]);
  const trace = traceBlock(agent, data.blocks[3]);
  assertClose("agent trace", trace.scores.flatMap((s) => [...s]), out.logits[3].flat(), 0, 0);
  const ll = logLikelihood(agent, first8);
  assertClose("agent likelihood", [-ll.total / ll.scoredTrials], [c.loss], 1e-10, 0);

  const back = FittedModel.fromJSON(JSON.stringify(model));
  assert.deepEqual(back.run(first8), out);
  assert.deepEqual(back.weights, model.weights);
  assert.equal(back.bestEpoch, 0);
  assert.ok(Number.isNaN(back.testLoss));
});

Deno.test("fit validates options with did-you-mean messages", async () => {
  const data = tutorialDataset();
  await assert.rejects(
    fit(data, { hiden: 2 } as never),
    /unknown option "hiden" \(did you mean "hidden"\?\)/,
  );
  await assert.rejects(fit(data, { cell: "gur" }), /cell must be one of .*did you mean "gru"/);
  await assert.rejects(fit(data, { hidden: 0 }), /hidden must be >= 1/);
  await assert.rejects(fit(data, { split: { train: [0], val: [600] } }), /split.val has block 600/);
  await assert.rejects(fit(data, { split: { trian: [0], val: [1] } } as never), /did you mean "train"/);
  await assert.rejects(
    fit(data, { hidden: 1, readout: "diagonal" }),
    /diagonal readout needs hidden = number of actions/,
  );
  await assert.rejects(
    fit(data, { hidden: 1, init: { "rnn.weight_ih_l0": [] }, split: { train: [0], val: [1] } }),
    /rnn.weight_ih_l0.*length 3/,
  );
});

Deno.test("fit trains a list of models together and splits blocks at random by seed", async () => {
  const data = selectBlocks(tutorialDataset(), Array.from({ length: 40 }, (_, i) => i));
  const split = randomSplit(40, 3, [0.5, 0.25, 0.25]);
  assert.deepEqual([split.train.length, split.val.length, split.test.length], [20, 10, 10]);
  assert.deepEqual([...split.train, ...split.val, ...split.test].sort((a, b) => a - b), [
    ...Array(40).keys(),
  ]);
  const models = await fit(data, [
    { hidden: 1, seed: 1, maxEpochs: 30, split: { seed: 3, fractions: [0.5, 0.25, 0.25] } },
    { hidden: 2, seed: 2, maxEpochs: 30, split: { seed: 3, fractions: [0.5, 0.25, 0.25] }, workers: 0 },
  ]);
  assert.equal(models.length, 2);
  assert.deepEqual(models[0].config.train, split.train);
  assert.equal(models[1].numParams, 48);
  assert.equal(models[0].config.seed, 1);
  const again = await fit(data, {
    hidden: 2,
    seed: 2,
    maxEpochs: 30,
    split: { seed: 3, fractions: [0.5, 0.25, 0.25] },
  });
  assert.deepEqual(again.weights, models[1].weights);
});

Deno.test("fit refuses a block in two sets; FittedModel.fromJSON names bad JSON as bad input", async () => {
  const data = tutorialDataset();
  await assert.rejects(
    fit(data, { split: { train: [0, 1, 2], val: [2, 3] } }),
    (e: Error) =>
      e instanceof TinyRnnInputError && /block 2 is in both split.train and split.val/.test(e.message),
  );
  await assert.rejects(
    fit(data, { split: { train: [0, 1], val: [2], test: [1] } }),
    /block 1 is in both split.train and split.test/,
  );
  assert.throws(
    () => FittedModel.fromJSON("{{"),
    (e: Error) => e instanceof TinyRnnInputError && /fitted model JSON: not valid JSON/.test(e.message),
  );
});
