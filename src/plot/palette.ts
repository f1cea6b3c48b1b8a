/**
 * The paper's trial-type colours: blues for A1, reds for A2, darker when rewarded.
 *
 * @module
 */

import type { TaskKind } from "../data/dataset.ts";

/** Bandit trial types A1 R=0, A1 R=1, A2 R=0, A2 R=1 (the original's palette). */
export const BANDIT_COLORS: readonly string[] = ["cornflowerblue", "mediumblue", "tomato", "firebrick"];

/** Two-stage trial types 4a + 2s + r: blue shades for A1, red shades for A2, alternating R=0/R=1. */
export const TWO_STAGE_COLORS: readonly string[] = [
  "cornflowerblue",
  "mediumblue",
  "lightskyblue",
  "navy",
  "lightsalmon",
  "darkred",
  "tomato",
  "firebrick",
];

/** Colour of every trial type of a task kind, in trial-type order. */
export function trialTypeColors(kind: TaskKind): readonly string[] {
  return kind === "bandit" ? BANDIT_COLORS : TWO_STAGE_COLORS;
}
