/**
 * `deno task cluster slurm ...` and `deno task cluster k8s ...`: hand a sharded cross-validation to a
 * cluster scheduler. Everything after `--` is passed to `deno task fit` unchanged.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import type { Command, Console } from "./command.ts";
import { type FlagSpec, type FlagSpecs, formatFlags } from "./args.ts";
import { suggest, TinyRnnInputError } from "../src/options.ts";
import type { SlurmOptions } from "../src/cluster/slurm.ts";
import { clusterMaxArraySize, submitSlurmJob, writeSlurmJob } from "../src/cluster/slurm_submit.ts";
import { k8sManifests, type K8sOptions } from "../src/cluster/k8s.ts";

const s = (value: string, description: string, defaultValue?: string): FlagSpec => ({
  type: "string",
  value,
  description,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});

/** The help lines of the Slurm flags (the parser's list is {@link SLURM_FLAGS}). */
const SLURM_HELP: FlagSpecs = {
  shards: s("N", "array tasks; task i runs fit --shard i/N (required)"),
  parallel: s("K", "at most K tasks at once (--array=0-(N-1)%K)", "no throttle"),
  time: s("T", "per-task wall time, e.g. 2:00:00"),
  "merge-time": s("T", "wall time of the merge job", "0:30:00"),
  mem: s("M", "per-task memory, e.g. 4G"),
  cpus: s("C", "CPUs per task"),
  partition: s("P", "Slurm partition"),
  account: s("A", "Slurm account"),
  "job-name": s("NAME", "job name", "tinyrnn-fit"),
  "sbatch-arg": s("OPT", "extra #SBATCH option, repeatable, e.g. --sbatch-arg=--qos=short"),
  only: s("I,J,...", "run only these shards (resubmit failed ones; finished instances are skipped anyway)"),
  "max-array-size": s(
    "S",
    "the cluster's MaxArraySize; more shards become several arrays",
    "asked with --submit, else 1001",
  ),
  "log-dir": s("D", "task logs, relative to --workdir", "slurm-logs"),
  workdir: s("D", "project folder the jobs run in", "the current folder"),
  command: s('"CMD"', "the fit command, split on spaces", '"deno task fit"'),
  dir: s("D", "where the scripts are written", "slurm-job"),
  submit: { type: "boolean", description: "submit with sbatch --parsable and print the job ids" },
  sbatch: s("PATH", "the sbatch executable", "sbatch"),
};

/** The help lines of the Kubernetes flags (the parser's list is {@link K8S_FLAGS}). */
const K8S_HELP: FlagSpecs = {
  shards: s("N", "completions of the Indexed Job; index i runs fit --shard i/N (required)"),
  parallel: s("K", "at most K pods at once", "--shards"),
  image: s("IMAGE", "container image holding the project and Deno (required)"),
  name: s("NAME", "job name; the merge job is NAME-merge", "tinyrnn-fit"),
  namespace: s("NS", "namespace of the jobs", "kubectl's current one"),
  cpu: s("Q", "CPU request and limit per pod, e.g. 500m", "1"),
  memory: s("Q", "memory request and limit per pod", "2Gi"),
  "backoff-limit": s("B", "failed pods tolerated across all indexes", "6"),
  "backoff-limit-per-index": s("B", "failed pods tolerated per index (Kubernetes >= 1.29)"),
  claim: s("NAME", "persistent volume claim for the results", "tinyrnn-results"),
  mount: s("PATH", "where the claim is mounted", "/results"),
  storage: s("SIZE", "also create the claim, of this size, e.g. 10Gi", "the claim exists"),
  "storage-class": s("C", "storage class of that claim", "the cluster's default"),
  workdir: s("PATH", "project folder in the image", "/app"),
  command: s('"CMD"', "the fit command, split on spaces", '"deno task fit"'),
  dir: s("D", "where the manifests are written", "k8s-job"),
};

