/**
 * `fit`: train one network (or several together) on a data set with an explicit or random split.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { checkBoolean, checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { RandomState } from "../random.ts";
import { cellNames } from "../rnn/registry.ts";
import { rewardScaleOf } from "../rnn/encoding.ts";
import type { ReadoutKind, StateDict } from "../rnn/network.ts";
import { type FitConfig, FittedModel } from "./fitted_model.ts";
import { resolveJob, type TrainJob } from "./job.ts";
import { trainMany, type TrainProgress } from "./many.ts";
import { type EngineName, TRAINING_OPTIONS } from "./training_options.ts";

/** Which blocks train, validate (early stopping) and test. */
export type SplitOption =
  /** Explicit block indices. `test` may be empty or left out. */
  | { train: number[]; val: number[]; test?: number[] }
  /** A random split: blocks permuted by `seed` (numpy `RandomState`), cut by `fractions` [train, val, test]. */
  | { seed?: number; fractions?: [number, number, number] };

/** Options of `fit`. */
export interface FitOptions {
  /** Cell name. Default `"gru"`. */
  cell?: string;
  /** Hidden size. Default 2. */
  hidden?: number;
  /** Readout. Default `"linear"`. */
  readout?: ReadoutKind;
  /** Initial state predicts the first choice. Default true. */
  outputH0?: boolean;
  /** Train the initial state. Default false. */
  trainableH0?: boolean;
  /** L1 strength on the recurrent weight matrices. Default 1e-5. */
  l1?: number;
  /** AdamW learning rate. Default `TRAINING_OPTIONS.lr.default` (0.005). */
  lr?: number;
  /** AdamW weight decay. Default 0. */
  weightDecay?: number;
  /** Iterations run at most: `maxEpochs + 1`. Default `TRAINING_OPTIONS.maxEpochs.default` (10000). */
  maxEpochs?: number;
  /** Early-stopping patience. Default `TRAINING_OPTIONS.patience.default` (200). */
  patience?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
  /** Explicit initial weights (PyTorch-named state dict); overrides `seed`. */
  init?: StateDict;
  /** Split of the blocks. Default `{ seed: 0, fractions: [0.6, 0.2, 0.2] }`. */
  split?: SplitOption;
  /** Record the test loss every epoch. Default false. */
  testCurve?: boolean;
  /** Worker threads when fitting several models (see `trainMany`). */
  workers?: number;
  /** Progress reports (see `trainMany`). */
  onProgress?: (progress: TrainProgress) => void;
  /** Training engine: `"native"` (float64; default), `"tfjs"` (float32, GPU when there is one) or `"auto"`. */
  engine?: EngineName;
}

const KEYS = [
  "cell",
  "hidden",
  "readout",
  "outputH0",
  "trainableH0",
  "l1",
  "lr",
  "weightDecay",
  "maxEpochs",
  "patience",
  "seed",
  "init",
  "split",
  "testCurve",
  "workers",
  "onProgress",
  "engine",
];

/** Sorted block indices of a random split (numpy permutation of 0..n-1, then consecutive chunks). */
export function randomSplit(
  nBlocks: number,
  seed = 0,
  fractions: [number, number, number] = [0.6, 0.2, 0.2],
): { train: number[]; val: number[]; test: number[] } {
  const order = new RandomState(seed).permutation(nBlocks);
  const total = fractions[0] + fractions[1] + fractions[2];
  const nTrain = Math.round((nBlocks * fractions[0]) / total);
  const nVal = Math.round((nBlocks * fractions[1]) / total);
  const sorted = (a: number[]) => a.sort((x, y) => x - y);
  return {
    train: sorted(order.slice(0, nTrain)),
    val: sorted(order.slice(nTrain, nTrain + nVal)),
    test: sorted(order.slice(nTrain + nVal)),
  };
}

