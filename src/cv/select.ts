/**
 * The original's model selection (its `select_final_agent_perf`), in three stages on a table of instance rows:
 *
 * 1. per (model, outer, inner): the instance with the lowest validation loss over seeds and L1 strengths;
 * 2. per (model, outer): the inner fold whose stage-1 instance has the lowest train+validation loss
 *    (trial-weighted);
 * 3. per model: test NLL and accuracy pooled over the outer folds (weighted by trials), the per-fold values,
 *    and their standard deviations and SEMs.
 *
 * Ties keep the first candidate in a fixed order, so the result does not depend on the order of the input
 * rows: in stage 1 candidates are ordered by L1 strength, then seed (both ascending); in stage 2 by inner fold.
 * NaN losses never win unless every candidate is NaN.
 *
 * @module
 */

import {
  type AggregateRow,
  compareModels,
  type InstanceRow,
  type SelectedRow,
  validateRows,
} from "./rows.ts";
import { mean, sampleStd, sem } from "./stats.ts";

/** The three tables of a selection. */
export interface Selection {
  /** Stage 1: one row per (model, outer, inner), ordered by model, outer, inner. */
  stage1: SelectedRow[];
  /** Stage 2: one row per (model, outer), ordered by model, outer ("the best summary"). */
  best: SelectedRow[];
  /** One row per model, in model order. */
  aggregate: AggregateRow[];
}

/**
 * Run the complete three-stage selection on instance rows.
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import { selectModels } from "./select.ts";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const { models: rows } = await crossValidate(data, { hidden: [1, 2], l1: [1e-5], outer: 3, inner: 2, seeds: 1, maxEpochs: 50 });
 * const { best, aggregate } = selectModels(rows);
 * console.log(best.length, aggregate.map((r) => [r.model, r.testLoss, r.sem]));
 * ```
 */
export function selectModels(rows: readonly InstanceRow[]): Selection {
  validateRows(rows);
  const stage1 = bestPerInnerFold(rows);
  const best = bestPerOuterFold(stage1);
  return { stage1, best, aggregate: aggregateModels(stage1, best) };
}

/** Add the pooled train+validation loss, trials and accuracy that stage 2 compares. */
export function withTrainval(row: InstanceRow): SelectedRow {
  const trainvalTrials = row.trainTrials + row.valTrials;
  return {
    ...row,
    trainvalLoss: (row.trainLoss * row.trainTrials + row.valLoss * row.valTrials) / trainvalTrials,
    trainvalTrials,
    trainvalAcc: row.trainAcc === undefined || row.valAcc === undefined
      ? NaN
      : (row.trainAcc * row.trainTrials + row.valAcc * row.valTrials) / trainvalTrials,
  };
}

/** Stage 1: per (model, outer, inner) the instance with the lowest validation loss over L1 strengths and seeds. */
export function bestPerInnerFold(rows: readonly InstanceRow[]): SelectedRow[] {
  const groups = groupBy(rows, (r) => `${r.model}|${r.outer}|${r.inner}`);
  const kept = [...groups.values()].map((candidates) => {
    const ordered = [...candidates].sort((a, b) => a.l1 - b.l1 || a.seed - b.seed);
    return withTrainval(firstMinimum(ordered, (r) => r.valLoss));
  });
  return kept.sort((a, b) => compareModels(a, b) || a.outer - b.outer || a.inner - b.inner);
}

/** Stage 2: per (model, outer) the stage-1 row with the lowest train+validation loss (first inner fold on ties). */
export function bestPerOuterFold(stage1: readonly SelectedRow[]): SelectedRow[] {
  const groups = groupBy(stage1, (r) => `${r.model}|${r.outer}`);
  const kept = [...groups.values()].map((candidates) =>
    firstMinimum([...candidates].sort((a, b) => a.inner - b.inner), (r) => r.trainvalLoss)
  );
  return kept.sort((a, b) => compareModels(a, b) || a.outer - b.outer);
}

