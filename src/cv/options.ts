/**
 * The options of `crossValidate` and `mergeResults`, each declared once (key, default, check, help text) in
 * {@link CROSS_VALIDATE_OPTIONS} and {@link MERGE_OPTIONS}, and their validation into the settings of a run
 * ({@link runSettings}). The training settings (`lr`, `maxEpochs`, `patience`, `weightDecay`, `engine`) are
 * the engine's own declarations, shared with `fit`.
 *
 * @module
 */

import { cognitive, type CognitiveOptions } from "../agents/cognitive.ts";
import { type EngineName, TRAINING_OPTIONS } from "../engine/training_options.ts";
import type { StateDict } from "../rnn/network.ts";
import { getCell } from "../rnn/registry.ts";
import {
  checkBoolean,
  checkChoice,
  checkFunction,
  checkList,
  checkNameList,
  checkNumber,
  type DefaultedOption,
  option,
  optionKeys,
  type OptionSpec,
  rejectUnknownKeys,
  type ResolvedOptions,
  resolveOptions,
  TinyRnnInputError,
} from "../options.ts";
import { DIMENSIONALITY_OPTIONS, type DimensionalityOptions } from "./dimensionality.ts";
import { CV_EQUATIONS_OPTIONS, type CvEquationsOptions } from "./equations.ts";
import { valueFingerprint } from "./instances.ts";
import type { ModelSpec } from "./plan.ts";
import type { GivenOuterFold, GivenSplit, makeSplit, SplitLevel } from "./splits.ts";

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

/**
 * Options of `crossValidate`. Every field is optional; the defaults follow the paper and are listed, with a
 * line of help each, in {@link CROSS_VALIDATE_OPTIONS} (`CROSS_VALIDATE_OPTIONS.hidden.default`, ...).
 */
export interface CrossValidateOptions {
  /** Recurrent cells to try (see `cellNames()`); `[]` for cognitive models only. Default `["gru"]`. */
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
   * Training engine of the networks: `"native"` (float64, worker threads; default), `"tfjs"` (float32, WebGPU
   * when there is one) or `"auto"`. Instances trained by another engine than `"native"` record it in their
   * settings, so a resumed run does not mix engines.
   */
  engine?: EngineName;
  /**
   * Initial weights per `"<cell>-<hidden>-seed<seed>"` (e.g. `"gru-2-seed1"`, see {@link initKey}): a
   * PyTorch-named state dict, the layout of `tutorial_init_weights.json`'s `weights`. Every fold and L1
   * strength of that (cell, hidden, seed) starts from them. Without it networks start from seeded
   * PyTorch-like initialisation. Default none.
   */
  init?: Readonly<Record<string, StateDict>>;
  /** How blocks are split. Default: block level, k-fold as the original. */
  split?: CvSplitOptions;
  /** Dimensionality test (default: one-sided paired t-test at 0.05). */
  dimensionality?: DimensionalityOptions;
  /**
   * Results folder: one JSON file per finished instance, then `summary.json` and `summary.csv`, and the data
   * set as `data.json` (unless one is there), so that `loadResults` can draw the run's figures. A rerun skips
   * finished instances. Without it everything stays in memory. Default none.
   */
  resultsDir?: string;
  /** Called as instances progress and finish. */
  onProgress?: (progress: CvProgress) => void;
  /** Worker threads for the networks. Default: one per core (at most one per instance). */
  workers?: number;
  /**
   * Train only shard `index` of `count` (0-based) of the run's instances; `summary.json` is left to
   * `mergeResults`. Default: the whole run.
   */
  shard?: { index: number; count: number };
  /**
   * Equations from the selected networks: per outer fold, the rule of the kept network is discovered on its
   * training blocks (`discoverEquations`), refitted by maximum likelihood on them (unless `refit: false`; the
   * refit is kept only when it does not score worse on the validation blocks) and scored on the test blocks,
   * as one more model `equations(<network>)` of the summary (kind `"equations"`).
   * `from` lists the networks (default: every network with d <= 2); the other keys are `discoverEquations`'
   * options. Needs the whole run (not a shard). Default none: the summary has no equations rows.
   */
  equations?: CvEquationsOptions;
}

/**
 * Options of `mergeResults`: the run's options (as given to each shard; `workers` and `onProgress` are
 * accepted and ignored) and what to do about gaps.
 */
export type MergeOptions =
  & Omit<CrossValidateOptions, "resultsDir" | "shard" | "equations">
  & {
    /** Write a summary even when instances are missing (they are listed in `missing`). Default false. */
    allowPartial?: boolean;
  };