function checkBlocks(name: string, value: unknown, nBlocks: number): number[] {
  if (!Array.isArray(value)) {
    throw new TinyRnnInputError(`fit: split.${name} must be an array of block indices`);
  }
  const seen = new Set<number>();
  for (const b of value) {
    if (!Number.isInteger(b) || b < 0 || b >= nBlocks) {
      throw new TinyRnnInputError(
        `fit: split.${name} has block ${JSON.stringify(b)}, not an index of the data set's ${nBlocks} blocks`,
      );
    }
    if (seen.has(b)) throw new TinyRnnInputError(`fit: split.${name} lists block ${b} twice`);
    seen.add(b);
  }
  return [...value];
}

function resolveSplit(split: unknown, nBlocks: number): { train: number[]; val: number[]; test: number[] } {
  if (split === undefined) return randomSplit(nBlocks);
  if (!split || typeof split !== "object") throw new TinyRnnInputError("fit: split must be an object");
  if ("train" in split || "val" in split || "test" in split) {
    rejectUnknownKeys("fit: split", split, ["train", "val", "test"]);
    const s = split as { train: unknown; val: unknown; test?: unknown };
    const out = {
      train: checkBlocks("train", s.train, nBlocks),
      val: checkBlocks("val", s.val, nBlocks),
      test: s.test === undefined ? [] : checkBlocks("test", s.test, nBlocks),
    };
    if (out.train.length === 0) throw new TinyRnnInputError("fit: split.train is empty");
    if (out.val.length === 0) throw new TinyRnnInputError("fit: split.val is empty");
    // A block in two sets would be scored on the data it was trained (or early-stopped) on.
    const setOf = new Map<number, string>();
    for (const name of ["train", "val", "test"] as const) {
      for (const b of out[name]) {
        const other = setOf.get(b);
        if (other !== undefined) {
          throw new TinyRnnInputError(`fit: block ${b} is in both split.${other} and split.${name}`);
        }
        setOf.set(b, name);
      }
    }
    return out;
  }
  rejectUnknownKeys("fit: split", split, ["seed", "fractions"]);
  const s = split as { seed?: unknown; fractions?: unknown };
  const seed = checkNumber("fit", "split.seed", s.seed ?? 0, { min: 0, max: 0xffffffff, integer: true });
  const fractions = s.fractions ?? [0.6, 0.2, 0.2];
  if (!Array.isArray(fractions) || fractions.length !== 3) {
    throw new TinyRnnInputError("fit: split.fractions must be [train, val, test]");
  }
  fractions.forEach((f, i) => checkNumber("fit", `split.fractions[${i}]`, f, { min: 0 }));
  const out = randomSplit(nBlocks, seed, fractions as [number, number, number]);
  if (out.train.length === 0 || out.val.length === 0) {
    throw new TinyRnnInputError(
      `fit: split.fractions ${JSON.stringify(fractions)} leave no training or validation block of ${nBlocks}`,
    );
  }
  return out;
}

