/**
 * The plan of a distillation run: the nested folds within every subject's blocks, the teacher's split per
 * outer fold, and the units of work (one teacher per outer fold; per subject, the solo and student networks of
 * every hidden size, inner fold and seed, and every cognitive model), each with the stable id its result file
 * is stored under.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { subjectsOf } from "../data/subjects.ts";
import { TinyRnnInputError } from "../options.ts";
import { nestedWithinGroupFolds, type OuterFold } from "../cv/splits.ts";
import type { TeacherSplit } from "./teacher.ts";
import type { DistillSettings } from "./options.ts";

/** One subject's blocks in one outer fold. */
export interface SubjectFold {
  /** Outer-test blocks of the subject (never seen by the teacher). */
  test: number[];
  /** The subject's outer train+validation blocks. */
  trainval: number[];
  /** Per inner fold, the subject's training and validation blocks. */
  inner: { train: number[]; val: number[] }[];
}

/** A planned unit of work. */
export type DistillUnit =
  | { kind: "teacher"; id: string; outer: number }
  | {
    kind: "solo" | "student";
    id: string;
    outer: number;
    subject: number;
    hidden: number;
    inner: number;
    seed: number;
  }
  | { kind: "cognitive"; id: string; outer: number; subject: number; model: string };

/** The folds and units of a run. */
export interface DistillPlan {
  /** Subjects in first-appearance order. */
  subjects: string[];
  /** Block indices per subject. */
  subjectBlocks: number[][];
  /** The nested within-subject folds (unions over subjects). */
  folds: OuterFold[];
  /** `bySubject[o][s]`: subject s's blocks in outer fold o. */
  bySubject: SubjectFold[][];
  /** Per outer fold, the teacher's split: inner fold 0 of every subject's outer-train blocks. */
  teacherSplits: TeacherSplit[];
  /** Every unit, teachers first, then per outer fold and subject. */
  units: DistillUnit[];
}

/** A path segment for a name (letters, digits and `._()+-` are kept, anything else becomes `_`). */
export function segment(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_.()+-]/g, "_");
  return clean.startsWith(".") || clean === "" ? `_${clean}` : clean;
}

/**
 * Plan a run: folds within subjects (`nestedWithinGroupFolds` over `subjectsOf(data).blocks`) and the units.
 * Every block needs a subject, and every subject at least `outer` blocks whose outer-train part holds at
 * least `inner`.
 *
 * @example
 * ```ts
 * import { planDistill } from "./plan.ts";
 * import { resolveDistillOptions } from "./options.ts";
 * import { parseCsv } from "../data/csv.ts";
 * const rows = ["block,subject,action,reward"];
 * for (let b = 0; b < 8; b++) rows.push(`${b},s${b % 2},0,1`, `${b},s${b % 2},1,0`);
 * const plan = planDistill(parseCsv(rows.join("\n")), resolveDistillOptions("example", { outer: 2, inner: 2 }));
 * plan.teacherSplits[0].train.length; // 2: one block of each subject
 * ```
 */
export function planDistill(data: Dataset, settings: DistillSettings): DistillPlan {
  const where = "distill";
  const { subjects, blocks, unassigned } = subjectsOf(data);
  if (unassigned.length > 0) {
    throw new TinyRnnInputError(
      `${where}: block ${
        unassigned[0]
      } has no subject (every block needs one: the tidy CSV's subject column)`,
    );
  }
  const minimum = settings.outer + settings.inner - 1;
  blocks.forEach((list, s) => {
    const trainval = list.length - Math.ceil(list.length / settings.outer);
    if (list.length < settings.outer || trainval < settings.inner) {
      throw new TinyRnnInputError(
        `${where}: subject ${
          JSON.stringify(subjects[s])
        } has ${list.length} blocks; ${settings.outer} outer x ${settings.inner} inner folds within subject need at least ${minimum} (fewer folds, or cut its sessions into more blocks: loadPreset's maxSegmentLength, --segment L with a --preset such as tidy)`,
      );
    }
  });
  const folds = nestedWithinGroupFolds(blocks, settings.outer, settings.inner);
  const bySubject = folds.map((fold) =>
    blocks.map((list) => {
      const own = new Set(list);
      const mine = (units: readonly number[]) => units.filter((b) => own.has(b));
      return {
        test: mine(fold.test),
        trainval: mine(fold.trainval),
        inner: fold.inner.map((f) => ({ train: mine(f.train), val: mine(f.val) })),
      };
    })
  );
  const teacherSplits = folds.map((fold) => ({
    train: [...fold.inner[0].train],
    val: [...fold.inner[0].val],
  }));
  const units: DistillUnit[] = folds.map((_, o) => ({ kind: "teacher", id: `teacher/outer${o}`, outer: o }));
  const cognitive = settings.cognitive ?? [];
  const innerCount = settings.singleInnerFold ? 1 : settings.inner;
  folds.forEach((_, o) => {
    subjects.forEach((_, s) => {
      for (const kind of ["solo", "student"] as const) {
        for (const hidden of settings.hidden) {
          for (let inner = 0; inner < innerCount; inner++) {
            for (let seed = 0; seed < settings.seeds; seed++) {
              units.push({
                kind,
                id: `${kind}/s${s}/${settings.cell}-${hidden}/outer${o}-inner${inner}-seed${seed}`,
                outer: o,
                subject: s,
                hidden,
                inner,
                seed,
              });
            }
          }
        }
      }
      cognitive.forEach((model, m) => {
        units.push({
          kind: "cognitive",
          id: `cognitive/s${s}/${m}-${segment(model)}/outer${o}`,
          outer: o,
          subject: s,
          model,
        });
      });
    });
  });
  return { subjects, subjectBlocks: blocks, folds, bySubject, teacherSplits, units };
}
