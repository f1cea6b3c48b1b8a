/**
 * Training with tfjs: the native trainer's loop (validate before each full-batch AdamW step, strict improvement,
 * stop once the no-improvement counter exceeds the patience, restore the best weights), run for many models at
 * once. Jobs with the same cell, hidden size, readout and `h0` treatment are stacked along a leading model axis
 * and run over the union of their blocks; per-model masks pick each model's train, validation and test trials,
 * so one forward pass gives all three losses and only the train mask feeds the gradient. A model that stops
 * leaves the stack. Numbers are float32 (tfjs), so curves agree with the float64 engine to float32 tolerance.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { TinyRnnInputError } from "../../options.ts";
import { initialWeights, type Network, stateDictOf, weightsFromStateDict } from "../../rnn/network.ts";
import { type BatchTensors, selectTensors } from "../batch.ts";
import { type ResolvedJob, resolveJob, type TrainJob, type TrainResult } from "../job.ts";
import type { EncodedTensors } from "../encoded.ts";
import { networkOfJob } from "../train.ts";
import { StackedAdam } from "./adam.ts";
import { type TfjsBackendChoice, type TfjsBackendReport, useTfjsBackend } from "./backend.ts";
import { findTfjsCell, type TfjsCell, tfjsCellNames } from "./cell.ts";
import "./cells/builtin.ts";
import {
  crossEntropy,
  disposeStackedData,
  type StackedArchitecture,
  type StackedData,
  stackedData,
  stackedLogits,
} from "./forward.ts";

/** Options of `trainTfjs`. */
export interface TfjsTrainOptions {
  /** tfjs backend. Default `"auto"` (webgpu on a hardware GPU, else wasm, else cpu). */
  backend?: TfjsBackendChoice;
  /** Called every `every` epochs of a job with its validation loss. */
  onEpoch?: (job: number, epoch: number, valLoss: number) => void;
  /** Report every this many epochs. Default 100. */
  every?: number;
  /** Called as each job finishes, with its result. */
  onJobDone?: (job: number, result: TrainResult) => void;
  /** Most models stacked in one computation. Default 256. */
  maxStack?: number;
}

/** The tfjs cell for a name, with an error that lists the cells the tfjs engine knows. */
export function tfjsCellOf(name: string): TfjsCell {
  const cell = findTfjsCell(name);
  if (!cell) {
    throw new TinyRnnInputError(
      `the tfjs engine has no cell "${name}"; tfjs cells: ${tfjsCellNames().join(", ")} ` +
        `(define one with defineTfjsCell)`,
    );
  }
  return cell;
}

/** Jobs that can share one stacked computation. */
export function stackKey(job: ResolvedJob): string {
  return `${job.cell}|${job.hidden}|${job.readout}|${job.trainableH0}`;
}

/**
 * Train jobs with the tfjs engine, stacking those that share an architecture; resolves to results in job order.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import { datasetTensors } from "../batch.ts";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 4, trials: 20, seed: 1 });
 * const tensors = { asr: datasetTensors(data, "asr") };
 * const results = await trainTfjs(tensors, 2, [
 *   { hidden: 2, seed: 0, train: [0, 1], val: [2], test: [3], maxEpochs: 20 },
 *   { hidden: 2, seed: 1, train: [0, 1], val: [2], test: [3], maxEpochs: 20 },
 * ]);
 * console.log(results.map((r) => [r.bestEpoch, r.testLoss, r.engine?.backend]));
 * ```
 */
export async function trainTfjs(
  tensors: EncodedTensors,
  nActions: number,
  jobs: readonly TrainJob[],
  options: TfjsTrainOptions = {},
): Promise<TrainResult[]> {
  const backend = await useTfjsBackend(options.backend ?? "auto");
  const resolved = jobs.map((job, i) => {
    const r = resolveJob(job);
    tfjsCellOf(r.cell);
    if (r.train.length === 0) {
      throw new TinyRnnInputError(`job ${i}: training needs at least one training block`);
    }
    if (r.val.length === 0) {
      throw new TinyRnnInputError(`job ${i}: training needs at least one validation block`);
    }
    return r;
  });
  // Stacks of jobs that share an architecture, in order of first appearance, at most maxStack each.
  const open = new Map<string, number[]>();
  const stacks: number[][] = [];
  const maxStack = options.maxStack ?? 256;
  for (let i = 0; i < resolved.length; i++) {
    const key = stackKey(resolved[i]);
    let list = open.get(key);
    if (!list || list.length >= maxStack) {
      list = [];
      stacks.push(list);
      open.set(key, list);
    }
    list.push(i);
  }
  const results: TrainResult[] = new Array(jobs.length);
  for (const members of stacks) {
    await trainStack(tensors, nActions, resolved, members, backend, options, results);
  }
  return results;
}

