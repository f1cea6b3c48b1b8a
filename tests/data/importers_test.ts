import assert from "node:assert/strict";
import { loadPreset, parsePreset } from "../../src/data/presets.ts";
import { splitRecords } from "../../src/data/import_helpers.ts";
import { loadJsPsych } from "../../src/data/jspsych.ts";
import { writeTestMat } from "./fixtures/mat5_writer.ts";
import { assertInputError, exists } from "./helpers.ts";

const DATA = new URL("../../../shared/data/", import.meta.url).pathname;

/** A fresh folder holding `files` (name -> text or bytes). */
function folder(files: Record<string, string | Uint8Array>): string {
  const dir = Deno.makeTempDirSync({ prefix: "tinyrnn_importers_" });
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === "string") Deno.writeTextFileSync(`${dir}/${name}`, content);
    else Deno.writeFileSync(`${dir}/${name}`, content);
  }
  return dir;
}

Deno.test("splitRecords: quotes, ragged rows, CRLF, blank lines", () => {
  const records = splitRecords('a,"b,c",d\r\n\r\n1,2\n"multi\nline",x\n');
  assert.deepEqual(records.map((r) => r.line), [1, 3, 4]);
  assert.deepEqual(records[0].cells, ["a", "b,c", "d"]);
  assert.deepEqual(records[1].cells, ["1", "2"]);
  assert.deepEqual(records[2].cells, ["multi\nline", "x"]);
});

const BAHRAMI = [
  "session,choice,reward,rt,payoff_group,reward_c1,reward_c2,reward_c3,reward_c4",
  "p01,1,57,812,2,57,40,33,61",
  "p01,4,62,640,2,55,41,30,62",
  "p01,,,NaN,2,56,43,31,60",
  "p01,2,44,701,2,54,44,29,63",
  "p02,3,NaN,NaN,1,20,30,40,50",
  "p02,NaN,,,1,21,31,41,51",
].join("\n");

Deno.test("bahrami: 4 arms 0-based, points kept, missed trials masked not dropped, payoffs as extras", () => {
  const text = BAHRAMI.replace("p02,3,NaN", "p02,3,40");
  const data = parsePreset(text, "bahrami", { source: "bahrami.csv" });
  assert.equal(data.kind, "bandit");
  assert.equal(data.nActions, 4);
  assert.equal(data.meta?.binaryReward, false);
  assert.deepEqual(data.blocks.map((b) => b.id), ["p01", "p02"]);
  assert.deepEqual(data.blocks.map((b) => b.subject), ["p01", "p02"]); // a session is one participant
  const [a, b] = data.blocks;
  assert.deepEqual(a.action, [0, 3, 0, 1]);
  assert.deepEqual(a.reward, [57, 62, 0, 44]);
  assert.deepEqual(a.mask, [1, 1, 0, 1]);
  assert.deepEqual(a.trialType, [1, 7, 0, 3]); // 2a + (r > 0)
  assert.deepEqual(a.extra?.missed, [0, 0, 1, 0]);
  assert.deepEqual(a.extra?.reward_c4, [61, 62, 60, 63]);
  assert.deepEqual(a.extra?.rt.slice(0, 2), [812, 640]);
  assert.deepEqual(b.action, [2, 0]);
  assert.deepEqual(b.mask, [1, 0]);
  // A reward missing on a trial with a choice, and a choice out of range, name the file, line and column.
  assertInputError(
    () => parsePreset(BAHRAMI, "bahrami", { source: "bahrami.csv" }),
    /bahrami\.csv line 6, column "reward": missing value on a trial with a choice/,
  );
  assertInputError(
    () => parsePreset(text.replace("p01,4,62", "p01,5,62"), "bahrami", { source: "bahrami.csv" }),
    /bahrami\.csv line 3, column "choice": expected one of 1, 2, 3, 4, got "5"/,
  );
  const dir = folder({ "b.csv": text });
  assert.equal(loadPreset(`${dir}/b.csv`, "bahrami").blocks.length, 2);
});

