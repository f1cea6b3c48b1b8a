import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Dataset } from "../../src/data/dataset.ts";
import { loadCsv, parseCsv, saveCsv, toCsv } from "../../src/data/csv.ts";
import { TinyRnnInputError } from "../../src/options.ts";

const FIXTURE = new URL("../../../shared/fixtures/tutorial_bandit.csv", import.meta.url).pathname;
const BARTOLO = new URL("../../../shared/data/bartolo_V20161017.csv", import.meta.url).pathname;

function throwsInput(fn: () => void, message: string | RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TinyRnnInputError, `expected TinyRnnInputError, got ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const HEADER = "block,trial,action,reward";

Deno.test("the tutorial fixture loads: 500 blocks of 20 trials with p0, p1, p_action0 kept", () => {
  const data = loadCsv(FIXTURE);
  assert.equal(data.kind, "bandit");
  assert.equal(data.nActions, 2);
  assert.equal(data.blocks.length, 500);
  assert.ok(data.blocks.every((b) => b.action.length === 20 && b.id === undefined));
  const first = data.blocks[0];
  assert.deepEqual(first.action.slice(0, 4), [1, 0, 1, 1]);
  assert.deepEqual(first.reward.slice(0, 4), [1, 0, 1, 1]);
  assert.deepEqual(first.state, first.action);
  assert.deepEqual(first.trialType.slice(0, 4), [3, 0, 3, 3]);
  assert.deepEqual(Object.keys(first.extra!), ["p0", "p1", "p_action0"]);
  assert.equal(first.extra!.p0[0], 0.3745401188473625);
  assert.equal(first.extra!.p_action0[1], 0.2689414213699951);
  assert.equal(data.meta?.source, FIXTURE);
});

Deno.test("the tutorial fixture round-trips through toCsv with every number's text unchanged", () => {
  const original = Deno.readTextFileSync(FIXTURE).trimEnd().split("\n");
  const data = loadCsv(FIXTURE);
  const written = toCsv(data).trimEnd().split("\n");
  assert.equal(written[0], "block,trial,action,state,reward,p0,p1,p_action0");
  assert.equal(written.length, original.length);
  for (let i = 1; i < original.length; i++) {
    const [block, trial, action, reward, ...extras] = original[i].split(",");
    assert.equal(written[i], [block, trial, action, action, reward, ...extras].join(","), `line ${i + 1}`);
  }
  assert.deepEqual(parseCsv(toCsv(data)).blocks, data.blocks);
});

Deno.test("unequal blocks, masks, labels and awkward extras round-trip losslessly", () => {
  const data: Dataset = {
    kind: "bandit",
    nActions: 2,
    blocks: [
      {
        id: "s1",
        action: [0, 1, 1],
        state: [0, 1, 1],
        reward: [1, 0, 1],
        trialType: [1, 2, 3],
        mask: [1, 0, 1],
        extra: {
          rt: [0.1 + 0.2, -0, 1e-300],
          note: ['has "quotes", commas', "two\nlines", ""],
          code: ["007", "1e3", " 5"],
          mixed: [NaN, "x", Infinity],
        },
      },
      {
        id: "s2",
        action: [1],
        state: [1],
        reward: [0],
        trialType: [2],
        mask: [1],
        extra: { rt: [5e-324], note: ["ok"], code: ["NaN"], mixed: [-Infinity] },
      },
    ],
  };
  const text = toCsv(data);
  const back = parseCsv(text);
  assert.deepEqual(back, data);
  assert.ok(Object.is(back.blocks[0].extra!.rt[1], -0));
  assert.equal(toCsv(back), text);
});

Deno.test("a data set without labels comes back without labels; two-stage data with kind", () => {
  const data: Dataset = {
    kind: "twoStage",
    nActions: 2,
    blocks: [
      { action: [0, 1, 0, 0], state: [0, 1, 0, 0], reward: [1, 1, 0, 1], trialType: [1, 7, 0, 1] },
      { action: [1, 1], state: [0, 1], reward: [0, 1], trialType: [4, 7] },
    ],
  };
  assert.deepEqual(parseCsv(toCsv(data)), data);
  // State equals action in the first block only: the kind is still inferred as twoStage.
  assert.equal(parseCsv(toCsv(data)).kind, "twoStage");
  const onlyFirst: Dataset = { ...data, blocks: [data.blocks[0]] };
  assert.equal(parseCsv(toCsv(onlyFirst)).kind, "bandit");
  assert.deepEqual(parseCsv(toCsv(onlyFirst), { kind: "twoStage" }), onlyFirst);
});

Deno.test("saveCsv and loadCsv use files and create the folder", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const data = parseCsv(`${HEADER}\n0,0,1,1\n0,1,0,0\n1,0,1,0\n`);
    const path = `${dir}/nested/out.csv`;
    saveCsv(data, path);
    const back = loadCsv(path);
    assert.deepEqual(back.blocks, data.blocks);
    assert.equal(back.meta?.source, path);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("column mapping, missing state, tab delimiter and unsorted trials", () => {
  const text = "session\tt\tchoice\toutcome\tsubject\n" +
    "A\t2\t1\t1\tx\nA\t0\t0\t0\tx\nA\t1\t1\t0\tx\nB\t0\t0\t1\ty\n";
  const data = parseCsv(text, {
    columns: { block: "session", trial: "t", action: "choice", reward: "outcome" },
  });
  assert.equal(data.blocks.length, 2);
  assert.deepEqual(data.blocks.map((b) => b.id), ["A", "B"]);
  assert.deepEqual(data.blocks[0].action, [0, 1, 1]);
  assert.deepEqual(data.blocks[0].reward, [0, 0, 1]);
  assert.deepEqual(data.blocks[0].state, [0, 1, 1]);
  assert.deepEqual(data.blocks[0].trialType, [0, 2, 3]);
  // The subject column is the block's subject, not an extra.
  assert.equal(data.blocks[0].subject, "x");
  assert.equal(data.blocks[0].extra, undefined);
  // Without a trial column rows stay in file order.
  const noTrial = parseCsv("block,action,reward\n7,1,1\n7,0,0\n", {});
  assert.deepEqual(noTrial.blocks[0].action, [1, 0]);
  assert.equal(noTrial.blocks[0].id, 7);
});

Deno.test(
  "the Bartolo session maps block, reward and the chosen image",
  { ignore: !existsSync(BARTOLO) },
  () => {
    const data = loadCsv(BARTOLO, { columns: { action: "chosen_image", trial: "trial_in_block" } });
    assert.equal(data.blocks.length, 25);
    assert.deepEqual(data.blocks.map((b) => b.action.length), [...Array(24).fill(80), 36]);
    assert.deepEqual(data.blocks.map((b) => b.id), Array.from({ length: 25 }, (_, i) => i + 1));
    assert.equal(data.blocks[0].extra!.block_type[0], "where");
    assert.equal(data.blocks[0].extra!.session[0], "V20161017");
    assert.ok(data.blocks.every((b) => b.reward.every((r) => r === 0 || r === 1)));
    const byLocation = loadCsv(BARTOLO, { columns: { action: "chosen_location", trial: "trial_in_block" } });
    assert.deepEqual(byLocation.blocks[0].action.slice(0, 4), [0, 0, 0, 0]);
    assert.deepEqual(data.blocks[0].action.slice(0, 4), [0, 1, 1, 1]);
  },
);

Deno.test("errors name the file, the line and the column", () => {
  const source = "data.csv";
  const rows = Array.from({ length: 12 }, (_, t) => `0,${t},1,1`);
  throwsInput(
    () => parseCsv([HEADER, ...rows, "0,12,1,2"].join("\n"), { source }),
    'data.csv line 14, column "reward": expected 0 or 1, got "2"',
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,3,1\n`, { source }),
    'data.csv line 2, column "action": expected an integer in 0..1, got "3"',
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,1\n0,1,left,1\n`, { source }),
    'data.csv line 3, column "action": expected a number, got "left"',
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,,1\n`, { source }),
    'data.csv line 2, column "action": missing value',
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,NaN\n`, { source }),
    'data.csv line 2, column "reward": expected 0 or 1, got "NaN"',
  );
  throwsInput(
    () => parseCsv("session,choice,reward\n0,1,1\n", { source, columns: { block: "session" } }),
    'data.csv line 1: no column "action"; columns found: session, choice, reward; map yours with columns: { action: "<name>" }',
  );
  throwsInput(
    () => parseCsv("block,action,rewards\n0,1,1\n", { source }),
    /^data\.csv line 1: no column "reward" \(did you mean "rewards"\?\)/,
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,1\n`, { source, columns: { action: "choice" } }),
    /^data\.csv line 1: no column "choice"; columns found: block, trial, action, reward$/,
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,1\n`, { columns: { acton: "choice" } as never }),
    /unknown option "acton" \(did you mean "action"\?\)/,
  );
});

Deno.test("1-based actions and -1/+1 outcomes get a hint", () => {
  throwsInput(
    () =>
      parseCsv("block,choice,outcome\n0,1,1\n0,2,-1\n", {
        source: "h.csv",
        columns: { action: "choice", reward: "outcome" },
      }),
    'h.csv line 3, column "choice": expected an integer in 0..1, got "2" (actions are 0-based: recode 1..n as 0..n-1)',
  );
  throwsInput(
    () => parseCsv("block,action,reward\n0,1,-1\n", { source: "h.csv" }),
    'h.csv line 2, column "reward": expected 0 or 1, got "-1" (recode -1/+1 outcomes as 0/1)',
  );
});

Deno.test("two-stage states out of range and bandit states that differ from the action", () => {
  const header = "block,trial,action,state,reward";
  throwsInput(
    () => parseCsv(`${header}\n0,0,1,0,1\n0,1,1,2,1\n`, { source: "ts.csv" }),
    'ts.csv line 3, column "state": expected a second-stage state 0 or 1, got "2"',
  );
  throwsInput(
    () => parseCsv(`${header}\n0,0,1,0,1\n`, { source: "b.csv", kind: "bandit" }),
    'b.csv line 2, column "state": expected the action (1) in a bandit data set, got "0"',
  );
});

Deno.test("structure errors: empty file, header only, field counts, quotes, grouping, trials", () => {
  throwsInput(() => parseCsv("", { source: "e.csv" }), "e.csv is empty (expected a header line)");
  throwsInput(() => parseCsv("\n\n", { source: "e.csv" }), "e.csv is empty (expected a header line)");
  throwsInput(() => parseCsv(`${HEADER}\n`, { source: "h.csv" }), "h.csv has a header but no rows");
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,1\n0,1,1\n`, { source: "f.csv" }),
    "f.csv line 3: expected 4 fields (as in the header), got 3",
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,"1\n`, { source: "q.csv" }),
    "q.csv line 2: a quoted field is never closed",
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,1\n1,0,1,1\n0,1,1,1\n`, { source: "g.csv" }),
    'g.csv line 4, column "block": block 0 appears again after other blocks (first seen on line 2); ' +
      "the rows of a block must be contiguous",
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0,1,1\n0,1,1,1\n0,1,0,1\n`, { source: "d.csv" }),
    'd.csv line 4, column "trial": trial 1 appears twice in its block (also on line 3)',
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n0,0.5,1,1\n`, { source: "i.csv" }),
    'i.csv line 2, column "trial": expected an integer, got "0.5"',
  );
  throwsInput(
    () => parseCsv(`${HEADER}\n,0,1,1\n`, { source: "m.csv" }),
    'm.csv line 2, column "block": missing value',
  );
  throwsInput(
    () => parseCsv("block,block,action\n", { source: "x.csv" }),
    'x.csv line 1: column "block" appears twice in the header',
  );
});

Deno.test("quoted newlines keep line numbers right; CRLF and a BOM are accepted", () => {
  const text = '\ufeffblock,trial,action,reward,note\r\n0,0,1,1,"a\r\nb"\r\n0,1,1,7,c\r\n';
  throwsInput(
    () => parseCsv(text, { source: "n.csv" }),
    'n.csv line 4, column "reward": expected 0 or 1, got "7"',
  );
  const ok = parseCsv(text.replace(",7,", ",0,"));
  assert.deepEqual(ok.blocks[0].extra!.note, ["a\r\nb", "c"]);
});

Deno.test("nActions and binaryReward options", () => {
  const three = parseCsv(`${HEADER}\n0,0,2,1\n`, { nActions: 3 });
  assert.equal(three.nActions, 3);
  const graded = parseCsv(`${HEADER}\n0,0,1,-1\n0,1,0,0.5\n`, { binaryReward: false });
  assert.deepEqual(graded.blocks[0].reward, [-1, 0.5]);
  assert.deepEqual(graded.blocks[0].trialType, [2, 1]);
});

Deno.test("a missing file is a one-line input error", () => {
  throwsInput(() => loadCsv("/nonexistent/data.csv"), "/nonexistent/data.csv: no such file");
});
