import assert from "node:assert/strict";
import { applyPreset, loadPreset, parsePreset, PRESETS, segmentBounds } from "../../src/data/presets.ts";
import { bartoloFileName, loadBartolo } from "../../src/data/bartolo.ts";
import { assertInputError, exists } from "./helpers.ts";

const DATA = new URL("../../../shared/data/", import.meta.url).pathname;

const tsv = (lines: string[][]) => lines.map((l) => l.join("\t")).join("\n") + "\n";

const REVERSAL = tsv([
  ["subjID", "choice", "outcome", "RT"],
  ["101", "1", "1", "0.52"],
  ["101", "2", "-1", "0.61"],
  ["101", "2", "1", "0.40"],
  ["s2", "2", "-1", "0.33"],
  ["s2", "1", "1", "0.35"],
]);

Deno.test("presets: hBayesDM reversal maps choice 1/2 and outcome +-1, one block per subject", () => {
  const data = parsePreset(REVERSAL, "hbayesdmReversal", { source: "prl.txt" });
  assert.equal(data.kind, "bandit");
  assert.deepEqual(data.blocks.map((b) => b.id), [101, "s2"]);
  const [a, b] = data.blocks;
  assert.deepEqual(a.action, [0, 1, 1]);
  assert.deepEqual(a.reward, [1, 0, 1]);
  assert.deepEqual(a.state, a.action);
  assert.deepEqual(a.trialType, [1, 2, 3]);
  assert.deepEqual(a.extra?.RT, [0.52, 0.61, 0.4]);
  assert.deepEqual(b.action, [1, 0]);
  assert.deepEqual(b.trialType, [2, 1]);
  assert.equal(data.meta?.preset, "hbayesdmReversal");
});

Deno.test("presets: hBayesDM multiple-block files split subjects by block, rows need not be contiguous", () => {
  const text = tsv([
    ["subjID", "block", "choice", "outcome"],
    ["1", "1", "1", "1"],
    ["1", "2", "2", "1"],
    ["1", "1", "2", "-1"],
    ["2", "1", "1", "-1"],
  ]);
  const data = parsePreset(text, "hbayesdmReversal");
  assert.deepEqual(data.blocks.map((b) => b.id), ["1/1", "1/2", "2/1"]);
  assert.deepEqual(data.blocks[0].action, [0, 1]);
  assert.equal(data.blocks[0].extra, undefined);
});

Deno.test("presets: hBayesDM two-step maps level2_choice pairs (1,2 | 3,4) to states 0 | 1", () => {
  const text = tsv([
    ["subjID", "level1_choice", "level2_choice", "reward"],
    ["7", "1", "1", "1"], // common: stimulus 1 -> pair 3 & 4
    ["7", "1", "4", "0"], // rare
    ["7", "2", "3", "1"], // common: stimulus 2 -> pair 5 & 6
    ["7", "2", "2", "0"], // rare
  ]);
  const data = parsePreset(text, "hbayesdmTwoStep");
  assert.equal(data.kind, "twoStage");
  const [block] = data.blocks;
  assert.deepEqual(block.action, [0, 0, 1, 1]);
  assert.deepEqual(block.state, [0, 1, 1, 0]);
  assert.deepEqual(block.reward, [1, 0, 1, 0]);
  assert.deepEqual(block.trialType, [1, 2, 7, 4]);
  assert.deepEqual(block.extra?.stage2Choice, [0, 1, 0, 1]);
  assertInputError(
    () => parsePreset(text.replace("7\t2\t3\t1", "7\t2\t5\t1"), "hbayesdmTwoStep", { source: "ts.txt" }),
    /ts\.txt line 4, column "level2_choice": expected one of 1, 2, 3, 4, got "5"/,
  );
});

