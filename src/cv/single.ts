/**
 * `fitSingle`: no cross-validation, one split of the blocks into training, validation and test sets; every
 * network (cell x hidden size x L1 strength x seed) and every cognitive model (x seed) is fitted once on it.
 * What `deno task fit --single` runs.
 *
 * @module
 */

import { cognitive, type CognitiveModel } from "../agents/cognitive.ts";
import { type CognitiveFit, fitCognitive } from "../agents/fitting.ts";
import type { Dataset } from "../data/dataset.ts";
import { fit, randomSplit } from "../engine/fit.ts";
import type { FittedModel } from "../engine/fitted_model.ts";
import type { TrainProgress } from "../engine/many.ts";
import type { EngineName } from "../engine/training_options.ts";
import type { StateDict } from "../rnn/network.ts";
import {
  checkFunction,
  checkList,
  checkNumber,
  type DefaultedOption,
  option,
  type OptionSpec,
  resolveOptions,
  TinyRnnInputError,
} from "../options.ts";
import { blocksOf, evaluateCognitive } from "./instances.ts";
import { CROSS_VALIDATE_OPTIONS, initKey, RUN_OPTIONS, type SameKeys } from "./options.ts";
import { pythonFloat } from "./plan.ts";
import { checkOutputFolder, writeAtomic } from "./store.ts";

/** Options of {@link fitSingle}. Every field is optional; the defaults are in {@link FIT_SINGLE_OPTIONS}. */
export interface FitSingleOptions {
  /** Recurrent cells; `[]` for cognitive models only. Default `["gru"]`. */
  cells?: readonly string[];
  /** Hidden sizes for every cell. Default `[2]`. */
  hidden?: readonly number[];
  /** L1 strengths on the recurrent weights; each is fitted (no selection). Default `[1e-5]`. */
  l1?: readonly number[];
  /** Seeds per network (initial weights) and per cognitive model (random starts). Default 1. */
  seeds?: number;
  /** Cognitive models to fit on the same split, by name. Default `[]`. */
  cognitive?: readonly string[];
  /** Learning rate of AdamW. Default 0.005. */
  lr?: number;
  /** Training runs at most `maxEpochs + 1` iterations. Default 10000. */
  maxEpochs?: number;
  /** Early stopping: stop once the validation loss failed to improve `patience + 1` times in a row. Default 200. */
  patience?: number;
  /** AdamW weight decay. Default 0. */
  weightDecay?: number;
  /** Training engine of the networks: `"native"` (default), `"tfjs"` or `"auto"`. */
  engine?: EngineName;
  /** Initial weights per `"<cell>-<hidden>-seed<seed>"` (see `initKey`); networks without start seeded. */
  init?: Readonly<Record<string, StateDict>>;
  /** The blocks are permuted with this seed (numpy `RandomState`) before they are cut. Default 0. */
  splitSeed?: number;
  /** Relative sizes of the training, validation and test sets. Default `[0.6, 0.2, 0.2]`. */
  fractions?: readonly [number, number, number];
  /**
   * Folder for one file per fitted model: `<cell>-<hidden>-l1-<l1>-seed<seed>.json` (`FittedModel` JSON) and
   * `<model>-seed<seed>.json` (the cognitive model's parameters and losses). Default none (nothing written).
   */
  resultsDir?: string;
  /** Worker threads for the networks (see `trainMany`). */
  workers?: number;
  /** Called as the networks train and finish (see `trainMany`). */
  onProgress?: (progress: TrainProgress) => void;
}

/** The declarations of {@link FIT_SINGLE_OPTIONS}. */
export type FitSingleOptionSpecs = {
  readonly cells: DefaultedOption<readonly string[]>;
  readonly hidden: DefaultedOption<readonly number[]>;
  readonly l1: DefaultedOption<readonly number[]>;
  readonly seeds: DefaultedOption<number>;
  readonly cognitive: DefaultedOption<readonly string[]>;
  readonly lr: DefaultedOption<number>;
  readonly maxEpochs: DefaultedOption<number>;
  readonly patience: DefaultedOption<number>;
  readonly weightDecay: DefaultedOption<number>;
  readonly engine: DefaultedOption<EngineName>;
  readonly init: OptionSpec<Readonly<Record<string, StateDict>>>;
  readonly splitSeed: DefaultedOption<number>;
  readonly fractions: DefaultedOption<readonly [number, number, number]>;
  readonly resultsDir: OptionSpec<string>;
  readonly workers: OptionSpec<number>;
  readonly onProgress: OptionSpec<(progress: TrainProgress) => void>;
};