function help(): string {
  return [
    "Usage: deno task cluster slurm --shards N [--time T] [--mem M] [...] [--submit] -- <fit arguments, with --out DIR>",
    "       deno task cluster k8s --shards N --image IMAGE [...] -- <fit arguments, with --out /results/...>",
    "",
    "Run a cross-validation as N shards on a cluster: Slurm (a job array, then a merge job) or Kubernetes (an",
    "Indexed Job, then a merge job). Everything after -- goes to `deno task fit` unchanged; each shard runs",
    "fit --shard i/N on the shared results folder and the merge runs fit --merge.",
    "",
    "Example:",
    "  deno task cluster slurm --shards 8 --time 2:00:00 --mem 4G -- --data data.csv --out results/run",
    "",
    "Slurm flags:",
    formatFlags(SLURM_HELP),
    "",
    "Kubernetes flags:",
    formatFlags(K8S_HELP),
  ].join("\n");
}

const SLURM_FLAGS = {
  shards: { type: "string" },
  parallel: { type: "string" },
  time: { type: "string" },
  "merge-time": { type: "string" },
  mem: { type: "string" },
  cpus: { type: "string" },
  partition: { type: "string" },
  account: { type: "string" },
  "job-name": { type: "string" },
  "sbatch-arg": { type: "string", multiple: true },
  only: { type: "string" },
  "max-array-size": { type: "string" },
  "log-dir": { type: "string" },
  workdir: { type: "string" },
  command: { type: "string" },
  dir: { type: "string" },
  submit: { type: "boolean" },
  sbatch: { type: "string" },
} as const;

const K8S_FLAGS = {
  shards: { type: "string" },
  parallel: { type: "string" },
  image: { type: "string" },
  name: { type: "string" },
  namespace: { type: "string" },
  cpu: { type: "string" },
  memory: { type: "string" },
  "backoff-limit": { type: "string" },
  "backoff-limit-per-index": { type: "string" },
  claim: { type: "string" },
  mount: { type: "string" },
  storage: { type: "string" },
  "storage-class": { type: "string" },
  workdir: { type: "string" },
  command: { type: "string" },
  dir: { type: "string" },
} as const;

type Flags = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;