Deno.test("presets: tidy layout orders by trial, infers the kind, keeps masks and extras", () => {
  const bandit = parsePreset(
    "block,trial,action,reward,mask,note\n0,1,1,0,1,x\n0,0,0,1,0,y\n1,0,1,1,1,z\n",
    "tidy",
  );
  assert.equal(bandit.kind, "bandit");
  assert.deepEqual(bandit.blocks[0].action, [0, 1]);
  assert.deepEqual(bandit.blocks[0].mask, [0, 1]);
  assert.deepEqual(bandit.blocks[0].extra?.note, ["y", "x"]);
  const twoStage = parsePreset("block,action,state,reward\n0,1,0,1\n0,0,0,0\n", "tidy");
  assert.equal(twoStage.kind, "twoStage");
  assert.deepEqual(twoStage.blocks[0].trialType, [5, 0]);
  assertInputError(
    () => parsePreset("block,trial,action,reward\n0,0,1,0\n0,0,0,1\n", "tidy", { source: "t.csv" }),
    /t\.csv line 3, column "trial": trial 0 of block 0 appears twice \(also on line 2\)/,
  );
});

Deno.test("presets: a missing value is an error naming line and column, or a dropped row", () => {
  const text = REVERSAL.replace("s2\t2\t-1", "s2\tNA\t-1");
  assertInputError(
    () => parsePreset(text, "hbayesdmReversal", { source: "prl.txt" }),
    /prl\.txt line 5, column "choice": missing value; pass missing: "drop"/,
  );
  const data = parsePreset(text, "hbayesdmReversal", { missing: "drop" });
  assert.deepEqual(data.blocks[1].action, [0]);
  assert.equal(data.meta?.droppedRows, 1);
  // An empty cell too; a missing value in a kept extra column is NaN, not an error.
  assertInputError(
    () => parsePreset("subjID,choice,outcome\n1,,1\n", "hbayesdmReversal", { source: "e.csv" }),
    /e\.csv line 2, column "choice": missing value/,
  );
  const extraMissing = parsePreset(REVERSAL.replace("0.61", ""), "hbayesdmReversal");
  assert.ok(Number.isNaN(extraMissing.blocks[0].extra?.RT[1]));
});

Deno.test("presets: a wrong or absent column is named, with a suggestion and the mapping option", () => {
  const renamed = REVERSAL.replace("outcome", "Outcome");
  assertInputError(
    () => parsePreset(renamed, "hbayesdmReversal", { source: "prl.txt" }),
    /prl\.txt line 1: the hbayesdmReversal preset needs a column "outcome", which the header lacks \(did you mean "Outcome"\?\); the header has: subjID, choice, Outcome, RT \(map it with columns: \{ outcome: "<name>" \}\)/,
  );
  const mapped = parsePreset(renamed, "hbayesdmReversal", { columns: { outcome: "Outcome" } });
  assert.deepEqual(mapped.blocks[0].reward, [1, 0, 1]);
  assertInputError(
    () => parsePreset(renamed, "hbayesdmReversal", { columns: { outcom: "Outcome" } }),
    /unknown option "outcom" \(did you mean "outcome"\?\)/,
  );
  // Values from the wrong coding: 0/1 outcomes or 0/1 choices.
  assertInputError(
    () => parsePreset("subjID,choice,outcome\n1,1,0\n", "hbayesdmReversal", { source: "o.csv" }),
    /o\.csv line 2, column "outcome": expected 1 or -1, got "0"/,
  );
  assertInputError(
    () => parsePreset("subjID,choice,outcome\n1,0,1\n", "hbayesdmReversal", { source: "c.csv" }),
    /c\.csv line 2, column "choice": expected 1 or 2, got "0"/,
  );
});

