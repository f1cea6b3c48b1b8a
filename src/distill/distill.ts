/**
 * `distill`: knowledge distillation for many subjects with few trials each, evaluated per subject in nested
 * cross-validation within subjects.
 *
 * For each outer fold (over each subject's own blocks): a teacher (a GRU with a subject embedding) is trained
 * on every subject's outer-train blocks, early-stopped on inner fold 0's validation blocks (it is given only
 * the outer train+validation blocks: it never sees a test block). Then, per subject: (a) solo tiny networks
 * of every hidden size, inner fold and seed are trained on that subject's blocks alone; (b) students of the
 * same sizes are trained on the subject's training blocks with the teacher's choice probabilities as soft
 * targets, plus sequences the teacher simulated as that subject, early-stopped on the subject's own
 * validation blocks scored against its real choices; (c) the teacher is scored on the subject's test blocks;
 * (d) every cognitive model is fitted to the subject's outer train+validation blocks alone. The summary
 * (`DistillResult`) has per-subject test NLLs, rows pooled over subjects with the SEM, and each subject's
 * dimensionality.
 *
 * With `resultsDir` every finished unit (a teacher, one network, one cognitive fit) is written at once as a
 * file (the data set is kept beside them as `data.json`), so that a killed run loses only the units in flight and a rerun resumes; `shard` splits the subject
 * units over machines and {@link mergeDistill} builds the summary from the folder.
 *
 * Note: the tiny networks of inner folds other than 0 are early-stopped on blocks the teacher trained on
 * (the teacher uses inner fold 0 only); `singleInnerFold` avoids that. Test blocks are never involved.
 *
 * @module
 */

import { cognitive } from "../agents/cognitive.ts";
import { fitCognitive } from "../agents/fitting.ts";
import { countTrials, type Dataset, selectBlocks } from "../data/dataset.ts";
import type { TrainJob, TrainResult } from "../engine/job.ts";
import { trainMany } from "../engine/many.ts";
import { rewardScaleOf } from "../rnn/encoding.ts";
import { TinyRnnInputError } from "../options.ts";
import { deriveSeed } from "../random.ts";
import type { InstanceRow } from "../cv/rows.ts";
import {
  checkOutputFolder,
  type InstanceRecord,
  listFinished,
  readInstance,
  writeAtomic,
  writeInstance,
} from "../cv/store.ts";
import {
  augmentTask,
  defaultCognitiveModels,
  type DistillOptions,
  type DistillSettings,
  resolveDistillOptions,
  type TeacherFactory,
  type TeacherLike,
} from "./options.ts";
import { type DistillPlan, type DistillUnit, planDistill } from "./plan.ts";
import { DistillResult } from "./result.ts";
import { studentData } from "./student_data.ts";
import { settingsRecord, summarise } from "./summary.ts";
import { hasRunData, saveRunData } from "../cv/run_data.ts";
import { Teacher, trainTeacher } from "./teacher.ts";

/** The real teacher: `trainTeacher` and `Teacher.fromJSON`. */
export const DEFAULT_TEACHER: TeacherFactory = {
  train: (data, split, options) => trainTeacher(data, split, options),
  fromJSON: (json) => Teacher.fromJSON(json),
};

/** Options of {@link mergeDistill}: the run's options and whether gaps are allowed. */
export type MergeDistillOptions = Omit<DistillOptions, "resultsDir" | "shard"> & {
  /** Build a summary although units are missing (they are listed in `missing`). Default false. */
  allowPartial?: boolean;
};

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1) +
    "\n";
}

/** Settings with the data-dependent default (the cognitive models) filled in. */
function settingsFor(where: string, data: Dataset, options: DistillOptions | undefined): DistillSettings {
  const settings = resolveDistillOptions(where, options);
  return { ...settings, cognitive: settings.cognitive ?? defaultCognitiveModels(data.kind, data.nActions) };
}

/** The run description kept as `distill.json`; a rerun into the folder must match it. */
function runRecord(data: Dataset, plan: DistillPlan, settings: DistillSettings): Record<string, unknown> {
  return {
    settings: settingsRecord(settings),
    subjects: plan.subjects,
    blocks: data.blocks.length,
    trials: countTrials(data).scored,
  };
}

