import assert from "node:assert/strict";
import { bartoloFileName, loadBartolo } from "../../src/data/bartolo.ts";
import { crossValidate } from "../../src/cv/cross_validate.ts";
import { exists } from "./helpers.ts";

// The real-data example of the README (one monkey session); skipped when ../shared/data is not there.
const DATA = new URL("../../../shared/data/", import.meta.url).pathname;
const SESSION_FILE = `${DATA}${bartoloFileName("V20161017")}`;
const LOG2 = Math.log(2);

Deno.test({
  name:
    "bartolo cv: session V20161017 loads to 24 x 60 and a short cross-validation ranks GRUs and MB0/MB1/LS0",
  ignore: !exists(SESSION_FILE),
  fn: async () => {
    const data = loadBartolo(SESSION_FILE, { blockTruncation: [10, 70] });
    assert.equal(data.kind, "bandit");
    assert.equal(data.blocks.length, 24);
    for (const block of data.blocks) {
      assert.equal(block.action.length, 60);
      block.trialType.forEach((type, t) => assert.equal(type, 2 * block.action[t] + block.reward[t]));
    }

    // Short on purpose (seconds on 2 cores): the assertions are structural, not the README's numbers.
    const outer = 4, inner = 3;
    const summary = await crossValidate(data, {
      cells: ["gru"],
      hidden: [1, 2],
      cognitive: ["MB0", "MB1", "LS0", "BAS"],
      outer,
      inner,
      seeds: 1,
      l1: [1e-5],
      maxEpochs: 300,
    });

    const models = ["gru-1", "gru-2", "MB0", "MB1", "LS0", "BAS"];
    assert.deepEqual(summary.missing, []);
    assert.deepEqual(summary.aggregate.map((r) => r.model).sort(), [...models].sort());
    assert.equal(summary.models.length, models.length * outer * inner);
    assert.equal(summary.best.length, models.length * outer);
    const byModel = new Map(summary.aggregate.map((r) => [r.model, r]));
    for (const row of summary.aggregate) {
      // Every block is tested exactly once over the outer folds, every trial of it scored.
      assert.equal(row.testTrials, 24 * 60, row.model);
      assert.equal(row.foldTestLoss.length, outer, row.model);
      assert.ok(Number.isFinite(row.testLoss) && Number.isFinite(row.sem), row.model);
    }
    // The baseline predicts a fixed choice probability: about chance on this balanced session.
    const baseline = byModel.get("BAS")!.testLoss;
    assert.ok(Math.abs(baseline - LOG2) < 0.02, `BAS ${baseline}`);
    for (const model of ["gru-1", "gru-2", "MB0", "MB1", "LS0"]) {
      const row = byModel.get(model)!;
      assert.ok(row.testLoss < LOG2, `${model} pooled test NLL ${row.testLoss} is not below log 2`);
      assert.ok(row.testLoss < baseline, `${model} does not beat BAS`);
    }
    const best = summary.aggregate.reduce((a, b) => (b.testLoss < a.testLoss ? b : a));
    assert.ok(best.testLoss < baseline - 0.1, `best ${best.model} ${best.testLoss} vs BAS ${baseline}`);
    assert.ok(best.testAccuracy > 0.65, `best ${best.model} accuracy ${best.testAccuracy}`);

    const dim = summary.dimensionality;
    assert.ok(dim.estimate === 1 || dim.estimate === 2, `dimensionality ${dim.estimate}`);
    assert.deepEqual(dim.hidden, [1, 2]);
    assert.deepEqual(dim.cognitive.map((c) => c.model).sort(), ["BAS", "LS0", "MB0", "MB1"]);
  },
});
