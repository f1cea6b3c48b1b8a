/**
 * Soft targets for knowledge distillation: a teacher network's choice probabilities, optionally mixed with
 * the subject's own choices, attached to the blocks of a data set so that they travel with it (to workers,
 * through JSON) and the native engine trains on them.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { validateDataset } from "./validate.ts";
import { checkNumber, TinyRnnInputError } from "../options.ts";

/**
 * A copy of a data set whose blocks carry `softTargets`: per trial, `teacherProp · teacher + (1 − teacherProp)
 * · onehot(choice)`, as the original's `teacher_prop`. Training (`fit`, `trainMany`, native engine) then
 * minimises the cross-entropy to these targets; validation (early stopping) and test losses are still the
 * cross-entropy to the choices of the held-out blocks. `teacherProp` 0 gives one-hot targets, which train as
 * the choices do (to rounding).
 *
 * @param probsPerBlock per block, per trial, the teacher's nActions probabilities of the choice on that trial
 *   (e.g. a teacher network's predictions).
 * @param teacherProp weight of the teacher, in [0, 1]. Default 1.
 * @throws {TinyRnnInputError} when the shapes do not match the data set or a row is not a distribution.
 * @example
 * ```ts
 * import { cognitive, simulate, tasks, withSoftTargets } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 4, trials: 10, seed: 1 });
 * const teacher = data.blocks.map((block) => block.action.map(() => [0.5, 0.5]));
 * const distill = withSoftTargets(data, teacher, 0.8); // 0.8 · teacher + 0.2 · the choice
 * ```
 */
export function withSoftTargets(
  data: Dataset,
  probsPerBlock: readonly (readonly (readonly number[])[])[],
  teacherProp = 1,
): Dataset {
  const where = "withSoftTargets";
  checkNumber(where, "teacherProp", teacherProp, { min: 0, max: 1 });
  if (!Array.isArray(probsPerBlock) || probsPerBlock.length !== data.blocks.length) {
    throw new TinyRnnInputError(
      `${where}: expected probabilities for each of the ${data.blocks.length} blocks, got ${
        Array.isArray(probsPerBlock) ? probsPerBlock.length : typeof probsPerBlock
      }`,
    );
  }
  const A = data.nActions;
  const blocks = data.blocks.map((block, b) => {
    const rows = probsPerBlock[b];
    if (!Array.isArray(rows) || rows.length !== block.action.length) {
      throw new TinyRnnInputError(
        `${where}: block ${b} has ${block.action.length} trials but ${
          Array.isArray(rows) ? rows.length : "no"
        } rows of probabilities`,
      );
    }
    const softTargets = rows.map((row, t) => {
      if (!Array.isArray(row) || row.length !== A) {
        throw new TinyRnnInputError(`${where}: block ${b}, trial ${t}: expected ${A} probabilities`);
      }
      // (1 − teacherProp) · 0 + teacherProp · p: with teacherProp 0 the row is exactly one-hot.
      return row.map((p, a) => teacherProp * p + (a === block.action[t] ? 1 - teacherProp : 0));
    });
    return { ...block, softTargets };
  });
  const out: Dataset = { ...data, blocks };
  // The probabilities are checked here (each row a distribution), where the caller can still fix them.
  validateDataset(out, { binaryReward: false });
  return out;
}