/** A Gillan raw row: trial, 4 drifts, stage 1 response/stimulus/rt, transition, stage 2 response/stimulus/state/rt, reward, spare. */
function gillanRow(t: number, s1: string, common: string, s2: string, state: string, reward: string): string {
  return [
    t,
    0.4,
    0.5,
    0.6,
    0.3,
    s1 === "1" ? "left" : "right",
    s1,
    512,
    common,
    "left",
    s2,
    state,
    433,
    reward,
    "x",
  ]
    .join(",");
}

Deno.test("gillan: task rows after the instruction marker, time-outs, one block per participant", () => {
  const study1 = [
    '"welcome",,"screen"',
    "instructions,twostep_instruct_9,done",
    gillanRow(1, "1", "true", "1", "2", "1"),
    gillanRow(2, "2", "false", "2", "2", "0"), // rare: stimulus 2 -> state 2
    gillanRow(3, "-1", "", "", "", ""), // first-stage time-out
    gillanRow(4, "2", "true", "-1", "3", "-1"), // second-stage time-out
    "",
    "survey,question_1,4",
  ].join("\n");
  const study2 = [
    "x,instructionLoop,1",
    "x,instructionLoop,2",
    gillanRow(1, "2", "true", "1", "3", "0"),
    gillanRow(2, "1", "false", "2", "3", "1"),
  ].join("\n");
  const dir = folder({ "3XY.csv": study1, "9AB.csv": study2, "notes.txt": "ignored" });
  const data = loadPreset(dir, "gillan");
  assert.equal(data.kind, "twoStage");
  assert.deepEqual(data.blocks.map((b) => b.id), ["3XY", "9AB"]);
  const [a, b] = data.blocks;
  assert.deepEqual(a.action, [0, 1, 0, 1]);
  assert.deepEqual(a.state, [0, 0, 0, 1]);
  assert.deepEqual(a.reward, [1, 0, 0, 0]);
  assert.deepEqual(a.mask, [1, 1, 0, 1]);
  assert.deepEqual(a.extra?.timeout, [0, 0, 1, 2]);
  assert.equal(a.subject, "3XY");
  assert.equal(a.extra?.subject, undefined);
  assert.deepEqual(a.extra?.stage2Choice.slice(0, 2), [0, 1]);
  assert.deepEqual(a.trialType, [1, 4, 0, 6]);
  assert.deepEqual(b.action, [1, 0]);
  assert.deepEqual(b.state, [1, 1]);
  assert.equal(b.mask, undefined);
  // A bad cell names the file, line and column.
  const bad = folder({
    "p.csv": study1.replace(
      gillanRow(2, "2", "false", "2", "2", "0"),
      gillanRow(2, "2", "false", "2", "4", "0"),
    ),
  });
  assertInputError(
    () => loadPreset(bad, "gillan"),
    /p\.csv line 4, column L \(stage_2_state\): expected 2 or 3, got "4"/,
  );
  const noMarker = folder({ "q.csv": gillanRow(1, "1", "true", "1", "2", "1") });
  assertInputError(() => loadPreset(noMarker, "gillan"), /q\.csv: no row holds "twostep_instruct_9"/);
  assertInputError(
    () => loadPreset(dir, "gillan", { nActions: 3 }),
    /option nActions does not apply to the gillan importer/,
  );
});

