/**
 * What the native trainer and the tfjs dispatcher share: the options and progress reports of `trainMany`, a data
 * set's tensors built once per input encoding, and training one job against them. It imports neither trainer,
 * so both can import it.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import type { InputEncoding } from "../rnn/cell.ts";
import { getCell } from "../rnn/registry.ts";
import { scaledForNetwork } from "../rnn/encoding.ts";
import { type BatchTensors, datasetTensors } from "./batch.ts";
import type { TrainJob, TrainResult } from "./job.ts";
import type { OptimizerFactory } from "./optimizer.ts";
import type { EngineName } from "./training_options.ts";
import { trainJob } from "./train.ts";

/** Progress of a `trainMany` call. */
export interface TrainProgress {
  /** Index of the job this report is about. */
  job: number;
  /** Epoch the job has reached (its total epochs when `done`). */
  epoch: number;
  /** Its latest validation loss (best-epoch validation loss when `done`). */
  valLoss: number;
  /** Whether the job has finished. */
  done: boolean;
  /** Jobs finished so far. */
  finished: number;
  /** Number of jobs. */
  total: number;
}

/** Options of `trainMany`. */
export interface TrainManyOptions {
  /**
   * Worker threads to use. Default: one per core, at most one per job; a single job trains inline.
   * 0 trains every job inline on the calling thread.
   */
  workers?: number;
  /** Called as jobs progress and finish. */
  onProgress?: (progress: TrainProgress) => void;
  /** Report progress every this many epochs. Default 100. */
  progressEvery?: number;
  /**
   * Called with each job's result as soon as that job finishes (e.g. to save it, so that a crash loses no
   * finished work). A returned promise is awaited before `trainMany` resolves; a rejection rejects it.
   */
  onJobDone?: (index: number, result: TrainResult) => void | Promise<void>;
  /**
   * Training engine: `"native"` (float64, worker threads; default), `"tfjs"` (float32, stacks many models into
   * one computation on webgpu, wasm or cpu) or `"auto"` (the faster one per stack of jobs). Results say which
   * engine (and backend) trained them.
   */
  engine?: EngineName;
  /**
   * The update rule of the native engine (default AdamW, as the original). A function cannot be sent to a
   * worker thread, so a run with its own optimiser trains every job inline on the calling thread.
   */
  optimizer?: OptimizerFactory;
}

/** Tensors of a data set keyed by input encoding, for the encodings the jobs need. */
export type EncodedTensors = Partial<Record<InputEncoding, BatchTensors>>;

/**
 * Build the tensors every job's cell needs (each encoding once). Point rewards are divided by the data set's
 * `rewardScaleOf` (`scaledForNetwork`); 0/1 data are encoded as they are.
 */
export function tensorsForJobs(data: Dataset, jobs: readonly TrainJob[]): EncodedTensors {
  const tensors: EncodedTensors = {};
  const input = scaledForNetwork(data);
  for (const job of jobs) {
    const encoding = getCell(job.cell ?? "gru").encoding;
    tensors[encoding] ??= datasetTensors(input, encoding);
  }
  return tensors;
}

/** Train one job against the pre-built tensors. */
export function trainEncodedJob(
  tensors: EncodedTensors,
  nActions: number,
  job: TrainJob,
  onEpoch?: (epoch: number, valLoss: number) => void,
  every?: number,
  optimizer?: OptimizerFactory,
): TrainResult {
  const encoding = getCell(job.cell ?? "gru").encoding;
  return trainJob(tensors[encoding]!, nActions, job, onEpoch, every, optimizer);
}

/** Number of logical cores (at least 1). */
export function coreCount(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

const LISTED_KEYS = [
  "workers",
  "onProgress",
  "progressEvery",
  "onJobDone",
  "engine",
  "optimizer",
] as const satisfies readonly (keyof TrainManyOptions)[];

/** The keys `trainMany` accepts (the compiler checks that they are exactly `TrainManyOptions`' keys). */
export const TRAIN_MANY_KEYS: readonly string[] = LISTED_KEYS;

/** Fails to compile when `TrainManyOptions` gains a key that the list above leaves out. */
type MissingKeys = Exclude<keyof TrainManyOptions, (typeof LISTED_KEYS)[number]>;
const _everyKeyListed: [MissingKeys] extends [never] ? true : never = true;
void _everyKeyListed;
