import assert from "node:assert/strict";
import { join } from "node:path";
import {
  arrayRanges,
  slurmArrayScripts,
  slurmMergeScript,
  type SlurmOptions,
  slurmSubmitScript,
} from "../../src/cluster/slurm.ts";
import { clusterMaxArraySize, submitSlurmJob, writeSlurmJob } from "../../src/cluster/slurm_submit.ts";

const base: SlurmOptions = {
  shards: 4,
  parallel: 2,
  fitArgs: ["--cell", "gru", "--hidden", "1,2", "--out", "results/"],
};

function directives(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("#SBATCH ")).map((l) => l.slice("#SBATCH ".length));
}

/** What bash makes of the script's exec line: the argument vector the fit command receives. */
async function execArgv(script: string, taskId: number): Promise<string[]> {
  const exec = script.split("\n").filter((l) => l.startsWith("shard=") || l.startsWith("exec "));
  const body = [...exec.slice(0, 1), exec[1].replace(/^exec /, "printf '%s\\0' ")].join("\n");
  const out = await new Deno.Command("bash", {
    args: ["-c", body],
    env: { SLURM_ARRAY_TASK_ID: String(taskId) },
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).split("\0").slice(0, -1);
}

Deno.test("array script: one array line 0-(N-1)%K and the shard argument from the task id", async () => {
  const [array, ...rest] = slurmArrayScripts(base);
  assert.equal(rest.length, 0);
  assert.ok(array.text.startsWith("#!/bin/bash\n"));
  assert.deepEqual(directives(array.text).filter((d) => d.startsWith("--array")), ["--array=0-3%2"]);
  assert.deepEqual(array.shards, [0, 1, 2, 3]);
  assert.deepEqual(await execArgv(array.text, 2), [
    "deno",
    "task",
    "fit",
    "--cell",
    "gru",
    "--hidden",
    "1,2",
    "--out",
    "results/",
    "--shard",
    "2/4",
  ]);
});

Deno.test("array script: no throttle without parallel; K above N is capped at N", () => {
  const [free] = slurmArrayScripts({ ...base, parallel: undefined });
  assert.ok(directives(free.text).includes("--array=0-3"));
  const [capped] = slurmArrayScripts({ ...base, parallel: 10 });
  assert.ok(directives(capped.text).includes("--array=0-3%4"));
});

Deno.test("array script: time, memory, CPUs, partition, account, chdir, logs and extra options pass through", () => {
  const [array] = slurmArrayScripts({
    ...base,
    time: "1-02:00:00",
    memory: "4G",
    cpus: 2,
    partition: "gpu,short",
    account: "mattarlab",
    workdir: "/home/me/tinyrnn",
    logDir: "logs/cv",
    jobName: "cv-gru",
    sbatchArgs: ["--qos=short", "--gres=gpu:1"],
  });
  const d = directives(array.text);
  for (
    const expected of [
      "--job-name=cv-gru",
      "--time=1-02:00:00",
      "--mem=4G",
      "--cpus-per-task=2",
      "--partition=gpu,short",
      "--account=mattarlab",
      "--chdir=/home/me/tinyrnn",
      "--output=logs/cv/%x-%A_%a.out",
      "--qos=short",
      "--gres=gpu:1",
    ]
  ) assert.ok(d.includes(expected), `missing #SBATCH ${expected} in\n${array.text}`);
});

Deno.test("array script: user arguments reach fit unchanged, whatever their characters", async () => {
  const fitArgs = ["--out", "my results", "--note", 'it\'s $HOME; `rm -rf /` "x" *', "--empty", ""];
  const [array] = slurmArrayScripts({ ...base, fitArgs, command: ["/opt/deno/bin/deno", "task", "fit"] });
  assert.deepEqual(await execArgv(array.text, 0), [
    "/opt/deno/bin/deno",
    "task",
    "fit",
    ...fitArgs,
    "--shard",
    "0/4",
  ]);
});

Deno.test("array scripts: shards past MaxArraySize go to further arrays with offset task ids", async () => {
  const arrays = slurmArrayScripts({ ...base, shards: 2500, parallel: 50, maxArraySize: 1001 });
  assert.deepEqual(arrays.map((a) => directives(a.text).find((d) => d.startsWith("--array"))), [
    "--array=0-1000%50",
    "--array=0-1000%50",
    "--array=0-497%50",
  ]);
  assert.deepEqual(arrays.map((a) => [a.shards[0], a.shards.at(-1)]), [[0, 1000], [1001, 2001], [
    2002,
    2499,
  ]]);
  assert.deepEqual((await execArgv(arrays[2].text, 497)).slice(-2), ["--shard", "2499/2500"]);
  const covered = arrays.flatMap((a) => a.shards);
  assert.deepEqual(covered, Array.from({ length: 2500 }, (_, i) => i));
});

Deno.test("array script: only reruns the listed shards", () => {
  const [array] = slurmArrayScripts({ ...base, shards: 10, only: [7, 1, 2, 3, 9] });
  assert.ok(directives(array.text).includes("--array=1-3,7,9%2"));
  assert.equal(arrayRanges([0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
  assert.equal(arrayRanges([4]), "4");
});

Deno.test("merge script: afterok dependency on every array, cancelled if a task fails, runs fit --merge", () => {
  const merge = slurmMergeScript({ ...base, time: "5:00:00", memory: "8G", partition: "short" }, [
    "101",
    "102",
  ]);
  const d = directives(merge);
  assert.ok(d.includes("--dependency=afterok:101:102"));
  assert.ok(d.includes("--kill-on-invalid-dep=yes"));
  assert.ok(d.includes("--job-name=tinyrnn-fit-merge"));
  assert.ok(d.includes("--time=0:30:00"), "merge job uses mergeTime, not the per-task time");
  assert.ok(d.includes("--mem=8G") && d.includes("--partition=short"));
  assert.ok(!d.some((x) => x.startsWith("--array")));
  assert.ok(merge.includes("\nexec deno task fit --cell gru --hidden 1,2 --out results/ --merge\n"));
  assert.ok(!directives(slurmMergeScript(base)).some((x) => x.startsWith("--dependency")));
  assert.throws(() => slurmMergeScript(base, ["12;cluster"]), /job ids must be numbers/);
});

Deno.test("submit script: submits every array, then the merge job after all of them", () => {
  const text = slurmSubmitScript({ ...base, shards: 3000 });
  assert.equal(text.match(/sbatch --parsable "\$here"\/array-\d\.sh/g)?.length, 3);
  assert.ok(text.includes('--dependency=afterok:"$deps" "$here"/merge.sh'));
});

Deno.test("slurm options are validated with actionable messages", () => {
  assert.throws(
    () => slurmArrayScripts({ ...base, partion: "x" } as SlurmOptions),
    /did you mean "partition"/,
  );
  assert.throws(() => slurmArrayScripts({ ...base, fitArgs: ["--cell", "gru"] }), /need --out/);
  assert.throws(
    () => slurmArrayScripts({ ...base, fitArgs: ["--out", "r", "--shard", "0/2"] }),
    /must not contain --shard/,
  );
  assert.throws(
    () => slurmArrayScripts({ ...base, fitArgs: ["--out", "r", "--merge"] }),
    /must not contain --merge/,
  );
  assert.throws(() => slurmArrayScripts({ ...base, time: "2 hours" }), /time must look like/);
  assert.throws(() => slurmArrayScripts({ ...base, memory: "4 GB" }), /memory must look like/);
  assert.throws(() => slurmArrayScripts({ ...base, shards: 0 }), /shards must be >= 1/);
  assert.throws(() => slurmArrayScripts({ ...base, only: [4] }), /only contains 4/);
  assert.throws(() => slurmArrayScripts({ ...base, logDir: "my logs" }), /logDir must look like/);
  assert.throws(() => slurmArrayScripts({ ...base, sbatchArgs: ["qos=short"] }), /sbatchArgs/);
  for (const time of ["90", "90:00", "2:00:00", "1-0", "1-02:00", "1-02:00:00"]) {
    slurmArrayScripts({ ...base, time });
  }
});

Deno.test("writeSlurmJob writes executable scripts and the log folder; submitSlurmJob chains the ids", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-slurm-test-" });
  try {
    const workdir = join(dir, "project");
    await Deno.mkdir(workdir);
    const options = { ...base, workdir, logDir: "logs" };
    const files = await writeSlurmJob(options, join(dir, "job"));
    assert.deepEqual(files.arrays, [join(dir, "job", "array-0.sh")]);
    assert.equal((await Deno.stat(files.submit)).mode! & 0o111, 0o111);
    assert.ok((await Deno.stat(join(workdir, "logs"))).isDirectory);

    // A stand-in sbatch records its arguments and answers like `sbatch --parsable` on a multi-cluster site.
    const calls = join(dir, "calls.txt");
    const fake = join(dir, "sbatch");
    await Deno.writeTextFile(
      fake,
      `#!/bin/bash\necho "$*" >> ${calls}\nn=$(wc -l < ${calls})\necho "$((40 + n));cluster1"\n`,
      { mode: 0o755 },
    );
    const run = await submitSlurmJob(options, join(dir, "job"), { sbatch: fake });
    assert.deepEqual(run.arrayJobIds, ["41"]);
    assert.equal(run.mergeJobId, "42");
    const lines = (await Deno.readTextFile(calls)).trim().split("\n");
    assert.deepEqual(lines, [`--parsable ${files.arrays[0]}`, `--parsable ${files.merge}`]);
    assert.ok(directives(await Deno.readTextFile(files.merge)).includes("--dependency=afterok:41"));

    const failing = join(dir, "sbatch-fail");
    await Deno.writeTextFile(failing, "#!/bin/bash\necho 'sbatch: error: invalid partition' >&2\nexit 1\n", {
      mode: 0o755,
    });
    await assert.rejects(
      () => submitSlurmJob(options, join(dir, "job"), { sbatch: failing }),
      /invalid partition/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("clusterMaxArraySize reads MaxArraySize from scontrol show config, undefined when it cannot", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-slurm-test-" });
  try {
    const fake = join(dir, "scontrol");
    await Deno.writeTextFile(
      fake,
      "#!/bin/bash\nprintf 'MaxArraySize            = 4001\\nMaxJobCount             = 10000\\n'\n",
      { mode: 0o755 },
    );
    assert.equal(await clusterMaxArraySize(fake), 4001);
    assert.equal(await clusterMaxArraySize(join(dir, "missing")), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