/** The options of {@link fitSingle}: key, default, check and one line of help each. */
export const FIT_SINGLE_OPTIONS: FitSingleOptionSpecs = {
  cells: RUN_OPTIONS.cells,
  hidden: { ...RUN_OPTIONS.hidden, default: [2] },
  l1: { ...RUN_OPTIONS.l1, help: "L1 strengths on the recurrent weights", default: [1e-5] },
  seeds: { ...RUN_OPTIONS.seeds, help: "seeds per model", default: 1 },
  cognitive: {
    ...RUN_OPTIONS.cognitive,
    help: "cognitive models fitted on the same split, e.g. MB0,MB1,LS0",
  },
  lr: RUN_OPTIONS.lr,
  maxEpochs: RUN_OPTIONS.maxEpochs,
  patience: RUN_OPTIONS.patience,
  weightDecay: RUN_OPTIONS.weightDecay,
  engine: RUN_OPTIONS.engine,
  init: RUN_OPTIONS.init,
  splitSeed: option<number>({
    help: "seed of the block permutation",
    default: 0,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, max: 0xffffffff, integer: true }),
  }),
  fractions: option<readonly [number, number, number]>({
    help: "relative sizes of the training, validation and test sets",
    default: [0.6, 0.2, 0.2],
    placeholder: "F,F,F",
    check: (where, name, v) => {
      const list = checkList(where, name, v, (e, entry) => checkNumber(where, entry, e, { min: 0 }), {
        unique: false,
      });
      if (list.length !== 3) throw new TinyRnnInputError(`${where}: ${name} must be [train, val, test]`);
      return list as unknown as readonly [number, number, number];
    },
  }),
  resultsDir: { ...CROSS_VALIDATE_OPTIONS.resultsDir, help: "folder for one file per fitted model" },
  workers: CROSS_VALIDATE_OPTIONS.workers,
  onProgress: option<(progress: TrainProgress) => void>({
    help: "called as the networks train and finish",
    check: checkFunction,
  }),
};

const _keys: SameKeys<FitSingleOptions, FitSingleOptionSpecs> = true;

/** One network of a {@link SingleFit}. */
export interface SingleFitNetwork {
  /** File-name stem, e.g. `gru-2-l1-1e-05-seed0`. */
  name: string;
  /** Cell name, e.g. `"gru"`. */
  cell: string;
  /** Hidden size d. */
  hidden: number;
  /** L1 strength on the recurrent weights. */
  l1: number;
  /** Seed of the initial weights. */
  seed: number;
  /** The fitted network (epochs, losses, weights, `.agent()`). */
  model: FittedModel;
}

/** One cognitive model of a {@link SingleFit}. */
export interface SingleFitCognitive {
  /** File-name stem, e.g. `MB0-seed0`. */
  name: string;
  /** Seed of the random starts. */
  seed: number;
  /** The fitted model. */
  model: CognitiveModel;
  /** The fit (optimiser starts and results). */
  fit: CognitiveFit<CognitiveModel>;
  /** NLL per trial on the training, validation and test blocks; accuracy on the test blocks. */
  trainLoss: number;
  /** NLL per trial on the validation blocks. */
  valLoss: number;
  /** NLL per trial on the test blocks. */
  testLoss: number;
  /** Accuracy on the test blocks (argmax choice = action). */
  testAccuracy: number;
}

/** What {@link fitSingle} returns. */
export interface SingleFit {
  /** The split: sorted block indices. */
  split: { train: number[]; val: number[]; test: number[] };
  /** The networks, in the order cell, hidden size, L1 strength, seed. */
  networks: SingleFitNetwork[];
  /** The cognitive models, in the order given, then seed. */
  cognitive: SingleFitCognitive[];
  /** The files written under `resultsDir` (names relative to it; empty without one). */
  files: string[];
}

