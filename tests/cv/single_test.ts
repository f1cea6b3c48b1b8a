/**
 * fitSingle: one random split, every network and cognitive model fitted once; the networks equal `fit` on
 * the same split, the files are those `deno task fit --single --out` writes, and options are checked.
 */

import assert from "node:assert/strict";
import { fitSingle } from "../../src/cv/single.ts";
import { fit, randomSplit } from "../../src/engine/fit.ts";
import { FittedModel } from "../../src/engine/fitted_model.ts";
import { selectBlocks } from "../../src/data/dataset.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { readFixture, tutorialDataset } from "../engine/fixtures.ts";

const data = selectBlocks(tutorialDataset(), Array.from({ length: 24 }, (_, b) => b));

Deno.test("fitSingle: networks as fit trains them on the split, cognitive models, one file each", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-single-" });
  try {
    const init = readFixture("tutorial_init_weights.json").weights;
    const result = await fitSingle(data, {
      hidden: [1, 2],
      l1: [1e-5],
      seeds: 2,
      cognitive: ["MB0"],
      maxEpochs: 8,
      fractions: [0.5, 0.25, 0.25],
      splitSeed: 3,
      init: { "gru-2-seed1": init["gru-2-seed1"] },
      resultsDir: dir,
      workers: 1,
    });
    const split = randomSplit(24, 3, [0.5, 0.25, 0.25]);
    assert.deepEqual(result.split, split);
    assert.deepEqual(result.networks.map((n) => n.name), [
      "gru-1-l1-1e-05-seed0",
      "gru-1-l1-1e-05-seed1",
      "gru-2-l1-1e-05-seed0",
      "gru-2-l1-1e-05-seed1",
    ]);
    const alone = await fit(data, { hidden: 2, seed: 1, maxEpochs: 8, split, init: init["gru-2-seed1"] });
    const given = result.networks[3].model;
    assert.equal(given.testLoss, alone.testLoss);
    assert.deepEqual(given.weights, alone.weights);
    assert.deepEqual(result.cognitive.map((c) => [c.name, c.seed]), [["MB0-seed0", 0], ["MB0-seed1", 1]]);
    assert.ok(result.cognitive.every((c) => c.trainLoss > 0 && c.valLoss > 0 && c.testLoss > 0));
    assert.deepEqual(result.files, [
      ...result.networks.map((n) => `${n.name}.json`),
      "MB0-seed0.json",
      "MB0-seed1.json",
    ]);
    const saved = FittedModel.fromJSON(await Deno.readTextFile(`${dir}/gru-2-l1-1e-05-seed1.json`));
    assert.equal(saved.testLoss, given.testLoss);
    const mb0 = JSON.parse(await Deno.readTextFile(`${dir}/MB0-seed0.json`));
    assert.deepEqual(Object.keys(mb0), ["model", "params", "trainLoss", "valLoss", "testLoss", "split"]);
    assert.equal(mb0.testLoss, result.cognitive[0].testLoss);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fitSingle: options are checked before anything trains", async () => {
  const fails = (options: object, pattern: RegExp) =>
    assert.rejects(
      fitSingle(data, options),
      (e: Error) => e instanceof TinyRnnInputError && pattern.test(e.message),
    );
  await fails({ hiden: [1] }, /fitSingle: unknown option "hiden" \(did you mean "hidden"\?\)/);
  await fails({ cells: [] }, /fitSingle: nothing to fit/);
  await fails(
    { fractions: [0, 1, 1] },
    /fitSingle: fractions \[0,1,1\] leave no training or validation block of 24/,
  );
  await fails({ fractions: [1, 1] }, /fitSingle: fractions must be \[train, val, test\]/);
  await fails({ engine: "gpu" }, /fitSingle: engine must be one of native, tfjs, auto/);
  await fails({ cognitive: ["MBX"] }, /unknown cognitive model "MBX"/);
});
