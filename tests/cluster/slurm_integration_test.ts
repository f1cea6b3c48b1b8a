/**
 * Against a real one-node Slurm (scripts/slurm-local.sh; Debian's slurmctld, slurmd and munge, installed
 * with apt-get if missing): the tutorial cross-validation split into 4 array tasks merges to exactly the
 * summary of a single-machine run; killing one task mid-way and resubmitting the array resumes (finished
 * instances are not retrained) and still gives the identical summary. The cluster is stopped by PID at the
 * end, also on failure.
 *
 * Runs only with TINYRNN_SLURM=1 (it needs root and starts daemons). Until `deno task fit` supports
 * `--shard`/`--merge`, the fit command is a stand-in with the same contract (tests/cluster/standin_fit.ts).
 */

import { listFinished } from "../../src/cv/store.ts";
import assert from "node:assert/strict";
import { join } from "node:path";

const enabled = Deno.env.get("TINYRNN_SLURM") === "1";
if (!enabled) {
  console.log(
    "slurm_integration_test: skipped; set TINYRNN_SLURM=1 to run it against a local Slurm (root, apt-get)",
  );
}

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const script = join(root, "scripts", "slurm-local.sh");
const decoder = new TextDecoder();

async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const output = await new Deno.Command(command, { args, env, cwd: root, stdin: "null" }).output();
  return { code: output.code, out: decoder.decode(output.stdout), err: decoder.decode(output.stderr) };
}

async function ok(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await run(command, args, env);
  assert.equal(result.code, 0, `${command} ${args.join(" ")} failed:\n${result.out}\n${result.err}`);
  return result.out;
}

/** The fit command and the tutorial workload: the real one when `fit` can shard, otherwise the stand-in. */
async function fitCommand(): Promise<{ command: string[]; args: string[]; real: boolean }> {
  const help = await run("deno", ["task", "-q", "fit", "--help"]);
  const text = help.out + help.err;
  if (help.code === 0 && text.includes("--shard") && text.includes("--merge")) {
    const args = [
      "--cell",
      "gru",
      "--hidden",
      "1,2",
      "--outer",
      "3",
      "--inner",
      "2",
      "--seeds",
      "2",
      "--l1",
      "1e-5",
    ];
    // The tutorial cross-validation as it is (max 10000 epochs, early stopping): about 10 s on one machine.
    return { command: ["deno", "task", "-q", "fit"], args, real: true };
  }
  console.log(
    "slurm_integration_test: `deno task fit` has no --shard/--merge yet; using the stand-in fit command",
  );
  return {
    command: ["deno", "run", "--allow-read", "--allow-write", join(root, "tests/cluster/standin_fit.ts")],
    args: ["--units", "12", "--delay-ms", "700"],
    real: false,
  };
}

async function queueEmpty(env: Record<string, string>, ids: string[]): Promise<boolean> {
  const out = await ok("squeue", ["-h", "-j", ids.join(","), "-o", "%i"], env);
  return out.trim() === "";
}

