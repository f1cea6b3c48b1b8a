import assert from "node:assert/strict";
import { parseCsv, toCsv } from "../../src/data/csv.ts";
import { fromJson, toJson } from "../../src/data/json.ts";
import { parsePreset } from "../../src/data/presets.ts";
import { finishImport } from "../../src/data/import_helpers.ts";
import { subjectsOf } from "../../src/data/subjects.ts";
import { validateDataset } from "../../src/data/validate.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { TinyRnnInputError } from "../../src/options.ts";

const CSV = "block,subject,trial,action,reward\n" +
  "0,s1,0,0,1\n0,s1,1,1,0\n" +
  "1,s2,0,1,1\n" +
  "2,s1,0,1,1\n2,s1,1,0,0\n" +
  "3,007,0,0,0\n";

Deno.test("subjects: the tidy CSV column subject is each block's subject (text), not an extra", () => {
  const data = parseCsv(CSV, { source: "many.csv" });
  assert.deepEqual(data.blocks.map((b) => b.subject), ["s1", "s2", "s1", "007"]);
  assert.ok(data.blocks.every((b) => b.extra === undefined));
  // A column mapping names the file's subject column.
  const mapped = parseCsv("block,participant,action,reward\n0,p9,0,1\n", {
    columns: { subject: "participant" },
  });
  assert.equal(mapped.blocks[0].subject, "p9");
});

Deno.test("subjects: a block with two subjects is an error naming file, line and column", () => {
  const text = "block,action,reward,subject\n0,0,1,a\n0,1,0,a\n0,1,1,b\n";
  assert.throws(
    () => parseCsv(text, { source: "bad.csv" }),
    (error: Error) =>
      error instanceof TinyRnnInputError &&
      /^bad\.csv line 4, column "subject": block 0 has subject "a" \(line 2\) and "b"/.test(error.message),
  );
  // An empty cell means "no subject", but not beside a subject in the same block.
  assert.equal(parseCsv("block,action,reward,subject\n0,0,1,\n").blocks[0].subject, undefined);
  assert.throws(() => parseCsv("block,action,reward,subject\n0,0,1,a\n0,0,1,\n"), /line 3, column "subject"/);
});

Deno.test("subjects: toCsv writes the column when a block has a subject, and it reads back", () => {
  const data = parseCsv(CSV);
  const text = toCsv(data);
  assert.equal(text.split("\n")[0], "block,trial,action,state,reward,subject");
  assert.deepEqual(parseCsv(text).blocks, data.blocks);
  // Blocks without a subject get an empty cell and read back without one.
  const mixed: Dataset = {
    ...data,
    blocks: data.blocks.map((b, i) => i === 1 ? { ...b, subject: undefined } : b),
  };
  delete mixed.blocks[1].subject;
  assert.deepEqual(parseCsv(toCsv(mixed)).blocks.map((b) => b.subject), ["s1", undefined, "s1", "007"]);
  // No subject anywhere: no column (files written before subjects existed stay the same).
  const none = parseCsv("block,action,reward\n0,0,1\n");
  assert.equal(toCsv(none).split("\n")[0], "block,trial,action,state,reward");
});

Deno.test("subjects: JSON keeps the subject; a non-string subject is an error", () => {
  const data = parseCsv(CSV);
  assert.deepEqual(fromJson(toJson(data)), data);
  assert.throws(
    () => fromJson('{"kind":"bandit","nActions":2,"blocks":[{"subject":7,"action":[0],"reward":[1]}]}'),
    /block 0: subject must be a string/,
  );
});

Deno.test("subjects: validation messages name the block's subject", () => {
  const data = parseCsv(CSV);
  data.blocks[2].reward[1] = 2;
  assert.throws(
    () => validateDataset(data),
    /: block 2 \(subject s1\), trial 1, field "reward": expected 0 or 1, got 2$/,
  );
  const labelled = parseCsv("block,subject,action,reward\nA,s07,0,1\n");
  labelled.blocks[0].reward[0] = 3;
  assert.throws(() => validateDataset(labelled), /block 0 \(id "A", subject s07\), trial 0/);
  labelled.blocks[0].reward[0] = 1;
  labelled.blocks[0].subject = "";
  assert.throws(() => validateDataset(labelled), /subject must be a non-empty string/);
});

Deno.test("subjects: hBayesDM presets take subjID, segments keep it, the tidy preset reads subject", () => {
  const text = "subjID\tblock\tchoice\toutcome\n1\t1\t1\t1\n1\t2\t2\t1\n2\t1\t1\t-1\n2\t1\t2\t1\n";
  const data = parsePreset(text, "hbayesdmReversal", { maxSegmentLength: 1 });
  assert.deepEqual(data.blocks.map((b) => [b.id, b.subject]), [
    ["1/1", "1"],
    ["1/2", "1"],
    ["2/1/0", "2"],
    ["2/1/1", "2"],
  ]);
  const twoStep = parsePreset(
    "subjID\tlevel1_choice\tlevel2_choice\treward\ns9\t1\t1\t1\n",
    "hbayesdmTwoStep",
  );
  assert.equal(twoStep.blocks[0].subject, "s9");
  const tidy = parsePreset("block,subject,action,reward\n0,a,0,1\n1,,1,0\n", "tidy");
  assert.deepEqual(tidy.blocks.map((b) => b.subject), ["a", undefined]);
  assert.throws(() => parsePreset("block,subject,action,reward\n0,a,0,1\n0,b,1,0\n", "tidy"), /line 3/);
});

Deno.test("subjects: importers put the subject on the block", () => {
  const data = finishImport([
    { id: "p1/0", source: "p1.csv", subject: "p1", trials: [{ action: 1, state: 1, reward: 1 }] },
    { id: "p1/1", source: "p1.csv", subject: "p1", trials: [{ action: 0, state: 0, reward: 0 }] },
  ], { kind: "bandit", nActions: 2, binaryReward: true, meta: {}, source: "p1.csv" });
  assert.deepEqual(data.blocks.map((b) => b.subject), ["p1", "p1"]);
  assert.equal(data.blocks[0].extra, undefined);
});

Deno.test("subjectsOf: distinct subjects in first-appearance order with their blocks", () => {
  const data = parseCsv(CSV);
  delete data.blocks[3].subject;
  assert.deepEqual(subjectsOf(data), { subjects: ["s1", "s2"], blocks: [[0, 2], [1]], unassigned: [3] });
  const none = parseCsv("block,action,reward\n0,0,1\n1,1,1\n");
  assert.deepEqual(subjectsOf(none), { subjects: [], blocks: [], unassigned: [0, 1] });
});
