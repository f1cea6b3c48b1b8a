/**
 * `crossValidate`: the original's nested cross-validation (spec 4.6-4.8 and 5) of tiny RNNs and cognitive
 * models on one data set, fast, resumable and shardable; `mergeResults` builds the summary of a results
 * folder that shards filled.
 *
 * Every RNN instance of a run goes to the engine's `trainMany` at once (one worker per core, a dynamic queue),
 * so no model waits for another; cognitive models are fitted on the main thread meanwhile. With a results
 * folder, each instance is written to its own file the moment it finishes (atomically), so an interrupted run
 * (Ctrl-C, SIGKILL, a cancelled cluster task) loses no finished work: a rerun skips finished instances.
 * The summary is always built from the instance files, so a single run, a resumed run and a merge of shards
 * write byte-identical `summary.json` files (they hold no times and no paths).
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { validateDataset } from "../data/validate.ts";
import { cognitive, type CognitiveOptions } from "../agents/cognitive.ts";
import { fitCognitive } from "../agents/fitting.ts";
import { trainMany } from "../engine/many.ts";
import type { TrainJob, TrainResult } from "../engine/job.ts";
import { inputSizeOf } from "../rnn/encoding.ts";
import { buildNetwork, type StateDict, weightsFromStateDict } from "../rnn/network.ts";
import { getCell } from "../rnn/registry.ts";
import { checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import type { DimensionalityOptions } from "./dimensionality.ts";
import { FoldData } from "./fold_data.ts";
import {
  blocksOf,
  cognitiveRow,
  dataFingerprint,
  INSTANCE_FORMAT,
  rnnRow,
  valueFingerprint,
} from "./instances.ts";
import { type FoldShape, makePlan, type ModelSpec, type Plan, shard, type WorkUnit } from "./plan.ts";
import type { InstanceRow } from "./rows.ts";
import { type GivenOuterFold, type GivenSplit, makeSplit, type SplitLevel } from "./splits.ts";
import {
  type InstanceRecord,
  listFinished,
  readInstances,
  removeStaleTemp,
  writeInstance,
  writeSummary,
} from "./store.ts";
import { buildSummary, type Summary } from "./summary.ts";

/** How the data is split (the fold counts are `outer` and `inner` of {@link CrossValidateOptions}). */
export interface CvSplitOptions {
  /** `"block"` (default, as the original): whole blocks per fold. `"trial"`: single trials within blocks. */
  level?: SplitLevel;
  /** User-given folds over the units of `level` (replaces the k-fold draw; `outer`/`inner` must be left out). */
  folds?: readonly GivenOuterFold[] | GivenSplit;
  /** Train only inner fold 0 of each outer fold (the original's `single_inner_fold`). Default false. */
  singleInnerFold?: boolean;
  /** Swap train and validation sets (the original's `trainval_flip`). Default false. */
  trainvalFlip?: boolean;
}

/** Progress of a cross-validation. */
export interface CvProgress {
  /** Instances of this run that are finished, including those found finished at the start. */
  done: number;
  /** Instances of this run (of this shard, when sharded). */
  total: number;
  /** Instances that were already finished when the run started (skipped). */
  skipped: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** Estimated milliseconds left (from the work done so far in this run; NaN before anything finished). */
  etaMs: number;
  /** What happened last, e.g. `gru-2/l1-1e-05/outer0-inner1-seed0 done` or `... epoch 400`. */
  current: string;
}

