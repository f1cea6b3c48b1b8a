/**
 * Writing the Slurm scripts of a sharded run to disk and handing them to `sbatch`.
 *
 * @module
 */

import { isAbsolute, join } from "node:path";
import { TinyRnnInputError } from "../options.ts";
import { slurmArrayScripts, slurmMergeScript, type SlurmOptions, slurmSubmitScript } from "./slurm.ts";

/** What `writeSlurmJob` wrote. */
export interface SlurmFiles {
  /** Paths of the array scripts, in submission order. */
  arrays: string[];
  /** Path of the merge script (its dependency is given on the sbatch command line). */
  merge: string;
  /** Path of the bash script that submits everything. */
  submit: string;
}

/** Job ids returned by `submitSlurmJob`. */
export interface SlurmSubmission extends SlurmFiles {
  /** Job id of each array, in the order of `arrays`. */
  arrayJobIds: string[];
  /** Job id of the merge job. */
  mergeJobId: string;
}

/** How to reach sbatch. */
export interface SbatchOptions {
  /** The sbatch executable. Default `"sbatch"` (found on PATH). */
  sbatch?: string;
}

async function writeScript(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { mode: 0o755 });
  await Deno.chmod(path, 0o755);
}

/** Slurm does not create the log folder, and a task whose output file cannot be opened fails silently. */
async function ensureLogDir(options: SlurmOptions): Promise<void> {
  const logDir = options.logDir ?? "slurm-logs";
  const base = options.workdir ?? Deno.cwd();
  await Deno.mkdir(isAbsolute(logDir) ? logDir : join(base, logDir), { recursive: true });
}

/**
 * Write the array script(s), the merge script and `submit.sh` into `dir` (created if missing), and create the
 * log folder. Nothing is submitted.
 *
 * @example
 * ```ts
 * const files = await writeSlurmJob({ shards: 8, parallel: 4, fitArgs: ["--out", "results"] }, "jobs");
 * // then: bash jobs/submit.sh
 * ```
 */
export async function writeSlurmJob(options: SlurmOptions, dir: string): Promise<SlurmFiles> {
  const arrays = slurmArrayScripts(options);
  await Deno.mkdir(dir, { recursive: true });
  await ensureLogDir(options);
  const paths: string[] = [];
  for (const array of arrays) {
    const path = join(dir, array.name);
    await writeScript(path, array.text);
    paths.push(path);
  }
  const merge = join(dir, "merge.sh");
  await writeScript(merge, slurmMergeScript(options));
  const submit = join(dir, "submit.sh");
  await writeScript(submit, slurmSubmitScript(options));
  return { arrays: paths, merge, submit };
}

/** Run `sbatch --parsable [extra] script` and return the job id (`--parsable` may print `id;cluster`). */
async function sbatch(executable: string, args: string[]): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(executable, { args: ["--parsable", ...args], stdin: "null" }).output();
  } catch (error) {
    throw new TinyRnnInputError(`slurm: cannot run ${executable}: ${(error as Error).message}`);
  }
  const stdout = new TextDecoder().decode(output.stdout).trim();
  const stderr = new TextDecoder().decode(output.stderr).trim();
  const id = stdout.split(";")[0];
  if (!output.success || !/^\d+$/.test(id)) {
    throw new TinyRnnInputError(
      `slurm: ${executable} ${args.join(" ")} failed (exit ${output.code}): ${
        stderr || stdout || "no output"
      }`,
    );
  }
  return id;
}

/**
 * Write the scripts into `dir` and submit them: every array, then the merge job with
 * `--dependency=afterok` on all arrays. The merge script on disk is rewritten with the dependency it was
 * submitted with, so the folder records what ran.
 *
 * Resubmitting the same options after a failure is the way to resume: finished instances are skipped.
 */
export async function submitSlurmJob(
  options: SlurmOptions,
  dir: string,
  { sbatch: executable = "sbatch" }: SbatchOptions = {},
): Promise<SlurmSubmission> {
  const files = await writeSlurmJob(options, dir);
  const arrayJobIds: string[] = [];
  for (const path of files.arrays) arrayJobIds.push(await sbatch(executable, [path]));
  await writeScript(files.merge, slurmMergeScript(options, arrayJobIds));
  const mergeJobId = await sbatch(executable, [files.merge]);
  return { ...files, arrayJobIds, mergeJobId };
}

/**
 * The cluster's `MaxArraySize` from `scontrol show config`, or `undefined` when it cannot be read (then
 * Slurm's default 1001 is assumed by the script writer).
 */
export async function clusterMaxArraySize(scontrol = "scontrol"): Promise<number | undefined> {
  try {
    const output = await new Deno.Command(scontrol, { args: ["show", "config"], stdin: "null" }).output();
    if (!output.success) return undefined;
    const match = /^MaxArraySize\s*=\s*(\d+)/m.exec(new TextDecoder().decode(output.stdout));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
