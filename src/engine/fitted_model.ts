/**
 * A trained network with its training record: run it on data, let it act as an agent, save and load it as JSON.
 *
 * @module
 */

import type { Dataset, TaskKind } from "../data/dataset.ts";
import { type Agent, softmax } from "../agents/agent.ts";
import { TinyRnnInputError } from "../options.ts";
import { describeMarkup, JUPYTER_DISPLAY } from "../display_table.ts";
import { encodeTrial, inputSizeOf } from "../rnn/encoding.ts";
import { getCell } from "../rnn/registry.ts";
import {
  buildNetwork,
  type Network,
  readoutForward,
  type ReadoutKind,
  weightsFromStateDict,
  writeInitialState,
} from "../rnn/network.ts";
import { RnnAgent } from "../rnn/rnn_agent.ts";
import type { Curves, TrainResult } from "./job.ts";

/** Everything that defined a fitted model's training. */
export interface FitConfig {
  /** Registered cell name, e.g. `"gru"`. */
  cell: string;
  /** Hidden size d. */
  hidden: number;
  /** Readout from the hidden state to the action logits. */
  readout: ReadoutKind;
  /** Whether the initial state predicts the first choice. */
  outputH0: boolean;
  /** Whether the initial state was trained. */
  trainableH0: boolean;
  /** L1 strength on the recurrent weight matrices. */
  l1: number;
  /** AdamW learning rate. */
  lr: number;
  /** AdamW weight decay. */
  weightDecay: number;
  /** AdamW betas. */
  betas: [number, number];
  /** AdamW ε. */
  eps: number;
  /** Seed of the initial weights, or null when explicit initial weights were given. */
  seed: number | null;
  /** Iterations run at most: `maxEpochs + 1`. */
  maxEpochs: number;
  /** Early-stopping patience. */
  patience: number;
  /** Training block indices. */
  train: number[];
  /** Validation block indices (early stopping). */
  val: number[];
  /** Test block indices (may be empty). */
  test: number[];
  /** Task kind of the training data (fixes one-hot encodings). */
  kind: TaskKind;
  /** Number of actions. */
  nActions: number;
  /**
   * What the training data's rewards were divided by before they entered the network (`rewardScaleOf`: the
   * largest |reward| when above 1). `run` and `agent` divide rewards by it too. Absent = 1 (0/1 data, and
   * models saved before the field existed).
   */
  rewardScale?: number;
}

/** A network run over blocks: per block, T + 1 rows (row t from the state before trial t). */
export interface RunOutput {
  /** `logits[block][t][a]`. */
  logits: number[][][];
  /** `probs[block][t][a]` = softmax of the logits. */
  probs: number[][][];
  /** `hidden[block][t][k]`: the state (h, then any cell state). */
  hidden: number[][][];
}

const JSON_FORMAT = "tinyrnn.fitted-model";

/**
 * A trained network and its training record, as `fit` returns it. It acts as an `Agent` through `agent()`
 * (for `simulate`, `portrait`, `logitChanges`) and saves as plain JSON.
 *
 * @example
 * ```ts
 * import { FittedModel, cognitive, fit, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const model = await fit(data, { hidden: 2, maxEpochs: 50 });
 * const path = Deno.makeTempFileSync({ suffix: ".json" });
 * Deno.writeTextFileSync(path, JSON.stringify(model));
 * const again = FittedModel.fromJSON(Deno.readTextFileSync(path));
 * const { probs } = again.run(data);
 * ```
 */
export class FittedModel {
  /** How it was trained. */
  readonly config: FitConfig;
  /** Iterations (AdamW steps) run. */
  readonly epochs: number;
  /** First epoch with the lowest validation loss; its weights are the model's. */
  readonly bestEpoch: number;
  /** Whether training stopped by patience. */
  readonly stoppedEarly: boolean;
  /** Best-epoch NLL per trial on the training blocks (no L1 term). */
  readonly trainLoss: number;
  /** Best-epoch NLL per trial on the validation blocks. */
  readonly valLoss: number;
  /** Best-epoch NLL per trial on the test blocks (NaN without test blocks). */
  readonly testLoss: number;
  /** Best-epoch accuracy on the training blocks (argmax logit = action; ties to action 0). */
  readonly trainAccuracy: number;
  /** Best-epoch accuracy on the validation blocks. */
  readonly valAccuracy: number;
  /** Best-epoch accuracy on the test blocks (NaN without test blocks). */
  readonly testAccuracy: number;
  /** Scored trials in the training blocks. */
  readonly trainTrials: number;
  /** Scored trials in the validation blocks. */
  readonly valTrials: number;
  /** Scored trials in the test blocks. */
  readonly testTrials: number;
  /** Number of parameters. */
  readonly numParams: number;
  /** Best weights, PyTorch-named nested arrays. */
  readonly weights: Record<string, unknown>;
  /** Per-epoch losses (`test` only when asked for). */
  readonly curves: Curves;
  /** Training wall-clock seconds. */
  readonly seconds: number;
  readonly #net: Network;
  readonly #w: Float64Array;

