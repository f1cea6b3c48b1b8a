/**
 * The options of `distill`, each declared once (key, default, check, help text) in {@link DISTILL_OPTIONS}:
 * the API validates with them and `deno task distill` builds its flags and help from them.
 *
 * @module
 */

import type { Agent } from "../agents/agent.ts";
import { cognitive } from "../agents/cognitive.ts";
import type { Dataset, TaskKind } from "../data/dataset.ts";
import { type EngineName, TRAINING_OPTIONS } from "../engine/training_options.ts";
import {
  checkBoolean,
  checkChoice,
  checkFunction,
  checkList,
  checkNameList,
  checkNumber,
  type DefaultedOption,
  option,
  type OptionSpec,
  type ResolvedOptions,
  resolveOptions,
  TinyRnnInputError,
} from "../options.ts";
import { cellNames } from "../rnn/registry.ts";
import { tasks } from "../tasks/mod.ts";
import type { Task } from "../tasks/task.ts";
import type { TeacherOptions, TeacherSplit } from "./teacher.ts";

/** What `distill` needs of a trained teacher (the `Teacher` class provides it; tests pass fakes). */
export interface TeacherLike {
  /** Per block of `data`, per trial, the nActions choice probabilities. */
  predict(data: Dataset): number[][][];
  /** Mean NLL per scored trial of the blocks against the real choices, and the trial count. */
  loss(data: Dataset, blocks?: readonly number[]): { loss: number; trials: number };
  /** The teacher acting as one subject (for `simulate`). */
  agent(subject: string): Agent;
  /** Plain JSON form (kept in the results folder so that a resumed run does not retrain it). */
  toJSON(): Record<string, unknown>;
  /** Best-epoch validation NLL. */
  readonly valLoss: number;
  /** Best-epoch training NLL. */
  readonly trainLoss: number;
  /** Iterations run. */
  readonly epochs: number;
  /** GRU units (of the chosen candidate). */
  readonly hidden?: number;
  /** Embedding size (of the chosen candidate). */
  readonly embedding?: number;
}

/** How `distill` trains and reads back teachers: `trainTeacher` and `Teacher.fromJSON` by default. */
export interface TeacherFactory {
  /** Train a teacher on the train blocks of every subject, early-stopped on the val blocks. */
  train(data: Dataset, split: TeacherSplit, options: TeacherOptions): Promise<TeacherLike>;
  /** Read a teacher back from its `toJSON` form. */
  fromJSON(json: unknown): TeacherLike;
}

/** Progress of a distillation run. */
export interface DistillProgress {
  /** Units finished (teachers, networks, cognitive fits), including those found finished at the start. */
  done: number;
  /** Units of this run (of this shard, when sharded). */
  total: number;
  /** Units that were already finished at the start. */
  skipped: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** What happened last, e.g. `teacher/outer0 done`. */
  current: string;
}

