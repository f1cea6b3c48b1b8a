/**
 * End to end against the original: the tutorial cross-validation (GRU d = 1, 2; 3 outer × 2 inner folds ×
 * 2 seeds; l1 1e-5; max 10000 epochs, patience 200), started from the original's initial weights, reproduces
 * `tutorial_cv_reference.json`. The run happens once; every assertion reads its result.
 */

import assert from "node:assert/strict";
import { crossValidate } from "../../src/cv/cross_validate.ts";
import { readInstance, readSummary } from "../../src/cv/store.ts";
import { trainMany } from "../../src/engine/many.ts";
import type { Summary } from "../../src/cv/summary.ts";
import { loadCsv } from "../../src/data/csv.ts";
import { FIXTURES, readFixture } from "../engine/fixtures.ts";

const reference = readFixture("tutorial_cv_reference.json");
const splits = readFixture("kfold_splits.json").settings.find((s: { n_blocks: number }) =>
  s.n_blocks === 500
);
const init = readFixture("tutorial_init_weights.json").weights;

interface RefModel {
  hidden_dim: number;
  outer_fold: number;
  inner_fold: number;
  seed: number;
  epochs: number;
  best_epoch: number;
  train_loss: number;
  val_loss: number;
  test_loss: number;
  train_trials: number;
  val_trials: number;
  test_trials: number;
  train_acc: number;
  val_acc: number;
  test_acc: number;
}

let cached: Promise<{ summary: Summary; dir: string; seconds: number }> | undefined;
/** The one run of this file (the tests share it). */
function tutorialRun(): Promise<{ summary: Summary; dir: string; seconds: number }> {
  cached ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cv-ref-" });
    const data = loadCsv(new URL("tutorial_bandit.csv", FIXTURES).pathname);
    const started = performance.now();
    const summary = await crossValidate(data, {
      cells: ["gru"],
      hidden: [1, 2],
      outer: 3,
      inner: 2,
      seeds: 2,
      l1: [1e-5],
      maxEpochs: 10000,
      patience: 200,
      init,
      resultsDir: dir,
    });
    return { summary, dir, seconds: (performance.now() - started) / 1000 };
  })();
  return cached;
}

const id = (m: { hidden_dim: number; outer_fold: number; inner_fold: number; seed: number }) =>
  `gru-${m.hidden_dim}/l1-1e-05/outer${m.outer_fold}-inner${m.inner_fold}-seed${m.seed}`;

/** Whether our instance stops where the original's does. */
function sameStop(row: Summary["models"][number], ref: RefModel): boolean {
  return row.epochs === ref.epochs && row.bestEpoch === ref.best_epoch;
}

/** `x` moved by `k` units in the last place (k may be negative). */
function ulps(x: number, k: number): number {
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] += BigInt(k);
  return new Float64Array(bits.buffer)[0];
}

