/**
 * `tinyrnn inspect`: read and validate a data file and summarise it, so that a user learns whether (and how)
 * tinyrnn reads their CSV before starting a long fit.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import { type FlagSpecs, formatFlags, parseFlags } from "./args.ts";
import { DATA_FLAGS, loadDataFromFlags } from "./data_flags.ts";
import { countTrials, type Dataset } from "../src/data/dataset.ts";

const FLAGS: FlagSpecs = {
  ...DATA_FLAGS,
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** A few lines describing a data set: kind, blocks, trial counts, reward rate, extra columns. */
export function describeDataset(data: Dataset): string {
  const lengths = data.blocks.map((block) => block.action.length);
  const { trials, scored } = countTrials(data);
  let rewards = 0;
  for (const block of data.blocks) for (const r of block.reward) rewards += r;
  const extras = new Set<string>();
  for (const block of data.blocks) for (const name of Object.keys(block.extra ?? {})) extras.add(name);
  // Loops, not Math.min(...lengths): a file of 100,000s of blocks would overflow the call stack.
  let minLength = Infinity;
  let maxLength = -Infinity;
  for (const length of lengths) {
    if (length < minLength) minLength = length;
    if (length > maxLength) maxLength = length;
  }
  return [
    `kind: ${data.kind}, ${data.nActions} actions`,
    `blocks: ${data.blocks.length} (${
      minLength === maxLength ? `${minLength} trials each` : `${minLength} to ${maxLength} trials`
    })`,
    `trials: ${trials}${scored !== trials ? ` (${scored} scored)` : ""}`,
    `mean reward: ${(rewards / trials).toFixed(4)}`,
    `extra columns: ${extras.size ? [...extras].join(", ") : "none"}`,
  ].join("\n");
}

function help(): string {
  return [
    "Usage: deno run -A cli/main.ts inspect --data FILE [--columns MAP] [--kind KIND] [--n-actions N]",
    "",
    "Read and validate a data file as fit would, and summarise it. A problem is reported with the file,",
    'line and column, e.g.: data.csv line 14, column "reward": expected 0 or 1, got "2".',
    "",
    "Tidy CSV: one row per trial with columns block, trial, action, state (optional: = action), reward,",
    "mask (optional); other columns are kept. Rows of a block must be contiguous.",
    "",
    "Flags:",
    formatFlags(FLAGS),
  ].join("\n");
}

function run(args: readonly string[], io: Console): void {
  const flags = parseFlags(args, FLAGS);
  const data = loadDataFromFlags(flags);
  io.out(`${flags.data}: ok\n${describeDataset(data)}`);
}

/** The `inspect` subcommand. */
export const command: Command = {
  name: "inspect",
  summary: "read, validate and summarise a data file (CSV or JSON)",
  help,
  run,
};