async function checkRun(dir: string, record: Record<string, unknown>): Promise<void> {
  const path = `${dir}/distill.json`;
  const text = jsonText(record);
  let old: string | undefined;
  try {
    old = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (old === undefined) {
    await writeAtomic(path, text);
    return;
  }
  if (old !== text) {
    throw new TinyRnnInputError(
      `${path}: the folder holds a distillation run with other data or settings; use another folder (or remove it to start over)`,
    );
  }
}

async function readRecords(dir: string | undefined, memory: Map<string, InstanceRecord>) {
  if (dir === undefined) return memory;
  const records = new Map<string, InstanceRecord>();
  for (const id of await listFinished(dir)) records.set(id, await readInstance(dir, id));
  return records;
}

function networkRow(
  unit: Extract<DistillUnit, { kind: "solo" | "student" }>,
  cell: string,
  l1: number,
  r: TrainResult,
): InstanceRow {
  return {
    id: unit.id,
    model: `${unit.kind}-${cell}-${unit.hidden}`,
    kind: "rnn",
    cell,
    hidden: unit.hidden,
    l1,
    outer: unit.outer,
    inner: unit.inner,
    seed: unit.seed,
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    trainLoss: r.trainLoss,
    valLoss: r.valLoss,
    testLoss: r.testLoss,
    trainTrials: r.trainTrials,
    valTrials: r.valTrials,
    testTrials: r.testTrials,
    trainAcc: r.trainAccuracy,
    valAcc: r.valAccuracy,
    testAcc: r.testAccuracy,
  };
}

/**
 * Knowledge distillation with per-subject nested cross-validation (see the module notes). Every block needs a
 * `subject`; every subject needs at least `outer + inner - 1` blocks.
 *
 * @example
 * ```ts
 * import { distill, simulatePopulation } from "@tinyrnn/tinyrnn";
 * const { data } = simulatePopulation({ subjects: 4, blocks: 4, trials: 20 });
 * const result = await distill(data, { hidden: [1, 2], outer: 2, inner: 2, seeds: 1, maxEpochs: 50, teacherHidden: 5 });
 * console.log(result.model("student-gru")?.testLoss, result.model("solo-gru")?.testLoss);
 * ```
 */
export async function distill(data: Dataset, options: DistillOptions = {}): Promise<DistillResult> {
  const where = "distill";
  const settings = settingsFor(where, data, options);
  const plan = planDistill(data, settings);
  const dir = settings.resultsDir?.replace(/\/+$/, "") || settings.resultsDir;
  const factory = settings.teacher ?? DEFAULT_TEACHER;
  const task = augmentTask(data, settings);
  const memory = new Map<string, InstanceRecord>();
  if (dir !== undefined) {
    await checkOutputFolder(dir, "resultsDir");
    await checkRun(dir, runRecord(data, plan, settings));
    // The data beside the results, for the report's per-subject portraits.
    if (!(await hasRunData(dir))) await saveRunData(dir, data);
  }
  const finished = new Set(dir === undefined ? [] : await listFinished(dir));
  const subjectUnits = plan.units.filter((u) => u.kind !== "teacher");
  const mine = settings.shard
    ? subjectUnits.filter((_, i) => i % settings.shard!.count === settings.shard!.index)
    : subjectUnits;
  const pendingAll = mine.filter((u) => !finished.has(u.id));
  const outersNeeded = new Set(pendingAll.map((u) => u.outer));
  const teacherTotal = plan.folds.filter((_, o) => outersNeeded.has(o) || !settings.shard).length;
  const total = mine.length + teacherTotal;
  const skippedTeachers =
    plan.folds.filter((_, o) => (outersNeeded.has(o) || !settings.shard) && finished.has(`teacher/outer${o}`))
      .length;
  const skipped = mine.length - pendingAll.length + skippedTeachers;
  let done = skipped;
  const started = Date.now();
  const report = (current: string) => {
    settings.onProgress?.({ done, total, skipped, elapsedMs: Date.now() - started, current });
  };
  const save = async (record: InstanceRecord) => {
    if (dir === undefined) memory.set(record.id, record);
    else await writeInstance(dir, record);
    done++;
    report(`${record.id} done`);
  };
  report("start");

  for (let o = 0; o < plan.folds.length; o++) {
    const pending = pendingAll.filter((u) => u.outer === o);
    if (pending.length === 0 && (settings.shard || finished.has(`teacher/outer${o}`))) continue;
    const teacher = await teacherOf(o, data, plan, settings, factory, dir, finished, memory, save);
    const nets = pending.filter((u): u is Extract<DistillUnit, { kind: "solo" | "student" }> =>
      u.kind === "solo" || u.kind === "student"
    );
    const soloUnits = nets.filter((u) => u.kind === "solo");
    const studentUnits = nets.filter((u) => u.kind === "student");
    const jobOf = (u: (typeof nets)[number], extraTrain: readonly number[] = []): TrainJob => {
      const fold = plan.bySubject[o][u.subject];
      return {
        cell: settings.cell,
        hidden: u.hidden,
        l1: settings.l1,
        lr: settings.lr,
        maxEpochs: settings.maxEpochs,
        patience: settings.patience,
        seed: u.seed,
        train: [...fold.inner[u.inner].train, ...extraTrain],
        val: [...fold.inner[u.inner].val],
        test: [...fold.test],
      };
    };
    const train = async (set: Dataset, units: typeof nets, jobs: TrainJob[]) => {
      if (units.length === 0) return;
      // Networks see point rewards divided by the data set's scale (trainMany does it); the record keeps it
      // so that a network rebuilt from its folder (modelOfRecord: the report's portraits) sees the same.
      const rewardScale = rewardScaleOf(set);
      await trainMany(set, jobs, {
        ...(settings.workers === undefined ? {} : { workers: settings.workers }),
        engine: settings.engine,
        onJobDone: async (i, result) => {
          const u = units[i];
          const { train: tr, val, test, ...config } = jobs[i];
          await save({
            id: u.id,
            row: networkRow(u, settings.cell, settings.l1, result),
            config: {
              ...config,
              kind: u.kind,
              subject: plan.subjects[u.subject],
              ...(rewardScale !== 1 ? { rewardScale } : {}),
            },
            folds: { train: tr, val, test },
            weights: result.weights,
            extra: { subject: plan.subjects[u.subject], seconds: result.seconds },
          });
        },
      });
    };
    await train(data, soloUnits, soloUnits.map((u) => jobOf(u)));
    if (studentUnits.length > 0) {
      const soft = studentData(data, plan, o, teacher, settings, task);
      await train(soft.data, studentUnits, studentUnits.map((u) => jobOf(u, soft.augmented[u.subject])));
    }
    for (const u of pending) {
      if (u.kind !== "cognitive") continue;
      await save(fitOne(u, data, plan, settings));
    }
  }

  const records = await readRecords(dir, memory);
  const summary = summarise(plan, settings, records);
  if (dir !== undefined && !settings.shard) await writeAtomic(`${dir}/summary.json`, jsonText(summary));
  return new DistillResult(summary);
}

/** Load the outer fold's teacher from its record, or train it (on the outer train+validation blocks only). */
async function teacherOf(
  o: number,
  data: Dataset,
  plan: DistillPlan,
  settings: DistillSettings,
  factory: TeacherFactory,
  dir: string | undefined,
  finished: ReadonlySet<string>,
  memory: ReadonlyMap<string, InstanceRecord>,
  save: (record: InstanceRecord) => Promise<void>,
): Promise<TeacherLike> {
  const id = `teacher/outer${o}`;
  const existing = memory.get(id) ??
    (dir !== undefined && finished.has(id) ? await readInstance(dir, id) : undefined);
  if (existing) return factory.fromJSON(existing.extra?.teacher);
  const fold = plan.folds[o];
  // The teacher gets the outer train+validation blocks alone, re-indexed: a test block never reaches it.
  const trainval = [...fold.trainval];
  const position = new Map(trainval.map((b, i) => [b, i]));
  const split = {
    train: plan.teacherSplits[o].train.map((b) => position.get(b)!),
    val: plan.teacherSplits[o].val.map((b) => position.get(b)!),
  };
  const teacher = await factory.train(selectBlocks(data, trainval), split, {
    hidden: typeof settings.teacherHidden === "number" ? settings.teacherHidden : [...settings.teacherHidden],
    embedding: typeof settings.embedding === "number" ? settings.embedding : [...settings.embedding],
    seeds: settings.teacherSeeds,
    l1: settings.teacherL1,
    lr: settings.lr,
    maxEpochs: settings.maxEpochs,
    patience: settings.patience,
    seed: 0,
    ...(settings.workers === undefined ? {} : { workers: settings.workers }),
  });
  const hidden = teacher.hidden ??
    (typeof settings.teacherHidden === "number" ? settings.teacherHidden : NaN);
  const embedding = teacher.embedding ?? (typeof settings.embedding === "number" ? settings.embedding : NaN);
  const subjectTest = plan.subjects.map((subject, s) => {
    const test = plan.bySubject[o][s].test;
    const { loss, trials } = teacher.loss(selectBlocks(data, test));
    return { subject, loss, trials };
  });
  const testTrials = subjectTest.reduce((a, t) => a + t.trials, 0);
  const testLoss = subjectTest.reduce((a, t) => a + (t.trials > 0 ? t.loss * t.trials : 0), 0) / testTrials;
  await save({
    id,
    row: {
      id,
      model: "teacher",
      kind: "rnn",
      cell: "gru",
      hidden,
      l1: settings.teacherL1,
      outer: o,
      inner: 0,
      seed: 0,
      epochs: teacher.epochs,
      bestEpoch: NaN,
      trainLoss: teacher.trainLoss,
      valLoss: teacher.valLoss,
      testLoss,
      trainTrials: countTrials(data, plan.teacherSplits[o].train).scored,
      valTrials: countTrials(data, plan.teacherSplits[o].val).scored,
      testTrials,
    },
    config: { hidden, embedding, l1: settings.teacherL1 },
    folds: { train: plan.teacherSplits[o].train, val: plan.teacherSplits[o].val, test: [...fold.test] },
    extra: { teacher: teacher.toJSON(), subjectTest },
  });
  return teacher;
}

/** Fit one cognitive model to one subject's outer train+validation blocks and score its test blocks. */
function fitOne(
  u: Extract<DistillUnit, { kind: "cognitive" }>,
  data: Dataset,
  plan: DistillPlan,
  settings: DistillSettings,
): InstanceRecord {
  const fold = plan.bySubject[u.outer][u.subject];
  const model = cognitive(u.model, undefined, {
    task: data.kind,
    ...(data.nActions !== 2 ? { nActions: data.nActions } : {}),
  });
  const m = (settings.cognitive ?? []).indexOf(u.model);
  const fit = fitCognitive(model, data, {
    trainBlocks: fold.trainval,
    seed: deriveSeed(0, "distill-cognitive", u.outer, u.subject, m),
    restarts: settings.cognitiveRestarts,
  });
  const testBlocks = fold.test.map((b) => data.blocks[b]);
  const testTrials = countTrials(data, fold.test).scored;
  const testLoss = testTrials > 0 ? fit.model.negLogLikelihoodPerTrial(testBlocks) : NaN;
  return {
    id: u.id,
    row: {
      id: u.id,
      model: u.model,
      kind: "cognitive",
      cell: model.name,
      hidden: model.dynamicalVariables,
      l1: 0,
      outer: u.outer,
      inner: 0,
      seed: 0,
      epochs: fit.evaluations,
      bestEpoch: 0,
      trainLoss: fit.trainNll,
      valLoss: NaN,
      testLoss,
      trainTrials: fit.trainTrials,
      valTrials: 0,
      testTrials,
    },
    config: { model: u.model, restarts: settings.cognitiveRestarts },
    folds: { train: [...fold.trainval], val: [], test: [...fold.test] },
    weights: Object.fromEntries(fit.paramNames.map((n, i) => [n, fit.params[i]])),
    extra: { subject: plan.subjects[u.subject] },
  };
}

/**
 * The summary of a sharded run from its results folder (every shard run with the same data and options).
 * Missing units are an error unless `allowPartial`; the summary is written to `summary.json`.
 *
 * @example
 * ```ts
 * import { loadCsv, mergeDistill } from "@tinyrnn/tinyrnn";
 * // After `deno task distill --data data.csv --out results/distill --hidden 1,2 --shard i/4` for i = 0..3:
 * const result = await mergeDistill("results/distill", loadCsv("data.csv"), { hidden: [1, 2] });
 * ```
 */
export async function mergeDistill(
  dir: string,
  data: Dataset,
  options: MergeDistillOptions = {},
): Promise<DistillResult> {
  const where = "mergeDistill";
  const { allowPartial = false, ...rest } = options;
  const settings = settingsFor(where, data, rest);
  const plan = planDistill(data, settings);
  const trimmed = dir.replace(/\/+$/, "") || dir;
  await checkRun(trimmed, runRecord(data, plan, settings));
  const records = await readRecords(trimmed, new Map());
  const summary = summarise(plan, settings, records);
  if (summary.missing.length > 0 && !allowPartial) {
    throw new TinyRnnInputError(
      `${where}: ${summary.missing.length} of ${plan.units.length} units are not finished in ${trimmed} (first: ${
        summary.missing[0]
      }); run the missing shards, or merge with allowPartial`,
    );
  }
  await writeAtomic(`${trimmed}/summary.json`, jsonText(summary));
  return new DistillResult(summary);
}
