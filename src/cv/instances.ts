/**
 * What a cross-validation run records about each model instance: the settings that decide its result (so a
 * rerun or a merge can tell whether a finished file belongs to the same run), a fingerprint of the data, and
 * the instance row built from a trained network or a fitted cognitive model.
 *
 * @module
 */

import type { Block, Dataset } from "../data/dataset.ts";
import type { CognitiveModel } from "../agents/cognitive.ts";
import type { CognitiveFit } from "../agents/fitting.ts";
import type { TrainResult } from "../engine/job.ts";
import type { WorkUnit } from "./plan.ts";
import type { InstanceRow } from "./rows.ts";

/** Format tag of the `config` of every instance record a cross-validation writes. */
export const INSTANCE_FORMAT = "tinyrnn.cv-instance";

/** FNV-1a over a stream of 32-bit words, two lanes (64 bits) written as 16 hex digits. */
class Fingerprint {
  #a = 0x811c9dc5;
  #b = 0x01000193 ^ 0x5bd1e995;
  readonly #view = new DataView(new ArrayBuffer(8));

  number(x: number): this {
    this.#view.setFloat64(0, x);
    return this.word(this.#view.getUint32(0)).word(this.#view.getUint32(4));
  }

  text(s: string): this {
    this.number(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    return this;
  }

  word(w: number): this {
    for (let k = 0; k < 4; k++) {
      const byte = (w >>> (8 * k)) & 0xff;
      this.#a = Math.imul(this.#a ^ byte, 0x01000193) >>> 0;
      this.#b = Math.imul(this.#b ^ byte, 0x01000193) >>> 0;
      this.#b = (this.#b ^ (this.#b >>> 13)) >>> 0;
    }
    return this;
  }

  hex(): string {
    return this.#a.toString(16).padStart(8, "0") + this.#b.toString(16).padStart(8, "0");
  }
}

/**
 * A fingerprint of everything in a data set that training reads (kind, actions, blocks, and per trial the
 * action, state, reward and mask), so that results of different data are never mixed in one folder.
 */
export function dataFingerprint(data: Dataset): string {
  const f = new Fingerprint().text(data.kind).number(data.nActions).number(data.blocks.length);
  for (const block of data.blocks) {
    const T = block.action.length;
    f.number(T);
    for (let t = 0; t < T; t++) {
      f.number(block.action[t]).number(block.state[t]).number(block.reward[t]);
      f.number(block.mask ? block.mask[t] : 1);
    }
  }
  return f.hex();
}

/** A fingerprint of any JSON-like value (key order as given). */
export function valueFingerprint(value: unknown): string {
  return new Fingerprint().text(JSON.stringify(value)).hex();
}

/** The row of a trained network. */
export function rnnRow(unit: WorkUnit, result: TrainResult): InstanceRow {
  if (unit.spec.kind !== "rnn") throw new TypeError(`${unit.id} is not a network`);
  return {
    id: unit.id,
    model: unit.model,
    kind: "rnn",
    cell: unit.spec.cell,
    hidden: unit.spec.hidden,
    l1: unit.l1,
    outer: unit.outer,
    inner: unit.inner,
    seed: unit.seed,
    epochs: result.epochs,
    bestEpoch: result.bestEpoch,
    trainLoss: result.trainLoss,
    valLoss: result.valLoss,
    testLoss: result.testLoss,
    trainTrials: result.trainTrials,
    valTrials: result.valTrials,
    testTrials: result.testTrials,
    trainAcc: result.trainAccuracy,
    valAcc: result.valAccuracy,
    testAcc: result.testAccuracy,
  };
}

/** NLL per scored trial, accuracy (arg-max of the model's scores, ties to action 0) and scored trials. */
export function evaluateCognitive(
  model: CognitiveModel,
  blocks: readonly Block[],
): { loss: number; accuracy: number; trials: number } {
  let trials = 0;
  let correct = 0;
  for (const block of blocks) {
    let state = model.initialState();
    for (let t = 0; t < block.action.length; t++) {
      const m = block.mask ? block.mask[t] : 1;
      const scores = model.scores(state);
      const predicted = scores[1] > scores[0] ? 1 : 0;
      trials += m;
      if (predicted === block.action[t]) correct += m;
      state = model.step(state, { action: block.action[t], state: block.state[t], reward: block.reward[t] });
    }
  }
  if (trials === 0) return { loss: NaN, accuracy: NaN, trials: 0 };
  return { loss: model.negLogLikelihoodPerTrial(blocks), accuracy: correct / trials, trials };
}

/** The row of a fitted cognitive model, evaluated on its validation and test blocks. */
export function cognitiveRow(
  unit: WorkUnit,
  fit: CognitiveFit<CognitiveModel>,
  parts: { train: readonly Block[]; val: readonly Block[]; test: readonly Block[] },
): InstanceRow {
  if (unit.spec.kind !== "cognitive") throw new TypeError(`${unit.id} is not a cognitive model`);
  const train = evaluateCognitive(fit.model, parts.train);
  const val = evaluateCognitive(fit.model, parts.val);
  const test = evaluateCognitive(fit.model, parts.test);
  const iterations = fit.best >= 0 ? fit.starts[fit.best].nit : 0;
  return {
    id: unit.id,
    model: unit.model,
    kind: "cognitive",
    cell: fit.model.name,
    hidden: fit.model.dynamicalVariables,
    l1: unit.l1,
    outer: unit.outer,
    inner: unit.inner,
    seed: unit.seed,
    epochs: iterations,
    bestEpoch: iterations,
    // The optimiser's own value: the exact objective it minimised (equal to train.loss up to summation order).
    trainLoss: fit.trainNll,
    valLoss: val.loss,
    testLoss: test.loss,
    trainTrials: train.trials,
    valTrials: val.trials,
    testTrials: test.trials,
    trainAcc: train.accuracy,
    valAcc: val.accuracy,
    testAcc: test.accuracy,
  };
}

/** Select blocks of a data set by index. */
export function blocksOf(data: Dataset, indices: readonly number[]): Block[] {
  return indices.map((b) => data.blocks[b]);
}