/** Options of {@link crossValidate}. Every field is optional; defaults follow the paper. */
export interface CrossValidateOptions {
  /** Recurrent cells to try (see `cellNames()`). Default `["gru"]`; `[]` for cognitive models only. */
  cells?: readonly string[];
  /** Hidden sizes to try for every cell. Default `[1, 2, 3, 4, 5, 10, 20]` (the paper's GRU grid). */
  hidden?: readonly number[];
  /** L1 strengths on the recurrent weights; the best per fold is chosen by validation loss. Default `[1e-5, 1e-4, 1e-3]`. */
  l1?: readonly number[];
  /** Cognitive models to fit in the same folds, by name (e.g. `["MB0", "MB1", "LS0"]`). Default `[]`. */
  cognitive?: readonly string[];
  /** Task constants of the cognitive models (`pTransit`, `goodProb`; see `cognitive()`). Default `{}`. */
  cognitiveOptions?: CognitiveOptions;
  /** Seeded random starts of each cognitive fit, besides the grid start. Default 5. */
  cognitiveRestarts?: number;
  /** Outer folds. Default 10. */
  outer?: number;
  /** Inner folds per outer fold. Default 9. */
  inner?: number;
  /** Seeds per (model, fold, L1): initial weights of networks, random starts of cognitive fits. Default 3. */
  seeds?: number;
  /** Learning rate of AdamW. Default 0.005. */
  lr?: number;
  /** Training runs at most `maxEpochs + 1` iterations. Default 10000 (the paper's real-data runs use 2000). */
  maxEpochs?: number;
  /** Early stopping: stop once the validation loss failed to improve `patience + 1` times in a row. Default 200. */
  patience?: number;
  /** AdamW weight decay. Default 0. */
  weightDecay?: number;
  /**
   * Initial weights per `"<cell>-<hidden>-seed<seed>"` (e.g. `"gru-2-seed1"`): a PyTorch-named state dict, the
   * layout of `tutorial_init_weights.json`'s `weights`. Every fold and L1 strength of that (cell, hidden, seed)
   * starts from them. Without it networks start from seeded PyTorch-like initialisation. Default none.
   */
  init?: Readonly<Record<string, StateDict>>;
  /** How blocks are split. Default: block level, k-fold as the original. */
  split?: CvSplitOptions;
  /** Dimensionality test (default: one-sided paired t-test at 0.05). */
  dimensionality?: DimensionalityOptions;
  /**
   * Results folder: one JSON file per finished instance, then `summary.json` and `summary.csv`. A rerun skips
   * finished instances. Without it everything stays in memory. Default none.
   */
  resultsDir?: string;
  /** Called as instances progress and finish. */
  onProgress?: (progress: CvProgress) => void;
  /** Worker threads for the networks. Default: one per core (at most one per instance). */
  workers?: number;
  /**
   * Train only shard `index` of `count` (0-based) of the run's instances; `summary.json` is left to
   * {@link mergeResults}. Default: the whole run.
   */
  shard?: { index: number; count: number };
}

/**
 * Options of {@link mergeResults}: the run's options (as given to each shard; `workers` and `onProgress` are
 * accepted and ignored) and what to do about gaps.
 */
export type MergeOptions =
  & Omit<CrossValidateOptions, "resultsDir" | "shard">
  & {
    /** Write a summary even when instances are missing (they are listed in `missing`). Default false. */
    allowPartial?: boolean;
  };

const DEFAULTS = {
  cells: ["gru"],
  hidden: [1, 2, 3, 4, 5, 10, 20],
  l1: [1e-5, 1e-4, 1e-3],
  outer: 10,
  inner: 9,
  seeds: 3,
  lr: 0.005,
  maxEpochs: 10000,
  patience: 200,
  weightDecay: 0,
  cognitiveRestarts: 5,
} as const;

const RUN_KEYS = [
  "cells",
  "hidden",
  "l1",
  "cognitive",
  "cognitiveOptions",
  "cognitiveRestarts",
  "outer",
  "inner",
  "seeds",
  "lr",
  "maxEpochs",
  "patience",
  "weightDecay",
  "init",
  "split",
  "dimensionality",
] as const;
const CV_KEYS = [...RUN_KEYS, "resultsDir", "onProgress", "workers", "shard"];
const MERGE_KEYS = [...RUN_KEYS, "workers", "onProgress", "allowPartial"];