/** Aggregate per model: pooled losses and accuracies over the best rows, fold-wise statistics, inner SEMs. */
export function aggregateModels(
  stage1: readonly SelectedRow[],
  best: readonly SelectedRow[],
): AggregateRow[] {
  const stage1ByModel = groupBy(stage1, (r) => r.model);
  const aggregate: AggregateRow[] = [];
  for (const [model, rowsOfModel] of groupBy(best, (r) => r.model)) {
    const folds = [...rowsOfModel].sort((a, b) => a.outer - b.outer);
    const first = folds[0];
    const inner = stage1ByModel.get(model) ?? [];
    const innerByOuter = [...groupBy(inner, (r) => String(r.outer)).values()];
    const foldTestLoss = folds.map((r) => r.testLoss);
    const foldTestAccuracy = folds.map((r) => r.testAcc ?? NaN);
    const testLossOuterSem = sem(foldTestLoss);
    aggregate.push({
      model,
      kind: first.kind,
      cell: first.cell,
      hidden: first.hidden,
      testLoss: pooled(folds, (r) => r.testLoss, (r) => r.testTrials),
      testAccuracy: pooled(folds, (r) => r.testAcc ?? NaN, (r) => r.testTrials),
      testTrials: sum(folds.map((r) => r.testTrials)),
      trainvalLoss: pooled(folds, (r) => r.trainvalLoss, (r) => r.trainvalTrials),
      trainvalAccuracy: pooled(folds, (r) => r.trainvalAcc, (r) => r.trainvalTrials),
      trainvalTrials: sum(folds.map((r) => r.trainvalTrials)),
      trainLoss: pooled(folds, (r) => r.trainLoss, (r) => r.trainTrials),
      trainAccuracy: pooled(folds, (r) => r.trainAcc ?? NaN, (r) => r.trainTrials),
      trainTrials: sum(folds.map((r) => r.trainTrials)),
      valLoss: pooled(folds, (r) => r.valLoss, (r) => r.valTrials),
      valAccuracy: pooled(folds, (r) => r.valAcc ?? NaN, (r) => r.valTrials),
      valTrials: sum(folds.map((r) => r.valTrials)),
      outerFolds: folds.map((r) => r.outer),
      foldTestLoss,
      foldTestAccuracy,
      sem: testLossOuterSem,
      testLossOuterStd: sampleStd(foldTestLoss),
      testLossOuterSem,
      testAccuracyOuterStd: sampleStd(foldTestAccuracy),
      testAccuracyOuterSem: sem(foldTestAccuracy),
      testLossMeanInnerSem: mean(innerByOuter.map((g) => sem(g.map((r) => r.testLoss)))),
      testLossOuterInnerSem: sem(inner.map((r) => r.testLoss)),
      testAccuracyMeanInnerSem: mean(innerByOuter.map((g) => sem(g.map((r) => r.testAcc ?? NaN)))),
      testAccuracyOuterInnerSem: sem(inner.map((r) => r.testAcc ?? NaN)),
      meanTrainTrials: mean(folds.map((r) => r.trainTrials)),
      meanValTrials: mean(folds.map((r) => r.valTrials)),
      selected: folds.map((r) => ({
        outer: r.outer,
        inner: r.inner,
        seed: r.seed,
        l1: r.l1,
        ...(r.id === undefined ? {} : { id: r.id }),
      })),
    });
  }
  return aggregate.sort(compareModels);
}

/** `Σ value·weight / Σ weight`. */
function pooled<T>(rows: readonly T[], value: (row: T) => number, weight: (row: T) => number): number {
  let total = 0;
  let weights = 0;
  for (const row of rows) {
    total += value(row) * weight(row);
    weights += weight(row);
  }
  return total / weights;
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}

/** The first row with the smallest value; NaN values lose to any number (all NaN: the first row). */
function firstMinimum<T>(rows: readonly T[], value: (row: T) => number): T {
  let best = rows[0];
  let bestValue = value(best);
  for (const row of rows) {
    const v = value(row);
    if (v < bestValue || (Number.isNaN(bestValue) && !Number.isNaN(v))) {
      best = row;
      bestValue = v;
    }
  }
  return best;
}

/** Groups in order of first appearance. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
