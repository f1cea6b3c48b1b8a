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
import {
  checkEmbeddingJob,
  embeddingNetworks,
  SubjectEmbedding,
  withSubjectColumns,
} from "./subject_embedding.ts";

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
  tensorsIn: BatchTensors,
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
  const { net, tensors, reparam, theta } = prepareJob(job, tensorsIn, nActions);
  // θ is what AdamW steps; w = f(θ) is what the passes run. Without a reparametrisation they are one array.
  const w = reparam ? new Float64Array(net.size) : theta;
  if (reparam) reparam.weights(theta, w);
  // With soft targets (distillation) only training uses them: early stopping and the test score are the
  // cross-entropy to the subject's own choices on held-out blocks, the quantity the model is judged by.
  const train = createWorkspace(net, selectTensorsShared(tensors, job.train), true, false);
  const val = createWorkspace(net, selectTensorsShared(tensors, job.val, false), false, false);
  const test = job.test.length > 0
    ? createWorkspace(net, selectTensorsShared(tensors, job.test, false), false, false)
    : undefined;
  const grad = new Float64Array(net.size);
  const gradTheta = reparam ? new Float64Array(theta.length) : grad;
  const frozen = reparam?.trainedRanges ? Float64Array.from(theta) : undefined;
  const best = new Float64Array(theta);
  const opt = optimizer(theta.length, {
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
      best.set(theta);
      counter = 0;
    } else counter++;
    curves.train.push(forward(train, w).loss);
    grad.fill(0);
    backward(train, w, grad);
    if (reparam) {
      gradTheta.fill(0);
      reparam.pullBack(theta, grad, gradTheta);
      addL1GradientOver(reparam.penalizedRanges, theta, job.l1, gradTheta);
      opt.step(theta, gradTheta);
      if (frozen) keepOnly(reparam.trainedRanges!, theta, frozen);
      reparam.weights(theta, w);
    } else {
      addL1Gradient(net, w, job.l1, grad);
      opt.step(w, grad);
    }
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
  theta.set(best);
  if (reparam) reparam.weights(theta, w);
  const final = (ws: Workspace | undefined) => (ws ? forward(ws, w, true) : { loss: NaN, accuracy: NaN });
  const trainEnd = final(train);
  const valEnd = final(val);
  const testEnd = final(test);
  return {
    weights: reparam ? reparam.stateDict(theta) : stateDictOf(net, w),
    flatWeights: theta,
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
    numParams: theta.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A job's network, the tensors its passes run, and the vector training steps (with its reparametrisation). */
interface PreparedJob {
  net: Network;
  tensors: BatchTensors;
  reparam?: SubjectEmbedding;
  theta: Float64Array;
}

function prepareJob(job: ResolvedJob, tensors: BatchTensors, nActions: number): PreparedJob {
  const embedding = job.embedding;
  if (!embedding) {
    const net = networkOfJob(job, tensors, nActions);
    return {
      net,
      tensors,
      theta: job.init ? weightsFromStateDict(net, job.init) : initialWeights(net, job.seed),
    };
  }
  checkEmbeddingJob(embedding, tensors.B, [...job.train, ...job.val, ...job.test]);
  const spec = networkOfJob(job, tensors, nActions).spec;
  const networks = embeddingNetworks(spec, embedding.size, embedding.subjects);
  const reparam = new SubjectEmbedding(networks, embedding.size, embedding.subjects, embedding.onlySubject);
  return {
    net: networks.wide,
    tensors: withSubjectColumns(tensors, embedding.subjectOfBlock, embedding.subjects),
    reparam,
    theta: job.init ? reparam.fromStateDict(job.init) : reparam.initial(job.seed),
  };
}

/** `addL1Gradient` over explicit `[offset, size]` ranges of a parameter vector. */
function addL1GradientOver(
  ranges: readonly [number, number][],
  w: Float64Array,
  l1: number,
  grad: Float64Array,
): void {
  if (l1 === 0) return;
  for (const [o, n] of ranges) {
    for (let i = o; i < o + n; i++) grad[i] += w[i] > 0 ? l1 : w[i] < 0 ? -l1 : 0;
  }
}

/** Put back every entry of `theta` outside `ranges` from `frozen` (AdamW's weight decay moves them otherwise). */
function keepOnly(ranges: readonly [number, number][], theta: Float64Array, frozen: Float64Array): void {
  const kept = ranges.map(([o, n]) => theta.slice(o, o + n));
  theta.set(frozen);
  ranges.forEach(([o], i) => theta.set(kept[i], o));
}
