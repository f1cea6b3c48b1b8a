/**
 * Issue #16 through the API: bad options, bad data and bad results folders are `TinyRnnInputError`s naming
 * the problem, before any training; instance files that cannot be trusted (edited, damaged, non-finite) are
 * refused with the way to retrain them; write errors of the operating system name the path.
 */

import assert from "node:assert/strict";
import { crossValidate, mergeResults } from "../../src/cv/cross_validate.ts";
import { fitSingle } from "../../src/cv/single.ts";
import {
  checkOutputFile,
  checkOutputFolder,
  checkPathName,
  instancePath,
  type InstanceRecord,
  outputError,
  readInstance,
  readSummary,
  writeAtomic,
  writeInstance,
} from "../../src/cv/store.ts";
import { loadResults } from "../../src/report/results.ts";
import { parseCsv } from "../../src/data/csv.ts";
import { checkNumber, TinyRnnInputError } from "../../src/options.ts";
import { simulate } from "../../src/simulate.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { tasks } from "../../src/tasks/mod.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { trainingCurves } from "../../src/plot/training_curves.ts";
import { copyTree, tinyResults } from "../cli/tiny_results.ts";

const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
  blocks: 12,
  trials: 10,
  seed: 3,
});
const QUICK = { hidden: [1], l1: [1e-5], outer: 2, inner: 2, seeds: 1, maxEpochs: 1, workers: 1 } as const;
/** The options of the shared tiny results folder (`tests/cli/tiny_results.ts`). */
const TINY = {
  cells: ["gru"],
  hidden: [1, 2],
  l1: [1e-5],
  cognitive: ["MB0"],
  outer: 3,
  inner: 2,
  seeds: 1,
  maxEpochs: 20,
  workers: 1,
};

async function rejectsInput(run: () => Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof TinyRnnInputError, `a TinyRnnInputError, got ${error}`);
    for (const pattern of patterns) assert.match((error as Error).message, pattern);
    return true;
  });
}

function throwsInput(run: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof TinyRnnInputError, `a TinyRnnInputError, got ${error}`);
    for (const pattern of patterns) assert.match((error as Error).message, pattern);
    return true;
  });
}

/** crossValidate with options that must fail before the first instance trains. */
function failsBeforeTraining(options: Record<string, unknown>, dataset: Dataset = data) {
  let progress = 0;
  return crossValidate(dataset, {
    ...QUICK,
    ...options,
    onProgress: () => progress++,
  }).finally(() => assert.equal(progress, 0, "no progress report: nothing trained"));
}

const OPTION_CASES: [string, Record<string, unknown>, RegExp][] = [
  ["lr Infinity", { lr: Infinity }, /lr must be a finite number, got Infinity/],
  ["lr NaN", { lr: NaN }, /lr must be a number, got NaN/],
  ["lr 0", { lr: 0 }, /lr must be > 0/],
  ["lr a string", { lr: "0.1" }, /lr must be a number, got "0.1"/],
  ["hidden 100000", { hidden: [100000] }, /hidden\[0\] must be <= 1024/],
  ["hidden 1.5", { hidden: [1.5] }, /hidden\[0\] must be an integer/],
  ["hidden twice", { hidden: [1, 1] }, /hidden lists a value twice/],
  ["l1 Infinity", { l1: [Infinity] }, /l1\[0\] must be a finite number/],
  ["l1 negative", { l1: [-1] }, /l1\[0\] must be >= 0/],
  ["outer 1", { outer: 1 }, /outer must be >= 2/],
  ["seeds 0", { seeds: 0 }, /seeds must be >= 1/],
  ["maxEpochs NaN", { maxEpochs: NaN }, /maxEpochs must be a number, got NaN/],
  ["unknown option", { hiden: [1] }, /unknown option "hiden" \(did you mean "hidden"\?\)/],
  ["unknown cell", { cells: ["gur"] }, /unknown cell "gur"/],
  [
    "too many folds",
    { outer: 6, inner: 11 },
    /the data has 12 blocks; outer=6 x inner=11 folds need at least 14/,
  ],
  ["resultsDir /proc/x", { resultsDir: "/proc/x/results" }, /resultsDir: cannot write \/proc\/x/],
  ["resultsDir /dev/null", { resultsDir: "/dev/null" }, /resultsDir \/dev\/null is a device/],
  ["resultsDir empty", { resultsDir: "" }, /resultsDir/],
];