/** Options of `distill`; every field is optional, the defaults are in {@link DISTILL_OPTIONS}. */
export interface DistillOptions {
  /** GRU units of the teacher, or a list to choose from by validation loss. Default 20. */
  teacherHidden?: number | readonly number[];
  /** Subject embedding size of the teacher (0: none), or a list to choose from. Default 4. */
  embedding?: number | readonly number[];
  /** Initial weights tried per teacher size (the best by validation loss is kept). Default 1. */
  teacherSeeds?: number;
  /** L1 strength on the teacher's recurrent weights. Default 1e-5. */
  teacherL1?: number;
  /** Cell of the tiny solo and student networks. Default `"gru"`. */
  cell?: string;
  /** Hidden sizes d of the tiny networks. Default `[1, 2, 3, 4]`. */
  hidden?: readonly number[];
  /** Cognitive models fitted to each subject alone. Default: {@link defaultCognitiveModels} of the data. */
  cognitive?: readonly string[];
  /** Seeded random starts of each cognitive fit, besides the grid start. Default 2. */
  cognitiveRestarts?: number;
  /** Outer folds over each subject's blocks (within subject). Default 3. */
  outer?: number;
  /** Inner folds over each subject's outer-train blocks. Default 2. */
  inner?: number;
  /** Train the tiny networks on inner fold 0 only (the teacher always uses inner fold 0). Default false. */
  singleInnerFold?: boolean;
  /** Seeds of the tiny networks' initial weights per (d, fold). Default 2. */
  seeds?: number;
  /** Sequences simulated by the teacher per subject for its student. Default: the subject's block count. */
  augment?: number;
  /** Task the teacher is simulated on for augmentation (a `tasks` factory name). Default: the data's. */
  task?: string;
  /** Weight of the teacher in the soft targets (the original's `teacher_prop`). Default 1. */
  teacherProp?: number;
  /** L1 strength on the tiny networks' recurrent weights. Default 1e-5. */
  l1?: number;
  /** AdamW learning rate (teacher and tiny networks). Default 0.005. */
  lr?: number;
  /** Training runs at most `maxEpochs + 1` iterations (teacher and tiny networks). Default 2000. */
  maxEpochs?: number;
  /** Early-stopping patience (teacher and tiny networks). Default 200. */
  patience?: number;
  /**
   * Engine of the solo and student networks: `"native"` (float64; default), `"tfjs"` (float32, WebGPU when there
   * is one) or `"auto"`. The teacher always trains natively (its subject embedding has no tfjs form).
   */
  engine?: EngineName;
  /** Worker threads for the tiny networks. Default: one per core. */
  workers?: number;
  /** Results folder: one JSON file per finished unit, then `summary.json`; a rerun resumes. Default none. */
  resultsDir?: string;
  /** Train only shard `index` of `count` of the subject units; the summary is left to `mergeDistill`. */
  shard?: { index: number; count: number };
  /** Called as units finish. */
  onProgress?: (progress: DistillProgress) => void;
  /** How teachers are trained and read back. Default: `trainTeacher` and `Teacher.fromJSON`. */
  teacher?: TeacherFactory;
  /** The task instance for augmentation (API only; overrides `task`). */
  taskInstance?: () => Task;
}

/** The declarations of {@link DISTILL_OPTIONS}. */
export type DistillOptionSpecs = {
  readonly teacherHidden: DefaultedOption<number | readonly number[]>;
  readonly embedding: DefaultedOption<number | readonly number[]>;
  readonly teacherSeeds: DefaultedOption<number>;
  readonly teacherL1: DefaultedOption<number>;
  readonly cell: DefaultedOption<string>;
  readonly hidden: DefaultedOption<readonly number[]>;
  readonly cognitive: OptionSpec<readonly string[]>;
  readonly cognitiveRestarts: DefaultedOption<number>;
  readonly outer: DefaultedOption<number>;
  readonly inner: DefaultedOption<number>;
  readonly singleInnerFold: DefaultedOption<boolean>;
  readonly seeds: DefaultedOption<number>;
  readonly augment: OptionSpec<number>;
  readonly task: OptionSpec<string>;
  readonly teacherProp: DefaultedOption<number>;
  readonly l1: DefaultedOption<number>;
  readonly lr: DefaultedOption<number>;
  readonly maxEpochs: DefaultedOption<number>;
  readonly patience: DefaultedOption<number>;
  readonly engine: DefaultedOption<EngineName>;
  readonly workers: OptionSpec<number>;
  readonly resultsDir: OptionSpec<string>;
  readonly shard: OptionSpec<{ index: number; count: number }>;
  readonly onProgress: OptionSpec<(progress: DistillProgress) => void>;
  readonly teacher: OptionSpec<TeacherFactory>;
  readonly taskInstance: OptionSpec<() => Task>;
};

const int = (min: number) => (where: string, name: string, v: unknown) =>
  checkNumber(where, name, v, { min, integer: true });

const sizes = (min: number) => (where: string, name: string, v: unknown): number | readonly number[] =>
  Array.isArray(v)
    ? checkList(where, name, v, (e, entry) => checkNumber(where, entry, e, { min, integer: true }), {
      nonEmpty: true,
    })
    : checkNumber(where, name, v, { min, integer: true });

/** Names of the task factories `task` accepts. */
export const TASK_NAMES: readonly string[] = Object.keys(tasks);

/**
 * The options of `distill`: key, default, check and one line of help each.
 *
 * @example
 * ```ts
 * import { DISTILL_OPTIONS } from "./options.ts";
 * DISTILL_OPTIONS.hidden.default; // [1, 2, 3, 4]
 * ```
 */
