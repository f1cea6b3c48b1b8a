import assert from "node:assert/strict";
import type { InstanceRow } from "../../src/cv/rows.ts";
import { bestPerInnerFold, selectModels } from "../../src/cv/select.ts";
import { nestedFolds } from "../../src/cv/splits.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { tutorial, tutorialRows } from "./reference_rows.ts";

const fixtures = new URL("../../../shared/fixtures/", import.meta.url);
const cvMB0 = JSON.parse(Deno.readTextFileSync(new URL("cog_fit.json", fixtures))).cv_MB0;

const TOLERANCE = 1e-12;

function assertClose(actual: number, expected: number, label: string): void {
  assert.ok(
    Math.abs(actual - expected) <= TOLERANCE,
    `${label}: ${actual} differs from ${expected} by ${Math.abs(actual - expected)}`,
  );
}

// deno-lint-ignore no-explicit-any
type Json = any;

/** The original's aggregate fields and ours. */
const AGGREGATE_FIELDS: [string, string][] = [
  ["test_loss", "testLoss"],
  ["test_acc", "testAccuracy"],
  ["test_trial_num", "testTrials"],
  ["trainval_loss", "trainvalLoss"],
  ["trainval_acc", "trainvalAccuracy"],
  ["trainval_trial_num", "trainvalTrials"],
  ["train_loss", "trainLoss"],
  ["train_acc", "trainAccuracy"],
  ["train_trial_num", "trainTrials"],
  ["val_loss", "valLoss"],
  ["val_acc", "valAccuracy"],
  ["val_trial_num", "valTrials"],
  ["test_loss_outer_std", "testLossOuterStd"],
  ["test_loss_outer_sem", "testLossOuterSem"],
  ["test_loss_outer_sem", "sem"],
  ["test_acc_outer_std", "testAccuracyOuterStd"],
  ["test_acc_outer_sem", "testAccuracyOuterSem"],
  ["test_loss_mean_inner_sem", "testLossMeanInnerSem"],
  ["test_loss_outer_inner_sem", "testLossOuterInnerSem"],
  ["test_acc_mean_inner_sem", "testAccuracyMeanInnerSem"],
  ["test_acc_outer_inner_sem", "testAccuracyOuterInnerSem"],
  ["mean_train_trial_num", "meanTrainTrials"],
  ["mean_val_trial_num", "meanValTrials"],
];
const ARRAY_FIELDS: [string, string][] = [
  ["agg_outer_fold", "outerFolds"],
  ["agg_test_loss", "foldTestLoss"],
  ["agg_test_acc", "foldTestAccuracy"],
];

function assertAggregate(actual: Json, expected: Json, label: string): void {
  let compared = 0;
  for (const [theirs, ours] of AGGREGATE_FIELDS) {
    if (!(theirs in expected)) continue;
    assertClose(actual[ours], expected[theirs], `${label} ${ours}`);
    compared++;
  }
  for (const [theirs, ours] of ARRAY_FIELDS) {
    assert.equal(actual[ours].length, expected[theirs].length, `${label} ${ours}`);
    expected[theirs].forEach((v: number, i: number) =>
      assertClose(actual[ours][i], v, `${label} ${ours}[${i}]`)
    );
  }
  assert.ok(compared >= 20, `${label}: only ${compared} fields compared`);
}