/** Validate fit options and turn them into a training job. */
export function jobOfOptions(data: Dataset, options: FitOptions): TrainJob {
  if (!options || typeof options !== "object") throw new TinyRnnInputError("fit: options must be an object");
  rejectUnknownKeys("fit", options, KEYS);
  const o = options;
  const job: TrainJob = {
    cell: checkChoice("fit", "cell", o.cell ?? "gru", cellNames()),
    hidden: checkNumber("fit", "hidden", o.hidden ?? 2, { min: 1, integer: true }),
    readout: checkChoice("fit", "readout", o.readout ?? "linear", ["linear", "diagonal"] as const),
    outputH0: checkBoolean("fit", "outputH0", o.outputH0 ?? true),
    trainableH0: checkBoolean("fit", "trainableH0", o.trainableH0 ?? false),
    l1: checkNumber("fit", "l1", o.l1 ?? 1e-5, { min: 0 }),
    lr: TRAINING_OPTIONS.lr.check("fit", "lr", o.lr ?? TRAINING_OPTIONS.lr.default),
    weightDecay: TRAINING_OPTIONS.weightDecay.check(
      "fit",
      "weightDecay",
      o.weightDecay ?? TRAINING_OPTIONS.weightDecay.default,
    ),
    maxEpochs: TRAINING_OPTIONS.maxEpochs.check(
      "fit",
      "maxEpochs",
      o.maxEpochs ?? TRAINING_OPTIONS.maxEpochs.default,
    ),
    patience: TRAINING_OPTIONS.patience.check(
      "fit",
      "patience",
      o.patience ?? TRAINING_OPTIONS.patience.default,
    ),
    seed: checkNumber("fit", "seed", o.seed ?? 0, { min: 0, max: 0xffffffff, integer: true }),
    testCurve: checkBoolean("fit", "testCurve", o.testCurve ?? false),
    ...resolveSplit(o.split, data.blocks.length),
  };
  if (o.init !== undefined) {
    if (!o.init || typeof o.init !== "object" || Array.isArray(o.init)) {
      throw new TinyRnnInputError("fit: init must be a state dict (tensor name -> nested arrays)");
    }
    job.init = o.init;
  }
  return job;
}

/** The config a fitted model records for a job. */
function configOf(data: Dataset, job: TrainJob): FitConfig {
  const r = resolveJob(job);
  // The engine divides point rewards by this scale (tensorsForJobs); 0/1 data have 1, left out of the record.
  const rewardScale = rewardScaleOf(data);
  return {
    cell: r.cell,
    hidden: r.hidden,
    readout: r.readout,
    outputH0: r.outputH0,
    trainableH0: r.trainableH0,
    l1: r.l1,
    lr: r.lr,
    weightDecay: r.weightDecay,
    betas: r.betas,
    eps: r.eps,
    seed: job.init ? null : r.seed,
    maxEpochs: r.maxEpochs,
    patience: r.patience,
    train: r.train,
    val: r.val,
    test: r.test,
    kind: data.kind,
    nActions: data.nActions,
    ...(rewardScale === 1 ? {} : { rewardScale }),
  };
}

/**
 * Train a tiny RNN on choice data (or several, given a list of options: they train together over workers).
 *
 * @example
 * ```ts
 * import { cognitive, fit, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const [train, val, test] = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [12, 13, 14, 15], [16, 17, 18, 19]];
 * const model = await fit(data, { cell: "gru", hidden: 2, maxEpochs: 50, split: { train, val, test } });
 * console.log(model.bestEpoch, model.testLoss);
 * ```
 */
export function fit(data: Dataset, options?: FitOptions): Promise<FittedModel>;
/**
 * Train several tiny RNNs on the same data set together (spread over worker threads); one model per options
 * object, in order.
 *
 * @example
 * ```ts
 * import { cognitive, fit, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const [d1, d2] = await fit(data, [{ hidden: 1, maxEpochs: 50 }, { hidden: 2, maxEpochs: 50 }]);
 * console.log(d1.testLoss, d2.testLoss);
 * ```
 */
export function fit(data: Dataset, options: FitOptions[]): Promise<FittedModel[]>;
export async function fit(
  data: Dataset,
  options: FitOptions | FitOptions[] = {},
): Promise<FittedModel | FittedModel[]> {
  const list = Array.isArray(options) ? options : [options];
  if (list.length === 0) return [];
  const jobs = list.map((o) => jobOfOptions(data, o));
  const workers = list.find((o) => o.workers !== undefined)?.workers;
  const onProgress = list.find((o) => o.onProgress)?.onProgress;
  const engine = list.find((o) => o.engine !== undefined)?.engine;
  const results = await trainMany(data, jobs, {
    ...(workers !== undefined ? { workers } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(engine !== undefined ? { engine } : {}),
  });
  const models = results.map((r, i) => new FittedModel(configOf(data, jobs[i]), r));
  return Array.isArray(options) ? models : models[0];
}