const AKAM_LOG = [
  "Subject: m12  Session: 3",
  "100 :trial-1/RewardBlock:0/TransitionBlock:1",
  "120 :poke_3",
  "150 :triggered Up",
  "160 :triggered Up",
  "300 :triggered Left",
  "450 :ons_msReward",
  "900 :trial-2/RewardBlock:0/TransitionBlock:1",
  "950 :triggered Down",
  "1100 :triggered Left",
  "1200 :ons_msNoRwrd",
  "1500 :trial-3/RewardBlock:1/TransitionBlock:1",
  "1550 :triggered Down", // no second step: masked
  "2000 :trial-4/RewardBlock:1/TransitionBlock:0",
  "2050 :triggered Up",
  "2300 :triggered Right",
  "2400 :ons_msReward",
  "3000 :trial-5/RewardBlock:1/TransitionBlock:0",
  "3050 :triggered Up", // session ended: dropped
].join("\n");

Deno.test("akamLog: events to trials, block states as extras, incomplete trials masked or dropped", () => {
  const dir = folder({ "m12_s3.txt": AKAM_LOG });
  const data = loadPreset(`${dir}/m12_s3.txt`, "akamLog");
  assert.equal(data.kind, "twoStage");
  const [block] = data.blocks;
  assert.equal(block.id, "m12_s3");
  assert.deepEqual(block.action, [0, 1, 0, 0]);
  assert.deepEqual(block.state, [0, 0, 0, 1]);
  assert.deepEqual(block.reward, [1, 0, 0, 1]);
  assert.deepEqual(block.mask, [1, 1, 0, 1]);
  assert.deepEqual(block.extra?.transitionBlock, [1, 1, 1, 0]);
  assert.deepEqual(block.extra?.rewardBlock, [0, 0, 1, 1]);
  assert.deepEqual(block.extra?.trialNumber, [1, 2, 3, 4]);
  const bad = folder({ "bad.log": AKAM_LOG.replace("1100 :triggered Left", "1100 triggered Left") });
  assertInputError(() => loadPreset(bad, "akamLog"), /bad\.log line 10: expected "<time_ms> :<event>"/);
});

function vector(data: number[]) {
  return { kind: "numeric" as const, class: "double", dims: [1, data.length], data };
}

Deno.test("suthaharan: MAT vectors per participant and block, subject = (file, ID), NaN choices masked", () => {
  const wave1 = writeTestMat({
    A17_V3_choices_1: vector([1, 3, NaN, 2]),
    A17_V3_outcomes_1: vector([1, 0, NaN, 1]),
    A17_V3_choices_2: vector([2, 2]),
    A17_V3_outcomes_2: vector([0, 1]),
    B02_V3_choices_1: vector([3]),
    B02_V3_outcomes_1: vector([1]),
    other: vector([9]),
  });
  const wave2 = writeTestMat({ A17_V3_choices_1: vector([1]), A17_V3_outcomes_1: vector([0]) }, {
    compress: true,
  });
  const dir = folder({ "wave1.mat": wave1, "wave2.mat": wave2 });
  const data = loadPreset(dir, "suthaharan");
  assert.equal(data.nActions, 3);
  assert.deepEqual(data.blocks.map((b) => b.id), [
    "wave1/A17/1",
    "wave1/A17/2",
    "wave1/B02/1",
    "wave2/A17/1",
  ]);
  const [a] = data.blocks;
  assert.deepEqual(a.action, [0, 2, 0, 1]);
  assert.deepEqual(a.reward, [1, 0, 0, 1]);
  assert.deepEqual(a.mask, [1, 1, 0, 1]);
  assert.equal(data.blocks[3].subject, "wave2/A17");
  assert.equal(data.blocks[0].subject, "wave1/A17");
  const bad = folder({
    "w.mat": writeTestMat({ C1_V3_choices_1: vector([1, 4]), C1_V3_outcomes_1: vector([1, 0]) }),
  });
  assertInputError(
    () => loadPreset(bad, "suthaharan"),
    /w\.mat, variable C1_V3_choices_1, trial 2: expected a choice 1, 2 or 3, got 4/,
  );
  const unpaired = folder({ "u.mat": writeTestMat({ C1_V3_choices_1: vector([1]) }) });
  assertInputError(
    () => loadPreset(unpaired, "suthaharan"),
    /u\.mat: C1_V3_choices_1 has no matching C1_V3_outcomes_1/,
  );
});

