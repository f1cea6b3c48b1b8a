/**
 * `tinyrnn fit`: help, bad flags and bad data files (exit 1, one line naming file, line and column), a tiny
 * run in process, --single, --shard/--merge, and a run killed with SIGKILL that resumes to the same summary.
 */

import assert from "node:assert/strict";
import { main } from "../../cli/main.ts";
import { parseShard } from "../../cli/fit.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;
const FIXTURE = new URL("../../../shared/fixtures/tutorial_bandit.csv", import.meta.url).pathname;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cliInProcess(...args: string[]): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (t) => (stdout += t + "\n"), err: (t) => (stderr += t + "\n") });
  return { code, stdout, stderr };
}

function fitProcess(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-ffi",
      MAIN,
      "fit",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

async function cli(...args: string[]): Promise<Result> {
  const output = await fitProcess(args).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

function oneLineError(result: Result, pattern: RegExp): void {
  assert.equal(result.code, 1, `exit status (stderr: ${result.stderr})`);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${result.stderr}`);
  assert.match(lines[0], pattern);
}

/** The first `blocks` blocks of the tutorial CSV, with `edit` applied to the data rows (1-based file lines). */
async function csvFile(dir: string, name: string, blocks: number, edit?: (lines: string[]) => void) {
  const lines = (await Deno.readTextFile(FIXTURE)).split("\n").slice(0, 1 + blocks * 20);
  edit?.(lines);
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

Deno.test("fit --help lists the flags, sharding included", async () => {
  const result = await cliInProcess("fit", "--help");
  assert.equal(result.code, 0);
  for (
    const flag of [
      "--data",
      "--cell",
      "--hidden",
      "--cognitive",
      "--l1",
      "--shard i/N",
      "--merge",
      "--single",
    ]
  ) {
    assert.ok(result.stdout.includes(flag), `help lacks ${flag}`);
  }
  assert.match(result.stdout, /embedded tutorial/);
});

Deno.test("fit: bad flags are one line, exit 1", async () => {
  oneLineError(await cliInProcess("fit", "--hiden", "1"), /unknown flag --hiden \(did you mean --hidden\?\)/);
  oneLineError(
    await cliInProcess("fit", "--shard", "4/4", "--out", "x"),
    /--shard must be i\/N with 0 <= i < N/,
  );
  oneLineError(await cliInProcess("fit", "--shard", "0/2"), /--shard needs --out/);
  oneLineError(await cliInProcess("fit", "--merge"), /--merge needs --out/);
  oneLineError(await cliInProcess("fit", "--outer", "1"), /--outer must be >= 2/);
  oneLineError(await cliInProcess("fit", "--cell", "gur"), /unknown cell "gur" \(did you mean "gru"\?\)/);
  oneLineError(await cliInProcess("fit", "--cognitive", "MBX"), /unknown cognitive model "MBX"/);
  oneLineError(await cliInProcess("fit", "--data", "/nonexistent/data.csv"), /nonexistent\/data\.csv/);
  assert.deepEqual(parseShard("2/5"), { index: 2, count: 5 });
});

Deno.test("fit as a subprocess: bad CSV files name the file, line and column (exit 1)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const noAction = await csvFile(dir, "no_action.csv", 2, (lines) => {
      for (let i = 0; i < lines.length; i++) {
        lines[i] = lines[i].split(",").filter((_, c) => c !== 2).join(",");
      }
    });
    oneLineError(await cli("--data", noAction), /no_action\.csv line 1: no column "action"/);
    const reward = await csvFile(dir, "reward.csv", 2, (lines) => {
      const f = lines[6].split(",");
      f[3] = "0.5";
      lines[6] = f.join(",");
    });
    oneLineError(await cli("--data", reward), /reward\.csv line 7, column "reward": .*0\.5/);
    const action = await csvFile(dir, "action.csv", 2, (lines) => {
      const f = lines[4].split(",");
      f[2] = "3";
      lines[4] = f.join(",");
    });
    oneLineError(await cli("--data", action), /action\.csv line 5, column "action": .*"3"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fit: a tiny cross-validation prints the table and the dimensionality; --single fits once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = await csvFile(dir, "data.csv", 24);
    const out = `${dir}/results`;
    const args = ["--data", data, "--hidden", "1,2", "--cognitive", "MB0", "--l1", "1e-5", "--outer", "3"];
    const result = await cliInProcess(
      "fit",
      ...args,
      ...["--inner", "2", "--seeds", "1", "--max-epochs", "5", "--out", out, "--quiet"],
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^model\s+cell\s+d\s+test NLL\s+SEM/m);
    assert.match(result.stdout, /^gru-2\s+gru\s+2\s+0\.\d{6}/m);
    assert.match(result.stdout, /^MB0\s+MB0\s+2\s+0\.\d{6}/m);
    assert.match(result.stdout, /dimensionality: [12] \(one-sided paired t-test/);
    const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
    assert.equal(summary.models.length, 3 * 2 * 3);
    assert.ok((await Deno.readTextFile(`${out}/summary.csv`)).startsWith("model,"));
    // The command is kept beside the results, and the report shows it with the run's settings.
    assert.equal(
      await Deno.readTextFile(`${out}/command.txt`),
      `deno task fit ${
        [...args, "--inner", "2", "--seeds", "1", "--max-epochs", "5", "--out", out, "--quiet"].join(" ")
      }\n`,
    );
    const report = await cliInProcess("report", "--results", out, "--quiet");
    assert.equal(report.code, 0, report.stderr);
    assert.match(await Deno.readTextFile(`${out}/report.html`), /deno task fit --data/);

    const single = await cliInProcess(
      "fit",
      ...["--single", "--data", data, "--hidden", "1", "--cognitive", "MB0", "--max-epochs", "5"],
      ...["--train", "0.5", "--val", "0.25", "--test", "0.25", "--out", `${dir}/single`, "--quiet"],
    );
    assert.equal(single.code, 0, single.stderr);
    assert.match(single.stdout, /single split \(seed 0\): 12 train, 6 validation, 6 test blocks/);
    assert.match(single.stdout, /^gru-1\s+1e-05\s+0\s+6\s/m);
    const saved = JSON.parse(await Deno.readTextFile(`${dir}/single/gru-1-l1-1e-05-seed0.json`));
    assert.equal(saved.format, "tinyrnn.fitted-model");
    oneLineError(
      await cliInProcess("fit", "--single", "--shard", "0/2"),
      /--shard does not apply with --single/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fit --shard i/N for every i, then --merge, equals the single run; missing shards fail the merge", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = await csvFile(dir, "data.csv", 30);
    const run = ["--data", data, "--hidden", "1", "--cognitive", "MB0", "--l1", "1e-5,1e-4", "--outer", "3"];
    const rest = ["--inner", "2", "--seeds", "2", "--max-epochs", "8", "--quiet"];
    const single = await cliInProcess("fit", ...run, ...rest, "--out", `${dir}/single`);
    assert.equal(single.code, 0, single.stderr);
    const sharded = `${dir}/sharded`;
    const first = await cliInProcess("fit", ...run, ...rest, "--out", sharded, "--shard", "0/3");
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /shard 0\/3 done/);
    oneLineError(
      await cliInProcess("fit", ...run, ...rest, "--out", sharded, "--merge"),
      /instances are not finished/,
    );
    for (const shard of ["2/3", "1/3"]) {
      const result = await cliInProcess("fit", ...run, ...rest, "--out", sharded, "--shard", shard);
      assert.equal(result.code, 0, result.stderr);
    }
    const merged = await cliInProcess("fit", ...run, ...rest, "--out", sharded, "--merge");
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stdout, /wrote .*summary\.json/);
    for (const name of ["summary.json", "summary.csv"]) {
      assert.equal(
        await Deno.readTextFile(`${sharded}/${name}`),
        await Deno.readTextFile(`${dir}/single/${name}`),
        name,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fit --subject-folds within: every outer test set holds blocks of every subject; shards + merge equal one run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows = ["block,subject,action,reward"];
    for (let b = 0; b < 12; b++) {
      for (let t = 0; t < 12; t++) {
        rows.push(`${b},p${b % 3},${(t * 7 + b) % 3 === 0 ? 1 : 0},${(t * 5 + b) % 2}`);
      }
    }
    const data = `${dir}/people.csv`;
    await Deno.writeTextFile(data, rows.join("\n") + "\n");
    const run = [
      "--data",
      data,
      "--subject-folds",
      "within",
      "--outer",
      "2",
      "--inner",
      "2",
      "--hidden",
      "1",
    ];
    const rest = ["--seeds", "1", "--l1", "1e-5", "--max-epochs", "5", "--quiet"];
    const single = await cliInProcess("fit", ...run, ...rest, "--out", `${dir}/single`);
    assert.equal(single.code, 0, single.stderr);
    const instance = JSON.parse(
      await Deno.readTextFile(`${dir}/single/instances/gru-1/l1-1e-05/outer0-inner0-seed0.json`),
    );
    const subjects = new Set(instance.folds.test.map((b: number) => `p${b % 3}`));
    assert.equal(subjects.size, 3);
    for (const shard of ["0/2", "1/2"]) {
      const result = await cliInProcess("fit", ...run, ...rest, "--out", `${dir}/sharded`, "--shard", shard);
      assert.equal(result.code, 0, result.stderr);
    }
    const merged = await cliInProcess("fit", ...run, ...rest, "--out", `${dir}/sharded`, "--merge");
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(
      await Deno.readTextFile(`${dir}/sharded/summary.json`),
      await Deno.readTextFile(`${dir}/single/summary.json`),
    );
    oneLineError(await cliInProcess("fit", "--subject-folds", "within"), /needs --data/);
    oneLineError(
      await cliInProcess("fit", "--data", data, "--subject-folds", "within", "--single"),
      /--subject-folds does not apply with --single/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "fit killed with SIGKILL mid-way resumes and ends with the uninterrupted run's summary",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const args = ["--data", FIXTURE, "--hidden", "1", "--l1", "1e-5", "--outer", "3", "--inner", "2"];
      const rest = ["--seeds", "2", "--max-epochs", "2000", "--workers", "1", "--quiet"];
      const killed = `${dir}/killed`;
      const child = fitProcess([...args, ...rest, "--out", killed]);
      let exited = false;
      const ended = child.status.then((status) => {
        exited = true;
        return status;
      });
      let found: string[] = [];
      const deadline = Date.now() + 120_000;
      while (found.length < 2 && !exited && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        found = await instanceFiles(killed);
      }
      if (!exited) child.kill("SIGKILL");
      const status = await ended;
      const stderr = new TextDecoder().decode(
        (await child.stderr.getReader().read()).value ?? new Uint8Array(),
      );
      await child.stdout.cancel();
      assert.equal(status.signal, "SIGKILL", `the run ended before it could be killed: ${stderr}`);
      const survivors = await instanceFiles(killed);
      assert.ok(survivors.length >= 2 && survivors.length < 12, `${survivors.length} instances at the kill`);
      await assert.rejects(Deno.stat(`${killed}/summary.json`), Deno.errors.NotFound);
      const stamps = new Map<string, number | undefined>();
      for (const file of survivors) stamps.set(file, (await Deno.stat(file)).mtime?.getTime());

      const resumed = await cli(...args, ...rest, "--out", killed);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(
        resumed.stderr,
        new RegExp(`${survivors.length} of 12 instances already finished, resuming`),
      );
      for (const [file, mtime] of stamps) assert.equal((await Deno.stat(file)).mtime?.getTime(), mtime, file);

      const whole = await cli(...args, ...rest, "--out", `${dir}/whole`);
      assert.equal(whole.code, 0, whole.stderr);
      for (const name of ["summary.json", "summary.csv"]) {
        assert.equal(
          await Deno.readTextFile(`${killed}/${name}`),
          await Deno.readTextFile(`${dir}/whole/${name}`),
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Finished instance files under `<dir>/instances` (temp files excluded). */
async function instanceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string) => {
    try {
      for await (const entry of Deno.readDir(folder)) {
        const path = `${folder}/${entry.name}`;
        if (entry.isDirectory) await walk(path);
        else if (entry.name.endsWith(".json") && !entry.name.startsWith(".")) files.push(path);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  };
  await walk(`${dir}/instances`);
  return files.sort();
}

Deno.test("fit --engine: tfjs trains the cross-validation and --single; a bad engine is one line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = await csvFile(dir, "data.csv", 12);
    const model = ["--data", data, "--hidden", "1", "--l1", "1e-5", "--seeds", "1", "--max-epochs", "3"];
    const cv = await cliInProcess(
      "fit",
      ...model,
      ...["--outer", "2", "--inner", "2", "--engine", "tfjs", "--out", `${dir}/cv`, "--quiet"],
    );
    assert.equal(cv.code, 0, cv.stderr);
    assert.match(cv.stdout, /^gru-1\s+gru\s+1\s+0\.\d{6}/m);
    const record = JSON.parse(
      await Deno.readTextFile(`${dir}/cv/instances/gru-1/l1-1e-05/outer0-inner0-seed0.json`),
    );
    assert.equal(record.config.settings.engine, "tfjs");
    const single = await cliInProcess("fit", "--single", ...model, "--engine", "tfjs", "--quiet");
    assert.equal(single.code, 0, single.stderr);
    assert.match(single.stdout, /^gru-1\s+1e-05\s+0\s+4\s/m);
    oneLineError(
      await cliInProcess("fit", "--engine", "gpu"),
      /--engine must be one of native, tfjs, auto, got "gpu"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