export const DISTILL_OPTIONS: DistillOptionSpecs = {
  teacherHidden: option<number | readonly number[]>({
    help: "GRU units of the teacher network (a list: chosen by validation loss)",
    default: 20,
    placeholder: "N|LIST",
    check: sizes(1),
  }),
  embedding: option<number | readonly number[]>({
    help:
      "subject embedding size of the teacher, 0: an ordinary GRU on the pooled subjects (a list: chosen by validation loss)",
    default: 4,
    placeholder: "N|LIST",
    check: sizes(0),
  }),
  teacherSeeds: option<number>({
    help: "initial weights tried per teacher size, the best by validation loss kept",
    default: 1,
    placeholder: "N",
    check: int(1),
  }),
  teacherL1: option<number>({
    help: "L1 strength on the teacher's recurrent weights",
    default: 1e-5,
    placeholder: "X",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, finite: true }),
  }),
  cell: option<string>({
    help: "cell of the tiny solo and student networks",
    default: "gru",
    placeholder: "NAME",
    check: (where, name, v) => checkChoice(where, name, v, cellNames()),
  }),
  hidden: option<readonly number[]>({
    help: "hidden sizes d of the tiny solo and student networks",
    default: [1, 2, 3, 4],
    placeholder: "LIST",
    check: (where, name, v) =>
      checkList(
        where,
        name,
        v,
        (e, entry) => checkNumber(where, entry, e, { min: 1, max: 64, integer: true }),
        {
          nonEmpty: true,
        },
      ),
  }),
  cognitive: option<readonly string[]>({
    help:
      "cognitive models fitted to each subject alone (default: MB0,MB1,LS0 on bandits, MB0,MB1,MXs on two-stage)",
    placeholder: "LIST",
    check: (where, name, v) => {
      const list = checkNameList(where, name, v);
      for (const model of list) {
        try {
          cognitive(model);
        } catch (error) {
          throw new TinyRnnInputError(`${where}: ${name}: ${(error as Error).message}`);
        }
      }
      if (new Set(list).size !== list.length) {
        throw new TinyRnnInputError(`${where}: ${name} lists a model twice (${list.join(", ")})`);
      }
      return list;
    },
  }),
  cognitiveRestarts: option<number>({
    help: "seeded random starts of each cognitive fit, besides the grid start",
    default: 2,
    placeholder: "N",
    check: int(0),
  }),
  outer: option<number>({
    help: "outer folds over each subject's blocks (within subject)",
    default: 3,
    placeholder: "N",
    check: int(2),
  }),
  inner: option<number>({
    help: "inner folds over each subject's outer-train blocks (the teacher early-stops on inner fold 0)",
    default: 2,
    placeholder: "N",
    check: int(2),
  }),
  singleInnerFold: option<boolean>({
    help: "train the tiny networks on inner fold 0 only",
    default: false,
    check: checkBoolean,
  }),
  seeds: option<number>({
    help: "seeds of the tiny networks' initial weights per hidden size and fold",
    default: 2,
    placeholder: "N",
    check: int(1),
  }),
  augment: option<number>({
    help:
      "sequences simulated by the teacher per subject for its student (default: the subject's block count)",
    placeholder: "N",
    check: int(0),
  }),
  task: option<string>({
    help: `task the teacher is simulated on for augmentation: ${
      TASK_NAMES.join(", ")
    } (default: the data's simulated task, else bandit or twoStage by kind)`,
    placeholder: "NAME",
    check: (where, name, v) => checkChoice(where, name, v, TASK_NAMES),
  }),
  teacherProp: option<number>({
    help: "weight of the teacher in the soft targets; 1 - it goes to the subject's own choices",
    default: 1,
    placeholder: "X",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, max: 1 }),
  }),
  l1: option<number>({
    help: "L1 strength on the tiny networks' recurrent weights",
    default: 1e-5,
    placeholder: "X",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, finite: true }),
  }),
  lr: TRAINING_OPTIONS.lr,
  maxEpochs: option<number>({ ...TRAINING_OPTIONS.maxEpochs, default: 2000 }),
  patience: TRAINING_OPTIONS.patience,
  engine: option<EngineName>({
    ...TRAINING_OPTIONS.engine,
    help: `${TRAINING_OPTIONS.engine.help}, for the solo and student networks (the teacher trains natively)`,
  }),
  workers: option<number>({
    help: "worker threads for the tiny networks (default one per core)",
    placeholder: "N",
    check: int(0),
  }),
  resultsDir: option<string>({
    help: "results folder: one JSON file per finished unit, then summary.json; a rerun resumes",
    placeholder: "DIR",
    check: (where, name, v) => {
      if (typeof v !== "string" || v === "") {
        throw new TinyRnnInputError(`${where}: ${name} must be a folder path, got ${JSON.stringify(v)}`);
      }
      return v;
    },
  }),
  shard: option<{ index: number; count: number }>({
    help: "train only shard index of count (0-based) of the units; then merge",
    placeholder: "i/N",
    check: (where, name, v) => {
      const s = v as { index?: unknown; count?: unknown };
      if (v === null || typeof v !== "object") {
        throw new TinyRnnInputError(`${where}: ${name} must be { index, count }`);
      }
      const count = checkNumber(where, `${name}.count`, s.count, { min: 1, integer: true });
      const index = checkNumber(where, `${name}.index`, s.index, { min: 0, max: count - 1, integer: true });
      return { index, count };
    },
  }),
  onProgress: option<(progress: DistillProgress) => void>({
    help: "called as units finish",
    check: checkFunction,
  }),
  teacher: option<TeacherFactory>({
    help:
      "how teachers are trained and read back: { train, fromJSON } (default trainTeacher, Teacher.fromJSON)",
    check: (where, name, v) => {
      const f = v as { train?: unknown; fromJSON?: unknown };
      if (v === null || typeof v !== "object") {
        throw new TinyRnnInputError(`${where}: ${name} must be { train, fromJSON }`);
      }
      checkFunction(where, `${name}.train`, f.train);
      checkFunction(where, `${name}.fromJSON`, f.fromJSON);
      return v as TeacherFactory;
    },
  }),
  taskInstance: option<() => Task>({
    help: "a function returning a fresh task for augmentation (overrides task)",
    check: checkFunction,
  }),
};

