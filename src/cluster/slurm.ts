/**
 * Slurm batch scripts for a sharded cross-validation: a job array whose task i trains shard i into a shared
 * results folder, and a merge job that runs once every task has succeeded.
 *
 * The scripts only ever call the ordinary `fit` command with `--shard i/N` or `--merge`; everything that
 * makes sharding safe (a deterministic plan, atomic result files, skipping finished instances) lives there.
 *
 * @module
 */

import { rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { checkCommand, checkFitArgs, checkShards, DEFAULT_FIT_COMMAND } from "./fit_command.ts";
import { shellJoin, shellQuote } from "./shell.ts";

/** Options of a Slurm sharded run. Only `shards` and `fitArgs` are required. */
export interface SlurmOptions {
  /** Number of shards N; array task i trains shard i of N. */
  shards: number;
  /** At most K array tasks run at once (`--array=...%K`). Default: no throttle (the scheduler decides). */
  parallel?: number;
  /** Arguments of the fit command, without `--shard`/`--merge`; must include `--out <folder>`. */
  fitArgs: readonly string[];
  /** The command that trains. Default `["deno", "task", "fit"]`. */
  command?: readonly string[];
  /** Folder the jobs run in (`--chdir`): the project folder with deno.json. Default: where sbatch is called. */
  workdir?: string;
  /** Job name (`--job-name`); the merge job gets `<name>-merge`. Default `"tinyrnn-fit"`. */
  jobName?: string;
  /** Wall-time limit per array task (`--time`), e.g. `"2:00:00"` or `"1-00:00:00"`. Default: the partition's. */
  time?: string;
  /** Wall-time limit of the merge job. Default `"0:30:00"`. */
  mergeTime?: string;
  /** Memory per task (`--mem`), e.g. `"4G"`. Default: the partition's. */
  memory?: string;
  /** CPUs per array task (`--cpus-per-task`). Default: the partition's (usually 1). */
  cpus?: number;
  /** Partition (`--partition`). Default: the cluster's default partition. */
  partition?: string;
  /** Account to charge (`--account`). Default: the user's default account. */
  account?: string;
  /** Folder for the tasks' stdout/stderr, relative to `workdir`. Default `"slurm-logs"`; it must exist. */
  logDir?: string;
  /** Extra `#SBATCH` options passed through unchanged to every job, e.g. `["--qos=short"]`. Default none. */
  sbatchArgs?: readonly string[];
  /** Run only these shards (e.g. to resubmit failed ones). Default: all `0..N-1`. */
  only?: readonly number[];
  /** Largest array index the cluster accepts plus one (Slurm's `MaxArraySize`, default 1001): more shards are
   * split into several arrays. Default 1001. */
  maxArraySize?: number;
}

/** One array job script and the shards its tasks train. */
export interface SlurmArrayScript {
  /** File name to write it under, e.g. `"array-0.sh"`. */
  name: string;
  /** The sbatch script. */
  text: string;
  /** Shards trained by this array's tasks, ascending. */
  shards: number[];
}

const SLURM_KEYS = [
  "shards",
  "parallel",
  "fitArgs",
  "command",
  "workdir",
  "jobName",
  "time",
  "mergeTime",
  "memory",
  "cpus",
  "partition",
  "account",
  "logDir",
  "sbatchArgs",
  "only",
  "maxArraySize",
] as const;

/** Slurm's time formats: min, min:sec, h:min:sec, d-h, d-h:min, d-h:min:sec. */
const TIME = /^(\d+(:\d{1,2}){0,2}|\d+-\d+(:\d{1,2}){0,2}|UNLIMITED|INFINITE)$/i;
const MEMORY = /^\d+[KMGT]?$/i;
const NAME = /^[A-Za-z0-9_.+-]+$/;
const PARTITION = /^[A-Za-z0-9_.,+-]+$/;
/** `#SBATCH` lines are not parsed by a shell, and `%` starts a filename pattern: keep paths plain. */
const PLAIN_PATH = /^[^\s'"%\\$`]+$/;

/** Options after validation, with defaults filled in. */
interface CheckedSlurmOptions extends
  Required<
    Omit<SlurmOptions, "parallel" | "time" | "memory" | "cpus" | "partition" | "account" | "workdir">
  > {
  parallel?: number;
  time?: string;
  memory?: string;
  cpus?: number;
  partition?: string;
  account?: string;
  workdir?: string;
}

function checkPattern(name: string, value: unknown, pattern: RegExp, example: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new TinyRnnInputError(`slurm: ${name} must look like ${example}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkSlurmOptions(options: SlurmOptions): CheckedSlurmOptions {
  const where = "slurm";
  if (typeof options !== "object" || options === null) {
    throw new TinyRnnInputError(`${where}: options must be an object`);
  }
  rejectUnknownKeys(where, options, SLURM_KEYS);
  const { shards, parallel } = checkShards(where, options.shards, options.parallel);
  checkFitArgs(where, options.fitArgs);
  const maxArraySize = options.maxArraySize ?? 1001;
  if (!Number.isInteger(maxArraySize) || maxArraySize < 1) {
    throw new TinyRnnInputError(`${where}: maxArraySize must be an integer >= 1, got ${maxArraySize}`);
  }
  const only = options.only ?? Array.from({ length: shards }, (_, i) => i);
  if (!Array.isArray(only) || only.length === 0) {
    throw new TinyRnnInputError(`${where}: only must list at least one shard`);
  }
  for (const s of only) {
    if (!Number.isInteger(s) || s < 0 || s >= shards) {
      throw new TinyRnnInputError(`${where}: only contains ${s}, which is not a shard of 0..${shards - 1}`);
    }
  }
  if (options.cpus !== undefined && (!Number.isInteger(options.cpus) || options.cpus < 1)) {
    throw new TinyRnnInputError(`${where}: cpus must be an integer >= 1, got ${options.cpus}`);
  }
  const sbatchArgs = options.sbatchArgs ?? [];
  for (const arg of sbatchArgs) {
    if (typeof arg !== "string" || !arg.startsWith("-") || /[\n\r]/.test(arg)) {
      throw new TinyRnnInputError(
        `${where}: each sbatchArgs entry must be one option like "--qos=short", got ${JSON.stringify(arg)}`,
      );
    }
  }
  return {
    shards,
    parallel,
    fitArgs: options.fitArgs,
    command: checkCommand(where, options.command ?? DEFAULT_FIT_COMMAND),
    workdir: checkPattern(
      "workdir",
      options.workdir,
      PLAIN_PATH,
      "/home/me/tinyrnn (no spaces, quotes or %)",
    ),
    jobName: checkPattern("jobName", options.jobName ?? "tinyrnn-fit", NAME, "tinyrnn-fit")!,
    time: checkPattern("time", options.time, TIME, "2:00:00 or 1-00:00:00"),
    mergeTime: checkPattern("mergeTime", options.mergeTime ?? "0:30:00", TIME, "0:30:00")!,
    memory: checkPattern("memory", options.memory, MEMORY, "4G or 4000M"),
    cpus: options.cpus,
    partition: checkPattern("partition", options.partition, PARTITION, "gpu or short,long"),
    account: checkPattern("account", options.account, NAME, "mylab"),
    logDir: checkPattern(
      "logDir",
      options.logDir ?? "slurm-logs",
      PLAIN_PATH,
      "slurm-logs (no spaces, quotes or %)",
    )!,
    sbatchArgs,
    only: [...new Set(only)].sort((a, b) => a - b),
    maxArraySize,
  };
}

/** Array indices as Slurm's compact list: `[0,1,2,5,7,8]` → `"0-2,5,7-8"`. */
export function arrayRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  let start = indices[0];
  let previous = start;
  for (const index of [...indices.slice(1), Number.NaN]) {
    if (index === previous + 1) {
      previous = index;
      continue;
    }
    parts.push(start === previous ? `${start}` : `${start}-${previous}`);
    start = previous = index;
  }
  return parts.join(",");
}

/** The `#SBATCH` lines every job of the run shares. */
function commonDirectives(o: CheckedSlurmOptions, time: string | undefined): string[] {
  const lines: string[] = [];
  if (o.workdir !== undefined) lines.push(`#SBATCH --chdir=${o.workdir}`);
  if (time !== undefined) lines.push(`#SBATCH --time=${time}`);
  if (o.memory !== undefined) lines.push(`#SBATCH --mem=${o.memory}`);
  if (o.partition !== undefined) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.account !== undefined) lines.push(`#SBATCH --account=${o.account}`);
  for (const arg of o.sbatchArgs) lines.push(`#SBATCH ${arg}`);
  return lines;
}

/**
 * The sbatch scripts of the job array(s). Usually one; shards beyond `maxArraySize` go to further arrays,
 * whose task ids are offset so that every id stays below the cluster's limit.
 *
 * @example
 * ```ts
 * const [array] = slurmArrayScripts({ shards: 4, parallel: 2, fitArgs: ["--out", "results"] });
 * // array.text contains "#SBATCH --array=0-3%2" and `--shard "$shard/4"`
 * ```
 */
export function slurmArrayScripts(options: SlurmOptions): SlurmArrayScript[] {
  const o = checkSlurmOptions(options);
  const byChunk = new Map<number, number[]>();
  for (const s of o.only) {
    const chunk = Math.floor(s / o.maxArraySize);
    byChunk.set(chunk, [...(byChunk.get(chunk) ?? []), s]);
  }
  return [...byChunk.entries()].map(([chunk, shards], i) => {
    const offset = chunk * o.maxArraySize;
    const throttle = o.parallel === undefined ? "" : `%${o.parallel}`;
    const text = [
      "#!/bin/bash",
      `#SBATCH --job-name=${o.jobName}`,
      `#SBATCH --array=${arrayRanges(shards.map((s) => s - offset))}${throttle}`,
      `#SBATCH --output=${o.logDir}/%x-%A_%a.out`,
      ...(o.cpus !== undefined ? [`#SBATCH --cpus-per-task=${o.cpus}`] : []),
      ...commonDirectives(o, o.time),
      `# tinyrnn: array task t trains shard t+${offset} of ${o.shards} into one shared results folder.`,
      "# Rerunning a task is safe: instances that are already finished are skipped.",
      "set -eu",
      `shard=$((SLURM_ARRAY_TASK_ID + ${offset}))`,
      `exec ${shellJoin([...o.command, ...o.fitArgs])} --shard "$shard/${o.shards}"`,
      "",
    ].join("\n");
    return { name: `array-${i}.sh`, text, shards };
  });
}

/**
 * The sbatch script of the merge job, which builds summary.json/summary.csv once the array has finished.
 * With `afterJobIds` it carries `--dependency=afterok:<ids>`; without, pass the dependency to sbatch on the
 * command line (as the submit script does). `--kill-on-invalid-dep=yes` removes it from the queue when a task
 * fails, instead of leaving it pending forever.
 *
 * @example
 * ```ts
 * slurmMergeScript({ shards: 4, fitArgs: ["--out", "results"] }, ["1234"]);
 * // contains "#SBATCH --dependency=afterok:1234" and "deno task fit --out results --merge"
 * ```
 */
export function slurmMergeScript(options: SlurmOptions, afterJobIds?: readonly string[]): string {
  const o = checkSlurmOptions(options);
  if (afterJobIds !== undefined) {
    if (afterJobIds.length === 0 || afterJobIds.some((id) => !/^\d+$/.test(id))) {
      throw new TinyRnnInputError(`slurm: job ids must be numbers, got ${JSON.stringify(afterJobIds)}`);
    }
  }
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=${o.jobName}-merge`,
    `#SBATCH --output=${o.logDir}/%x-%j.out`,
    ...(afterJobIds === undefined ? [] : [`#SBATCH --dependency=afterok:${afterJobIds.join(":")}`]),
    "#SBATCH --kill-on-invalid-dep=yes",
    ...commonDirectives(o, o.mergeTime),
    "# tinyrnn: summarise the shared results folder; exits non-zero and lists what is missing if a shard is not done.",
    "set -eu",
    `exec ${shellJoin([...o.command, ...o.fitArgs])} --merge`,
    "",
  ].join("\n");
}

/**
 * A bash script that submits the array script(s) and then the merge job with `--dependency=afterok` on all
 * of them, printing the job ids. It expects the scripts beside it under the names of `slurmArrayScripts`.
 */
export function slurmSubmitScript(options: SlurmOptions): string {
  const arrays = slurmArrayScripts(options);
  return [
    "#!/bin/bash",
    "# Submit the tinyrnn array job(s), then the merge job that starts when all of their tasks succeeded.",
    "set -euo pipefail",
    'here=$(dirname "$0")',
    "ids=()",
    ...arrays.map((a) =>
      `id=$(sbatch --parsable "$here"/${
        shellQuote(a.name)
      }); ids+=("\${id%%;*}"); echo "array job \${id%%;*}: shards ${arrayRanges(a.shards)}"`
    ),
    'deps=$(IFS=:; echo "${ids[*]}")',
    'merge=$(sbatch --parsable --dependency=afterok:"$deps" "$here"/merge.sh)',
    'echo "merge job ${merge%%;*}: after ${deps}"',
    "",
  ].join("\n");
}
