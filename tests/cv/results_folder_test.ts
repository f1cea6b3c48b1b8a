/**
 * crossValidate with a results folder leaves everything loadResults and the figures need (the data set as
 * data.json, written once); the engine is recorded in the instance settings when it is not native.
 */

import assert from "node:assert/strict";
import { crossValidate } from "../../src/cv/cross_validate.ts";
import { readInstance } from "../../src/cv/store.ts";
import { selectBlocks } from "../../src/data/dataset.ts";
import { loadJson } from "../../src/data/json.ts";
import { loadResults } from "../../src/report/results.ts";
import { writeRunFigures } from "../../src/report/figures.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { tutorialDataset } from "../engine/fixtures.ts";
import { modelOfRecord } from "../../src/cv/model_of_record.ts";
import { FittedModel } from "../../src/engine/fitted_model.ts";

const data = selectBlocks(tutorialDataset(), Array.from({ length: 24 }, (_, b) => b));
const RUN = { hidden: [1, 2], l1: [1e-5], cognitive: ["MB0"], outer: 3, inner: 2, seeds: 1, maxEpochs: 10 };

Deno.test("crossValidate with resultsDir: data.json once, then loadResults draws the run's figures", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cv-folder-" });
  try {
    await crossValidate(data, { ...RUN, resultsDir: dir, workers: 1 });
    assert.deepEqual(loadJson(`${dir}/data.json`), data);
    const stamp = (await Deno.stat(`${dir}/data.json`)).mtime?.getTime();
    const run = await loadResults(dir);
    assert.equal(run.dataSource, `${dir}/data.json`);
    assert.deepEqual(run.models.map((m) => m.aggregate.model), ["gru-1", "gru-2", "MB0"]);
    const written = await writeRunFigures(run, `${dir}/figures`, { outerFolds: "first" });
    assert.ok(written.includes(`${dir}/figures/loss_vs_d.svg`));
    assert.ok(written.includes(`${dir}/figures/gru-2/portrait_outer0.svg`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await crossValidate(data, { ...RUN, resultsDir: dir, workers: 1 });
    assert.equal((await Deno.stat(`${dir}/data.json`)).mtime?.getTime(), stamp);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crossValidate engine: tfjs instances record the engine; a native rerun of their folder is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cv-engine-" });
  try {
    const run = { hidden: [1], l1: [1e-5], outer: 2, inner: 2, seeds: 1, maxEpochs: 3, resultsDir: dir };
    await crossValidate(data, { ...run, engine: "tfjs" });
    const record = await readInstance(dir, "gru-1/l1-1e-05/outer0-inner0-seed0");
    assert.equal((record.config.settings as { engine?: string }).engine, "tfjs");
    assert.equal((record.extra as { engine?: { name: string } }).engine?.name, "tfjs");
    await assert.rejects(
      crossValidate(data, run),
      (e: Error) =>
        e instanceof TinyRnnInputError &&
        /other settings \(engine "tfjs", this run undefined\)/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crossValidate on point rewards: a network rebuilt from its folder keeps the reward scale it trained with", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cv-points-" });
  try {
    // The tutorial's 0/1 rewards as points 0/40: the networks see them divided by 40.
    const points = {
      ...data,
      blocks: data.blocks.map((b) => ({ ...b, reward: b.reward.map((r) => 40 * r) })),
    };
    await crossValidate(points, { ...RUN, hidden: [1], cognitive: [], resultsDir: dir, workers: 1 });
    const run = await loadResults(dir);
    const { record } = run.models[0].selected[0];
    assert.equal((record.config as Record<string, unknown>).rewardScale, 40);
    const model = modelOfRecord(record, { kind: points.kind, nActions: points.nActions });
    assert.ok(model instanceof FittedModel);
    assert.equal(model.rewardScale, 40);
    // Its losses on the point data are the ones training recorded (the test blocks' NLL).
    const test = selectBlocks(points, record.folds.test);
    const probs = model.run(test).probs;
    let nll = 0, n = 0;
    test.blocks.forEach((b, i) => b.action.forEach((a, t) => (nll -= Math.log(probs[i][t][a]), n++)));
    assert.ok(Math.abs(nll / n - record.row.testLoss) < 1e-12, `${nll / n} vs ${record.row.testLoss}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
