/**
 * What one training job is and what it produces. Both are plain data (structured-clonable), so jobs travel to
 * worker threads and results come back unchanged.
 *
 * @module
 */

import type { ReadoutKind, StateDict } from "../rnn/network.ts";
import type { SubjectEmbeddingJob } from "./subject_embedding.ts";
import { TRAINING_OPTIONS } from "./training_options.ts";

/** One model to train on one split of a data set. */
export interface TrainJob {
  /** Registered cell name. Default `"gru"`. */
  cell?: string;
  /** Hidden size d. */
  hidden: number;
  /** Readout. Default `"linear"`. */
  readout?: ReadoutKind;
  /** Initial state predicts the first choice. Default true. */
  outputH0?: boolean;
  /** Train the initial state. Default false. */
  trainableH0?: boolean;
  /** L1 strength on the recurrent layer's weight matrices. Default 1e-5. */
  l1?: number;
  /** Learning rate. Default 0.005. */
  lr?: number;
  /** AdamW weight decay. Default 0. */
  weightDecay?: number;
  /** AdamW betas. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** AdamW ε. Default 1e-8. */
  eps?: number;
  /** Seed of the initial weights (ignored when `init` is given). Default 0. */
  seed?: number;
  /** Explicit initial weights as a PyTorch-named state dict. */
  init?: StateDict;
  /** Training blocks (indices into the data set). */
  train: number[];
  /** Validation blocks (early stopping). */
  val: number[];
  /** Test blocks (may be empty). */
  test: number[];
  /** Iterations run at most: `maxEpochs + 1`, as the original. Default 10000. */
  maxEpochs?: number;
  /** Stop when this many evaluations in a row fail to improve and one more. Default 200. */
  patience?: number;
  /** Record the test loss every epoch (otherwise only at the best epoch). Default false. */
  testCurve?: boolean;
  /**
   * A learned subject embedding as extra input (the teacher of distillation, `src/distill/teacher.ts`): the
   * result's weights then hold the teacher's tensors and `subject_embedding.weight`. Default: none.
   */
  embedding?: SubjectEmbeddingJob;
}

/** Per-epoch losses (entry e = the model before update e; no L1). */
export interface Curves {
  /** Training NLL per trial, per epoch. */
  train: number[];
  /** Validation NLL per trial, per epoch. */
  val: number[];
  /** Test NLL per trial, per epoch (only when the test curve was asked for). */
  test?: number[];
}

/** What training one job produces. */
export interface TrainResult {
  /** Best-epoch weights as a PyTorch-named state dict. */
  weights: Record<string, unknown>;
  /** Best-epoch weights, flat in the network's layout. */
  flatWeights: Float64Array;
  /** Number of iterations (AdamW steps) run. */
  epochs: number;
  /** First epoch with the lowest validation loss. */
  bestEpoch: number;
  /** Whether training stopped by patience (rather than by `maxEpochs`). */
  stoppedEarly: boolean;
  /** Best-epoch NLL per trial. */
  trainLoss: number;
  /** Best-epoch NLL per trial on the validation blocks (the early-stopping criterion). */
  valLoss: number;
  /** Best-epoch NLL per trial on the test blocks; NaN when there are none. */
  testLoss: number;
  /** Best-epoch accuracy (argmax logit = action, ties to action 0). */
  trainAccuracy: number;
  /** Best-epoch accuracy on the validation blocks. */
  valAccuracy: number;
  /** Best-epoch accuracy on the test blocks (NaN without test blocks). */
  testAccuracy: number;
  /** Scored trials of the training blocks. */
  trainTrials: number;
  /** Scored trials of the validation blocks. */
  valTrials: number;
  /** Scored trials of the test blocks. */
  testTrials: number;
  /** Losses per epoch. */
  curves: Curves;
  /** Parameter count. */
  numParams: number;
  /** Wall-clock training time in seconds. */
  seconds: number;
  /** Which engine trained it (and, for tfjs, on which backend); `engine: "auto"` also says why. */
  engine?: EngineReport;
}

/** The engine that trained a job. */
export interface EngineReport {
  /** `"native"` (float64) or `"tfjs"` (float32). */
  name: "native" | "tfjs";
  /** The tfjs backend (`"webgpu"`, `"wasm"`, `"cpu"`). */
  backend?: string;
  /** Why this engine (and backend) was chosen. */
  reason?: string;
}

/** A job with every default filled in. */
export type ResolvedJob = Required<Omit<TrainJob, "init" | "embedding">> & {
  init?: StateDict;
  embedding?: SubjectEmbeddingJob;
};

/** Fill in a job's defaults. */
export function resolveJob(job: TrainJob): ResolvedJob {
  return {
    cell: "gru",
    readout: "linear",
    outputH0: true,
    trainableH0: false,
    l1: 1e-5,
    lr: TRAINING_OPTIONS.lr.default,
    weightDecay: TRAINING_OPTIONS.weightDecay.default,
    betas: [0.9, 0.999],
    eps: 1e-8,
    seed: 0,
    maxEpochs: TRAINING_OPTIONS.maxEpochs.default,
    patience: TRAINING_OPTIONS.patience.default,
    testCurve: false,
    ...Object.fromEntries(Object.entries(job).filter(([, v]) => v !== undefined)),
  } as ResolvedJob;
}
