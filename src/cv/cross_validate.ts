/**
 * `crossValidate`: the original's nested cross-validation of tiny RNNs and cognitive models on one data set
 * (k-fold outer folds for testing, inner folds of the rest for validation, candidates selected on the inner
 * folds and tested on the outer ones), fast, resumable and shardable.
 *
 * Every RNN instance of a run goes to the engine's `trainMany` at once (one worker per core, a dynamic queue),
 * so no model waits for another; cognitive models are fitted on the main thread meanwhile. With a results
 * folder, each instance is written to its own file the moment it finishes (atomically), so an interrupted run
 * (Ctrl-C, SIGKILL, a cancelled cluster task) loses no finished work: a rerun skips finished instances.
 * The summary is always built from the instance files, so a single run, a resumed run and a merge of shards
 * write byte-identical `summary.json` files (they hold no times and no paths).
 *
 * The options are declared in `./options.ts`, resuming and merging live in `./resume.ts`.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { validateDataset } from "../data/validate.ts";
import { cognitive } from "../agents/cognitive.ts";
import { fitCognitive } from "../agents/fitting.ts";
import { trainMany } from "../engine/many.ts";
import type { TrainJob, TrainResult } from "../engine/job.ts";
import { inputSizeOf, rewardScaleOf } from "../rnn/encoding.ts";
import { buildNetwork, weightsFromStateDict } from "../rnn/network.ts";
import { getCell } from "../rnn/registry.ts";
import { resolveOptions, TinyRnnInputError } from "../options.ts";
import { equationRecords, type EquationsSettings, equationsSettings } from "./equations.ts";
import { FoldData } from "./fold_data.ts";
import { blocksOf, cognitiveRow, dataFingerprint, INSTANCE_FORMAT, rnnRow } from "./instances.ts";
import {
  CROSS_VALIDATE_OPTIONS,
  type CrossValidateOptions,
  initKey,
  type RunSettings,
  runSettings,
} from "./options.ts";
import { shard, type WorkUnit } from "./plan.ts";
import { finishedRecords, planOf, unitCost, unitSettings } from "./resume.ts";
import type { InstanceRow } from "./rows.ts";
import { makeSplit } from "./splits.ts";
import { hasRunData, saveRunData } from "./run_data.ts";
import {
  checkOutputFolder,
  type InstanceRecord,
  readInstance,
  writeInstance,
  writeSummary,
} from "./store.ts";
import { buildSummary, type Summary } from "./summary.ts";

export type { CrossValidateOptions, CvProgress, CvSplitOptions, MergeOptions } from "./options.ts";
export type { CvEquationsOptions } from "./equations.ts";
export { initKey } from "./options.ts";
export { mergeResults } from "./resume.ts";

/**
 * Nested cross-validation of tiny RNNs and cognitive models on a data set, as the original: per outer fold
 * and inner fold every candidate (cell × hidden size × L1 strength × seed, and every cognitive model × seed)
 * is trained on the inner training blocks with early stopping on the validation blocks. Selection follows
 * the original: per inner fold the instance with the lowest validation loss over seeds and L1 strengths, per
 * outer fold the inner fold whose pick has the lowest training + validation loss; that pick is scored on the
 * outer test blocks, test losses are pooled over the outer folds, and the dimensionality is the largest
 * hidden size whose best network beats every smaller one (see `selectModels`, `estimateDimensionality`).
 *
 * With `equations`, the rule of each outer fold's selected network (d <= 2 by default) is discovered on that
 * network's training blocks, refitted on them and tested on the fold's test blocks, as one more model
 * `equations(<network>)` of the summary (see `./equations.ts`); without it nothing changes.
 *
 * Returns the summary (`models`, `best`, `aggregate`, `dimensionality`, `missing`); with `resultsDir` it also
 * writes one file per instance, the data set as `data.json` (unless the folder has one) and, for a complete
 * (unsharded) run, `summary.json` and `summary.csv`: `loadResults(resultsDir)` then draws the run's figures
 * (`writeRunFigures`).
 *
 * @example The seed tutorial's cross-validation
 * ```ts
 * import { cognitive, crossValidate, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
 *   blocks: 500,
 *   trials: 20,
 *   seed: 42,
 * });
 * const summary = await crossValidate(data, {
 *   hidden: [1, 2],
 *   outer: 3,
 *   inner: 2,
 *   seeds: 2,
 *   l1: [1e-5],
 *   resultsDir: "results",
 * });
 * console.log(summary.aggregate.map((r) => [r.model, r.testLoss]), summary.dimensionality.estimate);
 * ```
 */
