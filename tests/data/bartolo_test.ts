import assert from "node:assert/strict";
import { BARTOLO_SESSIONS, bartoloFileName, loadBartolo } from "../../src/data/bartolo.ts";
import { writeTestMat } from "./fixtures/mat5_writer.ts";
import { assertInputError, exists } from "./helpers.ts";

const DATA = new URL("../../../shared/data/", import.meta.url).pathname;
const SESSION_FILE = `${DATA}${bartoloFileName("V20161017")}`;
const SESSION_CSV = `${DATA}bartolo_V20161017.csv`;

interface SyntheticBlock {
  id: number;
  /** 1 = what, 2 = where. */
  type: number;
  trials: number;
  completed?: boolean;
}

/**
 * Rows of a synthetic Y: on trial t of a block the chosen image is t % 2, the chosen location (t >> 1) % 2 and
 * the outcome (t % 3 === 0), so that which column became the action is visible.
 */
function syntheticY(blocks: SyntheticBlock[]): number[][] {
  const rows: number[][] = [];
  blocks.forEach((b, order) => {
    for (let t = 0; t < b.trials; t++) {
      rows.push([
        t % 2,
        (t >> 1) % 2,
        t % 3 === 0 ? 1 : 0,
        1,
        1,
        t + 1,
        t === 40 ? 1 : 0,
        b.id,
        order + 1,
        b.type,
        rows.length + 1,
        b.trials,
        b.completed === false ? 0 : 1,
      ]);
    }
  });
  return rows;
}

function writeSession(dir: string, session: string, y: number[][], compress = true): string {
  const path = `${dir}/${bartoloFileName(session)}`;
  const columns = y.length ? y[0].length : 13;
  Deno.writeFileSync(
    path,
    writeTestMat({
      Y: { kind: "numeric", class: "double", dims: [y.length, columns], data: y.flat(), storage: 4 },
      recSess: { kind: "char", rows: [session] },
    }, { compress }),
  );
  return path;
}

const STANDARD: SyntheticBlock[] = [
  { id: 0, type: 1, trials: 5 }, // not a task block (ID outside 1..24): dropped
  { id: 14, type: 2, trials: 80 },
  { id: 3, type: 1, trials: 80 },
  { id: 7, type: 1, trials: 33, completed: false }, // unfinished: dropped
];

