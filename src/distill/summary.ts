/**
 * The summary of a distillation run, computed from its finished units alone (so that a resumed or merged run
 * gives the same summary): per-subject test NLL of every solo network, student, the teacher and every
 * cognitive model, pooled over the subject's outer folds (each block tested once); rows pooled over subjects
 * with the SEM across subjects; and each subject's dimensionality.
 *
 * @module
 */

import type { InstanceRecord } from "../cv/store.ts";
import { mean, sem } from "../cv/stats.ts";
import { type DistillPlan, segment } from "./plan.ts";
import type { DistillSettings } from "./options.ts";

/** What a per-subject row is. */
export type DistillKind = "solo" | "student" | "teacher" | "cognitive";

/** One model's test NLL on one subject (pooled over that subject's outer folds). */
export interface DistillRow {
  /** The subject. */
  subject: string;
  /**
   * Model id: `solo-gru-2`, `student-gru-2` (one hidden size), `solo-gru`, `student-gru` (hidden size, inner
   * fold and seed chosen per outer fold by validation loss), `teacher`, or the cognitive model's name.
   */
  model: string;
  /** Which kind of model. */
  kind: DistillKind;
  /** Cell (`"gru"`) or the cognitive model's name. */
  cell: string;
  /**
   * Hidden size d; for the selected rows (`solo-gru`, `student-gru`) the subject's dimensionality estimate;
   * the cognitive model's number of dynamical variables.
   */
  hidden: number;
  /** Test NLL per scored trial over the subject's outer-test blocks. */
  testLoss: number;
  /** Scored test trials. */
  testTrials: number;
  /** Validation NLL of the kept instances (trial-pooled over outer folds); NaN for the teacher and cognitive models. */
  valLoss: number;
}

/** One model pooled over subjects. */
export interface DistillPooledRow {
  /** Model id, as in {@link DistillRow}. */
  model: string;
  /** Which kind of model. */
  kind: DistillKind;
  /** Cell or cognitive model name. */
  cell: string;
  /** Hidden size (NaN for the selected rows, whose d differs by subject). */
  hidden: number;
  /** Test NLL per trial pooled over every subject's test trials. */
  testLoss: number;
  /** Mean over subjects of the per-subject test NLL. */
  meanLoss: number;
  /** Standard error of that mean over subjects. */
  sem: number;
  /** Subjects with a row. */
  subjects: number;
  /** Test trials summed over subjects. */
  testTrials: number;
}

/** A subject's dimensionality: the hidden size with the lowest validation loss (pooled over outer folds). */
export interface SubjectDimensionality {
  /** The subject. */
  subject: string;
  /** Of the solo networks. */
  solo: number;
  /** Of the students. */
  student: number;
}

/** One outer fold's teacher. */
export interface TeacherRow {
  /** Outer fold. */
  outer: number;
  /** Best-epoch training NLL. */
  trainLoss: number;
  /** Best-epoch validation NLL. */
  valLoss: number;
  /** Test NLL over every subject's outer-test blocks of this fold. */
  testLoss: number;
  /** Those test trials. */
  testTrials: number;
  /** Iterations run. */
  epochs: number;
  /** GRU units of the teacher. */
  hidden: number;
  /** Its subject embedding size. */
  embedding: number;
}

/** Everything `summary.json` of a distillation run holds. */
export interface DistillSummary {
  /** The run's settings (the serialisable ones). */
  settings: Record<string, unknown>;
  /** Subjects in data order. */
  subjects: string[];
  /** Per subject and model. */
  rows: DistillRow[];
  /** Per model, over subjects. */
  pooled: DistillPooledRow[];
  /** Per subject. */
  dimensionality: SubjectDimensionality[];
  /** Per outer fold. */
  teachers: TeacherRow[];
  /** The cognitive model with the lowest pooled test NLL (none without cognitive models). */
  bestCognitive?: string;
  /** Ids of planned units without a result (a partial summary). */
  missing: string[];
}

