import assert from "node:assert/strict";
import { estimateDimensionality } from "../../src/cv/dimensionality.ts";
import type { AggregateRow } from "../../src/cv/rows.ts";
import { selectModels } from "../../src/cv/select.ts";
import { tutorial, tutorialRows } from "./reference_rows.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

function tutorialAggregate(): AggregateRow[] {
  const rows = tutorialRows("none");
  return selectModels(rows).aggregate;
}

Deno.test("mean-comparison variant reproduces the tutorial's rnn_final_perf_est_dim table", () => {
  const result = estimateDimensionality(tutorialAggregate(), { test: "mean" });
  const expected = tutorial.dimensionality;
  assert.equal(result.estimate, expected.estimated_dimensionality);
  assert.equal(result.estimate, 2);
  assert.deepEqual(result.hidden, [1, 2]);
  assert.deepEqual(result.pValues, expected.rows.map((r: Json) => r.less_pvalue));
  assert.deepEqual(result.lessThanFormer, expected.rows.map((r: Json) => r.less_than_former));
  result.rows.forEach((r, i) => assert.equal(r.testLoss, expected.rows[i].test_loss));
});

Deno.test("t-test variant reproduces the fixture's p-values, NaN self-comparisons and estimate 2", () => {
  const result = estimateDimensionality(tutorialAggregate());
  const expected = tutorial.dimensionality;
  assert.equal(result.test, "ttest");
  assert.equal(result.estimate, expected.ttest_variant_estimated_dimensionality);
  expected.rows.forEach((row: Json, i: number) => {
    row.ttest_variant_less_pvalue.forEach((p: number | null, j: number) => {
      const actual = result.pValues[i][j];
      if (p === null) assert.ok(Number.isNaN(actual), `p[${i}][${j}] should be NaN`);
      else assert.ok(Math.abs(actual - p) <= 1e-12 * p, `p[${i}][${j}] = ${actual}, expected ${p}`);
    });
    assert.equal(result.lessThanFormer[i], row.ttest_variant_less_than_former);
  });
  assert.deepEqual(result.nanComparisons, [], "self-comparisons do not decide any flag");
});

function aggregateRow(
  model: string,
  hidden: number,
  foldTestLoss: number[],
  kind: "rnn" | "cognitive" = "rnn",
) {
  const testLoss = foldTestLoss.reduce((s, v) => s + v, 0) / foldTestLoss.length;
  return {
    model,
    kind,
    cell: kind === "rnn" ? model.split("-")[0] : model,
    hidden,
    testLoss,
    outerFolds: foldTestLoss.map((_, i) => i),
    foldTestLoss,
  } as unknown as AggregateRow;
}

Deno.test("best cell per hidden size, flags against every smaller size, largest flagged size wins", () => {
  const result = estimateDimensionality([
    aggregateRow("gru-1", 1, [0.60, 0.61, 0.62]),
    aggregateRow("sgru-1", 1, [0.59, 0.60, 0.615]),
    aggregateRow("gru-2", 2, [0.55, 0.56, 0.57]),
    // Lower pooled loss than hidden 2 but not significantly better than it: flag 0.
    aggregateRow("gru-3", 3, [0.50, 0.57, 0.571]),
    aggregateRow("gru-4", 4, [0.60, 0.70, 0.65]),
  ]);
  assert.deepEqual(result.rows.map((r) => r.model), ["sgru-1", "gru-2", "gru-3", "gru-4"]);
  assert.deepEqual(result.lessThanFormer, [1, 1, 0, 0]);
  assert.equal(result.estimate, 2);
  assert.ok(result.pValues[1][0] < 0.05);
  assert.ok(result.pValues[2][1] > 0.05);
});

Deno.test("NaN p-values count as significant, as in the original, and are reported", () => {
  const result = estimateDimensionality([
    aggregateRow("gru-1", 1, [0.60, 0.61, 0.62]),
    aggregateRow("gru-2", 2, [0.60, 0.61, 0.62]),
  ]);
  assert.ok(Number.isNaN(result.pValues[1][0]));
  assert.deepEqual(result.lessThanFormer, [1, 1]);
  assert.equal(result.estimate, 2);
  assert.deepEqual(result.nanComparisons, [{ hidden: 2, than: 1 }]);
});

Deno.test("cognitive models are placed against the RNN curve", () => {
  const result = estimateDimensionality([
    aggregateRow("gru-1", 1, [0.60, 0.61, 0.62]),
    aggregateRow("gru-2", 2, [0.55, 0.56, 0.57]),
    aggregateRow("MB0", 2, [0.59, 0.605, 0.60], "cognitive"),
    aggregateRow("LS0", 2, [0.40, 0.41, 0.42], "cognitive"),
  ]);
  assert.deepEqual(result.hidden, [1, 2], "cognitive rows stay off the curve");
  const [ls0, mb0] = result.cognitive;
  assert.equal(mb0.model, "MB0");
  assert.equal(mb0.beatenByHidden, 2);
  assert.equal(mb0.pValue, mb0.pValues[1]);
  assert.ok(mb0.pValues[1] < 0.05);
  assert.equal(mb0.significantlyBeatenByHidden, 2);
  assert.equal(ls0.beatenByHidden, null);
  assert.ok(Number.isNaN(ls0.pValue));
  assert.equal(ls0.significantlyBeatenByHidden, null);
});

Deno.test("no RNN rows: no estimate; options are validated", () => {
  assert.equal(estimateDimensionality([]).estimate, null);
  assert.throws(() => estimateDimensionality([], { tset: "mean" } as never), /did you mean "test"/);
  assert.throws(() => estimateDimensionality([], { test: "welch" as never }), /must be one of ttest, mean/);
});