export async function crossValidate(data: Dataset, options: CrossValidateOptions = {}): Promise<Summary> {
  const where = "crossValidate";
  const o = resolveOptions(where, options, CROSS_VALIDATE_OPTIONS);
  // Rewards need not be binary for training (they enter the networks as numbers); the rest is checked.
  validateDataset(data, { binaryReward: false });
  const run = runSettings(where, o, options);
  let equations: EquationsSettings | undefined;
  if (o.equations !== undefined) {
    // Equations are read from the networks that selection keeps, which needs every instance of the run.
    if (o.shard !== undefined) {
      throw new TinyRnnInputError(
        `${where}: equations need the whole run, not a shard; merge the shards, then run crossValidate without shard on the folder to add them`,
      );
    }
    equations = equationsSettings(where, o.equations, run.models);
  }
  const dir = o.resultsDir;
  // Before any training: a results folder that cannot be written is reported now, naming it.
  if (dir !== undefined) await checkOutputFolder(dir, "resultsDir");
  const workers = o.workers;
  const split = makeSplit(data.blocks.map((b) => b.action.length), run.split);
  const plan = planOf(run, split.folds);
  const mine = o.shard === undefined ? plan.units : shard(plan, o.shard.index, o.shard.count, unitCost);
  const fingerprint = dataFingerprint(data);
  checkInitWeights(data, run, mine);

  // Resume: whatever this run's instances already have on disk is kept (after checking it is this run's).
  const dataCheck = { fingerprint };
  const done = new Set<string>();
  if (dir !== undefined) {
    const { records } = await finishedRecords(dir, { units: mine, groups: [] }, run, dataCheck);
    for (const record of records) done.add(record.id);
  }
  const todo = mine.filter((u) => !done.has(u.id));
  const foldData = new FoldData(data, split);
  // Networks see point rewards divided by this factor (`tensorsForJobs`); the record keeps it, so that a
  // network rebuilt from its folder (`modelOfRecord`) sees the rewards it was trained on. 1 is left out.
  const rewardScale = rewardScaleOf(data);
  const configOf = (unit: WorkUnit) => ({
    format: INSTANCE_FORMAT,
    settings: unitSettings(unit, run),
    data: { fingerprint, blocks: data.blocks.length },
    ...(rewardScale !== 1 && unit.spec.kind === "rnn" ? { rewardScale } : {}),
  });

  // Progress: counts over this run's (shard's) instances; the ETA from the cost trained so far.
  const started = performance.now();
  const skipped = done.size;
  const totalCost = todo.reduce((s, u) => s + unitCost(u), 0);
  let doneCost = 0;
  let finishedCount = skipped;
  const report = (current: string) => {
    if (!o.onProgress) return;
    const elapsedMs = performance.now() - started;
    o.onProgress({
      done: finishedCount,
      total: mine.length,
      skipped,
      elapsedMs,
      etaMs: doneCost > 0 ? elapsedMs * (totalCost - doneCost) / doneCost : todo.length === 0 ? 0 : NaN,
      current,
    });
  };
  const memory: InstanceRecord[] = [];
  const save = async (unit: WorkUnit, record: InstanceRecord) => {
    if (dir !== undefined) await writeInstance(dir, record);
    else memory.push(record);
    finishedCount++;
    doneCost += unitCost(unit);
    report(`${unit.id} done`);
  };
  report(skipped > 0 ? `resuming: ${skipped} of ${mine.length} instances already finished` : "starting");

  const rnnUnits = todo.filter((u) => u.spec.kind === "rnn");
  const cognitiveUnits = todo.filter((u) => u.spec.kind === "cognitive");
  const jobs = rnnUnits.map((unit) => rnnJob(unit, run, foldData));
  const training = jobs.length === 0 ? Promise.resolve([] as TrainResult[]) : trainMany(foldData.data, jobs, {
    ...(workers === undefined ? {} : { workers }),
    ...(run.engine === "native" ? {} : { engine: run.engine }),
    onProgress: (p) => {
      if (!p.done) report(`${rnnUnits[p.job].id} epoch ${p.epoch}`);
    },
    onJobDone: (index, result) => {
      const unit = rnnUnits[index];
      return save(unit, {
        id: unit.id,
        row: rnnRow(unit, result),
        config: configOf(unit),
        folds: foldData.parts(unit.outer, unit.inner).record,
        weights: result.weights,
        curves: result.curves,
        extra: {
          stoppedEarly: result.stoppedEarly,
          numParams: result.numParams,
          seconds: result.seconds,
          ...(run.engine === "native" || result.engine === undefined ? {} : { engine: result.engine }),
        },
      });
    },
  });
  // Settle into a value now, so that a failure is not an unhandled rejection while cognitive fits run.
  const trained = training.then(() => undefined, (error) => error as Error);

  let cognitiveError: unknown;
  try {
    for (const unit of cognitiveUnits) {
      // Let the workers' messages through between fits (hand-outs, results to save).
      await new Promise((resolve) => setTimeout(resolve, 0));
      await save(unit, fitCognitiveUnit(unit, run, foldData, configOf(unit)));
    }
  } catch (error) {
    cognitiveError = error;
  }
  const trainingError = await trained;
  if (trainingError) throw trainingError;
  if (cognitiveError) throw cognitiveError;

  let rows: InstanceRow[];
  let missing: string[];
  if (dir !== undefined) {
    const found = await finishedRecords(dir, plan, run, dataCheck);
    rows = found.records.map((r) => r.row);
    missing = found.missing;
  } else {
    rows = memory.map((r) => r.row);
    const have = new Set(memory.map((r) => r.id));
    missing = plan.units.filter((u) => !have.has(u.id)).map((u) => u.id);
  }
  if (equations !== undefined && missing.length === 0) {
    const byId = new Map(memory.map((r) => [r.id, r]));
    const found = await equationRecords({
      rows,
      record: (id) => dir !== undefined ? readInstance(dir, id) : byId.get(id)!,
      folds: foldData,
      settings: equations,
      fingerprint,
      blocks: data.blocks.length,
      ...(dir === undefined ? {} : { dir }),
    });
    rows = [...rows, ...found.map((r) => r.row)];
  }
  const summary = buildSummary(rows, { dimensionality: run.dimensionality, missing });
  if (dir !== undefined && o.shard === undefined) await writeSummary(dir, summary);
  // The data stays beside the results so that `loadResults` (portraits, reports) can run the kept models on
  // it. Written once: shards and resumed runs leave an existing copy untouched (their files must not change).
  if (dir !== undefined && !(await hasRunData(dir))) await saveRunData(dir, data);
  return summary;
}