/** The serialisable settings of a run (what a resumed run must agree on). */
export function settingsRecord(settings: DistillSettings): Record<string, unknown> {
  const keys = [
    "teacherHidden",
    "embedding",
    "teacherSeeds",
    "teacherL1",
    "cell",
    "hidden",
    "cognitive",
    "cognitiveRestarts",
    "outer",
    "inner",
    "singleInnerFold",
    "seeds",
    "augment",
    "task",
    "teacherProp",
    "l1",
    "lr",
    "maxEpochs",
    "patience",
  ] as const;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (settings[key] !== undefined) out[key] = settings[key];
  // Only another engine than the default is recorded, so folders written before the option existed still match.
  if (settings.engine !== undefined && settings.engine !== "native") out.engine = settings.engine;
  return out;
}

function pool(parts: readonly { loss: number; trials: number }[]): { loss: number; trials: number } {
  const trials = parts.reduce((a, p) => a + p.trials, 0);
  const total = parts.reduce((a, p) => a + (p.trials > 0 ? p.loss * p.trials : 0), 0);
  return { loss: trials > 0 ? total / trials : NaN, trials };
}

/**
 * Summarise the finished units of a plan. A (subject, model) row appears only when every outer fold of it
 * is finished; the ids of unfinished units are listed in `missing`.
 */
export function summarise(
  plan: DistillPlan,
  settings: DistillSettings,
  records: ReadonlyMap<string, InstanceRecord>,
): DistillSummary {
  const missing = plan.units.filter((u) => !records.has(u.id)).map((u) => u.id);
  const rows: DistillRow[] = [];
  const dimensionality: SubjectDimensionality[] = [];
  const outers = plan.folds.map((_, o) => o);
  const teacherRecords = outers.map((o) => records.get(`teacher/outer${o}`));
  const innerCount = settings.singleInnerFold ? 1 : settings.inner;
  const cell = settings.cell;

  plan.subjects.forEach((subject, s) => {
    const dims: Partial<SubjectDimensionality> = { subject };
    for (const kind of ["solo", "student"] as const) {
      // best[o][h]: the kept (inner, seed) instance of hidden size h in outer fold o.
      const best: ({ val: number; valTrials: number; test: number; testTrials: number } | undefined)[][] =
        outers
          .map((o) =>
            settings.hidden.map((hidden) => {
              let kept: { val: number; valTrials: number; test: number; testTrials: number } | undefined;
              for (let inner = 0; inner < innerCount; inner++) {
                for (let seed = 0; seed < settings.seeds; seed++) {
                  const r = records.get(
                    `${kind}/s${s}/${cell}-${hidden}/outer${o}-inner${inner}-seed${seed}`,
                  );
                  if (!r) return undefined;
                  if (kept === undefined || r.row.valLoss < kept.val) {
                    kept = {
                      val: r.row.valLoss,
                      valTrials: r.row.valTrials,
                      test: r.row.testLoss,
                      testTrials: r.row.testTrials,
                    };
                  }
                }
              }
              return kept;
            })
          );
      let bestHidden = NaN;
      let bestVal = Infinity;
      settings.hidden.forEach((hidden, h) => {
        const perFold = outers.map((o) => best[o][h]);
        if (perFold.some((p) => p === undefined)) return;
        const test = pool(perFold.map((p) => ({ loss: p!.test, trials: p!.testTrials })));
        const val = pool(perFold.map((p) => ({ loss: p!.val, trials: p!.valTrials })));
        rows.push({
          subject,
          model: `${kind}-${cell}-${hidden}`,
          kind,
          cell,
          hidden,
          testLoss: test.loss,
          testTrials: test.trials,
          valLoss: val.loss,
        });
        if (val.loss < bestVal) {
          bestVal = val.loss;
          bestHidden = hidden;
        }
      });
      dims[kind] = bestHidden;
      // The selected row: per outer fold the (d, inner, seed) of lowest validation loss.
      const selected = outers.map((o) => {
        let kept: { val: number; valTrials: number; test: number; testTrials: number } | undefined;
        for (const candidate of best[o]) {
          if (candidate === undefined) return undefined;
          if (kept === undefined || candidate.val < kept.val) kept = candidate;
        }
        return kept;
      });
      if (selected.every((p) => p !== undefined)) {
        const test = pool(selected.map((p) => ({ loss: p!.test, trials: p!.testTrials })));
        const val = pool(selected.map((p) => ({ loss: p!.val, trials: p!.valTrials })));
        rows.push({
          subject,
          model: `${kind}-${cell}`,
          kind,
          cell,
          hidden: bestHidden,
          testLoss: test.loss,
          testTrials: test.trials,
          valLoss: val.loss,
        });
      }
    }
    dimensionality.push(dims as SubjectDimensionality);

    if (teacherRecords.every((r) => r !== undefined)) {
      const parts = teacherRecords.map((r) => {
        const list = (r!.extra?.subjectTest ?? []) as { loss: number | null; trials: number }[];
        const entry = list[s];
        return { loss: entry?.loss ?? NaN, trials: entry?.trials ?? 0 };
      });
      const test = pool(parts);
      rows.push({
        subject,
        model: "teacher",
        kind: "teacher",
        cell: "gru",
        // The teachers' sizes (chosen per outer fold when a list was given): the first fold's.
        hidden: teacherRecords[0]!.row.hidden,
        testLoss: test.loss,
        testTrials: test.trials,
        valLoss: NaN,
      });
    }

    (settings.cognitive ?? []).forEach((name, m) => {
      const parts = outers.map((o) => records.get(`cognitive/s${s}/${m}-${segment(name)}/outer${o}`));
      if (parts.some((p) => p === undefined)) return;
      const test = pool(parts.map((p) => ({ loss: p!.row.testLoss, trials: p!.row.testTrials })));
      rows.push({
        subject,
        model: name,
        kind: "cognitive",
        cell: parts[0]!.row.cell,
        hidden: parts[0]!.row.hidden,
        testLoss: test.loss,
        testTrials: test.trials,
        valLoss: NaN,
      });
    });
  });

  const pooled = pooledRows(rows);
  const cognitiveRows = pooled.filter((r) => r.kind === "cognitive");
  const bestCognitive = cognitiveRows.length === 0
    ? undefined
    : cognitiveRows.reduce((a, b) => (b.testLoss < a.testLoss ? b : a)).model;
  const teachers: TeacherRow[] = [];
  teacherRecords.forEach((r, o) => {
    if (!r) return;
    teachers.push({
      outer: o,
      trainLoss: r.row.trainLoss,
      valLoss: r.row.valLoss,
      testLoss: r.row.testLoss,
      testTrials: r.row.testTrials,
      epochs: r.row.epochs,
      hidden: r.row.hidden,
      embedding: Number(r.config.embedding ?? NaN),
    });
  });
  return {
    settings: settingsRecord(settings),
    subjects: [...plan.subjects],
    rows,
    pooled,
    dimensionality,
    teachers,
    ...(bestCognitive === undefined ? {} : { bestCognitive }),
    missing,
  };
}

