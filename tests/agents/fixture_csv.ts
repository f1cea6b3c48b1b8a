/**
 * A few lines of CSV parsing for the reference fixture `tutorial_bandit.csv` (the data loader lives
 * elsewhere; these tests must not depend on it).
 *
 * @module
 */

import { readFileSync } from "node:fs";
import type { Block } from "../../src/data/dataset.ts";

/** Where the reference fixtures are, relative to the repository root. */
export const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);

/** One parsed fixture row. */
export interface TutorialRow {
  block: number;
  trial: number;
  action: number;
  reward: number;
  p0: number;
  p1: number;
  pAction0: number;
}

/** The rows of `tutorial_bandit.csv`, numbers parsed with `Number` (exact for shortest-repr doubles). */
export function readTutorialRows(): TutorialRow[] {
  const lines = readFileSync(new URL("tutorial_bandit.csv", FIXTURES), "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const col = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = line.split(",");
    return {
      block: Number(f[col("block")]),
      trial: Number(f[col("trial")]),
      action: Number(f[col("action")]),
      reward: Number(f[col("reward")]),
      p0: Number(f[col("p0")]),
      p1: Number(f[col("p1")]),
      pAction0: Number(f[col("p_action0")]),
    };
  });
}

/** The fixture as bandit blocks (state = action, trial type 2a + r). */
export function readTutorialBlocks(): Block[] {
  const blocks: Block[] = [];
  for (const row of readTutorialRows()) {
    const block = blocks[row.block] ??= { action: [], state: [], reward: [], trialType: [] };
    block.action.push(row.action);
    block.state.push(row.action);
    block.reward.push(row.reward);
    block.trialType.push(2 * row.action + row.reward);
  }
  return blocks;
}