/** Every network that starts from given weights must have them, in the right shapes (checked before training). */
function checkInitWeights(data: Dataset, run: RunSettings, units: readonly WorkUnit[]): void {
  if (run.init === undefined) return;
  const checked = new Set<string>();
  for (const unit of units) {
    if (unit.spec.kind !== "rnn") continue;
    const key = initKey(unit.spec.cell, unit.spec.hidden, unit.seed);
    if (checked.has(key)) continue;
    checked.add(key);
    const dict = run.init[key];
    if (dict === undefined) {
      throw new TinyRnnInputError(
        `init has no weights for "${key}" (it has ${
          Object.keys(run.init).join(", ") || "none"
        }); give weights for every cell, hidden size and seed of the run`,
      );
    }
    const net = buildNetwork({
      cell: unit.spec.cell,
      hidden: unit.spec.hidden,
      inputSize: inputSizeOf(getCell(unit.spec.cell).encoding, data.kind, data.nActions),
      nActions: data.nActions,
      readout: "linear",
      outputH0: true,
      trainableH0: false,
    });
    try {
      weightsFromStateDict(net, dict);
    } catch (error) {
      throw new TinyRnnInputError(`init "${key}": ${(error as Error).message}`);
    }
  }
}

function rnnJob(unit: WorkUnit, run: RunSettings, folds: FoldData): TrainJob {
  if (unit.spec.kind !== "rnn") throw new TypeError(`${unit.id} is not a network`);
  const parts = folds.parts(unit.outer, unit.inner);
  const init = run.init?.[initKey(unit.spec.cell, unit.spec.hidden, unit.seed)];
  return {
    cell: unit.spec.cell,
    hidden: unit.spec.hidden,
    l1: unit.l1,
    lr: run.lr,
    weightDecay: run.weightDecay,
    seed: unit.seed,
    ...(init === undefined ? {} : { init }),
    train: parts.train,
    val: parts.val,
    test: parts.test,
    maxEpochs: run.maxEpochs,
    patience: run.patience,
  };
}

function fitCognitiveUnit(
  unit: WorkUnit,
  run: RunSettings,
  folds: FoldData,
  config: Record<string, unknown>,
): InstanceRecord {
  if (unit.spec.kind !== "cognitive") throw new TypeError(`${unit.id} is not a cognitive model`);
  const parts = folds.parts(unit.outer, unit.inner);
  const data = folds.data;
  const fit = fitCognitive(cognitive(unit.spec.name, undefined, run.cognitiveOptions), data, {
    trainBlocks: parts.train,
    seed: unit.seed,
    restarts: run.cognitiveRestarts,
  });
  const row = cognitiveRow(unit, fit, {
    train: blocksOf(data, parts.train),
    val: blocksOf(data, parts.val),
    test: blocksOf(data, parts.test),
  });
  return {
    id: unit.id,
    row,
    config,
    folds: parts.record,
    weights: Object.fromEntries(fit.paramNames.map((name, i) => [name, fit.params[i]])),
    extra: {
      method: fit.method,
      x: fit.x,
      evaluations: fit.evaluations,
      best: fit.best,
      starts: fit.starts,
      ...(fit.grid ? { grid: fit.grid } : {}),
    },
  };
}