/** Rows pooled over subjects, one per model in first-seen order. */
export function pooledRows(rows: readonly DistillRow[]): DistillPooledRow[] {
  const order: string[] = [];
  const byModel = new Map<string, DistillRow[]>();
  for (const row of rows) {
    if (!byModel.has(row.model)) {
      byModel.set(row.model, []);
      order.push(row.model);
    }
    byModel.get(row.model)!.push(row);
  }
  const kindOrder: DistillKind[] = ["solo", "student", "teacher", "cognitive"];
  order.sort((a, b) =>
    kindOrder.indexOf(byModel.get(a)![0].kind) - kindOrder.indexOf(byModel.get(b)![0].kind)
  );
  return order.map((model) => {
    const list = byModel.get(model)!;
    const first = list[0];
    const losses = list.map((r) => r.testLoss);
    const total = pool(list.map((r) => ({ loss: r.testLoss, trials: r.testTrials })));
    const selected = (first.kind === "solo" || first.kind === "student") &&
      model === `${first.kind}-${first.cell}`;
    return {
      model,
      kind: first.kind,
      cell: first.cell,
      hidden: selected ? NaN : first.hidden,
      testLoss: total.loss,
      meanLoss: mean(losses),
      sem: list.length > 1 ? sem(losses) : NaN,
      subjects: list.length,
      testTrials: total.trials,
    };
  });
}
