/** The text summaries `deno task fit` prints: the cross-validation table and the single-split table. */

import assert from "node:assert/strict";
import { crossValidate } from "../../src/cv/cross_validate.ts";
import { fitSingle } from "../../src/cv/single.ts";
import { selectBlocks } from "../../src/data/dataset.ts";
import { formatL1, formatSingleFit, formatSummary } from "../../src/report/format.ts";
import { tutorialDataset } from "../engine/fixtures.ts";

const data = selectBlocks(tutorialDataset(), Array.from({ length: 24 }, (_, b) => b));

Deno.test("formatSummary: the aggregate table, the dimensionality with its p-values, the cognitive models", async () => {
  const summary = await crossValidate(data, {
    hidden: [1, 2],
    l1: [1e-5],
    cognitive: ["MB0"],
    outer: 3,
    inner: 2,
    seeds: 1,
    maxEpochs: 5,
    workers: 1,
  });
  const text = formatSummary(summary);
  const lines = text.split("\n");
  assert.match(lines[0], /^model\s+cell\s+d\s+test NLL\s+SEM\s+test acc\s+folds$/);
  assert.match(text, /^gru-1\s+gru\s+1\s+0\.\d{6}\s+0\.\d{6}\s+0\.\d{4}\s+3$/m);
  assert.match(text, /^MB0\s+MB0\s+2\s+0\.\d{6}/m);
  assert.match(text, /^dimensionality: [12] \(one-sided paired t-test across outer folds, alpha 0\.05\)$/m);
  assert.match(text, /^ {2}d=2: p\(d=2 < d=1\) = /m);
  assert.match(text, /^MB0 \(d=2, test NLL 0\.\d{6}\): /m);
  assert.doesNotMatch(text, /missing instances/);
  assert.match(formatSummary({ ...summary, missing: ["a", "b"] }), /missing instances: 2$/);
});

Deno.test("formatSingleFit: one row per network and cognitive model; formatL1", async () => {
  const result = await fitSingle(data, { hidden: [1], cognitive: ["MB0"], maxEpochs: 5, workers: 1 });
  const lines = formatSingleFit(result).split("\n");
  assert.match(lines[0], /^model\s+l1\s+seed\s+epochs\s+best\s+train NLL\s+val NLL\s+test NLL\s+test acc$/);
  assert.match(lines[1], /^gru-1\s+1e-05\s+0\s+6\s+\d+\s+0\.\d{6}/);
  assert.match(lines[2], /^MB0\s+-\s+0\s+-\s+-\s+0\.\d{6}/);
  assert.equal(lines.length, 3);
  assert.deepEqual([1e-5, 1e-3, 0].map(formatL1), ["1e-5", "1e-3", "0"]);
});