const DEZFOULI = [
  ",ID,key,block,time,condition,outcome,reward,code,trial,choice,diag,PressRate.sec,Mania,Depression",
  "1,s_005_,R2,1,4981,6,null,0,2,1,R2,Depression,1.45,1,13",
  "2,s_005_,R1,1,5572,6,O2,1,3,1,R1,Depression,1.45,1,13",
  "3,s_005_,R2,1,6000,3,null,0,1,2,R1,Depression,1.45,1,13",
  "4,s_009_,R1,2,400,1,O1,1,3,1,R1,Healthy,1.2,0,2",
].join("\n");

Deno.test("dezfouli: one trial per press (the choice column), blocks = subject x block", () => {
  const dir = folder({ "choices_diagno.csv": DEZFOULI });
  const data = loadPreset(dir, "dezfouli");
  assert.deepEqual(data.blocks.map((b) => b.id), ["s_005_/1", "s_005_/2", "s_009_/1"]);
  assert.deepEqual(data.blocks[0].action, [1, 0]);
  assert.deepEqual(data.blocks[0].reward, [0, 1]);
  assert.deepEqual(data.blocks[1].action, [0]); // key R2 but response R1
  assert.deepEqual(data.blocks[1].extra?.key, ["R2"]);
  assert.equal(data.blocks[2].subject, "s_009_");
  const bad = folder({ "choices_diagno.csv": DEZFOULI.replace("1,R1,Depression", "1,R3,Depression") });
  assertInputError(
    () => loadPreset(bad, "dezfouli"),
    /choices_diagno\.csv line 3, column "choice": expected R1 or R2, got "R3"/,
  );
});

Deno.test({
  name: "dezfouli: the published file (skipped without ../shared/data)",
  ignore: !exists(`${DATA}dezfouli2019/choices_diagno.csv`),
  fn() {
    const data = loadPreset(`${DATA}dezfouli2019`, "dezfouli");
    assert.equal(data.blocks.length, 101 * 12);
    // The file has 132,251 press rows (row index 1..132251; the data README says 132,250).
    assert.equal(data.blocks.reduce((s, b) => s + b.action.length, 0), 132251);
  },
});

const CARPET = [
  "trial,common,reward.1.1,reward.1.2,reward.2.1,reward.2.2,isymbol_lft,isymbol_rgt,rt1,choice1,final_state,fsymbol_lft,fsymbol_rgt,rt2,choice2,reward,slow",
  "0,1,0.6,0.6,0.6,0.4,2,1,0.73,2,2,2,1,0.31,1,1,0",
  "1,0,0.5,0.6,0.6,0.4,2,1,0.46,2,1,1,2,0.81,1,0,0",
  "2,1,0.5,0.6,0.6,0.4,1,2,-1,-1,-1,-1,-1,-1,-1,0,1",
  "3,1,0.5,0.6,0.6,0.4,1,2,0.4,1,1,1,2,-1,-1,0,1",
].join("\n");
const SPACESHIP = [
  "trial,rwrd_prob0,rwrd_prob1,rwrd_prob2,rwrd_prob3,symbol0,symbol1,common,choice1,rt1,final_state,choice2,rt2,reward,slow",
  "1,0.5,0.3,0.4,0.3,1,1,0,1,0.5,0,0,0.7,1,0", // symbols 1,1: spaceship 1 commonly to planet 1; rare to 0
  "2,0.5,0.3,0.4,0.3,0,1,1,0,0.3,1,1,0.6,0,0", // symbols 0,1: spaceship 0 commonly to planet 1
].join("\n");

