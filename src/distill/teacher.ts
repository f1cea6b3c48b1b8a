/**
 * The teacher of knowledge distillation: one GRU trained on all subjects together, whose input is the trial
 * input plus a learned subject embedding (the original's `include_embedding`). Students (`src/distill/`) are
 * trained on its choice probabilities for one subject.
 *
 * For one subject s the teacher is an ordinary GRU: the embedding's contribution to the input gates,
 * W_emb · e_s, is the same on every trial of that subject, so it folds into the input bias (`rnn.bias_ih_l0`
 * + W_emb · e_s; the GRU's candidate gate adds its input term outside the reset gate, so the fold is exact).
 * `Teacher.agent`, `predict` and `loss` run that ordinary network.
 *
 * @module
 */

import { type Agent, softmax, traceBlock } from "../agents/agent.ts";
import type { Dataset, TaskKind } from "../data/dataset.ts";
import { subjectsOf } from "../data/subjects.ts";
import { describeMarkup, JUPYTER_DISPLAY } from "../display_table.ts";
import { datasetTensors } from "../engine/batch.ts";
import { trainNative } from "../engine/native_many.ts";
import { trainJob } from "../engine/train.ts";
import type { TrainJob, TrainResult } from "../engine/job.ts";
import { EMBEDDING_TENSOR } from "../engine/subject_embedding.ts";
import { TRAINING_OPTIONS } from "../engine/training_options.ts";
import {
  checkList,
  checkNumber,
  option,
  type OptionSpec,
  rejectUnknownKeys,
  resolveOptions,
  TinyRnnInputError,
} from "../options.ts";
import { inputSizeOf, rewardScaleOf, scaledForNetwork } from "../rnn/encoding.ts";
import { buildNetwork, type Network, type StateDict, weightsFromStateDict } from "../rnn/network.ts";
import { RnnAgent } from "../rnn/rnn_agent.ts";

const sizeList = (min: number) => (where: string, name: string, value: unknown): number[] =>
  checkList(
    where,
    name,
    typeof value === "number" ? [value] : value,
    (v, n) => checkNumber(where, n, v, { min, integer: true }),
    { nonEmpty: true },
  );

/** The teacher's options: each one's key, default, check and help text. */
export const TEACHER_OPTIONS: {
  readonly hidden: OptionSpec<number[]> & { readonly default: number[] };
  readonly embedding: OptionSpec<number[]> & { readonly default: number[] };
  readonly seeds: OptionSpec<number> & { readonly default: number };
  readonly seed: OptionSpec<number> & { readonly default: number };
  readonly l1: OptionSpec<number> & { readonly default: number };
  readonly lr: OptionSpec<number> & { readonly default: number };
  readonly weightDecay: OptionSpec<number> & { readonly default: number };
  readonly maxEpochs: OptionSpec<number> & { readonly default: number };
  readonly patience: OptionSpec<number> & { readonly default: number };
  readonly workers: OptionSpec<number>;
} = {
  hidden: option<number[]>({
    help: "teacher GRU units; a list is a choice made by validation loss",
    default: [20],
    placeholder: "LIST",
    check: sizeList(1),
  }),
  embedding: option<number[]>({
    help:
      "subject embedding size (0: none, an ordinary GRU on the pooled subjects); a list is a choice made by validation loss",
    default: [4],
    placeholder: "LIST",
    check: sizeList(0),
  }),
  seeds: option<number>({
    help: "initial weights tried per size (seeds seed, seed + 1, ...); the lowest validation loss is kept",
    default: 1,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 1, integer: true }),
  }),
  seed: option<number>({
    help: "first seed of the initial weights",
    default: 0,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, max: 0xffffffff, integer: true }),
  }),
  l1: option<number>({
    help: "L1 strength on the recurrent layer's weight matrices (the embedding's input weights included)",
    default: 1e-5,
    placeholder: "X",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0 }),
  }),
  lr: TRAINING_OPTIONS.lr,
  weightDecay: TRAINING_OPTIONS.weightDecay,
  maxEpochs: TRAINING_OPTIONS.maxEpochs,
  patience: TRAINING_OPTIONS.patience,
  workers: option<number>({
    help: "worker threads for the candidates (default: one per core, at most one per candidate)",
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, integer: true }),
  }),
};