/** Per-set masks of the stacked models, `[M, T * B]` (the data's trial weights on each model's blocks). */
interface SetMasks {
  train: tf.Tensor2D;
  val: tf.Tensor2D;
  test: tf.Tensor2D;
}

/** Build one set's mask for every model, and the scored-trial counts (float64). */
function setMask(
  batch: BatchTensors,
  column: Map<number, number>,
  blocksOf: (number[])[],
  firstScored: number[],
): { mask: tf.Tensor2D; scored: number[] } {
  const { T, B } = batch;
  const M = blocksOf.length;
  const out = new Float32Array(M * T * B);
  const scored: number[] = [];
  for (let m = 0; m < M; m++) {
    let n = 0;
    for (const block of blocksOf[m]) {
      const b = column.get(block)!;
      for (let t = firstScored[m]; t < T; t++) n += batch.mask[t * B + b];
    }
    scored.push(n);
    for (const block of blocksOf[m]) {
      const b = column.get(block)!;
      for (let t = firstScored[m]; t < T; t++) out[(m * T + t) * B + b] = batch.mask[t * B + b];
    }
  }
  return { mask: tf.tensor2d(out, [M, T * B]), scored };
}

/** Train one stack of models with the same architecture; writes each model's result into `results`. */
async function trainStack(
  tensors: EncodedTensors,
  nActions: number,
  jobs: readonly ResolvedJob[],
  members: readonly number[],
  backend: TfjsBackendReport,
  options: TfjsTrainOptions,
  results: TrainResult[],
): Promise<void> {
  const started = performance.now();
  const first = jobs[members[0]];
  const cell = tfjsCellOf(first.cell);
  const full = tensors[cell.encoding];
  if (!full) throw new Error(`no ${cell.encoding} tensors were built for cell "${first.cell}"`);
  const nets: Network[] = members.map((i) => networkOfJob(jobs[i], full, nActions));
  const net = nets[0];
  const arch: StackedArchitecture = {
    cell,
    hidden: first.hidden,
    stateSize: net.stateSize,
    nActions,
    readout: first.readout,
    trainableH0: first.trainableH0,
  };
  const flat = members.map((i, m) =>
    jobs[i].init ? weightsFromStateDict(nets[m], jobs[i].init!) : initialWeights(nets[m], jobs[i].seed)
  );

  // The union of every member's blocks, as one batch; masks pick each model's sets.
  const union = [...new Set(members.flatMap((i) => [...jobs[i].train, ...jobs[i].val, ...jobs[i].test]))]
    .sort((a, b) => a - b);
  const batch = selectTensors(full, union);
  const column = new Map(union.map((block, b) => [block, b]));
  const { T, B, I } = batch;
  const firstScored = members.map((i) => (jobs[i].outputH0 ? 0 : 1));
  const sets = (pick: (j: ResolvedJob) => number[]) =>
    setMask(batch, column, members.map((i) => pick(jobs[i])), firstScored);
  const trainSet = sets((j) => j.train), valSet = sets((j) => j.val), testSet = sets((j) => j.test);
  let masks: SetMasks = { train: trainSet.mask, val: valSet.mask, test: testSet.mask };
  // With soft targets (distillation) training fits them; validation and test are scored on the choices.
  const data: StackedData = stackedData(T, B, I, nActions, batch.input, batch.target, batch.mask, batch.soft);
  const fitted = data.softTargets ?? data.targetOneHot;

  // Stacked parameters in the network's order, [M, ...shape] each.
  const names = net.parameters.map((p) => p.name);
  const stackOf = (weights: readonly Float64Array[], k: number) => {
    const p = net.parameters[k];
    const values = new Float32Array(weights.length * p.size);
    weights.forEach((w, m) => values.set(w.subarray(p.offset, p.offset + p.size), m * p.size));
    return tf.tensor(values, [weights.length, ...p.shape]);
  };
  let params = names.map((_, k) => tf.variable(stackOf(flat, k), true));
  let best = params.map((p) => tf.variable(p.clone(), false));
  const penalized = net.parameters.map((p) => p.penalized);
  const adam = new StackedAdam(
    params,
    members.map((i) => ({
      lr: jobs[i].lr,
      betas: jobs[i].betas,
      eps: jobs[i].eps,
      weightDecay: jobs[i].weightDecay,
    })),
  );
  let l1 = tf.tensor1d(Float32Array.from(members, (i) => jobs[i].l1));
  let inverseTrainTrials = tf.tensor1d(Float32Array.from(trainSet.scored, (n) => 1 / n));
  const asParams = (list: readonly tf.Tensor[]) => Object.fromEntries(names.map((n, k) => [n, list[k]]));

  // Per-model bookkeeping, in stack order; `active[k]` is the member index of stack row k.
  let active = members.map((_, m) => m);
  const curves = members.map((i) => ({
    train: [] as number[],
    val: [] as number[],
    ...(jobs[i].testCurve ? { test: [] as number[] } : {}),
  }));
  const bestLoss = members.map(() => 1e10);
  const bestEpoch = members.map(() => -1);
  const counter = members.map(() => 0);
  const every = options.every ?? 100;

  const finish = (rows: number[], epochsRun: number[], early: boolean[]) => {
    const memberIdx = rows.map((k) => active[k]);
    const idx = tf.tensor1d(Int32Array.from(rows), "int32");
    const chosen = best.map((b) => tf.gather(b, idx));
    const pick = (t: tf.Tensor2D) => tf.gather(t, idx) as tf.Tensor2D;
    const stats = tf.tidy(() => {
      const logits = stackedLogits(arch, asParams(chosen), data);
      const ce = crossEntropy(logits, data.targetOneHot);
      // The training loss is the one training fitted (soft targets when there are), as the native engine's.
      const ceTrain = fitted === data.targetOneHot ? ce : crossEntropy(logits, fitted);
      const correct = tf.cast(tf.equal(tf.argMax(logits, 2), data.target), "float32");
      // Sums in float32, divided by the trial counts in float64.
      const sums = (
        loss: tf.Tensor2D,
        w: tf.Tensor2D,
      ) => [tf.sum(tf.mul(loss, w), 1), tf.sum(tf.mul(correct, w), 1)];
      return tf.stack([
        ...sums(ceTrain, pick(masks.train)),
        ...sums(ce, pick(masks.val)),
        ...sums(ce, pick(masks.test)),
      ]);
    });
    const values = stats.arraySync() as number[][];
    const weightValues = chosen.map((c) => c.dataSync());
    tf.dispose([idx, stats, ...chosen]);
    memberIdx.forEach((m, r) => {
      const w = new Float64Array(net.size);
      net.parameters.forEach((p, k) => {
        for (let e = 0; e < p.size; e++) w[p.offset + e] = weightValues[k][r * p.size + e];
      });
      if (bestEpoch[m] < 0) {
        throw new Error(
          `job ${members[m]}: validation loss was never below 1e10 (got ${
            curves[m].val[0]
          }): the model diverged`,
        );
      }
      const hasTest = testSet.scored[m] > 0;
      const result: TrainResult = {
        weights: stateDictOf(nets[m], w),
        flatWeights: w,
        epochs: epochsRun[r],
        bestEpoch: bestEpoch[m],
        stoppedEarly: early[r],
        trainLoss: values[0][r] / trainSet.scored[m],
        valLoss: values[2][r] / valSet.scored[m],
        testLoss: hasTest ? values[4][r] / testSet.scored[m] : NaN,
        trainAccuracy: values[1][r] / trainSet.scored[m],
        valAccuracy: values[3][r] / valSet.scored[m],
        testAccuracy: hasTest ? values[5][r] / testSet.scored[m] : NaN,
        trainTrials: trainSet.scored[m],
        valTrials: valSet.scored[m],
        testTrials: testSet.scored[m],
        curves: curves[m],
        numParams: net.size,
        seconds: (performance.now() - started) / 1000,
        engine: { name: "tfjs", backend: backend.backend, reason: backend.reason },
      };
      results[members[m]] = result;
      options.onJobDone?.(members[m], result);
    });
  };

  const keepRows = (keep: number[]) => {
    const idx = tf.tensor1d(Int32Array.from(keep), "int32");
    const regather = <T extends tf.Tensor>(list: T[], trainable: boolean) =>
      list.map((x) => {
        const next = tf.variable(tf.gather(x, idx), trainable);
        x.dispose();
        return next;
      });
    params = regather(params, true);
    best = regather(best, false);
    adam.select(keep);
    const gatherMask = (t: tf.Tensor2D) => {
      const next = tf.gather(t, idx) as tf.Tensor2D;
      t.dispose();
      return next;
    };
    masks = { train: gatherMask(masks.train), val: gatherMask(masks.val), test: gatherMask(masks.test) };
    const nextL1 = tf.gather(l1, idx);
    const nextInverse = tf.gather(inverseTrainTrials, idx);
    tf.dispose([l1, inverseTrainTrials]);
    l1 = nextL1;
    inverseTrainTrials = nextInverse;
    idx.dispose();
    active = keep.map((k) => active[k]);
  };

  try {
    for (let epoch = 0; active.length > 0; epoch++) {
      let kept: tf.Tensor2D | undefined;
      let keptChoices: tf.Tensor2D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = stackedLogits(arch, asParams(params), data);
        const ce = crossEntropy(logits, fitted);
        kept = tf.keep(ce);
        keptChoices = fitted === data.targetOneHot ? kept : tf.keep(crossEntropy(logits, data.targetOneHot));
        let objective = tf.sum(tf.mul(tf.sum(tf.mul(ce, masks.train), 1), inverseTrainTrials));
        params.forEach((p, k) => {
          if (!penalized[k]) return;
          const perModel = tf.sum(tf.reshape(tf.abs(p), [p.shape[0], -1]), 1);
          objective = tf.add(objective, tf.sum(tf.mul(l1, perModel)));
        });
        return objective as tf.Scalar;
      }, params);
      const lossTensor = tf.tidy(() =>
        tf.stack([
          tf.sum(tf.mul(kept!, masks.train), 1),
          tf.sum(tf.mul(keptChoices!, masks.val), 1),
          tf.sum(tf.mul(keptChoices!, masks.test), 1),
        ])
      );
      const losses = (await lossTensor.array()) as number[][];
      tf.dispose([value, lossTensor, kept!, ...(keptChoices === kept ? [] : [keptChoices!])]);

      const improved = active.map((m, k) => {
        const valLoss = losses[1][k] / valSet.scored[m];
        curves[m].val.push(valLoss);
        curves[m].test?.push(testSet.scored[m] > 0 ? losses[2][k] / testSet.scored[m] : NaN);
        curves[m].train.push(losses[0][k] / trainSet.scored[m]);
        if (valLoss < bestLoss[m]) {
          bestLoss[m] = valLoss;
          bestEpoch[m] = epoch;
          counter[m] = 0;
          return true;
        }
        counter[m]++;
        return false;
      });
      if (improved.some((x) => x)) {
        tf.tidy(() => {
          const cond = tf.tensor1d(improved.map((x) => (x ? 1 : 0)), "bool");
          best.forEach((b, k) => {
            const p = params[k];
            b.assign(tf.where(tf.reshape(cond, [p.shape[0], ...new Array(p.rank - 1).fill(1)]), p, b));
          });
        });
      }
      adam.step(params, params.map((p) => grads[p.name]));
      tf.dispose(Object.values(grads));
      if (options.onEpoch && epoch % every === 0) {
        active.forEach((m) => options.onEpoch!(members[m], epoch, curves[m].val[epoch]));
      }
      const done: number[] = [], early: boolean[] = [];
      active.forEach((m, k) => {
        if (counter[m] > jobs[members[m]].patience) {
          done.push(k);
          early.push(true);
        } else if (epoch >= jobs[members[m]].maxEpochs) {
          done.push(k);
          early.push(false);
        }
      });
      if (done.length > 0) {
        finish(done, done.map(() => epoch + 1), early);
        keepRows(active.map((_, k) => k).filter((k) => !done.includes(k)));
      }
    }
  } finally {
    adam.dispose();
    tf.dispose([...params, ...best, masks.train, masks.val, masks.test, l1, inverseTrainTrials]);
    disposeStackedData(data);
  }
}