Deno.test("feherdasilva: magic carpet and spaceship files, common transitions as state = action", () => {
  const root = Deno.makeTempDirSync({ prefix: "tinyrnn_fds_" });
  Deno.mkdirSync(`${root}/magic_carpet/choices`, { recursive: true });
  Deno.mkdirSync(`${root}/spaceship/choices`, { recursive: true });
  Deno.writeTextFileSync(`${root}/magic_carpet/choices/00001_game.csv`, CARPET);
  Deno.writeTextFileSync(`${root}/magic_carpet/choices/00001_tutorial.csv`, CARPET);
  Deno.writeTextFileSync(`${root}/spaceship/choices/00002.csv`, SPACESHIP);
  const data = loadPreset(root, "feherdasilva");
  assert.deepEqual(data.blocks.map((b) => b.id), ["magic_carpet/00001", "spaceship/00002"]);
  const [carpet, ship] = data.blocks;
  assert.deepEqual(carpet.action, [1, 1, 0, 0]);
  assert.deepEqual(carpet.state, [1, 0, 0, 0]);
  assert.deepEqual(carpet.reward, [1, 0, 0, 0]);
  assert.deepEqual(carpet.mask, [1, 1, 0, 1]);
  assert.deepEqual(ship.action, [1, 1]);
  assert.deepEqual(ship.state, [0, 1]);
  assert.deepEqual(ship.extra?.spaceship, [1, 0]);
  Deno.writeTextFileSync(
    `${root}/spaceship/choices/00002.csv`,
    SPACESHIP.replace("1,1,0,1,0.5,0", "1,1,1,1,0.5,0"),
  );
  assertInputError(
    () => loadPreset(`${root}/spaceship/choices`, "feherdasilva"),
    /00002\.csv line 2, column "common": 1 disagrees/,
  );
});

Deno.test({
  name: "feherdasilva: the published files (skipped without ../shared/data)",
  ignore: !exists(`${DATA}feherdasilva2020`),
  fn() {
    const data = loadPreset(`${DATA}feherdasilva2020`, "feherdasilva");
    assert.equal(data.blocks.length, 24 + 21);
    assert.equal(data.blocks.filter((b) => String(b.id).startsWith("spaceship/")).length, 21);
  },
});

Deno.test("jspsych: JSON and CSV exports, labels, time-outs masked, subjects as blocks", () => {
  const json = JSON.stringify([
    { trial_type: "instructions", subject: "s1" },
    { trial_type: "bandit", subject: "s1", response: "j", points: 30 },
    { trial_type: "bandit", subject: "s1", response: null, points: 0 },
    { trial_type: "bandit", subject: "s2", response: "f", points: 0 },
  ]);
  const dir = folder({ "e.json": json, "e2.csv": "subject,button,reward\ns9,1,1\ns9,,\ns9,0,0\n" });
  const data = loadPreset(`${dir}/e.json`, "jspsych", { columns: { reward: "points" } });
  assert.deepEqual(data.blocks.map((b) => b.id), ["s1", "s2"]);
  assert.deepEqual(data.blocks[0].action, [1, 0]); // labels f, j in sorted order
  assert.deepEqual(data.blocks[0].mask, [1, 0]);
  assert.deepEqual(data.blocks[0].reward, [30, 0]);
  assert.equal(data.meta?.binaryReward, false);
  const csv = loadPreset(`${dir}/e2.csv`, "jspsych", { columns: { action: "button" } });
  // The time-out row has no reward, so the default filter (records with a reward) leaves it out ...
  assert.deepEqual(csv.blocks[0].action, [1, 0]);
  // ... and `where` selects task records instead, keeping it as a masked trial.
  const all = loadJsPsych(`${dir}/e2.csv`, { columns: { action: "button" }, where: { subject: "s9" } });
  assert.deepEqual(all.blocks[0].mask, [1, 0, 1]);
  assertInputError(
    () => loadPreset(`${dir}/e.json`, "jspsych", { columns: { reward: "trial_type" } }),
    /e\.json line 1, column "reward"|e\.json line 2, column "trial_type": expected a number/,
  );
});
