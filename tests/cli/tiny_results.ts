/**
 * A tiny but real cross-validation results folder for the `portrait` and `report` CLI tests: GRUs with 1 and
 * 2 units and the cognitive model MB0 on 30 simulated blocks, 3 outer x 2 inner folds, one seed, 20 epochs.
 * Built once per test process in a temporary folder, with the data kept beside it as `data.json`.
 *
 * @module
 */

import { cognitive } from "../../src/agents/cognitive.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { saveJson } from "../../src/data/json.ts";
import { crossValidate } from "../../src/cv/cross_validate.ts";
import type { Summary } from "../../src/cv/summary.ts";

/** A results folder and what made it. */
export interface TinyResults {
  dir: string;
  data: Dataset;
  summary: Summary;
}

export const TINY_BLOCKS = 30;
export const TINY_TRIALS = 10;

let cached: Promise<TinyResults> | undefined;

/** The tiny results folder (made on first use; treat it as read-only, copy it to change it). */
export function tinyResults(): Promise<TinyResults> {
  cached ??= make();
  return cached;
}

async function make(): Promise<TinyResults> {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-results-" });
  const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: TINY_BLOCKS,
    trials: TINY_TRIALS,
    seed: 7,
  });
  const summary = await crossValidate(data, {
    cells: ["gru"],
    hidden: [1, 2],
    l1: [1e-5],
    cognitive: ["MB0"],
    outer: 3,
    inner: 2,
    seeds: 1,
    maxEpochs: 20,
    workers: 1,
    resultsDir: dir,
  });
  saveJson(data, `${dir}/data.json`);
  return { dir, data, summary };
}

/** Run the CLI as a user would, in a subprocess (all the permissions `deno task` grants). */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = new URL("../../cli/main.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-ffi",
      main,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** Copy a folder tree (to alter a copy of the shared results). */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyTree(source, target);
    else await Deno.copyFile(source, target);
  }
}