Deno.test("tutorial CV: every instance's losses within 1e-4 of the original's; it stops at the same epoch or is shown to be decided by rounding", async () => {
  const { summary, dir, seconds } = await tutorialRun();
  console.log(`tutorial CV (24 GRUs) in ${seconds.toFixed(1)} s`);
  assert.equal(summary.models.length, 24);
  assert.deepEqual(summary.missing, []);
  const differing: { row: Summary["models"][number]; ref: RefModel }[] = [];
  for (const ref of reference.per_model as RefModel[]) {
    const row = summary.models.find((r) => r.id === id(ref));
    assert.ok(row, `no row for ${id(ref)}`);
    for (const part of ["train", "val", "test"] as const) {
      assert.equal(row[`${part}Trials`], ref[`${part}_trials`], `${row.id} ${part} trials`);
    }
    // The issue's requirement, for every instance: best-epoch losses within 1e-4 of the original's.
    for (const part of ["train", "val", "test"] as const) {
      assert.ok(
        Math.abs(row[`${part}Loss`] - ref[`${part}_loss`]) <= 1e-4,
        `${row.id} ${part} loss ${row[`${part}Loss`]} vs original ${ref[`${part}_loss`]}`,
      );
    }
    if (!sameStop(row, ref)) differing.push({ row, ref });
  }
  for (const { row, ref } of differing) {
    console.log(
      `${row.id}: epochs ${row.epochs} (original ${ref.epochs}), test loss ${row.testLoss} (original ${ref.test_loss})`,
    );
  }
  // Long runs of d = 1 creep along a flat valley for thousands of epochs, and there the last-bit differences
  // between our float64 arithmetic and PyTorch's (BLAS summation order) grow until they move the stopping
  // epoch. Such an instance is not determined by the algorithm: a 1-ulp change of a single initial weight
  // changes our own run as much. Every instance that differs from the original must be shown to be such.
  if (differing.length === 0) return;
  const data = loadCsv(new URL("tutorial_bandit.csv", FIXTURES).pathname);
  // Three independent 1-ulp nudges per differing instance; at least one must move our own stopping epoch (a
  // single nudge can land on the same epoch by chance).
  const nudges: [string, number, number][] = [["lin.bias", 0, 1], ["lin.bias", 0, -1], [
    "rnn.bias_hh_l0",
    0,
    1,
  ]];
  const jobs = [];
  for (const { row } of differing) {
    const record = await readInstance(dir, row.id!);
    for (const [name, index, k] of nudges) {
      const start = structuredClone(init[`gru-${row.hidden}-seed${row.seed}`]);
      start[name][index] = ulps(start[name][index], k);
      jobs.push({
        hidden: row.hidden,
        init: start,
        l1: 1e-5,
        train: record.folds.train,
        val: record.folds.val,
        test: record.folds.test,
        maxEpochs: 10000,
        patience: 200,
      });
    }
  }
  const nudged = await trainMany(data, jobs);
  differing.forEach(({ row }, i) => {
    const results = nudged.slice(i * nudges.length, (i + 1) * nudges.length);
    console.log(`${row.id} nudged by 1 ulp: epochs ${results.map((r) => r.epochs).join(", ")}`);
    assert.ok(
      results.some((r) => r.epochs !== row.epochs),
      `${row.id} differs from the original, but no 1-ulp change of its initial weights changes our run`,
    );
  });
});

Deno.test("tutorial CV: same selected models, pooled test NLL within 1e-4, dimensionality 2", async () => {
  const { summary } = await tutorialRun();
  const selected = summary.best.map((r) => [r.hidden, r.outer, r.inner, r.seed]);
  const expected = reference.selected_best_models.map((
    m: RefModel,
  ) => [m.hidden_dim, m.outer_fold, m.inner_fold, m.seed]);
  assert.deepEqual(selected, expected);
  for (const ref of reference.aggregate) {
    const row = summary.aggregate.find((r) => r.hidden === ref.hidden_dim)!;
    assert.equal(row.model, `gru-${ref.hidden_dim}`);
    assert.ok(Math.abs(row.testLoss - ref.test_loss) <= 1e-4, `d=${ref.hidden_dim} ${row.testLoss}`);
    assert.equal(row.testTrials, ref.test_trial_num);
    assert.deepEqual(row.outerFolds, ref.agg_outer_fold);
    assert.ok(Math.abs(row.sem - ref.test_loss_outer_sem) <= 1e-4);
    assert.ok(Math.abs(row.testAccuracy - ref.test_acc) <= 1e-3);
  }
  assert.ok(Math.abs(summary.aggregate[1].testLoss - 0.576923) <= 1e-4);
  assert.ok(Math.abs(summary.aggregate[0].testLoss - 0.591522) <= 1e-4);
  assert.equal(summary.dimensionality.estimate, reference.dimensionality.estimated_dimensionality);
  assert.equal(summary.dimensionality.estimate, 2);
  // The one-sided paired t-test of the original (its ttest variant): p(d=2 < d=1) = 0.00275.
  assert.ok(Math.abs(summary.dimensionality.pValues[1][0] - 0.00275276976915073) <= 1e-3);
});

Deno.test("tutorial CV: the results folder holds every instance (folds of the original, weights, curves) and the summary", async () => {
  const { summary, dir } = await tutorialRun();
  try {
    const written = await readSummary(dir);
    assert.deepEqual(written, summary);
    const csv = await Deno.readTextFile(`${dir}/summary.csv`);
    assert.equal(csv.trim().split("\n").length, 3);
    for (const ref of reference.per_model as RefModel[]) {
      const record = await readInstance(dir, id(ref));
      const outer = splits.outer_folds[ref.outer_fold];
      const inner = outer.inner_folds[ref.inner_fold];
      assert.deepEqual(record.folds.test, outer.test);
      assert.deepEqual(record.folds.train, inner.train);
      assert.deepEqual(record.folds.val, inner.val);
      assert.equal(record.curves!.val!.length, record.row.epochs);
      assert.ok(Array.isArray(record.weights!["rnn.weight_hh_l0"]));
      assert.equal((record.config.settings as { init: string }).init.startsWith("given:"), true);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
