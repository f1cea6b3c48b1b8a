/**
 * The seed tutorial: its data set (a model-free agent on a two-armed bandit) and its cross-validation
 * settings, which `deno task fit` runs when it is given no data.
 *
 * @module
 */

import { cognitive } from "../agents/cognitive.ts";
import type { Dataset } from "../data/dataset.ts";
import { simulate } from "../simulate.ts";
import { tasks } from "../tasks/mod.ts";
import type { CrossValidateOptions } from "./options.ts";

/**
 * The tutorial's cross-validation settings: GRUs with 1 and 2 units, L1 1e-5, 3 outer x 2 inner folds,
 * 2 seeds, at most 10000 epochs (the other options keep their defaults).
 */
export const TUTORIAL_CV_OPTIONS: Readonly<
  Required<Pick<CrossValidateOptions, "hidden" | "l1" | "outer" | "inner" | "seeds" | "maxEpochs">>
> = Object.freeze({
  hidden: Object.freeze([1, 2]),
  l1: Object.freeze([1e-5]),
  outer: 3,
  inner: 2,
  seeds: 2,
  maxEpochs: 10000,
});

/**
 * The tutorial data set: a model-free agent (alpha 0.5, iTemp 2) on the two-armed bandit, 500 blocks x 20
 * trials, seed 42.
 *
 * @example The tutorial's cross-validation, shortened
 * ```ts
 * import { crossValidate, TUTORIAL_CV_OPTIONS, tutorialData } from "@tinyrnn/tinyrnn";
 *
 * const data = tutorialData();
 * console.log(data.blocks.length); // 500
 * const summary = await crossValidate(data, { ...TUTORIAL_CV_OPTIONS, hidden: [1], seeds: 1, maxEpochs: 20 });
 * console.log(summary.aggregate[0].testLoss);
 * ```
 */
export function tutorialData(): Dataset {
  return simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 500,
    trials: 20,
    seed: 42,
  });
}