/** The validated settings of a run. */
interface RunSettings {
  models: ModelSpec[];
  l1: number[];
  seeds: number;
  lr: number;
  maxEpochs: number;
  patience: number;
  weightDecay: number;
  init?: Readonly<Record<string, StateDict>>;
  cognitiveOptions: CognitiveOptions;
  cognitiveRestarts: number;
  /** What `makeSplit` gets (fold counts included unless folds are given). */
  split: Parameters<typeof makeSplit>[1];
  /** The split as recorded in every instance's settings. */
  splitKey: Record<string, unknown>;
  dimensionality?: DimensionalityOptions;
}

function numberList(where: string, name: string, value: unknown, check: (v: unknown, i: number) => number) {
  if (!Array.isArray(value)) {
    throw new TinyRnnInputError(`${where}: ${name} must be an array, got ${JSON.stringify(value)}`);
  }
  const list = value.map(check);
  if (new Set(list).size !== list.length) {
    throw new TinyRnnInputError(`${where}: ${name} lists a value twice (${list.join(", ")})`);
  }
  return list;
}

function stringList(where: string, name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TinyRnnInputError(`${where}: ${name} must be an array of names, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TinyRnnInputError(`${where}: ${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validate the options that define a run (shared by crossValidate and mergeResults). */
function runSettings(where: string, options: CrossValidateOptions | MergeOptions): RunSettings {
  const o = options;
  const cells = stringList(where, "cells", o.cells ?? DEFAULTS.cells).map((c) => getCell(c).name);
  const hidden = numberList(
    where,
    "hidden",
    o.hidden ?? DEFAULTS.hidden,
    (v, i) => checkNumber(where, `hidden[${i}]`, v, { min: 1, integer: true }),
  );
  const l1 = numberList(
    where,
    "l1",
    o.l1 ?? DEFAULTS.l1,
    (v, i) => checkNumber(where, `l1[${i}]`, v, { min: 0 }),
  );
  if (l1.length === 0) throw new TinyRnnInputError(`${where}: l1 must list at least one strength`);
  const cognitiveOptions = o.cognitiveOptions ?? {};
  const cognitiveNames = stringList(where, "cognitive", o.cognitive ?? []).map((name) =>
    cognitive(name, undefined, cognitiveOptions).name
  );
  if (new Set(cognitiveNames).size !== cognitiveNames.length) {
    throw new TinyRnnInputError(`${where}: cognitive lists a model twice (${cognitiveNames.join(", ")})`);
  }
  const models: ModelSpec[] = [
    ...cells.flatMap((cell) => hidden.map((h): ModelSpec => ({ kind: "rnn", cell, hidden: h }))),
    ...cognitiveNames.map((name): ModelSpec => ({ kind: "cognitive", name })),
  ];
  if (models.length === 0) {
    throw new TinyRnnInputError(`${where}: no models: give cells and hidden sizes, or cognitive models`);
  }

  const split = o.split ?? {};
  if (split === null || typeof split !== "object") {
    throw new TinyRnnInputError(`${where}: split must be an object`);
  }
  rejectUnknownKeys(`${where}: split`, split, ["level", "folds", "singleInnerFold", "trainvalFlip"]);
  const level = checkChoice(where, "split.level", split.level ?? "block", ["block", "trial"] as const);
  let splitOptions: RunSettings["split"];
  let splitKey: Record<string, unknown>;
  if (split.folds !== undefined) {
    for (const key of ["outer", "inner"] as const) {
      if (o[key] !== undefined) {
        throw new TinyRnnInputError(`${where}: "${key}" cannot be combined with user-given split.folds`);
      }
    }
    splitOptions = { level, folds: split.folds };
    splitKey = { level, folds: valueFingerprint(split.folds) };
    if (split.singleInnerFold !== undefined || split.trainvalFlip !== undefined) {
      throw new TinyRnnInputError(
        `${where}: split.singleInnerFold and split.trainvalFlip cannot be combined with split.folds`,
      );
    }
  } else {
    const outer = checkNumber(where, "outer", o.outer ?? DEFAULTS.outer, { min: 2, integer: true });
    const inner = checkNumber(where, "inner", o.inner ?? DEFAULTS.inner, { min: 2, integer: true });
    const singleInnerFold = checkBoolean(where, "split.singleInnerFold", split.singleInnerFold ?? false);
    const trainvalFlip = checkBoolean(where, "split.trainvalFlip", split.trainvalFlip ?? false);
    splitOptions = { level, outer, inner, singleInnerFold, trainvalFlip };
    splitKey = { ...splitOptions };
  }

  const init = o.init;
  if (init !== undefined && (init === null || typeof init !== "object" || Array.isArray(init))) {
    throw new TinyRnnInputError(
      `${where}: init must map "<cell>-<hidden>-seed<seed>" to state dicts, got ${typeof init}`,
    );
  }
  return {
    models,
    l1,
    seeds: checkNumber(where, "seeds", o.seeds ?? DEFAULTS.seeds, { min: 1, integer: true }),
    lr: checkNumber(where, "lr", o.lr ?? DEFAULTS.lr, { min: 0, exclusiveMin: true }),
    maxEpochs: checkNumber(where, "maxEpochs", o.maxEpochs ?? DEFAULTS.maxEpochs, { min: 0, integer: true }),
    patience: checkNumber(where, "patience", o.patience ?? DEFAULTS.patience, { min: 0, integer: true }),
    weightDecay: checkNumber(where, "weightDecay", o.weightDecay ?? DEFAULTS.weightDecay, { min: 0 }),
    init,
    cognitiveOptions,
    cognitiveRestarts: checkNumber(
      where,
      "cognitiveRestarts",
      o.cognitiveRestarts ?? DEFAULTS.cognitiveRestarts,
      { min: 0, integer: true },
    ),
    split: splitOptions,
    splitKey,
    dimensionality: o.dimensionality,
  };
}

/** The key of a network's initial weights in `init`. */
export function initKey(cell: string, hidden: number, seed: number): string {
  return `${cell}-${hidden}-seed${seed}`;
}

/** The settings that decide an instance's result; a finished file with other settings is not this instance. */
function unitSettings(unit: WorkUnit, run: RunSettings): Record<string, unknown> {
  const at = { model: unit.model, outer: unit.outer, inner: unit.inner, seed: unit.seed };
  if (unit.spec.kind === "rnn") {
    const given = run.init?.[initKey(unit.spec.cell, unit.spec.hidden, unit.seed)];
    return {
      ...at,
      kind: "rnn",
      cell: unit.spec.cell,
      hidden: unit.spec.hidden,
      l1: unit.l1,
      lr: run.lr,
      maxEpochs: run.maxEpochs,
      patience: run.patience,
      weightDecay: run.weightDecay,
      init: given === undefined ? "seeded" : `given:${valueFingerprint(given)}`,
      split: run.splitKey,
    };
  }
  return {
    ...at,
    kind: "cognitive",
    name: unit.spec.name,
    cognitiveOptions: run.cognitiveOptions,
    restarts: run.cognitiveRestarts,
    split: run.splitKey,
  };
}

/** Relative cost of an instance, to balance shards (bigger networks train longer; cognitive fits are quick). */
function unitCost(unit: WorkUnit): number {
  return unit.spec.kind === "rnn" ? unit.spec.hidden + 2 : 1;
}

function planOf(run: RunSettings, folds: readonly FoldShape[]): Plan {
  return makePlan({ models: run.models, folds, seeds: run.seeds, l1: run.l1 });
}

/** The fold shape of a run without its data (for a merge): given folds, or outer × inner counts. */
function foldShapeWithoutData(run: RunSettings): FoldShape[] {
  const split = run.split!;
  if (split.folds !== undefined) {
    const list = Array.isArray(split.folds) ? split.folds as readonly GivenOuterFold[] : [{ inner: [{}] }];
    return list.map((fold, o) => ({
      outer: o,
      inner: (fold.inner as readonly unknown[]).map((_, i) => ({ inner: i })),
    }));
  }
  const inner = split.singleInnerFold ? 1 : split.inner!;
  return Array.from({ length: split.outer! }, (_, o) => ({
    outer: o,
    inner: Array.from({ length: inner }, (_, i) => ({ inner: i })),
  }));
}

/** Check that a finished instance file belongs to this run (same settings, same data). */
function checkRecord(
  dir: string,
  record: InstanceRecord,
  expected: Record<string, unknown>,
  data: { fingerprint?: string },
): void {
  const config = record.config as { format?: unknown; settings?: Record<string, unknown>; data?: unknown };
  const file = `${dir}/instances/${record.id}.json`;
  if (config?.format !== INSTANCE_FORMAT || typeof config.settings !== "object") {
    throw new TinyRnnInputError(`${file}: not an instance of a tinyrnn cross-validation`);
  }
  const found = config.settings;
  const keys = new Set([...Object.keys(expected), ...Object.keys(found)]);
  for (const key of keys) {
    if (JSON.stringify(found[key]) !== JSON.stringify(expected[key])) {
      throw new TinyRnnInputError(
        `${file} was made with other settings (${key} ${JSON.stringify(found[key])}, this run ${
          JSON.stringify(expected[key])
        }); use another results folder, or remove it to retrain`,
      );
    }
  }
  const fingerprint = (config.data as { fingerprint?: string } | undefined)?.fingerprint;
  if (data.fingerprint === undefined) data.fingerprint = fingerprint;
  else if (fingerprint !== data.fingerprint) {
    throw new TinyRnnInputError(
      `${file} was made from other data (fingerprint ${fingerprint}, expected ${data.fingerprint}); use another results folder`,
    );
  }
}

/** Read and check the finished instances of `plan` in `dir`; also returns the ids still missing. */
async function finishedRecords(
  dir: string,
  plan: Plan,
  run: RunSettings,
  data: { fingerprint?: string },
): Promise<{ records: InstanceRecord[]; missing: string[] }> {
  const finished = new Set(await listFinished(dir));
  const units = plan.units.filter((u) => finished.has(u.id));
  const records = await readInstances(dir, units.map((u) => u.id));
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const record of records) checkRecord(dir, record, unitSettings(byId.get(record.id)!, run), data);
  return { records, missing: plan.units.filter((u) => !finished.has(u.id)).map((u) => u.id) };
}

/**
 * Nested cross-validation of tiny RNNs and cognitive models on a data set, as the original: per outer fold
 * and inner fold every candidate (cell × hidden size × L1 strength × seed, and every cognitive model × seed)
 * is trained on the inner training blocks with early stopping on the validation blocks; selection, pooled
 * test NLL and the dimensionality follow spec section 5 (see `selectModels`, `estimateDimensionality`).
 *
 * Returns the summary (`models`, `best`, `aggregate`, `dimensionality`, `missing`); with `resultsDir` it also
 * writes one file per instance and, for a complete (unsharded) run, `summary.json` and `summary.csv`.
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
  if (!options || typeof options !== "object") {
    throw new TinyRnnInputError(`${where}: options must be an object`);
  }
  rejectUnknownKeys(where, options, CV_KEYS);
  // Rewards need not be binary for training (they enter the networks as numbers); the rest is checked.
  validateDataset(data, { binaryReward: false });
  const run = runSettings(where, options);
  const dir = options.resultsDir;
  if (dir !== undefined && (typeof dir !== "string" || dir === "")) {
    throw new TinyRnnInputError(`${where}: resultsDir must be a folder path, got ${JSON.stringify(dir)}`);
  }
  const workers = options.workers === undefined
    ? undefined
    : checkNumber(where, "workers", options.workers, { min: 0, integer: true });
  const split = makeSplit(data.blocks.map((b) => b.action.length), run.split);
  const plan = planOf(run, split.folds);
  const mine = options.shard === undefined ? plan.units : shardUnits(where, plan, options.shard);
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
  const configOf = (unit: WorkUnit) => ({
    format: INSTANCE_FORMAT,
    settings: unitSettings(unit, run),
    data: { fingerprint, blocks: data.blocks.length },
  });

  // Progress: counts over this run's (shard's) instances; the ETA from the cost trained so far.
  const started = performance.now();
  const skipped = done.size;
  const totalCost = todo.reduce((s, u) => s + unitCost(u), 0);
  let doneCost = 0;
  let finishedCount = skipped;
  const report = (current: string) => {
    if (!options.onProgress) return;
    const elapsedMs = performance.now() - started;
    options.onProgress({
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
        extra: { stoppedEarly: result.stoppedEarly, numParams: result.numParams, seconds: result.seconds },
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
  const summary = buildSummary(rows, { dimensionality: run.dimensionality, missing });
  if (dir !== undefined && options.shard === undefined) await writeSummary(dir, summary);
  return summary;
}

function shardUnits(where: string, plan: Plan, value: unknown): WorkUnit[] {
  if (value === null || typeof value !== "object") {
    throw new TinyRnnInputError(`${where}: shard must be {index, count}, got ${JSON.stringify(value)}`);
  }
  rejectUnknownKeys(`${where}: shard`, value, ["index", "count"]);
  const { index, count } = value as { index: unknown; count: unknown };
  const n = checkNumber(where, "shard.count", count, { min: 1, integer: true });
  const i = checkNumber(where, "shard.index", index, { min: 0, max: n - 1, integer: true });
  return shard(plan, i, n, unitCost);
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
      inputSize: inputSizeOf(getCell(unit.spec.cell).encoding, data.kind),
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

/**
 * Build `summary.json`/`summary.csv` of a results folder from the finished instances of the run that
 * `options` describes (the same options every shard was given), and report the instances still missing.
 * Without `allowPartial`, missing instances are an error (nothing is written). The summary equals the one a
 * single-machine run writes.
 *
 * @example
 * ```ts
 * // after `deno task fit ... --shard i/4` for i = 0..3:
 * const summary = await mergeResults("results", { hidden: [1, 2], outer: 3, inner: 2, seeds: 2, l1: [1e-5] });
 * console.log(summary.missing.length); // 0
 * ```
 */
export async function mergeResults(dir: string, options: MergeOptions = {}): Promise<Summary> {
  const where = "mergeResults";
  if (typeof dir !== "string" || dir === "") {
    throw new TinyRnnInputError(`${where}: dir must be a folder path, got ${JSON.stringify(dir)}`);
  }
  if (!options || typeof options !== "object") {
    throw new TinyRnnInputError(`${where}: options must be an object`);
  }
  rejectUnknownKeys(where, options, MERGE_KEYS);
  const allowPartial = checkBoolean(where, "allowPartial", options.allowPartial ?? false);
  const run = runSettings(where, options);
  const plan = planOf(run, foldShapeWithoutData(run));
  const { records, missing } = await finishedRecords(dir, plan, run, {});
  if (missing.length > 0 && !allowPartial) {
    const shown = missing.slice(0, 5).join(", ");
    throw new TinyRnnInputError(
      `${dir}: ${missing.length} of ${plan.units.length} instances are not finished (${shown}${
        missing.length > 5 ? ", ..." : ""
      }); rerun the shards that trained them, or merge with allowPartial (--allow-partial)`,
    );
  }
  await removeStaleTemp(dir);
  const summary = buildSummary(records.map((r) => r.row), { dimensionality: run.dimensionality, missing });
  await writeSummary(dir, summary);
  return summary;
}
