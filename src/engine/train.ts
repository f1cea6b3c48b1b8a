/**
 * Training one model: the original trainer's loop (validate before each full-batch AdamW step, strict
 * improvement, stop once the no-improvement counter exceeds the patience, restore the best weights).
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";
import {
  addL1Gradient,
  buildNetwork,
  initialWeights,
  type Network,
  stateDictOf,
  weightsFromStateDict,
} from "../rnn/network.ts";
import { adamW, type OptimizerFactory } from "./optimizer.ts";
import { type BatchTensors, selectTensorsShared } from "./batch.ts";
import type { ResolvedJob, TrainResult } from "./job.ts";
import { resolveJob, type TrainJob } from "./job.ts";
import { backward, createWorkspace, forward, type Workspace } from "./pass.ts";

/** Progress of one job, reported every `every` epochs and at the end. */
export type EpochCallback = (epoch: number, valLoss: number) => void;

/** The network a job describes, for a data set's tensors. */
export function networkOfJob(job: ResolvedJob, tensors: BatchTensors, nActions: number): Network {
  return buildNetwork({
    cell: job.cell,
    hidden: job.hidden,
    inputSize: tensors.I,
    nActions,
    readout: job.readout,
    outputH0: job.outputH0,
    trainableH0: job.trainableH0,
  });
}

let primed = false;

/**
 * Train the paper's small GRUs (d = 1, 2) for a few epochs on a tiny made-up batch, once per thread, before
 * the first real job. The hot loops are compiled while they run (on-stack replacement), before the code
 * after them has ever run; without this, that code has no type feedback and the optimised loop is thrown
 * away at the end of each of the first dozens of calls, which made a worker's first job cost several.
 */
function primeEngine(): void {
  if (primed) return;
  primed = true;
  // Few distinct inputs ([a, a, r], binary), as the unrolled kernels need.
  const T = 8, B = 4, I = 3;
  const input = new Float64Array(T * B * I);
  const target = new Int32Array(T * B);
  for (let cell = 0; cell < T * B; cell++) {
    target[cell] = (cell * 7) % 3 === 0 ? 1 : 0;
    input.set([target[cell], target[cell], cell % 2], cell * I);
  }
  const tensors = { T, B, I, input, target, mask: new Float64Array(T * B).fill(1) };
  for (const hidden of [1, 2]) {
    trainJob(tensors, 2, { hidden, train: [0, 1], val: [2], test: [3], maxEpochs: 9, patience: 20 });
  }
}

/**
 * Train one job on the tensors of a whole data set (`datasetTensors` with the cell's encoding).
 * Deterministic: the same job and tensors give the same bits, inline or in a worker. `optimizer` makes the
 * update rule (default AdamW).
 */
export function trainJob(
  tensors: BatchTensors,
  nActions: number,
  jobIn: TrainJob,
  onEpoch?: EpochCallback,
  every = 100,
  optimizer: OptimizerFactory = adamW,
): TrainResult {
  primeEngine();
  const started = performance.now();
  const job = resolveJob(jobIn);
  if (job.train.length === 0) throw new TinyRnnInputError("training needs at least one training block");
  if (job.val.length === 0) throw new TinyRnnInputError("training needs at least one validation block");
  const net = networkOfJob(job, tensors, nActions);
  const w = job.init ? weightsFromStateDict(net, job.init) : initialWeights(net, job.seed);
  // With soft targets (distillation) only training uses them: early stopping and the test score are the
  // cross-entropy to the subject's own choices on held-out blocks, the quantity the model is judged by.
  const train = createWorkspace(net, selectTensorsShared(tensors, job.train), true, false);
  const val = createWorkspace(net, selectTensorsShared(tensors, job.val, false), false, false);
  const test = job.test.length > 0
    ? createWorkspace(net, selectTensorsShared(tensors, job.test, false), false, false)
    : undefined;
  const grad = new Float64Array(net.size);
  const best = new Float64Array(w);
  const opt = optimizer(net.size, {
    lr: job.lr,
    betas: job.betas,
    eps: job.eps,
    weightDecay: job.weightDecay,
  });
  const curves: { train: number[]; val: number[]; test?: number[] } = { train: [], val: [] };
  if (job.testCurve) curves.test = [];
  let bestLoss = 1e10;
  let bestEpoch = -1;
  let counter = 0;
  let stoppedEarly = false;
  let epoch = 0;
  for (; epoch <= job.maxEpochs; epoch++) {
    const valLoss = forward(val, w).loss;
    curves.val.push(valLoss);
    if (curves.test) curves.test.push(test ? forward(test, w).loss : NaN);
    if (valLoss < bestLoss) {
      bestLoss = valLoss;
      bestEpoch = epoch;
      best.set(w);
      counter = 0;
    } else counter++;
    curves.train.push(forward(train, w).loss);
    grad.fill(0);
    backward(train, w, grad);
    addL1Gradient(net, w, job.l1, grad);
    opt.step(w, grad);
    if (onEpoch && epoch % every === 0) onEpoch(epoch, valLoss);
    if (counter > job.patience) {
      stoppedEarly = true;
      epoch++;
      break;
    }
  }
  if (bestEpoch < 0) {
    throw new Error(`validation loss was never below 1e10 (got ${curves.val[0]}): the model diverged`);
  }
  w.set(best);
  const final = (ws: Workspace | undefined) => (ws ? forward(ws, w, true) : { loss: NaN, accuracy: NaN });
  const trainEnd = final(train);
  const valEnd = final(val);
  const testEnd = final(test);
  return {
    weights: stateDictOf(net, w),
    flatWeights: w,
    epochs: epoch,
    bestEpoch,
    stoppedEarly,
    trainLoss: trainEnd.loss,
    valLoss: valEnd.loss,
    testLoss: testEnd.loss,
    trainAccuracy: trainEnd.accuracy,
    valAccuracy: valEnd.accuracy,
    testAccuracy: testEnd.accuracy,
    trainTrials: train.scored,
    valTrials: val.scored,
    testTrials: test ? test.scored : 0,
    curves,
    numParams: net.size,
    seconds: (performance.now() - started) / 1000,
  };
}