Deno.test("presets: segmentation follows _segment_long_block", () => {
  // ceil(n / L) segments of ceil(n / ceil(n / L)) trials, the last shorter (values checked in numpy).
  assert.deepEqual(segmentBounds(10, 4), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual(segmentBounds(5, 4), [[0, 3], [3, 5]]);
  assert.deepEqual(segmentBounds(300, 150), [[0, 150], [150, 300]]);
  assert.deepEqual(segmentBounds(301, 150), [[0, 101], [101, 202], [202, 301]]);
  assert.deepEqual(segmentBounds(150, 150), [[0, 150]]);
  for (let n = 1; n <= 60; n++) {
    for (let L = 1; L <= 20; L++) {
      const bounds = segmentBounds(n, L);
      assert.equal(bounds[bounds.length - 1][1], n);
      assert.ok(bounds.every(([s, e]) => e > s && e - s <= L), `n=${n} L=${L}`);
    }
  }
  const rows = Array.from(
    { length: 10 },
    (_, t) => ({ subjID: "a", choice: String(1 + (t % 2)), outcome: "1" }),
  );
  const data = applyPreset(rows, "hbayesdmReversal", { maxSegmentLength: 4 });
  assert.deepEqual(data.blocks.map((b) => b.id), ["a/0", "a/1", "a/2"]);
  assert.deepEqual(data.blocks.map((b) => b.action.length), [4, 4, 2]);
  assert.deepEqual(data.blocks[1].action, [0, 1, 0, 1]);
});

Deno.test("presets: block truncation keeps [start, end) and drops shorter blocks", () => {
  const rows = [
    ...Array.from({ length: 6 }, (_, t) => ({ subjID: "long", choice: t < 3 ? "1" : "2", outcome: "1" })),
    { subjID: "short", choice: "1", outcome: "1" },
  ];
  const data = applyPreset(rows, "hbayesdmReversal", { blockTruncation: [2, 5] });
  assert.deepEqual(data.blocks.map((b) => b.id), ["long"]);
  assert.deepEqual(data.blocks[0].action, [0, 1, 1]);
  assert.equal(data.meta?.droppedShortBlocks, 1);
});

Deno.test("presets: names, options and files are validated", () => {
  assertInputError(() => applyPreset([], "hbayesdmReversl" as never), /did you mean "hbayesdmReversal"/);
  assertInputError(
    () => parsePreset(REVERSAL, "hbayesdmReversal", { maxSegmentLen: 150 } as never),
    /unknown option "maxSegmentLen" \(did you mean "maxSegmentLength"\?\)/,
  );
  assertInputError(() => loadPreset("/no/such/file.txt", "tidy"), /\/no\/such\/file\.txt: no such file/);
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/prl.txt`, REVERSAL);
    const data = loadPreset(`${dir}/prl.txt`, PRESETS.hbayesdmReversal);
    assert.equal(data.meta?.source, `${dir}/prl.txt`);
    assert.equal(data.blocks.length, 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name: "presets: the Bartolo CSV gives the same blocks as loadBartolo on the .mat session",
  ignore: !exists(`${DATA}bartolo_V20161017.csv`) || !exists(`${DATA}${bartoloFileName("V20161017")}`),
  fn: () => {
    const full = loadPreset(`${DATA}bartolo_V20161017.csv`, "bartolo");
    assert.equal(full.blocks.length, 24);
    assert.ok(full.blocks.every((b) => b.action.length === 80));
    assert.equal(full.meta?.skippedRows, 36); // the unfinished block
    const fromCsv = loadPreset(`${DATA}bartolo_V20161017.csv`, "bartolo", { blockTruncation: [10, 70] });
    const fromMat = loadBartolo(DATA, { animal: "V" });
    assert.equal(fromCsv.blocks.length, fromMat.blocks.length);
    fromCsv.blocks.forEach((block, b) => {
      const other = fromMat.blocks[b];
      assert.equal(block.id, other.id);
      assert.deepEqual(block.action, other.action, `block ${b} action`);
      assert.deepEqual(block.reward, other.reward, `block ${b} reward`);
      assert.deepEqual(block.trialType, other.trialType, `block ${b} trialType`);
      assert.deepEqual(block.extra, other.extra, `block ${b} extras`);
    });
  },
});
