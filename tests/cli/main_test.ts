import assert from "node:assert/strict";
import { loadCsv } from "../../src/data/csv.ts";
import { loadJson } from "../../src/data/json.ts";
import { main } from "../../cli/main.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;
const FIXTURE = new URL("../../../shared/fixtures/tutorial_bandit.csv", import.meta.url).pathname;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI as a user would, in a subprocess. */
async function cli(...args: string[]): Promise<Result> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** Run the CLI in this process (fast), capturing what it prints. */
async function cliInProcess(...args: string[]): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (t) => (stdout += t + "\n"), err: (t) => (stderr += t + "\n") });
  return { code, stdout, stderr };
}

function oneLineError(result: Result, code: number, pattern: RegExp) {
  assert.equal(result.code, code, `exit status (stderr: ${result.stderr})`);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${result.stderr}`);
  assert.match(lines[0], pattern);
}

Deno.test("simulate writes the tutorial data set, identical to the reference file", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const out = `${dir}/data.csv`;
    const result = await cli(
      "simulate",
      ...["--agent", "MB0", "--alpha", "0.5", "--iTemp", "2", "--task", "bandit"],
      ...["--blocks", "500", "--trials", "20", "--seed", "42", "--out", out],
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /wrote .*data\.csv: 500 blocks x 20 trials of MB0 \(alpha=0.5, iTemp=2\) on bandit, seed 42/,
    );
    const data = loadCsv(out);
    assert.equal(data.blocks.length, 500);
    const reference = loadCsv(FIXTURE);
    // Every column of the reference file (action, reward, p0, p1, p_action0) matches to the bit.
    data.blocks.forEach((block, b) => {
      const ref = reference.blocks[b];
      assert.deepEqual(block.action, ref.action, `block ${b}`);
      assert.deepEqual(block.reward, ref.reward, `block ${b}`);
      for (const name of ["p0", "p1", "p_action0"]) assert.deepEqual(block.extra![name], ref.extra![name]);
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("help on main and on every subcommand", async () => {
  const top = await cli("--help");
  assert.equal(top.code, 0);
  for (const name of ["simulate", "fit", "portrait", "report", "inspect"]) {
    assert.match(top.stdout, new RegExp(`\\b${name}\\b`));
  }
  const simulateHelp = await cliInProcess("simulate", "--help");
  assert.equal(simulateHelp.code, 0);
  assert.match(simulateHelp.stdout, /--agent MODEL/);
  // Parameter flags are dashed like every other flag (issue 17); --iTemp stays accepted.
  assert.match(simulateHelp.stdout, /MB0 \(alias MF\): --alpha --i-temp/);
  assert.match(simulateHelp.stdout, /reversal: --block-length 30 --probs 0.3,0.7/);
  const mb1 = await cliInProcess("simulate", "--agent", "MB1", "--task", "twoStage", "--help");
  assert.match(mb1.stdout, /Parameters of MB1:[\s\S]*--beta X/);
  assert.match(mb1.stdout, /Options of task twoStage:[\s\S]*--common-prob X/);
  const inspectHelp = await cliInProcess("help", "inspect");
  assert.equal(inspectHelp.code, 0);
  assert.match(inspectHelp.stdout, /--columns MAP/);
});

Deno.test("bad flags: one line on stderr and exit 1", async () => {
  oneLineError(
    await cli("simulate", "--agent", "MB0", "--blcoks", "5"),
    1,
    /^tinyrnn simulate: unknown flag --blcoks \(did you mean --blocks\?\)/,
  );
  oneLineError(
    await cliInProcess("simulate", "--agent", "MB0", "--beta", "0.3"),
    1,
    /--beta is not a parameter of MB0 \(its parameters: alpha, iTemp; beta belongs to MB1/,
  );
  oneLineError(
    await cliInProcess("simulate", "--agent", "MB0", "--block-length", "5"),
    1,
    /--block-length is not an option of task bandit \(it has none; it is an option of reversal\)/,
  );
  oneLineError(await cliInProcess("simulate", "--agent", "MB0", "--blocks"), 1, /--blocks needs a value/);
  oneLineError(
    await cliInProcess("simulate", "--agent", "MB0", "--blocks", "1.5"),
    1,
    /--blocks must be an integer, got "1.5"/,
  );
  oneLineError(
    await cliInProcess("simulate", "--agent", "MB0", "--alpha", "2"),
    1,
    /alpha .* must be <= 1, got 2/,
  );
  oneLineError(
    await cliInProcess("simulate", "--agent", "MBX"),
    1,
    /unknown cognitive model "MBX" \(did you mean/,
  );
  oneLineError(await cliInProcess("simulate"), 1, /--agent is required/);
  oneLineError(await cliInProcess("simulate", "--agent", "MB0", "stray"), 1, /unexpected argument "stray"/);
  oneLineError(
    await cliInProcess("simulate", "--agent", "MB0", "--quiet=yes"),
    1,
    /--quiet is a switch and takes no value/,
  );
  oneLineError(
    await cliInProcess("simulate", "--agent", "MB0", "--task", "revrsal"),
    1,
    /unknown task "revrsal" \(did you mean "reversal"\?\)/,
  );
  oneLineError(await cliInProcess("simulat"), 1, /unknown command "simulat" \(did you mean "simulate"\?\)/);
});

Deno.test("an unknown subcommand is bad input, and so is a prototype key", async () => {
  oneLineError(await cliInProcess("nonexistent-test-probe"), 1, /unknown command "nonexistent-test-probe"/);
  oneLineError(await cliInProcess("toString"), 1, /unknown command "toString"/);
});

Deno.test("a bad CSV gives exit 1 naming the file, line and column", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const cases: [string, RegExp][] = [
      [
        "block,trial,action,reward\n0,0,1,1\n0,1,1,2\n",
        /bad\.csv line 3, column "reward": expected 0 or 1, got "2"$/,
      ],
      [
        "block,trial,action,reward\n0,0,3,1\n",
        /bad\.csv line 2, column "action": expected an integer in 0\.\.1, got "3"$/,
      ],
      ["block,trial,choice,reward\n0,0,1,1\n", /bad\.csv line 1: no column "action"/],
      ["block,trial,action,reward\n0,0,1,\n", /bad\.csv line 2, column "reward": missing value$/],
    ];
    for (const [text, pattern] of cases) {
      Deno.writeTextFileSync(`${dir}/bad.csv`, text);
      oneLineError(await cliInProcess("inspect", "--data", `${dir}/bad.csv`), 1, pattern);
    }
    const subprocess = await cli("inspect", "--data", `${dir}/bad.csv`);
    oneLineError(subprocess, 1, /^tinyrnn inspect: .*bad\.csv line 2, column "reward": missing value$/);
    oneLineError(await cliInProcess("inspect", "--data", `${dir}/none.csv`), 1, /none\.csv: no such file$/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("inspect maps columns and reads what simulate wrote as JSON", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/mine.csv`, "session,choice,outcome\nA,1,1\nA,0,0\nB,1,0\n");
    const mapped = await cliInProcess(
      "inspect",
      "--data",
      `${dir}/mine.csv`,
      "--columns",
      "block=session,action=choice,reward=outcome",
    );
    assert.equal(mapped.code, 0, mapped.stderr);
    assert.match(mapped.stdout, /blocks: 2 \(1 to 2 trials\)/);
    const json = `${dir}/sim.json`;
    const simulated = await cliInProcess(
      "simulate",
      ...["--agent", "MB1", "--task", "reversal", "--block-length", "10", "--probs", "0.2,0.8"],
      ...["--blocks", "3", "--trials", "25", "--seed", "7", "--out", json, "--quiet"],
    );
    assert.equal(simulated.code, 0, simulated.stderr);
    const data = loadJson(json);
    assert.equal(data.blocks.length, 3);
    assert.deepEqual((data.meta as { task: { params: unknown } }).task.params, {
      blockLength: 10,
      probs: [0.2, 0.8],
    });
    assert.deepEqual(data.blocks[0].extra!.p0.slice(9, 11), [0.2, 0.8]);
    const twoStageJson = `${dir}/two.json`;
    const twoStage = await cliInProcess(
      "simulate",
      ...[
        "--agent",
        "MB0",
        "--task",
        "two-stage",
        "--blocks",
        "2",
        "--trials",
        "5",
        "--out",
        twoStageJson,
        "-q",
      ],
    );
    assert.equal(twoStage.code, 0, twoStage.stderr);
    const twoStageData = loadJson(twoStageJson);
    assert.equal(twoStageData.kind, "twoStage");
    assert.deepEqual(twoStageData.meta?.agentSettings, { pTransit: 0.8, goodProb: 0.8 });
    assert.ok(twoStageData.blocks[0].extra!.p_common.every((p) => p === 0.8));
    const inspected = await cliInProcess("inspect", "--data", json);
    assert.equal(inspected.code, 0, inspected.stderr);
    assert.match(inspected.stdout, /blocks: 3 \(25 trials each\)/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
