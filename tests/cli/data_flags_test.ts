import assert from "node:assert/strict";
import { loadDataFromFlags } from "../../cli/data_flags.ts";
import { UsageError } from "../../cli/args.ts";

const SHARED_DATA = new URL("../../../shared/data/", import.meta.url).pathname;
const MAT = `${SHARED_DATA}SPKcounts_V20161017cue_MW_250X250ms.mat`;
const CSV = `${SHARED_DATA}bartolo_V20161017.csv`;
const hasSharedData = (() => {
  try {
    Deno.statSync(MAT);
    return true;
  } catch {
    return false;
  }
})();

Deno.test({
  name:
    "data flags: a Bartolo .mat session, its folder and the session CSV with --preset bartolo give one data set",
  ignore: !hasSharedData,
  fn() {
    const fromMat = loadDataFromFlags({ data: MAT });
    assert.equal(fromMat.blocks.length, 24);
    assert.ok(fromMat.blocks.every((b) => b.action.length === 60));
    const fromFolder = loadDataFromFlags({ data: SHARED_DATA });
    assert.deepEqual(fromFolder.blocks.map((b) => b.action), fromMat.blocks.map((b) => b.action));
    const fromCsv = loadDataFromFlags({ data: CSV, preset: "bartolo" });
    // The CSV keeps whole 80-trial blocks (and the unfinished one) unless truncated; actions agree trial by trial
    // on the kept window.
    const completed = fromCsv.blocks.filter((b) => b.action.length === 80);
    assert.equal(completed.length, 24);
    completed.forEach((b, i) => assert.deepEqual(b.action.slice(10, 70), fromMat.blocks[i].action));
  },
});

Deno.test("data flags: unknown preset, --kind with a preset, --segment without one are one-line usage errors", () => {
  assert.throws(() => loadDataFromFlags({ data: "x.csv", preset: "bartolx" }), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /did you mean "bartolo"/);
    return true;
  });
  assert.throws(() => loadDataFromFlags({ data: "x.csv", preset: "tidy", kind: "bandit" }), UsageError);
  assert.throws(
    () => loadDataFromFlags({ data: "x.csv", segment: "100" }),
    /--segment applies with --preset/,
  );
  assert.throws(() => loadDataFromFlags({ data: "x.mat", columns: "action=a" }), /does not apply/);
});

Deno.test("data flags: --preset reaches every importer (bahrami, a file importer), with their flags checked", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const file = `${dir}/bahrami.csv`;
    Deno.writeTextFileSync(
      file,
      [
        "session,choice,reward,rt,payoff_group,reward_c1,reward_c2,reward_c3,reward_c4",
        "p01,1,57,812,2,57,40,33,61",
        "p01,4,62,640,2,55,41,30,62",
        "p02,3,40,700,1,20,30,40,50",
      ].join("\n"),
    );
    const data = loadDataFromFlags({ data: file, preset: "bahrami" });
    assert.equal(data.nActions, 4);
    assert.equal(data.blocks.length, 2);
    assert.throws(() => loadDataFromFlags({ data: dir, preset: "gillan", columns: "a=b" }), /does not apply/);
    assert.throws(() => loadDataFromFlags({ data: file, preset: "gilan" }), /did you mean "gillan"/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
