/**
 * The `fit` command line that every cluster task runs, and the checks it must pass before it is sent to a
 * scheduler (a mistake found on the cluster costs a queue wait).
 *
 * @module
 */

import { checkNumber, TinyRnnInputError } from "../options.ts";

/** The command that trains: `deno task fit`, run in the project folder. */
export const DEFAULT_FIT_COMMAND: readonly string[] = ["deno", "task", "fit"];

/** Flags that the cluster writers add themselves; the user must not pass them. */
const RESERVED_FLAGS = ["--shard", "--merge", "--allow-partial"];

/** The value of `--out` in a fit command line (`--out dir` or `--out=dir`), if present. */
export function outFlag(fitArgs: readonly string[]): string | undefined {
  for (let i = 0; i < fitArgs.length; i++) {
    if (fitArgs[i] === "--out") return fitArgs[i + 1];
    if (fitArgs[i].startsWith("--out=")) return fitArgs[i].slice("--out=".length);
  }
  return undefined;
}

/**
 * Check the user's fit arguments for a sharded run and return the results folder they name.
 * Shards share one results folder, so `--out` is required; `--shard`/`--merge` are added per task.
 */
export function checkFitArgs(where: string, fitArgs: readonly string[]): string {
  if (!Array.isArray(fitArgs) || fitArgs.some((a) => typeof a !== "string")) {
    throw new TinyRnnInputError(`${where}: fitArgs must be an array of strings`);
  }
  for (const arg of fitArgs) {
    const flag = arg.split("=")[0];
    if (RESERVED_FLAGS.includes(flag)) {
      throw new TinyRnnInputError(
        `${where}: fit arguments must not contain ${flag}; the cluster job adds --shard i/N to each task and --merge to the merge job`,
      );
    }
  }
  const out = outFlag(fitArgs);
  if (out === undefined || out === "" || out.startsWith("--")) {
    throw new TinyRnnInputError(
      `${where}: fit arguments need --out <folder>: all shards write into that one shared results folder`,
    );
  }
  return out;
}

/** Check the command prefix (non-empty list of non-empty strings). */
export function checkCommand(where: string, command: readonly string[]): readonly string[] {
  if (
    !Array.isArray(command) || command.length === 0 || command.some((w) => typeof w !== "string" || w === "")
  ) {
    throw new TinyRnnInputError(`${where}: command must be a non-empty list of non-empty strings`);
  }
  return command;
}

/** Check the shard count N and the optional parallelism K (at most N tasks run at once anyway). */
export function checkShards(
  where: string,
  shards: unknown,
  parallel: unknown,
): { shards: number; parallel: number | undefined } {
  const n = checkNumber(where, "shards", shards, { min: 1, integer: true });
  if (parallel === undefined) return { shards: n, parallel: undefined };
  const k = checkNumber(where, "parallel", parallel, { min: 1, integer: true });
  return { shards: n, parallel: Math.min(k, n) };
}