Deno.test("selection reproduces tutorial_cv_reference.json: stage 1, selected models and every aggregate", () => {
  const { stage1, best, aggregate } = selectModels(tutorialRows("modelPath"));
  assert.equal(stage1.length, tutorial.stage1_best_seed_per_inner_fold.length);
  tutorial.stage1_best_seed_per_inner_fold.forEach((e: Json, i: number) => {
    const row = stage1[i];
    assert.deepEqual([row.hidden, row.outer, row.inner, row.seed], [
      e.hidden_dim,
      e.outer_fold,
      e.inner_fold,
      e.seed,
    ]);
    assertClose(row.trainvalLoss, e.trainval_loss, `stage1[${i}] trainvalLoss`);
  });
  assert.equal(best.length, tutorial.selected_best_models.length);
  tutorial.selected_best_models.forEach((e: Json, i: number) => {
    const row = best[i];
    assert.deepEqual([row.hidden, row.outer, row.inner, row.seed], [
      e.hidden_dim,
      e.outer_fold,
      e.inner_fold,
      e.seed,
    ]);
    assert.equal(row.id, e.model_path);
    assertClose(row.trainvalLoss, e.trainval_loss, `best[${i}] trainvalLoss`);
    assertClose(row.trainvalAcc, e.trainval_acc, `best[${i}] trainvalAcc`);
    assert.equal(row.trainvalTrials, e.trainval_trials);
  });
  assert.deepEqual(aggregate.map((r) => r.model), ["gru-1", "gru-2"]);
  tutorial.aggregate.forEach((e: Json, i: number) => {
    assert.equal(aggregate[i].hidden, e.hidden_dim);
    assertAggregate(aggregate[i], e, `gru-${e.hidden_dim}`);
    assert.deepEqual(
      aggregate[i].selected.map((s) => [s.outer, s.inner, s.seed, s.id]),
      e.selected_models.map((s: Json) => [s.outer_fold, s.inner_fold, s.seed, s.model_path]),
    );
  });
  assert.equal(aggregate[1].testLoss, 0.5769226373921479);
});

Deno.test("selection does not depend on the order of the rows", () => {
  const rows = tutorialRows("modelPath");
  const reversed = selectModels([...rows].reverse());
  assert.deepEqual(reversed, selectModels(rows));
});

/** MB0 (p_transit = 1) accuracies of one fitted model on some blocks: argmax of iTemp·Q, ties to action 0. */
function mb0Accuracy(params: number[], blocks: number[], actions: number[][], rewards: number[][]): number {
  const [alpha, iTemp] = params;
  let correct = 0;
  let total = 0;
  for (const b of blocks) {
    const q = [0, 0];
    for (let t = 0; t < actions[b].length; t++) {
      const predicted = iTemp * q[0] >= iTemp * q[1] ? 0 : 1;
      const a = actions[b][t];
      if (predicted === a) correct++;
      total++;
      q[a] = (1 - alpha) * q[a] + alpha * rewards[b][t];
    }
  }
  return correct / total;
}

Deno.test("selection reproduces cog_fit.json cv_MB0 (accuracies recounted from the fitted parameters)", () => {
  const lines = Deno.readTextFileSync(new URL("tutorial_bandit.csv", fixtures)).trim().split("\n");
  const header = lines[0].split(",");
  const [blockCol, actionCol, rewardCol] = ["block", "action", "reward"].map((c) => header.indexOf(c));
  const actions: number[][] = [];
  const rewards: number[][] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    const b = Number(cells[blockCol]);
    (actions[b] ??= []).push(Number(cells[actionCol]));
    (rewards[b] ??= []).push(Number(cells[rewardCol]));
  }
  const folds = nestedFolds(500, 3, 2);
  const rows: InstanceRow[] = cvMB0.per_model.map((m: Json) => {
    const fold = folds[m.outer_fold];
    const inner = fold.inner[m.inner_fold];
    return {
      model: "MB0",
      kind: "cognitive",
      cell: "MB0",
      hidden: 2,
      l1: 0,
      outer: m.outer_fold,
      inner: m.inner_fold,
      seed: m.seed,
      epochs: 0,
      bestEpoch: 0,
      trainLoss: m.train_nll,
      valLoss: m.val_nll,
      testLoss: m.test_nll,
      trainTrials: m.train_trials,
      valTrials: m.val_trials,
      testTrials: m.test_trials,
      trainAcc: mb0Accuracy(m.params, inner.train, actions, rewards),
      valAcc: mb0Accuracy(m.params, inner.val, actions, rewards),
      testAcc: mb0Accuracy(m.params, fold.test, actions, rewards),
    };
  });
  const { best, aggregate } = selectModels(rows);
  cvMB0.selected_best_models.forEach((e: Json, i: number) => {
    assert.deepEqual([best[i].outer, best[i].inner, best[i].seed], [e.outer_fold, e.inner_fold, e.seed]);
    assertClose(best[i].trainvalLoss, e.trainval_nll, `best[${i}] trainval`);
    for (const key of ["train_acc", "val_acc", "test_acc"]) {
      assert.equal(
        best[i][key === "train_acc" ? "trainAcc" : key === "val_acc" ? "valAcc" : "testAcc"],
        e[key],
      );
    }
  });
  assert.equal(aggregate.length, 1);
  assert.equal(aggregate[0].hidden, cvMB0.aggregate.hidden_dim);
  assertAggregate(aggregate[0], cvMB0.aggregate, "MB0");
  assertClose(aggregate[0].testLoss, 0.573736251664805, "MB0 pooled test NLL");
});