/** Options of {@link trainTeacher} (see {@link TEACHER_OPTIONS} for defaults). */
export interface TeacherOptions {
  /** GRU units, or a list to choose from by validation loss. Default 20. */
  hidden?: number | number[];
  /** Subject embedding size, or a list. Default 4; 0 = no embedding (an ordinary GRU on the pooled subjects). */
  embedding?: number | number[];
  /** Initial weights tried per (hidden, embedding). Default 1. */
  seeds?: number;
  /** First seed. Default 0. */
  seed?: number;
  /** L1 strength on the recurrent layer's weight matrices (input weights of the embedding included). Default 1e-5. */
  l1?: number;
  /** AdamW learning rate. Default 0.005. */
  lr?: number;
  /** AdamW weight decay. Default 0. */
  weightDecay?: number;
  /** Iterations run at most: `maxEpochs + 1`. Default 10000. */
  maxEpochs?: number;
  /** Early-stopping patience. Default 200. */
  patience?: number;
  /** Worker threads for the candidates. Default: one per core. */
  workers?: number;
}

/** Options of {@link Teacher.withSubject}. */
export interface WithSubjectOptions {
  /** Iterations run at most: `maxEpochs + 1`. Default: the teacher's. */
  maxEpochs?: number;
  /** Early-stopping patience. Default: the teacher's. */
  patience?: number;
  /** AdamW learning rate. Default: the teacher's. */
  lr?: number;
}

/** Which blocks (indices into the data set) train the teacher and which early-stop it. */
export interface TeacherSplit {
  /** Training blocks. */
  train: number[];
  /** Validation blocks (early stopping, against the real choices). */
  val: number[];
}

/** One trained candidate of a teacher search and its validation loss. */
export interface TeacherCandidate {
  /** GRU units. */
  hidden: number;
  /** Embedding size. */
  embedding: number;
  /** Seed of its initial weights. */
  seed: number;
  /** Best-epoch validation NLL per scored trial. */
  valLoss: number;
}

/** How a teacher was trained (plain data: it goes into the teacher's JSON). */
export interface TeacherConfig {
  /** Task kind of the data. */
  kind: TaskKind;
  /** First-stage actions. */
  nActions: number;
  /** The factor rewards are divided by before the network sees them (1 for 0/1 rewards). */
  rewardScale: number;
  /** L1 strength. */
  l1: number;
  /** Learning rate. */
  lr: number;
  /** Weight decay. */
  weightDecay: number;
  /** Iterations at most (+1). */
  maxEpochs: number;
  /** Early-stopping patience. */
  patience: number;
  /** Seed of the kept candidate's initial weights. */
  seed: number;
  /** Training blocks. */
  train: number[];
  /** Validation blocks. */
  val: number[];
}

const WHERE = "trainTeacher";
const JSON_FORMAT = "tinyrnn-teacher";
const INPUT_TENSOR = "rnn.weight_ih_l0";
const BIAS_TENSOR = "rnn.bias_ih_l0";

/** Per block of the data set, the row of its subject in `subjects` (-1: none, or a subject not listed). */
function subjectRows(data: Dataset, subjects: readonly string[]): number[] {
  const row = new Map(subjects.map((s, i) => [s, i]));
  return data.blocks.map((block) => (block.subject === undefined ? -1 : row.get(block.subject) ?? -1));
}

/**
 * The split, checked against the data set: two non-empty, disjoint lists of block indices, every block with a
 * subject (the message names the first that is not).
 */
function checkSplit(data: Dataset, split: TeacherSplit, where: string): TeacherSplit {
  if (!split || !Array.isArray(split.train) || !Array.isArray(split.val)) {
    throw new TinyRnnInputError(`${where}: split must be { train: number[], val: number[] }`);
  }
  if (split.train.length === 0) throw new TinyRnnInputError(`${where}: split.train lists no block`);
  if (split.val.length === 0) throw new TinyRnnInputError(`${where}: split.val lists no block`);
  const train = new Set(split.train);
  const both = split.val.find((b) => train.has(b));
  if (both !== undefined) {
    throw new TinyRnnInputError(`${where}: block ${both} is in both split.train and split.val`);
  }
  for (const b of [...split.train, ...split.val]) {
    if (!Number.isInteger(b) || b < 0 || b >= data.blocks.length) {
      throw new TinyRnnInputError(
        `${where}: block ${b} is not a block of the data set (0..${data.blocks.length - 1})`,
      );
    }
    if (data.blocks[b].subject === undefined) {
      throw new TinyRnnInputError(
        `${where}: block ${b} has no subject; give every block a subject (CSV column "subject")`,
      );
    }
  }
  return { train: [...split.train], val: [...split.val] };
}

