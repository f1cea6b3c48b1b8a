/**
 * Cross-validation folds for data sets of many subjects, as user-given folds for `crossValidate`'s
 * `split.folds`: either each subject's blocks are split within the subject (every subject is in every
 * training and every test set), or each subject's blocks stay together (whole subjects are held out).
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { subjectsOf } from "../data/subjects.ts";
import { checkBoolean, checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { type GivenOuterFold, nestedFolds, nestedWithinGroupFolds, type OuterFold } from "./splits.ts";

/** How the blocks of one subject are placed in the folds. */
export type SubjectFoldMode = "within" | "together";

/** The modes {@link subjectFolds} accepts. */
export const SUBJECT_FOLD_MODES: readonly SubjectFoldMode[] = ["within", "together"];

/** Options of {@link subjectFolds}. */
export interface SubjectFoldOptions {
  /** Outer folds. Default 10, as `crossValidate`. */
  outer?: number;
  /** Inner folds per outer fold. Default 9, as `crossValidate`. */
  inner?: number;
  /** Keep only inner fold 0 of each outer fold. Default false. */
  singleInnerFold?: boolean;
}

/**
 * Nested folds over the blocks of a data set whose blocks carry `subject`.
 *
 * - `"within"`: each subject's blocks are split into `outer` folds on their own (and its train+validation
 *   blocks into `inner` folds), and fold j is the union over subjects of their fold j. Every subject then has
 *   blocks in every training and test set: the protocol for many subjects with few blocks each, when the
 *   question is how well a model predicts a known subject.
 * - `"together"`: the subjects are split into folds and each fold holds all blocks of its subjects, so a
 *   test set holds only subjects never trained on: the protocol when the question is generalisation to new
 *   subjects.
 *
 * Pass the result as `split: { folds }` to `crossValidate` (without `outer` and `inner`, which it carries).
 *
 * @throws {TinyRnnInputError} when a block has no subject, or when there are too few subjects ("together") or
 *   too few blocks of a subject ("within") for the folds; the message names the subject.
 * @example
 * ```ts
 * import { crossValidate, parseCsv, subjectFolds } from "@tinyrnn/tinyrnn";
 * const rows = ["block,subject,action,reward"];
 * for (let b = 0; b < 8; b++) for (let t = 0; t < 10; t++) rows.push(`${b},s${b % 2},${(b + t) % 2},${t % 3 === 0 ? 1 : 0}`);
 * const data = parseCsv(rows.join("\n"));
 * const folds = subjectFolds(data, "within", { outer: 2, inner: 2 });
 * folds[0].test; // two blocks of each subject
 * const summary = await crossValidate(data, { hidden: [1], l1: [1e-5], seeds: 1, maxEpochs: 20, split: { folds } });
 * ```
 */
export function subjectFolds(
  data: Dataset,
  mode: SubjectFoldMode,
  options: SubjectFoldOptions = {},
): GivenOuterFold[] {
  const where = "subjectFolds";
  checkChoice(where, "mode", mode, SUBJECT_FOLD_MODES);
  rejectUnknownKeys(where, options, ["outer", "inner", "singleInnerFold"]);
  const outer = checkNumber(where, "outer", options.outer ?? 10, { min: 2, integer: true });
  const inner = checkNumber(where, "inner", options.inner ?? 9, { min: 2, integer: true });
  const singleInnerFold = checkBoolean(where, "singleInnerFold", options.singleInnerFold ?? false);
  const { subjects, blocks, unassigned } = subjectsOf(data);
  if (unassigned.length > 0) {
    throw new TinyRnnInputError(
      `${where}: block ${
        unassigned[0]
      } has no subject (${unassigned.length} blocks without one); every block needs a subject (the tidy CSV's subject column)`,
    );
  }
  if (mode === "within") {
    const minimum = outer + inner - 1;
    const short = blocks.findIndex((list) => list.length < minimum);
    if (short >= 0) {
      throw new TinyRnnInputError(
        `${where}: subject ${JSON.stringify(subjects[short])} has ${
          blocks[short].length
        } blocks; ${outer} outer x ${inner} inner folds within subject need at least ${minimum} (fewer folds, or cut its sessions into more blocks)`,
      );
    }
    return given(nestedWithinGroupFolds(blocks, outer, inner, { singleInnerFold }));
  }
  if (subjects.length < outer + inner - 1) {
    throw new TinyRnnInputError(
      `${where}: ${subjects.length} subjects; ${outer} outer x ${inner} inner folds of whole subjects need at least ${
        outer + inner - 1
      }`,
    );
  }
  // Folds over subject indices, then every subject index replaced by its blocks.
  const expand = (units: readonly number[]) => units.flatMap((s) => blocks[s]).sort((a, b) => a - b);
  return nestedFolds(subjects.length, outer, inner, { singleInnerFold }).map((fold) => ({
    test: expand(fold.test),
    trainval: expand(fold.trainval),
    inner: fold.inner.map((f) => ({ train: expand(f.train), val: expand(f.val) })),
  }));
}

/** Folds in the shape `split.folds` takes (plain data: they go into a JSON file as they are). */
function given(folds: readonly OuterFold[]): GivenOuterFold[] {
  return folds.map((f) => ({
    test: f.test,
    trainval: f.trainval,
    inner: f.inner.map(({ train, val }) => ({ train, val })),
  }));
}