async function waitFor(what: string, seconds: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** JobState of a job or array task, from the controller's memory (jobs stay there for MinJobAge = 600 s). */
async function jobState(env: Record<string, string>, id: string): Promise<string> {
  const out = await ok("scontrol", ["-o", "show", "job", id], env);
  return /JobState=(\S+)/.exec(out)?.[1] ?? "UNKNOWN";
}

async function submit(
  env: Record<string, string>,
  work: string,
  fit: { command: string[]; args: string[] },
  out: string,
  parallel = 2,
): Promise<{ arrayId: string; mergeId: string }> {
  const printed = await ok("deno", [
    "task",
    "-q",
    "cluster",
    "slurm",
    "--shards",
    "4",
    "--parallel",
    String(parallel),
    "--time",
    "0:20:00",
    "--mem",
    "2G",
    "--cpus",
    "1",
    "--dir",
    join(work, "job"),
    "--log-dir",
    join(work, "logs"),
    "--command",
    fit.command.join(" "),
    "--submit",
    "--",
    ...fit.args,
    "--out",
    out,
  ], env);
  const arrayId = /array job (\d+)/.exec(printed)?.[1];
  const mergeId = /merge job (\d+)/.exec(printed)?.[1];
  assert.ok(arrayId && mergeId, `no job ids in:\n${printed}`);
  return { arrayId, mergeId };
}

async function summaries(dir: string): Promise<[string, string]> {
  return [
    await Deno.readTextFile(join(dir, "summary.json")),
    await Deno.readTextFile(join(dir, "summary.csv")),
  ];
}

/** Every file under `dir` (recursively) with its modification time and content. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (d: string) => {
    for await (const entry of Deno.readDir(d)) {
      const path = join(d, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) {
        const stat = await Deno.stat(path);
        files.set(path, `${stat.mtime?.getTime()}:${await Deno.readTextFile(path)}`);
      }
    }
  };
  await walk(dir);
  return files;
}

Deno.test({
  name: "Slurm: 4 array tasks + merge = single-machine summary; a killed task resumes to the same summary",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await ok("bash", [script, "install"]);
    const work = await Deno.makeTempDir({ prefix: "tinyrnn-slurm-it-" });
    try {
      await ok("bash", [script, "start"]);
      const conf = /SLURM_CONF=(\S+)/.exec(await ok("bash", [script, "env"]))?.[1];
      assert.ok(conf);
      const env = { SLURM_CONF: conf };
      const fit = await fitCommand();

      // Single machine, no scheduler.
      const single = join(work, "single");
      await ok(fit.command[0], [...fit.command.slice(1), ...fit.args, "--out", single]);
      const expected = await summaries(single);

      // Sharded over a 4-task array, merged by the dependent job.
      const sharded = join(work, "sharded");
      const first = await submit(env, join(work, "run1"), fit, sharded);
      await waitFor(
        "the array and the merge job",
        600,
        () => queueEmpty(env, [first.arrayId, first.mergeId]),
      );
      assert.equal(await jobState(env, first.mergeId), "COMPLETED");
      assert.deepEqual(await summaries(sharded), expected);

      // Kill one array task mid-way; the merge job must not run on partial results. The array runs one task
      // at a time here, so once the last task runs, every new instance file is its own: it is cancelled right
      // after writing its first one (it has more to do), whatever the machine's speed.
      const killed = join(work, "killed");
      const second = await submit(env, join(work, "run2"), fit, killed, 1);
      const victim = `${second.arrayId}_3`;
      await waitFor("task 3 to run", 300, async () => (await jobState(env, victim)) === "RUNNING");
      const countInstances = async () => (await listFinished(killed)).length;
      const finishedBefore = await countInstances();
      await waitFor("task 3's first instance", 300, async () => (await countInstances()) > finishedBefore);
      await ok("scancel", [victim], env);
      await waitFor("the rest of the array", 600, () => queueEmpty(env, [second.arrayId, second.mergeId]));
      assert.equal(await jobState(env, victim), "CANCELLED");
      assert.notEqual(await jobState(env, second.mergeId), "COMPLETED");
      await assert.rejects(() => Deno.stat(join(killed, "summary.json")), Deno.errors.NotFound);
      const before = await snapshot(killed);
      assert.ok(before.size > 0, "the surviving tasks wrote nothing");

      // Resubmit the whole array: finished instances are skipped, the killed shard is completed.
      const third = await submit(env, join(work, "run3"), fit, killed);
      await waitFor(
        "the resubmitted array and merge",
        600,
        () => queueEmpty(env, [third.arrayId, third.mergeId]),
      );
      assert.equal(await jobState(env, third.mergeId), "COMPLETED");
      assert.deepEqual(await summaries(killed), expected);
      const after = await snapshot(killed);
      for (const [path, stamp] of before) {
        // Summaries are rebuilt by the merge; a temporary file of the killed write may be cleaned up.
        if (/summary\.(json|csv)$/.test(path) || /tmp/i.test(path.slice(killed.length))) continue;
        assert.equal(after.get(path), stamp, `${path} was rewritten by the resubmission`);
      }
    } finally {
      const stopped = await run("bash", [script, "stop"]);
      await Deno.remove(work, { recursive: true }).catch(() => {});
      assert.equal(stopped.code, 0, `slurm-local.sh stop failed:\n${stopped.err}`);
    }
  },
});