/**
 * Fit every network and cognitive model once on one random split of the blocks (no cross-validation): the
 * blocks are permuted with `splitSeed` and cut by `fractions`; networks stop early on the validation blocks,
 * cognitive models are fitted on the training blocks by maximum likelihood. With `resultsDir`, each model is
 * written to its own file.
 *
 * @example
 * ```ts
 * import { cognitive, fitSingle, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const result = await fitSingle(data, { hidden: [1, 2], cognitive: ["MB0"], maxEpochs: 50 });
 * for (const n of result.networks) console.log(n.name, n.model.testLoss);
 * console.log(result.cognitive[0].name, result.cognitive[0].testLoss);
 * ```
 */
export async function fitSingle(data: Dataset, options: FitSingleOptions = {}): Promise<SingleFit> {
  const where = "fitSingle";
  const o = resolveOptions(where, options, FIT_SINGLE_OPTIONS);
  const cognitiveNames = o.cognitive.map((name) => cognitive(name).name);
  const specs = o.cells.flatMap((cell) =>
    o.hidden.flatMap((hidden) =>
      o.l1.flatMap((l1) => Array.from({ length: o.seeds }, (_, seed) => ({ cell, hidden, l1, seed })))
    )
  );
  if (specs.length === 0 && cognitiveNames.length === 0) {
    throw new TinyRnnInputError(`${where}: nothing to fit: give cells and hidden sizes, or cognitive models`);
  }
  const split = randomSplit(data.blocks.length, o.splitSeed, [...o.fractions] as [number, number, number]);
  if (split.train.length === 0 || split.val.length === 0) {
    throw new TinyRnnInputError(
      `${where}: fractions ${
        JSON.stringify(o.fractions)
      } leave no training or validation block of ${data.blocks.length}`,
    );
  }
  const dir = o.resultsDir;
  if (dir !== undefined) await checkOutputFolder(dir, "resultsDir");
  const files: string[] = [];
  const save = async (name: string, text: string) => {
    if (dir === undefined) return;
    await writeAtomic(`${dir}/${name}.json`, text);
    files.push(`${name}.json`);
  };

  const fitted = specs.length === 0 ? [] : await fit(
    data,
    specs.map((s) => {
      const init = o.init?.[initKey(s.cell, s.hidden, s.seed)];
      return {
        cell: s.cell,
        hidden: s.hidden,
        l1: s.l1,
        seed: s.seed,
        lr: o.lr,
        maxEpochs: o.maxEpochs,
        patience: o.patience,
        weightDecay: o.weightDecay,
        engine: o.engine,
        ...(init === undefined ? {} : { init }),
        split,
        ...(o.workers === undefined ? {} : { workers: o.workers }),
        ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
      };
    }),
  );
  const networks: SingleFitNetwork[] = [];
  for (const [i, model] of fitted.entries()) {
    const s = specs[i];
    const name = `${s.cell}-${s.hidden}-l1-${pythonFloat(s.l1)}-seed${s.seed}`;
    networks.push({ name, ...s, model });
    await save(name, JSON.stringify(model.toJSON()) + "\n");
  }

  const cognitiveFits: SingleFitCognitive[] = [];
  for (const modelName of cognitiveNames) {
    for (let seed = 0; seed < o.seeds; seed++) {
      const result = fitCognitive(cognitive(modelName), data, { trainBlocks: split.train, seed });
      const val = evaluateCognitive(result.model, blocksOf(data, split.val));
      const test = evaluateCognitive(result.model, blocksOf(data, split.test));
      const name = `${result.model.name}-seed${seed}`;
      cognitiveFits.push({
        name,
        seed,
        model: result.model,
        fit: result,
        trainLoss: result.trainNll,
        valLoss: val.loss,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
      });
      await save(
        name,
        JSON.stringify({
          model: result.model.name,
          params: result.model.params,
          trainLoss: result.trainNll,
          valLoss: val.loss,
          testLoss: test.loss,
          split,
        }, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)) + "\n",
      );
    }
  }
  return { split, networks, cognitive: cognitiveFits, files };
}