for (const [name, options, pattern] of OPTION_CASES) {
  Deno.test(`crossValidate rejects ${name} before training`, async () => {
    await rejectsInput(() => failsBeforeTraining(options), pattern);
  });
}

Deno.test("crossValidate: two blocks for the default 10 x 9 folds says how many are needed", async () => {
  const two = { ...data, blocks: data.blocks.slice(0, 2) };
  await rejectsInput(
    () => crossValidate(two, {}),
    /the data has 2 blocks; outer=10 x inner=9 folds need at least 10 blocks/,
  );
});

Deno.test("crossValidate: a fractional mask is refused by the validation, before training", async () => {
  const masked = structuredClone(data);
  masked.blocks[1].mask = masked.blocks[1].action.map((_, t) => (t === 4 ? 0.5 : 1));
  await rejectsInput(
    () => failsBeforeTraining({}, masked),
    /block 1, trial 4, field "mask": expected 0 or 1/,
  );
});

Deno.test("fitSingle: a results folder that cannot be written is refused before fitting", async () => {
  await rejectsInput(
    () => fitSingle(data, { hidden: [1], maxEpochs: 1, resultsDir: "/proc/x" }),
    /\/proc\/x/,
  );
});

Deno.test("checkNumber prints NaN and Infinity as such, not as null", () => {
  throwsInput(() => checkNumber("f", "x", NaN), /^f: x must be a number, got NaN$/);
  throwsInput(
    () => checkNumber("f", "x", Infinity, { finite: true }),
    /must be a finite number, got Infinity/,
  );
  assert.equal(checkNumber("f", "x", Infinity), Infinity, "without finite, Infinity stays allowed");
  throwsInput(() => checkNumber("f", "x", undefined), /got undefined/);
});

Deno.test("parseCsv: not a string, bad options, NUL bytes", () => {
  throwsInput(
    () => parseCsv(42 as unknown as string),
    /parseCsv: expected the text of a CSV file \(a string\), got number/,
  );
  throwsInput(() => parseCsv(null as unknown as string), /got null/);
  throwsInput(
    () => parseCsv("block,action,reward\n0,0,1\n", null as unknown as object),
    /options must be an object/,
  );
  throwsInput(
    () => parseCsv("block,action,reward\n0,0\u0000,1\n"),
    /CSV line 2: holds a NUL byte: not a text CSV/,
  );
  throwsInput(
    () =>
      parseCsv(
        "block,action,state,reward\n" +
          Array.from({ length: 30 }, (_, t) => `0,0,${t === 7 ? 1 : 0},1`).join("\n"),
      ),
    /CSV line 9, column "state": state 1 differs from action 0 on only 1 of 30 trials/,
    /kind: "twoStage"/,
  );
  // Said explicitly, the kind is taken as given.
  const twoStage = parseCsv(
    "block,action,state,reward\n" +
      Array.from({ length: 30 }, (_, t) => `0,0,${t === 7 ? 1 : 0},1`).join("\n"),
    { kind: "twoStage" },
  );
  assert.equal(twoStage.kind, "twoStage");
});

Deno.test("loadResults: unknown options, a file, a missing folder", async () => {
  const { dir } = await tinyResults();
  await rejectsInput(
    () => loadResults(dir, { dat: 1 } as unknown as object),
    /loadResults: unknown option "dat" \(did you mean "data"\?\)/,
  );
  await rejectsInput(
    () => loadResults(`${dir}/summary.json`),
    /summary\.json is a file, not a results folder/,
  );
  await rejectsInput(() => loadResults(`${dir}/nothing`), /nothing: no such results folder/);
  await rejectsInput(() => loadResults(42 as unknown as string), /dir must be a folder path/);
});