function row(overrides: Partial<InstanceRow>): InstanceRow {
  return {
    model: "gru-1",
    kind: "rnn",
    cell: "gru",
    hidden: 1,
    l1: 1e-5,
    outer: 0,
    inner: 0,
    seed: 0,
    epochs: 10,
    bestEpoch: 5,
    trainLoss: 0.6,
    valLoss: 0.6,
    testLoss: 0.6,
    trainTrials: 100,
    valTrials: 100,
    testTrials: 100,
    ...overrides,
  };
}

Deno.test("stage 1 ties keep the lowest L1, then the lowest seed; NaN never wins", () => {
  const stage1 = bestPerInnerFold([
    row({ l1: 1e-3, seed: 0, valLoss: 0.5, testLoss: 1 }),
    row({ l1: 1e-4, seed: 2, valLoss: 0.5, testLoss: 2 }),
    row({ l1: 1e-4, seed: 1, valLoss: 0.5, testLoss: 3 }),
    row({ l1: 1e-5, seed: 0, valLoss: NaN, testLoss: 4 }),
  ]);
  assert.equal(stage1.length, 1);
  assert.equal(stage1[0].testLoss, 3);
});

Deno.test("hand-made table: pooling by trials, stage 2 by trainval loss, models ordered RNN then cognitive", () => {
  const { best, aggregate } = selectModels([
    row({ model: "MB0", kind: "cognitive", cell: "MB0", hidden: 2, l1: 0, outer: 0, testLoss: 0.5 }),
    row({ model: "MB0", kind: "cognitive", cell: "MB0", hidden: 2, l1: 0, outer: 1, testLoss: 0.7 }),
    row({ outer: 0, inner: 0, trainLoss: 0.4, valLoss: 0.8, testLoss: 0.5, testTrials: 100 }),
    row({ outer: 0, inner: 1, trainLoss: 0.5, valLoss: 0.6, testLoss: 0.6, testTrials: 100 }),
    row({ outer: 1, inner: 0, testLoss: 0.8, testTrials: 300, trainTrials: 300 }),
  ]);
  // outer 0: inner 0 trainval (0.4·100 + 0.8·100)/200 = 0.6 > inner 1's 0.55.
  assert.deepEqual(best.map((r) => [r.model, r.outer, r.inner]), [["gru-1", 0, 1], ["gru-1", 1, 0], [
    "MB0",
    0,
    0,
  ], [
    "MB0",
    1,
    0,
  ]]);
  assert.deepEqual(aggregate.map((r) => r.model), ["gru-1", "MB0"]);
  assertClose(aggregate[0].testLoss, (0.6 * 100 + 0.8 * 300) / 400, "pooled");
  assertClose(aggregate[0].trainLoss, (0.5 * 100 + 0.6 * 300) / 400, "pooled train");
  assert.deepEqual(aggregate[0].foldTestLoss, [0.6, 0.8]);
  assertClose(aggregate[0].sem, 0.1, "sem of [0.6, 0.8]");
  assert.ok(Number.isNaN(aggregate[0].testAccuracy), "no accuracies given");
  assertClose(aggregate[1].testLoss, 0.6, "MB0");
});

Deno.test("invalid rows are rejected with the row and column named", () => {
  assert.throws(
    () => selectModels([row({}), row({ valLoss: "0.5" as never })]),
    (e: Error) =>
      e instanceof TinyRnnInputError && /instance row 1/.test(e.message) && /"valLoss"/.test(e.message),
  );
  assert.throws(
    () => selectModels([row({}), row({})]),
    /same model, outer, inner, l1 and seed as instance row 0/,
  );
  assert.throws(
    () => selectModels([row({}), row({ seed: 1, hidden: 2 })]),
    /model "gru-1" is rnn gru 2 here/,
  );
  assert.throws(() => selectModels([row({ kind: "net" as never })]), /"kind"/);
  assert.throws(() => selectModels([row({ outer: 0.5 })]), /"outer" must be an integer/);
});