/** Validated options of `distill`, defaults filled in. */
export type DistillSettings = ResolvedOptions<DistillOptionSpecs>;

/**
 * The cognitive models fitted by default: the paper's bandit models (MB0, MB1, LS0) on bandit data with two
 * actions, the two-stage models (MB0, MB1, MXs) on two-stage data, and QFP with more than two actions.
 *
 * @example
 * ```ts
 * import { defaultCognitiveModels } from "./options.ts";
 * defaultCognitiveModels("twoStage", 2); // ["MB0", "MB1", "MXs"]
 * ```
 */
export function defaultCognitiveModels(kind: TaskKind, nActions: number): string[] {
  if (nActions > 2) return ["QFP"];
  return kind === "twoStage" ? ["MB0", "MB1", "MXs"] : ["MB0", "MB1", "LS0"];
}

/** Validate `distill`'s options (unknown keys get a "did you mean"). */
export function resolveDistillOptions(where: string, options: DistillOptions | undefined): DistillSettings {
  return resolveOptions(where, options, DISTILL_OPTIONS);
}

/**
 * The task factory augmentation simulates on: `taskInstance`, else the `task` name, else the data's own
 * simulated task (`meta.task.name` with its `params`), else `bandit`/`twoStage` by the data's kind.
 */
export function augmentTask(data: Dataset, settings: DistillSettings): () => Task {
  if (settings.taskInstance) return settings.taskInstance;
  const factories = tasks as unknown as Record<string, (options?: Record<string, unknown>) => Task>;
  if (settings.task !== undefined) return () => factories[settings.task!]();
  const meta = data.meta?.task as { name?: unknown; params?: unknown } | undefined;
  const name = typeof meta?.name === "string" ? meta.name : undefined;
  if (name !== undefined && Object.hasOwn(factories, name)) {
    const params = meta?.params && typeof meta.params === "object"
      ? meta.params as Record<string, unknown>
      : {};
    try {
      factories[name](params);
      return () => factories[name](params);
    } catch {
      return () => factories[name]();
    }
  }
  if (data.nActions > 2) return () => factories.kReversal({ options: data.nActions });
  return data.kind === "twoStage" ? () => factories.twoStage() : () => factories.bandit();
}