Deno.test("bartolo: synthetic session gives what/where blocks truncated to trials 10..69", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = writeSession(dir, "V20161005", syntheticY(STANDARD));
    const data = loadBartolo(path);
    assert.equal(data.kind, "bandit");
    assert.equal(data.nActions, 2);
    assert.equal(data.blocks.length, 2);
    const [where, what] = data.blocks;
    assert.equal(where.id, "V20161005/2");
    assert.equal(what.id, "V20161005/3");
    const trials = Array.from({ length: 60 }, (_, i) => i + 10);
    assert.deepEqual(where.action, trials.map((t) => (t >> 1) % 2));
    assert.deepEqual(what.action, trials.map((t) => t % 2));
    for (const block of data.blocks) {
      assert.deepEqual(block.reward, trials.map((t) => (t % 3 === 0 ? 1 : 0)));
      assert.deepEqual(block.state, block.action);
      assert.deepEqual(block.trialType, block.action.map((a, t) => 2 * a + block.reward[t]));
      assert.deepEqual(block.extra?.trialInBlock, trials.map((t) => t + 1));
      assert.deepEqual(block.extra?.reversal, trials.map((t) => (t === 40 ? 1 : 0)));
    }
    assert.deepEqual(where.extra?.blockType, new Array(60).fill("where"));
    assert.deepEqual(what.extra?.blockType, new Array(60).fill("what"));

    const full = loadBartolo(path, { blockTruncation: null });
    assert.equal(full.blocks[0].action.length, 80);
    const whatOnly = loadBartolo(path, { blockType: "what", blockTruncation: [0, 5] });
    assert.deepEqual(whatOnly.blocks.map((b) => b.id), ["V20161005/3"]);
    assert.deepEqual(whatOnly.blocks[0].action, [0, 1, 0, 1, 0]);
    const whereOnly = loadBartolo(path, { blockType: "where" });
    assert.deepEqual(whereOnly.blocks.map((b) => b.id), ["V20161005/2"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("bartolo: a folder is read in the paper's session order, per animal", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const y = syntheticY(STANDARD.slice(1, 2));
    for (const session of ["W20160122", "V20161017", "V20160929", "W20160112"]) {
      writeSession(dir, session, y, false);
    }
    Deno.writeTextFileSync(`${dir}/notes.txt`, "not a session");
    const sessionsOf = (animal?: "V" | "W" | "all") =>
      loadBartolo(dir, animal ? { animal } : {}).meta?.sessions;
    assert.deepEqual(sessionsOf("V"), ["V20160929", "V20161017"]);
    assert.deepEqual(sessionsOf("W"), ["W20160112", "W20160122"]);
    assert.deepEqual(sessionsOf(), ["V20160929", "V20161017", "W20160112", "W20160122"]);
    // Each block's subject is its monkey.
    const all = loadBartolo(dir);
    assert.deepEqual([...new Set(all.blocks.map((b) => b.subject))], ["V", "W"]);
    assert.ok(all.blocks.every((b) => b.subject === String(b.id)[0]));
    assert.deepEqual(
      loadBartolo([`${dir}/${bartoloFileName("W20160122")}`, `${dir}/${bartoloFileName("V20160929")}`]).meta
        ?.sessions,
      ["W20160122", "V20160929"],
    );
    const empty = Deno.makeTempDirSync();
    try {
      assertInputError(
        () => loadBartolo(empty, { animal: "W" }),
        /holds none of the Bartolo session files of animal W/,
      );
    } finally {
      Deno.removeSync(empty);
    }
    assert.equal(BARTOLO_SESSIONS.V.length, 4);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("bartolo: files that are not such a session are refused, naming the file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const noY = `${dir}/noY.mat`;
    Deno.writeFileSync(
      noY,
      writeTestMat({ X: { kind: "numeric", class: "double", dims: [1, 1], data: [1] } }),
    );
    assertInputError(
      () => loadBartolo(noY),
      /noY\.mat is not a Bartolo session: it has no behaviour matrix Y/,
    );

    const narrow = writeSession(dir, "V1", syntheticY(STANDARD).map((row) => row.slice(0, 12)));
    assertInputError(() => loadBartolo(narrow), /SPKcounts_V1cue.* Y has 12 columns, expected 13/);

    const short = writeSession(dir, "V2", syntheticY([{ id: 4, type: 1, trials: 79 }]));
    assertInputError(
      () => loadBartolo(short),
      /V2cue.*: 79 trials belong to completed blocks .* multiple of the 80/,
    );
    assertInputError(
      () => loadBartolo(short, { blockType: "where" }),
      /V2cue.*: 0 trials belong to completed "where" blocks/,
    );

    const bad = syntheticY(STANDARD);
    bad[20][2] = 2;
    const badOutcome = writeSession(dir, "V4", bad);
    assertInputError(() => loadBartolo(badOutcome), /V4cue.*: Y\(21, 3\) \(outcome\) must be 0 or 1, got 2/);

    const text = `${dir}/${bartoloFileName("V5")}`;
    Deno.writeTextFileSync(text, "session,block\n".repeat(20));
    assertInputError(() => loadBartolo(text), /V5cue_MW_250X250ms\.mat is not a MATLAB v5 MAT-file/);

    const full = Deno.readFileSync(writeSession(dir, "V6", syntheticY(STANDARD), false));
    const cut = `${dir}/cut.mat`;
    Deno.writeFileSync(cut, full.subarray(0, full.length - 100));
    assertInputError(() => loadBartolo(cut), /MAT-file .*cut\.mat: truncated/);

    assertInputError(() => loadBartolo(`${dir}/missing.mat`), /missing\.mat: no such file or folder/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("bartolo: options are validated", () => {
  assertInputError(
    () => loadBartolo("x.mat", { blockTrunction: [10, 70] } as never),
    /unknown option "blockTrunction" \(did you mean "blockTruncation"\?\)/,
  );
  assertInputError(() => loadBartolo("x.mat", { blockType: "whre" as never }), /did you mean "where"/);
  assertInputError(
    () => loadBartolo("x.mat", { blockTruncation: [10, 81] }),
    /blockTruncation\[1\] must be <= 80/,
  );
  assertInputError(
    () => loadBartolo("x.mat", { blockTruncation: [10, 10] }),
    /blockTruncation\[1\] must be >= 11/,
  );
  assertInputError(() => loadBartolo(["x.mat"], { animal: "V" }), /animal selects sessions from a folder/);
});

Deno.test({
  name: "bartolo: session V20161017 gives 24 blocks x 60 trials that match the CSV trial by trial",
  ignore: !exists(SESSION_FILE) || !exists(SESSION_CSV),
  fn: () => {
    const data = loadBartolo(DATA, { animal: "V" });
    assert.deepEqual(data.meta?.sessions, ["V20161017"]);
    assert.equal(data.blocks.length, 24);
    for (const block of data.blocks) assert.equal(block.action.length, 60);

    // The CSV, read independently: completed blocks in file order, trials 11..70 (1-based) of each.
    const [header, ...lines] = Deno.readTextFileSync(SESSION_CSV).trim().split(/\r?\n/);
    const names = header.split(",");
    const rows = lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v])));
    const completed = rows.filter((r) => r.block_completed === "1");
    assert.equal(completed.length, 24 * 80);
    data.blocks.forEach((block, b) => {
      const blockRows = completed.slice(b * 80, b * 80 + 80).slice(10, 70);
      assert.equal(block.id, `V20161017/${blockRows[0].block}`);
      blockRows.forEach((r, t) => {
        const at = `block ${b}, trial ${t}`;
        const action = Number(r.block_type === "what" ? r.chosen_image : r.chosen_location);
        assert.equal(block.action[t], action, `${at}: action`);
        assert.equal(block.reward[t], Number(r.reward), `${at}: reward`);
        assert.equal(block.trialType[t], 2 * action + Number(r.reward), `${at}: trial type`);
        assert.equal(block.extra?.blockType[t], r.block_type, `${at}: block type`);
        assert.equal(block.extra?.reversal[t], Number(r.programmed_reversal), `${at}: reversal`);
        assert.equal(block.extra?.trialInBlock[t], Number(r.trial_in_block), `${at}: trial in block`);
      });
    });
    const whereBlocks = data.blocks.filter((b) => b.extra?.blockType[0] === "where").length;
    assert.equal(whereBlocks, 12);
  },
});
