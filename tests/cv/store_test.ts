import assert from "node:assert/strict";
import type { InstanceRow } from "../../src/cv/rows.ts";
import {
  instancePath,
  type InstanceRecord,
  isFinished,
  listFinished,
  readInstance,
  readInstances,
  readSummary,
  removeStaleTemp,
  writeInstance,
  writeSummary,
} from "../../src/cv/store.ts";
import { buildSummary } from "../../src/cv/summary.ts";
import { tutorial, tutorialRows } from "./reference_rows.ts";

function record(row: InstanceRow, size = 10): InstanceRecord {
  return {
    id: row.id!,
    row,
    config: { cell: row.cell, hidden: row.hidden, lr: 0.005, l1: row.l1, maxEpochs: 10000, patience: 200 },
    folds: { level: "block", train: [0, 2, 3], val: [1, 4], test: [5, 6] },
    weights: {
      "rnn.weight_hh_l0": [[0.1, -0.2], [1 / 3, 2e-17]],
      "lin.bias": new Float64Array([Math.PI, -Math.E]),
    },
    curves: {
      train: Array.from({ length: size }, (_, i) => 0.69 - i * 1e-5),
      val: [0.7, NaN],
      test: [0.71, 0.705],
    },
  };
}

Deno.test("an instance record round-trips exactly (typed arrays as arrays, NaN restored)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const row = { ...tutorialRows()[3], valAcc: NaN };
    const written = record(row);
    assert.equal(await isFinished(dir, row.id!), false);
    await writeInstance(dir, written);
    assert.equal(await isFinished(dir, row.id!), true);
    assert.ok(instancePath(dir, row.id!).endsWith("/instances/gru-1/l1-1e-05/outer0-inner1-seed1.json"));
    const read = await readInstance(dir, row.id!);
    assert.deepEqual(read, { ...written, weights: { ...written.weights, "lin.bias": [Math.PI, -Math.E] } });
    assert.ok(Number.isNaN(read.row.valAcc!));
    assert.ok(Number.isNaN(read.curves!.val![1]));
    assert.equal(read.row.testLoss, row.testLoss, "bit-exact floats");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listFinished: nested ids, sorted, temp files and other files ignored, absent dir empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await listFinished(`${dir}/nothing-here`), []);
    const rows = tutorialRows();
    for (const row of [rows[5], rows[0], rows[17]]) await writeInstance(dir, record(row));
    await Deno.writeTextFile(
      `${dir}/instances/gru-1/l1-1e-05/.outer2-inner0-seed0.json.123.abc.tmp`,
      '{"trunc',
    );
    await Deno.writeTextFile(`${dir}/instances/notes.txt`, "not a result");
    assert.deepEqual(await listFinished(dir), [rows[0].id, rows[5].id, rows[17].id].sort());
    const records = await readInstances(dir);
    assert.deepEqual(records.map((r) => r.id), [rows[0].id, rows[5].id, rows[17].id].sort());
    assert.equal(await removeStaleTemp(dir), 0, "a fresh temp file may belong to a live writer");
    assert.equal(await removeStaleTemp(dir, 0), 1);
    assert.equal(await listFinished(dir).then((ids) => ids.length), 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad ids and bad files are reported with the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.throws(() => instancePath(dir, "../escape"), /instance id/);
    assert.throws(() => instancePath(dir, "gru-1//x"), /instance id/);
    await Deno.mkdir(`${dir}/instances`, { recursive: true });
    await Deno.writeTextFile(`${dir}/instances/broken.json`, "{");
    await assert.rejects(() => readInstance(dir, "broken"), /instances\/broken.json: invalid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("atomic writes: a reader never sees a partial file, even when the writer is SIGKILLed", async () => {
  const dir = await Deno.makeTempDir();
  const id = "gru-2/l1-1e-05/outer0-inner0-seed0";
  const storeUrl = new URL("../../src/cv/store.ts", import.meta.url).href;
  const script = `
    import { writeInstance } from ${JSON.stringify(storeUrl)};
    const row = ${JSON.stringify(tutorialRows()[0])};
    for (let k = 0; ; k++) {
      const curve = Array.from({ length: 60000 }, (_, i) => k + i / 7);
      await writeInstance(${JSON.stringify(dir)}, {
        id: ${
    JSON.stringify(id)
  }, row, config: { k }, folds: { train: [], val: [], test: [] }, curves: { train: curve },
      });
      if (k === 0) console.log("first");
    }`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    await reader.read(); // the first complete file exists
    reader.releaseLock();
    const path = instancePath(dir, id);
    let reads = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const text = await Deno.readTextFile(path);
      const parsed = JSON.parse(text); // throws on a partial file
      assert.equal(parsed.curves.train.length, 60000);
      assert.equal(parsed.curves.train[0], parsed.config.k);
      reads++;
    }
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    assert.ok(reads > 5, `only ${reads} reads`);
    assert.deepEqual(await listFinished(dir), [id]);
    const last = await readInstance(dir, id);
    assert.equal(last.curves!.train!.length, 60000);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("summary: exact keys, JSON and CSV round trip, NaN p-values written as null", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const summary = buildSummary(tutorialRows(), { missing: ["gru-3/l1-1e-05/outer0-inner0-seed0"] });
    await writeSummary(dir, summary);
    const raw = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
    assert.deepEqual(Object.keys(raw).sort(), ["aggregate", "best", "dimensionality", "missing", "models"]);
    assert.equal(raw.models.length, 24);
    assert.equal(raw.best.length, 6);
    for (const key of ["model", "cell", "hidden", "l1", "outer", "inner", "seed", "epochs", "bestEpoch"]) {
      assert.ok(key in raw.models[0] && key in raw.best[0], key);
    }
    for (const key of ["trainLoss", "valLoss", "testLoss", "trainTrials", "valTrials", "testTrials"]) {
      assert.ok(key in raw.models[0] && key in raw.best[0], key);
    }
    const gru2 = raw.aggregate[1];
    assert.deepEqual(
      [gru2.model, gru2.cell, gru2.hidden, gru2.testLoss, gru2.testAccuracy],
      ["gru-2", "gru", 2, 0.5769226373921479, 0.6873],
    );
    assert.deepEqual(gru2.foldTestLoss, tutorial.aggregate[1].agg_test_loss);
    assert.equal(typeof gru2.sem, "number");
    assert.equal(raw.dimensionality.estimate, 2);
    assert.deepEqual(raw.dimensionality.pValues[0][0], null);
    assert.equal(raw.dimensionality.pValues[1][0], summary.dimensionality.pValues[1][0]);

    const back = await readSummary(dir);
    assert.deepEqual(back, summary);

    const csv = (await Deno.readTextFile(`${dir}/summary.csv`)).trim().split("\n");
    assert.equal(csv.length, 3);
    const header = csv[0].split(",");
    const values = csv[2].split(",");
    assert.equal(values.length, header.length);
    assert.equal(values[header.indexOf("model")], "gru-2");
    assert.equal(Number(values[header.indexOf("testLoss")]), 0.5769226373921479);
    assert.equal(values[header.indexOf("foldTestLoss")], tutorial.aggregate[1].agg_test_loss.join(";"));
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), [
      "summary.csv",
      "summary.json",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("buildSummary is independent of row order (merged shards equal one run)", () => {
  const rows = tutorialRows();
  const shards = [rows.filter((_, i) => i % 3 === 2), rows.filter((_, i) => i % 3 !== 2)];
  assert.deepEqual(buildSummary(shards.flat()), buildSummary(rows));
});