function checkObject(where: string, name: string, value: unknown): object {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TinyRnnInputError(`${where}: ${name} must be an object, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The declarations of {@link CV_SPLIT_OPTIONS}. */
export type CvSplitOptionSpecs = {
  readonly level: DefaultedOption<SplitLevel>;
  readonly folds: OptionSpec<readonly GivenOuterFold[] | GivenSplit>;
  readonly singleInnerFold: DefaultedOption<boolean>;
  readonly trainvalFlip: DefaultedOption<boolean>;
};

/** The options of `split` (the fold counts are `outer` and `inner` of the run). */
export const CV_SPLIT_OPTIONS: CvSplitOptionSpecs = {
  level: option<SplitLevel>({
    help: "block: whole blocks per fold (as the original); trial: single trials within blocks",
    default: "block",
    placeholder: "block|trial",
    check: (where, name, v) => checkChoice(where, name, v, ["block", "trial"] as const),
  }),
  folds: option<readonly GivenOuterFold[] | GivenSplit>({
    help: "user-given folds over the units of level: [{test, inner: [{train, val}]}] or {train, val, test}",
    placeholder: "FILE",
    check: (_where, _name, v) => v as readonly GivenOuterFold[] | GivenSplit,
  }),
  singleInnerFold: option<boolean>({
    help: "train only inner fold 0 of each outer fold (the original's single_inner_fold)",
    default: false,
    check: checkBoolean,
  }),
  trainvalFlip: option<boolean>({
    help: "swap train and validation sets (the original's trainval_flip)",
    default: false,
    check: checkBoolean,
  }),
};

/** The declarations of {@link RUN_OPTIONS}. */
export type RunOptionSpecs = {
  readonly cells: DefaultedOption<readonly string[]>;
  readonly hidden: DefaultedOption<readonly number[]>;
  readonly l1: DefaultedOption<readonly number[]>;
  readonly cognitive: DefaultedOption<readonly string[]>;
  readonly cognitiveOptions: DefaultedOption<CognitiveOptions>;
  readonly cognitiveRestarts: DefaultedOption<number>;
  readonly outer: DefaultedOption<number>;
  readonly inner: DefaultedOption<number>;
  readonly seeds: DefaultedOption<number>;
  readonly lr: DefaultedOption<number>;
  readonly maxEpochs: DefaultedOption<number>;
  readonly patience: DefaultedOption<number>;
  readonly weightDecay: DefaultedOption<number>;
  readonly engine: DefaultedOption<EngineName>;
  readonly init: OptionSpec<Readonly<Record<string, StateDict>>>;
  readonly split: OptionSpec<CvSplitOptions>;
  readonly dimensionality: OptionSpec<DimensionalityOptions>;
};

/**
 * The largest hidden size accepted: the tiny networks of the method have d <= 20; far larger sizes would only
 * fail later on memory (the recurrent weights grow as d²).
 */
export const MAX_HIDDEN = 1024;

/** The options that define a run: the same for `crossValidate`, its shards and `mergeResults`. */
export const RUN_OPTIONS: RunOptionSpecs = {
  cells: option<readonly string[]>({
    help: "recurrent cells to try, e.g. gru or gru,sgru (none for cognitive models only)",
    default: ["gru"],
    placeholder: "LIST",
    check: (where, name, v) => checkNameList(where, name, v).map((c) => getCell(c).name),
  }),
  hidden: option<readonly number[]>({
    help: "hidden sizes d to try for every cell",
    default: [1, 2, 3, 4, 5, 10, 20],
    placeholder: "LIST",
    check: (where, name, v) =>
      checkList(
        where,
        name,
        v,
        (e, entry) => checkNumber(where, entry, e, { min: 1, max: MAX_HIDDEN, integer: true }),
      ),
  }),
  l1: option<readonly number[]>({
    help: "L1 strengths on the recurrent weights, the best per fold chosen by validation loss",
    default: [1e-5, 1e-4, 1e-3],
    placeholder: "LIST",
    check: (where, name, v) => {
      const list = checkList(
        where,
        name,
        v,
        (e, entry) => checkNumber(where, entry, e, { min: 0, finite: true }),
      );
      if (list.length === 0) throw new TinyRnnInputError(`${where}: ${name} must list at least one strength`);
      return list;
    },
  }),
  cognitive: option<readonly string[]>({
    help: "cognitive models fitted in the same folds, e.g. MB0,MB1,LS0",
    default: [],
    placeholder: "LIST",
    check: checkNameList,
  }),
  cognitiveOptions: option<CognitiveOptions>({
    help: "task constants of the cognitive models (pTransit, goodProb; see cognitive())",
    default: {},
    check: (where, name, v) => checkObject(where, name, v) as CognitiveOptions,
  }),
  cognitiveRestarts: option<number>({
    help: "seeded random starts of each cognitive fit, besides the grid start",
    default: 5,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, integer: true }),
  }),
  outer: option<number>({
    help: "outer folds",
    default: 10,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 2, integer: true }),
  }),
  inner: option<number>({
    help: "inner folds per outer fold",
    default: 9,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 2, integer: true }),
  }),
  seeds: option<number>({
    help: "seeds per model, fold and L1 strength (initial weights; random starts of cognitive fits)",
    default: 3,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 1, integer: true }),
  }),
  lr: TRAINING_OPTIONS.lr,
  maxEpochs: TRAINING_OPTIONS.maxEpochs,
  patience: TRAINING_OPTIONS.patience,
  weightDecay: TRAINING_OPTIONS.weightDecay,
  engine: TRAINING_OPTIONS.engine,
  init: option<Readonly<Record<string, StateDict>>>({
    help: 'initial weights per "<cell>-<hidden>-seed<seed>": PyTorch-named state dicts',
    placeholder: "FILE",
    check: (where, _name, v) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        throw new TinyRnnInputError(
          `${where}: init must map "<cell>-<hidden>-seed<seed>" to state dicts, got ${typeof v}`,
        );
      }
      return v as Readonly<Record<string, StateDict>>;
    },
  }),
  split: option<CvSplitOptions>({
    help: "how the data is split: { level, folds, singleInnerFold, trainvalFlip }",
    check: (where, name, v) => {
      if (v === null || typeof v !== "object") {
        throw new TinyRnnInputError(`${where}: ${name} must be an object`);
      }
      rejectUnknownKeys(`${where}: ${name}`, v, optionKeys(CV_SPLIT_OPTIONS));
      return v as CvSplitOptions;
    },
  }),
  dimensionality: option<DimensionalityOptions>({
    help:
      "the dimensionality test: { test: ttest | mean, alpha } (default a one-sided paired t-test at 0.05)",
    // Checked now, so that a mistake fails before the training rather than after it.
    check: (where, name, v) => {
      resolveOptions(`${where}: ${name}`, v as object, DIMENSIONALITY_OPTIONS);
      return v as DimensionalityOptions;
    },
  }),
};

const workers: OptionSpec<number> = option<number>({
  help: "worker threads for the networks (default one per core, at most one per instance)",
  placeholder: "N",
  check: (where, name, v) => checkNumber(where, name, v, { min: 0, integer: true }),
});

const onProgress: OptionSpec<(progress: CvProgress) => void> = option<(progress: CvProgress) => void>({
  help: "called as instances progress and finish",
  check: checkFunction,
});

/** The declarations of {@link CROSS_VALIDATE_OPTIONS}. */
export type CrossValidateOptionSpecs = RunOptionSpecs & {
  readonly resultsDir: OptionSpec<string>;
  readonly onProgress: OptionSpec<(progress: CvProgress) => void>;
  readonly workers: OptionSpec<number>;
  readonly shard: OptionSpec<{ index: number; count: number }>;
  readonly equations: OptionSpec<CvEquationsOptions>;
};

/** The declarations of {@link MERGE_OPTIONS}. */
export type MergeOptionSpecs = RunOptionSpecs & {
  readonly workers: OptionSpec<number>;
  readonly onProgress: OptionSpec<(progress: CvProgress) => void>;
  readonly allowPartial: DefaultedOption<boolean>;
};

/** Compile-time check that a schema declares exactly the keys of its options interface. */
export type SameKeys<A, B> = [keyof A] extends [keyof B] ? [keyof B] extends [keyof A] ? true : never : never;

/** The options of `crossValidate`: key, default, check and one line of help each. */
export const CROSS_VALIDATE_OPTIONS: CrossValidateOptionSpecs = {
  ...RUN_OPTIONS,
  resultsDir: option<string>({
    help: "results folder (instance files, summary.json, summary.csv, data.json); a rerun resumes it",
    placeholder: "DIR",
    check: (where, name, v) => {
      if (typeof v !== "string" || v === "") {
        throw new TinyRnnInputError(`${where}: ${name} must be a folder path, got ${JSON.stringify(v)}`);
      }
      return v;
    },
  }),
  onProgress,
  workers,
  shard: option<{ index: number; count: number }>({
    help: "train only shard index of count (0-based); the summary is left to mergeResults",
    placeholder: "i/N",
    check: (where, name, v) => {
      if (v === null || typeof v !== "object") {
        throw new TinyRnnInputError(`${where}: ${name} must be {index, count}, got ${JSON.stringify(v)}`);
      }
      rejectUnknownKeys(`${where}: ${name}`, v, ["index", "count"]);
      const { index, count } = v as { index: unknown; count: unknown };
      const n = checkNumber(where, `${name}.count`, count, { min: 1, integer: true });
      return {
        index: checkNumber(where, `${name}.index`, index, { min: 0, max: n - 1, integer: true }),
        count: n,
      };
    },
  }),
  equations: option<CvEquationsOptions>({
    help:
      "equations from the selected networks, scored per outer fold: { from, refit, ...discoverEquations options }",
    check: (where, name, v) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        throw new TinyRnnInputError(`${where}: ${name} must be an object, got ${JSON.stringify(v)}`);
      }
      resolveOptions(`${where}: ${name}`, v, CV_EQUATIONS_OPTIONS);
      return v as CvEquationsOptions;
    },
  }),
};

/** The options of `mergeResults`: the run's options, and `allowPartial`. */
export const MERGE_OPTIONS: MergeOptionSpecs = {
  ...RUN_OPTIONS,
  workers,
  onProgress,
  allowPartial: option<boolean>({
    help: "write a summary even when instances are missing (they are listed in missing)",
    default: false,
    check: checkBoolean,
  }),
};

const _cvKeys: SameKeys<CrossValidateOptions, CrossValidateOptionSpecs> = true;
const _mergeKeys: SameKeys<MergeOptions, MergeOptionSpecs> = true;
const _splitKeys: SameKeys<CvSplitOptions, CvSplitOptionSpecs> = true;

/** The validated options of a run, as {@link runSettings} reads them. */
export type ResolvedRunOptions = ResolvedOptions<typeof RUN_OPTIONS>;

/** The validated settings of a run. */
export interface RunSettings {
  models: ModelSpec[];
  l1: number[];
  seeds: number;
  lr: number;
  maxEpochs: number;
  patience: number;
  weightDecay: number;
  engine: EngineName;
  init?: Readonly<Record<string, StateDict>>;
  cognitiveOptions: CognitiveOptions;
  cognitiveRestarts: number;
  /** What `makeSplit` gets (fold counts included unless folds are given). */
  split: Parameters<typeof makeSplit>[1];
  /** The split as recorded in every instance's settings. */
  splitKey: Record<string, unknown>;
  dimensionality?: DimensionalityOptions;
}

/**
 * The settings of a run from its resolved options (`o`, from `resolveOptions` with one of the schemas above)
 * and the options as given (to tell a fold count that was given from its default). Shared by `crossValidate`
 * and `mergeResults`, so that a merge rebuilds exactly the run its shards trained.
 */
export function runSettings(where: string, o: ResolvedRunOptions, given: object): RunSettings {
  const cognitiveNames = o.cognitive.map((name) => cognitive(name, undefined, o.cognitiveOptions).name);
  if (new Set(cognitiveNames).size !== cognitiveNames.length) {
    throw new TinyRnnInputError(`${where}: cognitive lists a model twice (${cognitiveNames.join(", ")})`);
  }
  const models: ModelSpec[] = [
    ...o.cells.flatMap((cell) => o.hidden.map((h): ModelSpec => ({ kind: "rnn", cell, hidden: h }))),
    ...cognitiveNames.map((name): ModelSpec => ({ kind: "cognitive", name })),
  ];
  if (models.length === 0) {
    throw new TinyRnnInputError(`${where}: no models: give cells and hidden sizes, or cognitive models`);
  }

  const split = o.split ?? {};
  const level = CV_SPLIT_OPTIONS.level.check(
    where,
    "split.level",
    split.level ?? CV_SPLIT_OPTIONS.level.default,
  );
  let splitOptions: RunSettings["split"];
  let splitKey: Record<string, unknown>;
  if (split.folds !== undefined) {
    for (const key of ["outer", "inner"] as const) {
      if ((given as Record<string, unknown>)[key] !== undefined) {
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
    const flag = (key: "singleInnerFold" | "trainvalFlip") =>
      CV_SPLIT_OPTIONS[key].check(where, `split.${key}`, split[key] ?? CV_SPLIT_OPTIONS[key].default);
    splitOptions = {
      level,
      outer: o.outer,
      inner: o.inner,
      singleInnerFold: flag("singleInnerFold"),
      trainvalFlip: flag("trainvalFlip"),
    };
    splitKey = { ...splitOptions };
  }
  return {
    models,
    l1: [...o.l1],
    seeds: o.seeds,
    lr: o.lr,
    maxEpochs: o.maxEpochs,
    patience: o.patience,
    weightDecay: o.weightDecay,
    engine: o.engine,
    init: o.init,
    cognitiveOptions: o.cognitiveOptions,
    cognitiveRestarts: o.cognitiveRestarts,
    split: splitOptions,
    splitKey,
    dimensionality: o.dimensionality,
  };
}

/**
 * The key of a network's initial weights in the `init` option: `"<cell>-<hidden>-seed<seed>"`.
 *
 * @example
 * ```ts
 * import { initKey } from "@tinyrnn/tinyrnn";
 *
 * console.log(initKey("gru", 2, 1)); // "gru-2-seed1"
 * ```
 */
export function initKey(cell: string, hidden: number, seed: number): string {
  return `${cell}-${hidden}-seed${seed}`;
}