/**
 * Train a teacher on all subjects' `split.train` blocks, early-stopped on the `split.val` blocks (scored against
 * the real choices). Every (hidden, embedding, seed) candidate is trained, over worker threads, and the one with
 * the lowest validation loss is kept. The subjects it knows are those of the training blocks; every block of the
 * split must have a subject (a `TinyRnnInputError` names the block otherwise).
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks, trainTeacher } from "@tinyrnn/tinyrnn";
 * const sim = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 6, trials: 20, seed: 1 });
 * const data = { ...sim, blocks: sim.blocks.map((b, i) => ({ ...b, subject: `s${i % 3}` })) };
 * const teacher = await trainTeacher(data, { train: [0, 1, 2], val: [3, 4, 5] }, { hidden: 4, embedding: 2, maxEpochs: 20 });
 * console.log(teacher.subjects, teacher.valLoss);
 * ```
 */
export async function trainTeacher(
  data: Dataset,
  split: TeacherSplit,
  options: TeacherOptions = {},
): Promise<Teacher> {
  const o = resolveOptions(WHERE, options, TEACHER_OPTIONS);
  const { train, val } = checkSplit(data, split, WHERE);
  const known = subjectsOf({ ...data, blocks: train.map((b) => data.blocks[b]) });
  // Subjects seen only in validation blocks have no trained embedding: refuse rather than score noise.
  const missing = val.find((b) => !known.subjects.includes(data.blocks[b].subject!));
  if (missing !== undefined) {
    throw new TinyRnnInputError(
      `${WHERE}: validation block ${missing} belongs to subject "${
        data.blocks[missing].subject
      }", who has no training block`,
    );
  }
  // trainMany divides point rewards by this same factor (`tensorsForJobs`); the teacher records it.
  const rewardScale = rewardScaleOf(data);
  const rows = subjectRows(data, known.subjects);
  const candidates: { hidden: number; embedding: number; seed: number; job: TrainJob }[] = [];
  for (const hidden of o.hidden) {
    for (const size of o.embedding) {
      for (let k = 0; k < o.seeds; k++) {
        const seed = o.seed + k;
        const shape = { hidden, embedding: size, seed };
        candidates.push({ ...shape, job: teacherJob(o, shape, { train, val }, rows, known.subjects.length) });
      }
    }
  }
  const results = await trainNative(data, candidates.map((c) => c.job), { workers: o.workers });
  let best = 0;
  results.forEach((r, i) => {
    if (r.valLoss < results[best].valLoss) best = i;
  });
  const kept = candidates[best];
  return new Teacher({
    config: {
      kind: data.kind,
      nActions: data.nActions,
      rewardScale,
      l1: o.l1,
      lr: o.lr,
      weightDecay: o.weightDecay,
      maxEpochs: o.maxEpochs,
      patience: o.patience,
      seed: kept.seed,
      train,
      val,
    },
    subjects: known.subjects,
    hidden: kept.hidden,
    embedding: kept.embedding,
    result: results[best],
    candidates: candidates.map((c, i) => ({
      hidden: c.hidden,
      embedding: c.embedding,
      seed: c.seed,
      valLoss: results[i].valLoss,
    })),
  });
}

/** The training settings a teacher job takes. */
type JobSettings = Pick<TeacherConfig, "l1" | "lr" | "weightDecay" | "maxEpochs" | "patience">;

/** One teacher candidate as an engine job: a GRU with a subject embedding (none for size 0). */
function teacherJob(
  settings: JobSettings,
  shape: { hidden: number; embedding: number; seed: number },
  split: TeacherSplit,
  subjectOfBlock: number[],
  subjects: number,
  refit?: { init: StateDict; onlySubject: number },
): TrainJob {
  const job: TrainJob = {
    cell: "gru",
    hidden: shape.hidden,
    l1: settings.l1,
    lr: settings.lr,
    weightDecay: settings.weightDecay,
    maxEpochs: settings.maxEpochs,
    patience: settings.patience,
    seed: shape.seed,
    train: split.train,
    val: split.val,
    test: [],
  };
  if (shape.embedding > 0) {
    job.embedding = { size: shape.embedding, subjects, subjectOfBlock };
    if (refit) {
      job.init = refit.init;
      job.embedding.onlySubject = refit.onlySubject;
    }
  }
  return job;
}