/** Parse our own flags strictly; unknown ones get a did-you-mean. */
function parseFlags<F extends Flags>(where: string, args: string[], flags: F) {
  try {
    return parseArgs({ args, options: flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const hint = unknown ? suggest(unknown.replace(/^-+/, ""), Object.keys(flags)) : undefined;
    throw new TinyRnnInputError(`${where}: ${message}${hint ? ` (did you mean --${hint}?)` : ""}`);
  }
}

function integer(where: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new TinyRnnInputError(`${where}: --${flag} must be a whole number, got "${value}"`);
  }
  return Number(value);
}

function commandWords(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(/\s+/).filter((w) => w !== "");
}

async function slurm(args: string[], fitArgs: string[], io: Console): Promise<void> {
  const where = "cluster slurm";
  const f = parseFlags(where, args, SLURM_FLAGS);
  const options: SlurmOptions = {
    shards: integer(where, "shards", f.shards) ?? NaN,
    parallel: integer(where, "parallel", f.parallel),
    fitArgs,
    command: commandWords(f.command),
    workdir: f.workdir ?? Deno.cwd(),
    jobName: f["job-name"],
    time: f.time,
    mergeTime: f["merge-time"],
    memory: f.mem,
    cpus: integer(where, "cpus", f.cpus),
    partition: f.partition,
    account: f.account,
    logDir: f["log-dir"],
    sbatchArgs: f["sbatch-arg"],
    only: f.only?.split(",").map((s) => integer(where, "only", s.trim())!),
    maxArraySize: integer(where, "max-array-size", f["max-array-size"]),
  };
  if (f.shards === undefined) throw new TinyRnnInputError(`${where}: --shards N is required`);
  // Left-out options must stay absent, not undefined-valued, for the option checks downstream.
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as SlurmOptions;
  const dir = f.dir ?? "slurm-job";
  if (f.submit) {
    // Array indices must stay below the site's MaxArraySize; ask the controller unless told.
    defined.maxArraySize ??= await clusterMaxArraySize();
    const run = await submitSlurmJob(defined, dir, { sbatch: f.sbatch });
    run.arrayJobIds.forEach((id, i) => io.out(`array job ${id} (${run.arrays[i]})`));
    io.out(`merge job ${run.mergeJobId} (after ${run.arrayJobIds.join(":")} succeed)`);
    io.out(`logs: ${join(defined.workdir ?? ".", defined.logDir ?? "slurm-logs")}`);
    return;
  }
  const files = await writeSlurmJob(defined, dir);
  io.out(`wrote ${[...files.arrays, files.merge, files.submit].join(", ")}`);
  io.out(`submit with: bash ${files.submit}`);
}

async function k8s(args: string[], fitArgs: string[], io: Console): Promise<void> {
  const where = "cluster k8s";
  const f = parseFlags(where, args, K8S_FLAGS);
  if (f.shards === undefined) throw new TinyRnnInputError(`${where}: --shards N is required`);
  const options = Object.fromEntries(
    Object.entries({
      shards: integer(where, "shards", f.shards),
      parallel: integer(where, "parallel", f.parallel),
      fitArgs,
      image: f.image ?? "",
      command: commandWords(f.command),
      name: f.name,
      namespace: f.namespace,
      workingDir: f.workdir,
      claimName: f.claim,
      mountPath: f.mount,
      cpu: f.cpu,
      memory: f.memory,
      backoffLimit: integer(where, "backoff-limit", f["backoff-limit"]),
      backoffLimitPerIndex: integer(where, "backoff-limit-per-index", f["backoff-limit-per-index"]),
      storage: f.storage,
      storageClassName: f["storage-class"],
    }).filter(([, v]) => v !== undefined),
  ) as unknown as K8sOptions;
  const manifests = k8sManifests(options);
  const dir = f.dir ?? "k8s-job";
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  const write = async (name: string, text: string, mode = 0o644) => {
    const path = join(dir, name);
    await Deno.writeTextFile(path, text, { mode });
    written.push(path);
  };
  await write("job.yaml", manifests.job);
  await write("merge.yaml", manifests.merge);
  if (manifests.claim !== undefined) await write("claim.yaml", manifests.claim);
  await write("apply.sh", manifests.apply, 0o755);
  io.out(`wrote ${written.join(", ")}`);
  io.out(
    `apply with: bash ${
      join(dir, "apply.sh")
    } (needs kubectl and a cluster; the image must hold the project)`,
  );
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const split = args.indexOf("--");
  const own = split < 0 ? [...args] : args.slice(0, split);
  const fitArgs = split < 0 ? [] : args.slice(split + 1);
  const [scheduler, ...flags] = own;
  if (scheduler === "slurm") return await slurm(flags, fitArgs, io);
  if (scheduler === "k8s") return await k8s(flags, fitArgs, io);
  if (scheduler === undefined) {
    throw new TinyRnnInputError("cluster: name a scheduler: slurm or k8s (see --help)");
  }
  const hint = suggest(scheduler, ["slurm", "k8s"]);
  throw new TinyRnnInputError(
    `cluster: unknown scheduler "${scheduler}"${hint ? ` (did you mean "${hint}"?)` : ""}; use slurm or k8s`,
  );
}

/**
 * `cluster slurm ...` / `cluster k8s ...`: write (and for Slurm optionally submit) the jobs of a sharded
 * cross-validation. Arguments after `--` go to `fit` unchanged.
 *
 * @example
 * ```ts
 * await command.run(["slurm", "--shards", "4", "--", "--cell", "gru", "--out", "results"], {
 *   out: console.log,
 *   err: console.error,
 * });
 * ```
 */
export const command: Command = {
  name: "cluster",
  summary: "run a cross-validation as shards on Slurm (job array + merge job) or Kubernetes (Indexed Job)",
  help,
  run,
};
