/**
 * `deno task cluster slurm ...` and `deno task cluster k8s ...`: hand a sharded cross-validation to a
 * cluster scheduler. Everything after `--` is passed to `deno task fit` unchanged.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import type { Command, Console } from "./command.ts";
import { suggest, TinyRnnInputError } from "../src/options.ts";
import type { SlurmOptions } from "../src/cluster/slurm.ts";
import { clusterMaxArraySize, submitSlurmJob, writeSlurmJob } from "../src/cluster/slurm_submit.ts";
import { k8sManifests, type K8sOptions } from "../src/cluster/k8s.ts";

const USAGE = `usage:
  deno task cluster slurm --shards N [options] [--submit] -- <fit arguments, with --out DIR>
  deno task cluster k8s --shards N --image IMAGE [options] -- <fit arguments, with --out /results/...>

slurm options:
  --shards N             array tasks; task i runs fit --shard i/N (required)
  --parallel K           at most K tasks at once (--array=0-(N-1)%K); default: no throttle
  --time T               per-task wall time, e.g. 2:00:00        --merge-time T   merge job (default 0:30:00)
  --mem M                per-task memory, e.g. 4G               --cpus C         CPUs per task
  --partition P          --account A                            --job-name NAME  (default tinyrnn-fit)
  --sbatch-arg OPT       extra #SBATCH option, repeatable, e.g. --sbatch-arg=--qos=short
  --only I,J,...         run only these shards (resubmit failed ones; finished instances are skipped anyway)
  --max-array-size S     the cluster's MaxArraySize (default: asked with --submit, else 1001); more shards become several arrays
  --log-dir D            task logs, relative to --workdir (default slurm-logs)
  --workdir D            project folder the jobs run in (default: the current folder)
  --command "CMD"        the fit command, split on spaces (default "deno task fit")
  --dir D                where the scripts are written (default slurm-job)
  --submit               submit with sbatch --parsable and print the job ids
  --sbatch PATH          the sbatch executable (default sbatch)

k8s options:
  --shards N  --parallel K  --image IMAGE (required)  --name NAME  --namespace NS
  --cpu Q (default 1)  --memory Q (default 2Gi)  --backoff-limit B (default 6)  --backoff-limit-per-index B
  --claim NAME (default tinyrnn-results)  --mount PATH (default /results)  --storage SIZE  --storage-class C
  --workdir PATH (project folder in the image, default /app)  --command "CMD"  --dir D (default k8s-job)
`;

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
  help: () => USAGE,
  run,
};