/** What a `Teacher` is made of (`trainTeacher` and `Teacher.fromJSON` build it). */
interface TeacherParts {
  config: TeacherConfig;
  subjects: string[];
  hidden: number;
  embedding: number;
  result: Pick<TrainResult, "weights" | "valLoss" | "trainLoss" | "epochs" | "bestEpoch" | "seconds">;
  candidates: TeacherCandidate[];
}

/** A trained teacher network: a GRU that sees the trial input and the subject's embedding. */
export class Teacher {
  /** The subjects it knows, in the order of the embedding's rows. */
  readonly subjects: readonly string[];
  /** GRU units. */
  readonly hidden: number;
  /** Subject embedding size (0: none). */
  readonly embedding: number;
  /** Best-epoch NLL per scored trial on the validation blocks. */
  readonly valLoss: number;
  /** Best-epoch NLL per scored trial on the training blocks. */
  readonly trainLoss: number;
  /** Iterations run. */
  readonly epochs: number;
  /** First epoch with the lowest validation loss. */
  readonly bestEpoch: number;
  /** Training wall-clock seconds (of the kept candidate). */
  readonly seconds: number;
  /** How it was trained. */
  readonly config: TeacherConfig;
  /** Every candidate of the search and its validation loss (the kept one has the lowest). */
  readonly candidates: readonly TeacherCandidate[];
  /** The teacher's tensors (input I + K) and `subject_embedding.weight` (S x K), PyTorch-named. */
  readonly weights: StateDict;
  /** The ordinary GRU (input I) that the teacher is for one subject. */
  readonly #plain: Network;
  readonly #agents = new Map<string, RnnAgent>();

