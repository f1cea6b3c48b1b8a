import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../cli/main.ts";

/** Run `tinyrnn cluster ...` through the real entry point, capturing what it prints. */
async function clusterMain(args: string[]): Promise<{ result: number; out: string; err: string }> {
  let out = "", err = "";
  const io = { out: (t: string) => void (out += t + "\n"), err: (t: string) => void (err += t + "\n") };
  const result = await main(["cluster", ...args], io);
  return { result, out, err };
}

Deno.test("cluster slurm writes the array, merge and submit scripts with the options passed through", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cluster-cli-" });
  try {
    const { result, out } = await clusterMain([
      "slurm",
      "--shards=4",
      "--parallel=2",
      "--time=2:00:00",
      "--mem=4G",
      "--cpus=1",
      "--partition=short",
      "--account=lab",
      "--sbatch-arg=--qos=low",
      "--workdir",
      dir,
      "--dir",
      join(dir, "job"),
      "--",
      "--cell",
      "gru",
      "--out",
      "results",
    ]);
    assert.equal(result, 0);
    assert.match(out, /submit with: bash .*submit\.sh/);
    const array = await Deno.readTextFile(join(dir, "job", "array-0.sh"));
    for (
      const line of [
        "#SBATCH --array=0-3%2",
        "#SBATCH --time=2:00:00",
        "#SBATCH --mem=4G",
        "#SBATCH --cpus-per-task=1",
        "#SBATCH --partition=short",
        "#SBATCH --account=lab",
        "#SBATCH --qos=low",
        `#SBATCH --chdir=${dir}`,
        'exec deno task fit --cell gru --out results --shard "$shard/4"',
      ]
    ) assert.ok(array.includes(line), `missing ${line}`);
    assert.ok((await Deno.readTextFile(join(dir, "job", "merge.sh"))).includes("--out results --merge"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cluster k8s writes job.yaml, merge.yaml and apply.sh", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cluster-cli-" });
  try {
    const { result } = await clusterMain([
      "k8s",
      "--shards",
      "3",
      "--image",
      "lab/tinyrnn:1",
      "--dir",
      dir,
      "--",
      "--out",
      "/results/cv",
    ]);
    assert.equal(result, 0);
    const job = await Deno.readTextFile(join(dir, "job.yaml"));
    assert.ok(job.includes('completionMode: "Indexed"') && job.includes('"$(JOB_COMPLETION_INDEX)/3"'));
    assert.ok((await Deno.readTextFile(join(dir, "merge.yaml"))).includes('"--merge"'));
    assert.ok((await Deno.stat(join(dir, "apply.sh"))).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cluster: mistakes exit 1 with a message that says what to do", async () => {
  const cases: [string[], RegExp][] = [
    [["slurmm"], /did you mean "slurm"/],
    [["slurm", "--shards", "2", "--paralel", "2", "--", "--out", "r"], /did you mean --parallel/],
    [["slurm", "--", "--out", "r"], /--shards N is required/],
    [[], /name a scheduler/],
    [["slurm", "--shards", "two", "--", "--out", "r"], /--shards must be a whole number/],
    [["slurm", "--shards", "2", "--", "--cell", "gru"], /need --out/],
    [["k8s", "--shards", "2", "--", "--out", "/results/x"], /image is required/],
  ];
  for (const [args, message] of cases) {
    const { result, err } = await clusterMain(args);
    assert.equal(result, 1, args.join(" "));
    assert.match(err, message);
  }
});
