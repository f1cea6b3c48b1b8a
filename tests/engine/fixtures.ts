/**
 * Test helpers: the reference fixtures and the tutorial data set read without the CSV loader.
 *
 * @module
 */

import type { Dataset } from "../../src/data/dataset.ts";

/** Folder of the reference fixtures. */
export const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);

/** Parse a fixture JSON file. */
// deno-lint-ignore no-explicit-any -- fixture JSON is checked field by field in the tests
export function readFixture<T = any>(name: string): T {
  return JSON.parse(Deno.readTextFileSync(new URL(name, FIXTURES)));
}

/** `tutorial_bandit.csv` as a bandit data set (state = action, trial type 2a + r). */
export function tutorialDataset(): Dataset {
  const lines = Deno.readTextFileSync(new URL("tutorial_bandit.csv", FIXTURES)).trim().split("\n");
  const header = lines[0].split(",");
  const col = (name: string) => header.indexOf(name);
  const blocks: Dataset["blocks"] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(",");
    const b = Number(f[col("block")]);
    const a = Number(f[col("action")]);
    const r = Number(f[col("reward")]);
    blocks[b] ??= { action: [], state: [], reward: [], trialType: [] };
    blocks[b].action.push(a);
    blocks[b].state.push(a);
    blocks[b].reward.push(r);
    blocks[b].trialType.push(2 * a + r);
  }
  return { kind: "bandit", nActions: 2, blocks };
}

/** Flatten nested arrays of numbers. */
export function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}

/** Assert every entry agrees to `rel` relative or `abs` absolute; reports the worst entry. */
export function assertClose(
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rel: number,
  abs: number,
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= abs || diff <= rel * Math.abs(expected[i]))) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (diff ${diff})`);
    }
  }
}

/** Tutorial CV outer fold 0 / inner fold 0 blocks (`kfold_splits.json`, 500 blocks). */
export function tutorialFold00(): { train: number[]; val: number[]; test: number[] } {
  const setting = readFixture("kfold_splits.json").settings.find((s: { n_blocks: number }) =>
    s.n_blocks === 500
  );
  const outer = setting.outer_folds[0];
  return { train: outer.inner_folds[0].train, val: outer.inner_folds[0].val, test: outer.test };
}