  /** Use `trainTeacher` or `Teacher.fromJSON`. @internal */
  constructor(parts: TeacherParts) {
    this.config = parts.config;
    this.subjects = Object.freeze([...parts.subjects]);
    this.hidden = parts.hidden;
    this.embedding = parts.embedding;
    this.valLoss = parts.result.valLoss;
    this.trainLoss = parts.result.trainLoss;
    this.epochs = parts.result.epochs;
    this.bestEpoch = parts.result.bestEpoch;
    this.seconds = parts.result.seconds;
    this.candidates = Object.freeze(parts.candidates.map((c) => ({ ...c })));
    this.weights = parts.result.weights as StateDict;
    this.#plain = buildNetwork({
      cell: "gru",
      hidden: this.hidden,
      inputSize: inputSizeOf("asr", this.config.kind, this.config.nActions),
      nActions: this.config.nActions,
      readout: "linear",
      outputH0: true,
      trainableH0: false,
    });
    // Build every subject's network now: a malformed state dict fails here, not at first use.
    for (const subject of this.subjects) this.#agentOf(subject);
    if (this.embedding === 0) this.#agentOf(undefined);
  }

  /** Deno's Jupyter kernel calls this to show the teacher inline. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return describeMarkup(`teacher GRU, d = ${this.hidden}, embedding ${this.embedding}`, [
      ["subjects", this.subjects.length],
      ["train NLL", this.trainLoss],
      ["validation NLL", this.valLoss],
      ["epochs", `${this.epochs} (best ${this.bestEpoch})`],
      ["candidates", this.candidates.length],
    ]);
  }

  /** The weights of the ordinary GRU the teacher is for `subject` (undefined: any, without an embedding). */
  plainWeights(subject: string | undefined): Float64Array {
    const K = this.embedding;
    if (K === 0) return weightsFromStateDict(this.#plain, this.weights);
    const s = subject === undefined ? -1 : this.subjects.indexOf(subject);
    if (s < 0) {
      throw new TinyRnnInputError(
        `teacher: unknown subject ${JSON.stringify(subject)}; it knows ${this.subjects.length} (${
          this.subjects.slice(0, 5).join(", ")
        }${this.subjects.length > 5 ? ", ..." : ""}); add one with withSubject`,
      );
    }
    const { [EMBEDDING_TENSOR]: table, [INPUT_TENSOR]: input, [BIAS_TENSOR]: bias, ...rest } = this.weights;
    const e = (table as number[][])[s];
    const rows = input as number[][];
    const I = this.#plain.spec.inputSize;
    const dict: StateDict = {
      ...rest,
      [INPUT_TENSOR]: rows.map((row) => row.slice(0, I)),
      [BIAS_TENSOR]: (bias as number[]).map((b, r) => {
        let m = 0;
        for (let k = 0; k < K; k++) m += rows[r][I + k] * e[k];
        return b + m;
      }),
    };
    return weightsFromStateDict(this.#plain, dict);
  }

  #agentOf(subject: string | undefined): RnnAgent {
    const key = this.embedding === 0 ? "" : subject ?? "";
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new RnnAgent(
        this.#plain,
        this.plainWeights(subject),
        this.config.kind,
        `teacher-${this.hidden}`,
      );
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /**
   * Per block of `data` (its subjects must be known to the teacher), per trial, the nActions choice
   * probabilities: the shape `withSoftTargets` takes.
   */
  predict(data: Dataset): number[][][] {
    this.#checkData(data, "predict");
    return data.blocks.map((block, b) => {
      const agent = this.#agentFor(data, b, "predict");
      const { scores } = traceBlock(agent, block);
      return scores.slice(0, block.action.length).map((z) => Array.from(softmax(z)));
    });
  }

  /** Mean NLL per scored trial of the blocks (default all) against the real choices, and the trial count. */
  loss(data: Dataset, blocks?: readonly number[]): { loss: number; trials: number } {
    this.#checkData(data, "loss");
    const chosen = blocks ?? data.blocks.map((_, b) => b);
    let total = 0, trials = 0;
    for (const b of chosen) {
      const block = data.blocks[b];
      if (block === undefined) throw new TinyRnnInputError(`teacher.loss: block ${b} is not in the data set`);
      const { scores } = traceBlock(this.#agentFor(data, b, "loss"), block);
      for (let t = 0; t < block.action.length; t++) {
        const m = block.mask ? block.mask[t] : 1;
        if (m === 0) continue;
        const z = scores[t];
        let max = -Infinity;
        for (const v of z) if (v > max) max = v;
        let sum = 0;
        for (const v of z) sum += Math.exp(v - max);
        total += m * -((z[block.action[t]] - max) - Math.log(sum));
        trials += m;
      }
    }
    return { loss: trials > 0 ? total / trials : NaN, trials };
  }

  /**
   * The teacher acting as one subject: an `Agent` usable with `simulate` (rewards are scaled as in training,
   * so it takes the task's own rewards).
   */
  agent(subject: string): Agent {
    return this.#agentOf(subject);
  }

  /**
   * A teacher that also knows the subject of the `split` blocks (all of one subject): only that subject's row of
   * the embedding is fitted, starting from the known subjects' mean, the network frozen. A subject it knows
   * already has its row refitted.
   */
  async withSubject(data: Dataset, split: TeacherSplit, options: WithSubjectOptions = {}): Promise<Teacher> {
    const where = "withSubject";
    if (this.embedding === 0) {
      throw new TinyRnnInputError(`${where}: this teacher has no subject embedding (embedding 0)`);
    }
    rejectUnknownKeys(where, options, ["maxEpochs", "patience", "lr"]);
    const o = {
      maxEpochs: TRAINING_OPTIONS.maxEpochs.check(
        where,
        "maxEpochs",
        options.maxEpochs ?? this.config.maxEpochs,
      ),
      patience: TRAINING_OPTIONS.patience.check(where, "patience", options.patience ?? this.config.patience),
      lr: TRAINING_OPTIONS.lr.check(where, "lr", options.lr ?? this.config.lr),
    };
    const { train, val } = checkSplit(data, split, where);
    const names = new Set([...train, ...val].map((b) => data.blocks[b].subject!));
    if (names.size !== 1) {
      throw new TinyRnnInputError(
        `${where}: the split's blocks must all be of one subject, got ${[...names].join(", ")}`,
      );
    }
    const [name] = names;
    const subjects = this.subjects.includes(name) ? [...this.subjects] : [...this.subjects, name];
    const row = subjects.indexOf(name);
    const table = (this.weights[EMBEDDING_TENSOR] as number[][]).map((r) => [...r]);
    if (row === table.length) {
      table.push(Array.from({ length: this.embedding }, (_, k) => {
        let m = 0;
        for (const r of table) m += r[k];
        return m / table.length;
      }));
    }
    const init: StateDict = { ...this.weights, [EMBEDDING_TENSOR]: table };
    const rows = subjectRows(data, subjects);
    const job = teacherJob(
      { ...this.config, ...o },
      { hidden: this.hidden, embedding: this.embedding, seed: this.config.seed },
      { train, val },
      rows,
      subjects.length,
      { init, onlySubject: row },
    );
    // The teacher's own reward scale (not the new subject's): its network was trained on rewards / that.
    const tensors = datasetTensors(scaledForNetwork(data, this.config.rewardScale), "asr");
    // Awaited so that withSubject stays asynchronous like trainTeacher (its errors are rejections).
    const result = await Promise.resolve().then(() => trainJob(tensors, data.nActions, job));
    return new Teacher({
      config: this.config,
      subjects,
      hidden: this.hidden,
      embedding: this.embedding,
      result: { ...result, trainLoss: this.trainLoss, epochs: this.epochs, bestEpoch: this.bestEpoch },
      candidates: [...this.candidates],
    });
  }

  /** Plain-number JSON form; `Teacher.fromJSON` reads it back exactly. */
  toJSON(): Record<string, unknown> {
    const nanToNull = (v: number) => (Number.isFinite(v) ? v : null);
    return {
      format: JSON_FORMAT,
      version: 1,
      config: this.config,
      subjects: [...this.subjects],
      hidden: this.hidden,
      embedding: this.embedding,
      valLoss: nanToNull(this.valLoss),
      trainLoss: nanToNull(this.trainLoss),
      epochs: this.epochs,
      bestEpoch: this.bestEpoch,
      seconds: this.seconds,
      candidates: this.candidates.map((c) => ({ ...c, valLoss: nanToNull(c.valLoss) })),
      weights: this.weights,
    };
  }

  /** Read a teacher back from `toJSON` output (an object or its JSON text). */
  static fromJSON(json: unknown): Teacher {
    // deno-lint-ignore no-explicit-any
    let o: any;
    try {
      o = typeof json === "string" ? JSON.parse(json) : json;
    } catch (error) {
      throw new TinyRnnInputError(
        `teacher JSON: not valid JSON (${error instanceof Error ? error.message : error})`,
      );
    }
    if (!o || typeof o !== "object" || o.format !== JSON_FORMAT) {
      throw new TinyRnnInputError(`not a tinyrnn teacher (expected format "${JSON_FORMAT}")`);
    }
    const num = (v: unknown, key: string): number => {
      if (v === null) return NaN;
      if (typeof v !== "number") throw new TinyRnnInputError(`teacher JSON: "${key}" must be a number`);
      return v;
    };
    if (!Array.isArray(o.subjects) || o.subjects.some((s: unknown) => typeof s !== "string")) {
      throw new TinyRnnInputError(`teacher JSON: "subjects" must be an array of names`);
    }
    if (!o.config || typeof o.config !== "object" || typeof o.config.kind !== "string") {
      throw new TinyRnnInputError(`teacher JSON: "config" lacks kind`);
    }
    if (!o.weights || typeof o.weights !== "object") {
      throw new TinyRnnInputError(`teacher JSON: "weights" missing`);
    }
    return new Teacher({
      config: o.config,
      subjects: o.subjects,
      hidden: num(o.hidden, "hidden"),
      embedding: num(o.embedding, "embedding"),
      result: {
        weights: o.weights,
        valLoss: num(o.valLoss, "valLoss"),
        trainLoss: num(o.trainLoss, "trainLoss"),
        epochs: num(o.epochs, "epochs"),
        bestEpoch: num(o.bestEpoch, "bestEpoch"),
        seconds: num(o.seconds, "seconds"),
      },
      candidates: Array.isArray(o.candidates)
        ? o.candidates.map((c: TeacherCandidate) => ({ ...c, valLoss: num(c.valLoss, "candidates.valLoss") }))
        : [],
    });
  }

  #checkData(data: Dataset, where: string): void {
    if (data.nActions !== this.config.nActions || data.kind !== this.config.kind) {
      throw new TinyRnnInputError(
        `teacher.${where}: the teacher was trained on ${this.config.kind} data with ${this.config.nActions} actions, got ${data.kind} with ${data.nActions}`,
      );
    }
  }

  #agentFor(data: Dataset, b: number, where: string): RnnAgent {
    const subject = data.blocks[b].subject;
    if (this.embedding > 0 && subject === undefined) {
      throw new TinyRnnInputError(`teacher.${where}: block ${b} has no subject`);
    }
    if (this.embedding > 0 && !this.subjects.includes(subject!)) {
      throw new TinyRnnInputError(
        `teacher.${where}: block ${b} belongs to subject "${subject}", whom the teacher does not know; add it with withSubject`,
      );
    }
    return this.#agentOf(subject);
  }
}
