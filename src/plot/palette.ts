/**
 * The paper's trial-type colours: blues for A1, reds for A2, darker when rewarded; with k > 2 options A3, A4, ...
 * get greens, purples, oranges and greys in the same light/dark pattern.
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

/**
 * Shades of options A3, A4, ... (k > 2): per option [S1 R=0, S1 R=1, S2 R=0, S2 R=1]; a bandit uses the first
 * two. The hue cycles after A6.
 */
const MORE_OPTIONS: readonly (readonly string[])[] = [
  ["mediumseagreen", "darkgreen", "lightgreen", "seagreen"],
  ["mediumpurple", "indigo", "plum", "purple"],
  ["sandybrown", "chocolate", "navajowhite", "saddlebrown"],
  ["darkgray", "dimgray", "lightgray", "black"],
];

/**
 * Colour of every trial type of a task kind with `nActions` options (default 2), in trial-type order.
 *
 * @example
 * ```ts
 * import { trialTypeColors } from "./palette.ts";
 * trialTypeColors("bandit", 3); // A1 and A2 as in the paper, then two greens for A3
 * ```
 */
export function trialTypeColors(kind: TaskKind, nActions = 2): readonly string[] {
  const base = kind === "bandit" ? BANDIT_COLORS : TWO_STAGE_COLORS;
  if (nActions <= 2) return base;
  const per = kind === "bandit" ? 2 : 4;
  const colors = [...base];
  for (let a = 2; a < nActions; a++) {
    colors.push(...MORE_OPTIONS[(a - 2) % MORE_OPTIONS.length].slice(0, per));
  }
  return colors;
}
