/**
 * The data set students of one outer fold train on: every block of the data set, the subjects' outer
 * train+validation blocks carrying the teacher's choice probabilities as soft targets (the outer-test blocks
 * carry their own one-hot choices and are never shown to the teacher), followed by the sequences the teacher
 * simulated as each subject (augmentation), whose soft targets are the teacher's own predictions.
 *
 * @module
 */

import { type Block, type Dataset, selectBlocks } from "../data/dataset.ts";
import { withSoftTargets } from "../data/soft_targets.ts";
import { deriveSeed } from "../random.ts";
import { simulate } from "../simulate.ts";
import type { Task } from "../tasks/task.ts";
import type { DistillPlan } from "./plan.ts";
import type { TeacherLike } from "./options.ts";

/** The students' data set of one outer fold and where each subject's simulated sequences are in it. */
export interface StudentData {
  /** The data set's blocks (same indices), then the simulated ones. */
  data: Dataset;
  /** `augmented[s]`: indices in `data` of the sequences simulated for subject s. */
  augmented: number[][];
}

/** Per trial the one-hot row of the choice. */
function oneHot(block: Block, nActions: number): number[][] {
  return block.action.map((a) => Array.from({ length: nActions }, (_, k) => (k === a ? 1 : 0)));
}

/**
 * Build the students' data set of outer fold `outer`: soft targets `teacherProp · teacher + (1 − teacherProp)
 * · choice` on the subjects' outer-train blocks, and `augment` sequences per subject (default: its block
 * count) of its mean block length simulated by `teacher.agent(subject)` on `task()`, seeded per fold and
 * subject.
 *
 * @example
 * ```ts ignore
 * const { data: soft, augmented } = studentData(data, plan, 0, teacher, { augment: 4, teacherProp: 1 }, () => tasks.bandit());
 * ```
 */
export function studentData(
  data: Dataset,
  plan: DistillPlan,
  outer: number,
  teacher: TeacherLike,
  settings: { augment?: number; teacherProp: number },
  task: () => Task,
): StudentData {
  const folds = plan.bySubject[outer];
  const trainval = folds.flatMap((f) => f.trainval).sort((a, b) => a - b);
  const predicted = teacher.predict(selectBlocks(data, trainval));
  const probs: number[][][] = data.blocks.map((block) => oneHot(block, data.nActions));
  trainval.forEach((b, i) => (probs[b] = predicted[i]));

  const simulated: Block[] = [];
  const augmented: number[][] = [];
  plan.subjects.forEach((subject, s) => {
    const count = settings.augment ?? plan.subjectBlocks[s].length;
    const own = folds[s].trainval;
    const lengths = own.map((b) => data.blocks[b].action.length);
    const trials = Math.max(1, Math.round(lengths.reduce((a, n) => a + n, 0) / Math.max(1, lengths.length)));
    const indices: number[] = [];
    if (count > 0) {
      const sim = simulate(teacher.agent(subject), task(), {
        blocks: count,
        trials,
        seed: deriveSeed(0, "distill-augment", outer, s),
      });
      for (const block of sim.blocks) {
        indices.push(data.blocks.length + simulated.length);
        simulated.push({
          id: `augment/${subject}/${simulated.length}`,
          subject,
          action: block.action,
          state: block.state,
          reward: block.reward,
          trialType: block.trialType,
        });
      }
    }
    augmented.push(indices);
  });
  if (simulated.length > 0) {
    const taught = teacher.predict({ kind: data.kind, nActions: data.nActions, blocks: simulated });
    probs.push(...taught);
  }
  const combined: Dataset = { ...data, blocks: [...data.blocks, ...simulated] };
  return { data: withSoftTargets(combined, probs, settings.teacherProp), augmented };
}