Deno.test("readSummary: a missing or wrong field names the file and the field", async () => {
  const { dir } = await tinyResults();
  const copy = await Deno.makeTempDir();
  try {
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
    assert.equal("checksum" in summary, false, "the checksum stays out of summary.json");
    assert.doesNotMatch(JSON.stringify(summary), /checksum|sha256/);
    const cases: [(s: Record<string, unknown>) => void, RegExp][] = [
      [(s) => delete s.models, /summary\.json: models must be a list of rows/],
      [(s) => delete s.dimensionality, /dimensionality must be an object/],
      [(s) => (s.best = {}), /best must be a list of rows/],
      [
        (s) => ((s.models as Record<string, unknown>[])[0].model = "../x"),
        /models\[0\]\.model must be a model id/,
      ],
      [
        (s) => ((s.best as Record<string, unknown>[])[1].outer = -1),
        /best\[1\]\.outer must be a non-negative integer/,
      ],
      [
        (s) => ((s.models as Record<string, unknown>[])[0].testLoss = "low"),
        /models\[0\]\.testLoss must be a number/,
      ],
      [(s) => ((s.dimensionality as Record<string, unknown>).pValues = [["x"]]), /dimensionality\.pValues/],
      [
        (s) => ((s.dimensionality as Record<string, unknown>).rows = 3),
        /dimensionality\.rows must be a list/,
      ],
    ];
    for (const [edit, pattern] of cases) {
      const changed = structuredClone(summary);
      edit(changed);
      await Deno.writeTextFile(`${copy}/summary.json`, JSON.stringify(changed));
      await rejectsInput(() => readSummary(copy), pattern);
    }
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});

Deno.test("names read from files are checked before they become paths", () => {
  for (const bad of ["../x", "a/../../b", "/abs", ".hidden", "a//b", "", "a\\b", "x y"]) {
    throwsInput(() => checkPathName(bad, "model"), /model .* cannot be used in a file name/);
  }
  assert.equal(checkPathName("gru-2/portrait_outer0", "figure"), "gru-2/portrait_outer0");
  throwsInput(() => checkPathName(3, "model"), /model 3 cannot be used/);
});

function record(
  id: string,
  weights: Record<string, unknown> = { "rnn.weight_hh_l0": [[0.5, -0.25]] },
): InstanceRecord {
  return {
    id,
    row: {
      id,
      model: "gru-1",
      kind: "rnn",
      cell: "gru",
      hidden: 1,
      l1: 1e-5,
      outer: 0,
      inner: 0,
      seed: 0,
      epochs: 3,
      bestEpoch: 2,
      trainLoss: 0.6,
      valLoss: 0.65,
      testLoss: NaN,
      trainTrials: 10,
      valTrials: 10,
      testTrials: 10,
    },
    config: { format: "x" },
    folds: { train: [0], val: [1], test: [2] },
    weights,
    curves: { train: [0.7, 0.6, NaN], val: [0.7, 0.65, 0.66] },
  };
}

Deno.test("instance files: checksum written and checked; edited, damaged or non-finite files are refused", async () => {
  const dir = await Deno.makeTempDir();
  const id = "gru-1/l1-1e-05/outer0-inner0-seed0";
  const path = instancePath(dir, id);
  try {
    await writeInstance(dir, record(id));
    const text = await Deno.readTextFile(path);
    assert.match(text, /"checksum":"sha256:[0-9a-f]{64}"\}\n$/);
    const back = await readInstance(dir, id);
    assert.equal("checksum" in back, false, "the checksum is not part of the record read back");
    assert.deepEqual(back, record(id));

    await Deno.writeTextFile(path, text.replace('"valLoss":0.65', '"valLoss":0.01'));
    await rejectsInput(
      () => readInstance(dir, id),
      /outer0-inner0-seed0\.json: its content does not match its checksum/,
      /delete the file and rerun to retrain/,
    );
    await Deno.writeTextFile(path, text.slice(0, text.length / 2));
    await rejectsInput(() => readInstance(dir, id), /invalid JSON/, /delete the file and rerun/);
    await Deno.writeTextFile(path, "");
    await rejectsInput(() => readInstance(dir, id), /invalid JSON/, /delete the file and rerun/);
    await Deno.writeFile(path, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    await rejectsInput(() => readInstance(dir, id), /not a UTF-8 text file/, /delete the file and rerun/);

    // NaN weights are written as null: refused even with a valid checksum.
    await writeInstance(dir, record(id, { "rnn.weight_hh_l0": [[NaN, 1]] }));
    await rejectsInput(
      () => readInstance(dir, id),
      /weights\.rnn\.weight_hh_l0\[0\]\[0\] is not a finite number/,
      /delete the file and rerun/,
    );

    // Files of older runs have no checksum: accepted (their weights still checked).
    const old = JSON.parse(text);
    delete old.checksum;
    await Deno.writeTextFile(path, JSON.stringify(old));
    assert.deepEqual(await readInstance(dir, id), record(id));
    old.weights = { w: [Infinity] };
    await Deno.writeTextFile(path, JSON.stringify(old).replace("Infinity", "null"));
    await rejectsInput(() => readInstance(dir, id), /weights\.w\[0\] is not a finite number/);
    // Shapes: wrong types are named.
    await Deno.writeTextFile(path, JSON.stringify({ ...old, weights: undefined, curves: { train: "x" } }));
    await rejectsInput(() => readInstance(dir, id), /curves\.train must be a list of numbers/);
    await Deno.writeTextFile(path, JSON.stringify({ ...old, weights: undefined, row: [] }));
    await rejectsInput(() => readInstance(dir, id), /row must be an object/);
    await Deno.writeTextFile(path, JSON.stringify([1]));
    await rejectsInput(() => readInstance(dir, id), /not an instance record/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a rerun and a merge refuse an instance file edited by hand", async () => {
  const { dir } = await tinyResults();
  const copy = await Deno.makeTempDir();
  try {
    await copyTree(dir, copy);
    const id = "gru-2/l1-1e-05/outer1-inner0-seed0";
    const path = instancePath(copy, id);
    await Deno.writeTextFile(
      path,
      (await Deno.readTextFile(path)).replace(/"testLoss":[^,]+/, '"testLoss":0.01'),
    );
    await rejectsInput(
      () => mergeResults(copy, TINY),
      /outer1-inner0-seed0\.json: its content does not match its checksum/,
    );
    let progress = 0;
    await rejectsInput(
      () => crossValidate(data, { ...TINY, resultsDir: copy, onProgress: () => progress++ }),
      /does not match its checksum/,
    );
    assert.equal(progress, 0);
    // The unchanged folder merges to the summary it has.
    const before = await Deno.readTextFile(`${dir}/summary.json`);
    await copyTree(dir, copy);
    await mergeResults(copy, TINY);
    assert.equal(await Deno.readTextFile(`${copy}/summary.json`), before, "summary.json byte-identical");
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});

Deno.test("write errors of the operating system are bad input naming the path", async () => {
  for (
    const [code, words] of [["ENOSPC", /no space left/], ["EACCES", /permission denied/], [
      "EROFS",
      /read-only/,
    ]] as const
  ) {
    const error = Object.assign(new Error(`${code} (os error 28): write '/x'`), { code });
    const mapped = outputError("/data/out/summary.json", error);
    assert.ok(mapped instanceof TinyRnnInputError);
    assert.match((mapped as Error).message, /^cannot write \/data\/out\/summary\.json: /);
    assert.match((mapped as Error).message, words);
  }
  const bug = new TypeError("x is undefined");
  assert.equal(outputError("/p", bug), bug, "other errors are left as they are");

  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "x");
    await rejectsInput(() => writeAtomic(`${dir}/file/summary.json`, "{}"), /cannot write .*\/file/);
    await rejectsInput(
      () => checkOutputFolder(`${dir}/file`, "--out"),
      /--out .*\/file is a file, not a folder/,
    );
    await rejectsInput(() => checkOutputFile(dir, "--out"), /is a folder/);
    await rejectsInput(() => checkOutputFile("/proc/r.html", "--out"), /cannot write \/proc/);
    await checkOutputFolder(`${dir}/new/deeper`);
    assert.deepEqual([...Deno.readDirSync(`${dir}/new/deeper`)], [], "the probe file is removed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a training curve of 500,000 epochs is drawn without overflowing the stack", () => {
  const train = Array.from({ length: 500_000 }, (_, i) => 1 / (i + 1));
  const figure = trainingCurves({ train }, { bestEpoch: 10 });
  assert.ok(figure.svg().length > 0);
});