  /** Deno's Jupyter kernel calls this to show the model inline: cell, hidden size, losses, epochs. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return describeMarkup(`fitted ${this.config.cell} network, d = ${this.config.hidden}`, [
      ["train NLL", this.trainLoss],
      ["validation NLL", this.valLoss],
      ["test NLL", this.testLoss],
      ["epochs", `${this.epochs} (best ${this.bestEpoch}${this.stoppedEarly ? ", stopped early" : ""})`],
      ["parameters", this.numParams],
      ["L1", this.config.l1],
    ]);
  }

  /**
   * Wrap a training result (use `fit` or `FittedModel.fromJSON` rather than this).
   *
   * @internal
   */
  constructor(config: FitConfig, result: Omit<TrainResult, "flatWeights">) {
    this.config = config;
    this.epochs = result.epochs;
    this.bestEpoch = result.bestEpoch;
    this.stoppedEarly = result.stoppedEarly;
    this.trainLoss = result.trainLoss;
    this.valLoss = result.valLoss;
    this.testLoss = result.testLoss;
    this.trainAccuracy = result.trainAccuracy;
    this.valAccuracy = result.valAccuracy;
    this.testAccuracy = result.testAccuracy;
    this.trainTrials = result.trainTrials;
    this.valTrials = result.valTrials;
    this.testTrials = result.testTrials;
    this.numParams = result.numParams;
    this.weights = result.weights;
    this.curves = result.curves;
    this.seconds = result.seconds;
    const scale = config.rewardScale;
    if (scale !== undefined && !(typeof scale === "number" && scale > 0 && Number.isFinite(scale))) {
      throw new TinyRnnInputError(
        `fitted model: config.rewardScale must be a finite positive number, got ${scale}`,
      );
    }
    this.#net = buildNetwork({
      cell: config.cell,
      hidden: config.hidden,
      inputSize: inputSizeOf(getCell(config.cell).encoding, config.kind, config.nActions),
      nActions: config.nActions,
      readout: config.readout,
      outputH0: config.outputH0,
      trainableH0: config.trainableH0,
    });
    this.#w = weightsFromStateDict(this.#net, result.weights);
  }

  /** Short name, e.g. `"gru-2"`. */
  get name(): string {
    return `${this.config.cell}-${this.config.hidden}`;
  }

  /** The factor rewards are divided by before they enter the network (1 unless trained on point rewards). */
  get rewardScale(): number {
    return this.config.rewardScale ?? 1;
  }

  /** The network as an `Agent` (for `simulate`, likelihoods and portraits); it applies `rewardScale`. */
  agent(): Agent {
    return new RnnAgent(this.#net, this.#w, this.config.kind, this.name, this.rewardScale);
  }

  /**
   * Run the network over every block of a data set (rewards divided by the model's `rewardScale`, as in
   * training).
   *
   * @example
   * ```ts
   * import { cognitive, fit, simulate, tasks } from "@tinyrnn/tinyrnn";
   *
   * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
   * const model = await fit(data, { hidden: 1, maxEpochs: 20 });
   * const { probs } = model.run(data);
   * console.log(probs[0][0]); // P(actions) on the first trial of block 0
   * ```
   */
  run(data: Dataset): RunOutput {
    const net = this.#net;
    const encoding = net.cell.encoding;
    if (data.nActions !== this.config.nActions) {
      throw new TinyRnnInputError(
        `the model has ${this.config.nActions} actions, the data set ${data.nActions}`,
      );
    }
    const S = net.stateSize;
    const x = new Float64Array(net.spec.inputSize);
    const cache = new Float64Array(Math.max(1, net.kernel.cacheSize));
    const logit = new Float64Array(net.spec.nActions);
    const scale = this.rewardScale;
    const out: RunOutput = { logits: [], probs: [], hidden: [] };
    for (const block of data.blocks) {
      const T = block.action.length;
      let h = new Float64Array(S);
      writeInitialState(net, this.#w, h, 0);
      const logits: number[][] = [], probs: number[][] = [], hidden: number[][] = [];
      for (let t = 0; t <= T; t++) {
        readoutForward(net, this.#w, h, 0, logit, 0);
        logits.push(Array.from(logit));
        probs.push(Array.from(softmax(logit)));
        hidden.push(Array.from(h));
        if (t === T) break;
        encodeTrial(
          encoding,
          data.kind,
          { action: block.action[t], state: block.state[t], reward: block.reward[t] },
          x,
          0,
          data.nActions,
          scale,
        );
        const next = new Float64Array(S);
        net.kernel.forward(this.#w, x, 0, h, 0, next, 0, cache, 0);
        h = next;
      }
      out.logits.push(logits);
      out.probs.push(probs);
      out.hidden.push(hidden);
    }
    return out;
  }

  /** Plain-number JSON form (nothing executable); `FittedModel.fromJSON` reads it back. */
  toJSON(): Record<string, unknown> {
    const nanToNull = (v: number) => (Number.isFinite(v) ? v : null);
    return {
      format: JSON_FORMAT,
      version: 1,
      config: this.config,
      epochs: this.epochs,
      bestEpoch: this.bestEpoch,
      stoppedEarly: this.stoppedEarly,
      trainLoss: nanToNull(this.trainLoss),
      valLoss: nanToNull(this.valLoss),
      testLoss: nanToNull(this.testLoss),
      trainAccuracy: nanToNull(this.trainAccuracy),
      valAccuracy: nanToNull(this.valAccuracy),
      testAccuracy: nanToNull(this.testAccuracy),
      trainTrials: this.trainTrials,
      valTrials: this.valTrials,
      testTrials: this.testTrials,
      numParams: this.numParams,
      seconds: this.seconds,
      weights: this.weights,
      curves: this.curves,
    };
  }

  /** Read a model back from `toJSON` output (an object or its JSON text); checks the format and every number. */
  static fromJSON(json: string | Record<string, unknown>): FittedModel {
    // deno-lint-ignore no-explicit-any
    let o: any;
    try {
      o = typeof json === "string" ? JSON.parse(json) : json;
    } catch (error) {
      throw new TinyRnnInputError(
        `fitted model JSON: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (!o || typeof o !== "object" || o.format !== JSON_FORMAT) {
      throw new TinyRnnInputError(`not a tinyrnn fitted model (expected format "${JSON_FORMAT}")`);
    }
    const num = (key: string, allowNull = false): number => {
      const v = o[key];
      if (v === null && allowNull) return NaN;
      if (typeof v !== "number") throw new TinyRnnInputError(`fitted model JSON: "${key}" must be a number`);
      return v;
    };
    const curve = (v: unknown, key: string): number[] => {
      if (!Array.isArray(v)) throw new TinyRnnInputError(`fitted model JSON: curves.${key} must be an array`);
      return v.map((x) => (x === null ? NaN : Number(x)));
    };
    const config = o.config as FitConfig;
    if (!config || typeof config.cell !== "string" || typeof config.hidden !== "number") {
      throw new TinyRnnInputError(`fitted model JSON: "config" lacks cell or hidden`);
    }
    const curves: Curves = { train: curve(o.curves?.train, "train"), val: curve(o.curves?.val, "val") };
    if (o.curves?.test) curves.test = curve(o.curves.test, "test");
    return new FittedModel(config, {
      weights: o.weights,
      epochs: num("epochs"),
      bestEpoch: num("bestEpoch"),
      stoppedEarly: Boolean(o.stoppedEarly),
      trainLoss: num("trainLoss", true),
      valLoss: num("valLoss", true),
      testLoss: num("testLoss", true),
      trainAccuracy: num("trainAccuracy", true),
      valAccuracy: num("valAccuracy", true),
      testAccuracy: num("testAccuracy", true),
      trainTrials: num("trainTrials"),
      valTrials: num("valTrials"),
      testTrials: num("testTrials"),
      numParams: num("numParams"),
      seconds: num("seconds"),
      curves,
    });
  }
}
