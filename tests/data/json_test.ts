import assert from "node:assert/strict";
import type { Dataset } from "../../src/data/dataset.ts";
import { fromJson, loadJson, saveJson, toJson } from "../../src/data/json.ts";
import { TinyRnnInputError } from "../../src/options.ts";

function throwsInput(fn: () => void, message: string | RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TinyRnnInputError, `expected TinyRnnInputError, got ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const full: Dataset = {
  kind: "twoStage",
  nActions: 2,
  meta: { task: "twoStage", agent: { name: "MB0", params: { alpha: 0.5 } }, seed: 42 },
  blocks: [
    {
      id: "s1",
      action: [0, 1],
      state: [1, 1],
      reward: [0, 1],
      trialType: [2, 7],
      mask: [1, 0],
      extra: { rt: [NaN, -0], label: ["a", "NaN"] },
      schedule: { rewardProbs: [[0.2, 0.8], [0.2, 0.8]], transitionProbs: [0.8, 0.8] },
      choiceProbs: [[0.5, 0.5], [0.1 + 0.2, 0.7]],
      internal: [[0, 0], [Infinity, -Infinity], [1e-310, 1]],
    },
    { action: [1], state: [0], reward: [1], trialType: [5] },
  ],
};

Deno.test("toJson/fromJson is lossless, including NaN, ±Infinity and -0", () => {
  const back = fromJson(toJson(full));
  assert.deepEqual(back, full);
  assert.ok(Object.is(back.blocks[0].extra!.rt[1], -0));
  assert.equal(toJson(back), toJson(full));
});

Deno.test("saveJson and loadJson", () => {
  const dir = Deno.makeTempDirSync();
  try {
    saveJson(full, `${dir}/sub/data.json`);
    assert.deepEqual(loadJson(`${dir}/sub/data.json`), full);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("hand-written JSON may leave out trialType (and state for bandits)", () => {
  const data = fromJson('{"kind":"bandit","nActions":2,"blocks":[{"action":[0,1],"reward":[1,0]}]}');
  assert.deepEqual(data.blocks[0], { action: [0, 1], state: [0, 1], reward: [1, 0], trialType: [1, 2] });
});

Deno.test("JSON errors name the file, block, trial and field", () => {
  const source = "data.json";
  throwsInput(() => fromJson("{", { source }), /^data\.json: not valid JSON/);
  throwsInput(
    () => fromJson("[]", { source }),
    "data.json: expected a JSON object with kind, nActions and blocks",
  );
  throwsInput(
    () => fromJson('{"kind":"bandit","nActions":2,"blocks":[{"actions":[0],"reward":[1]}]}', { source }),
    /^data\.json: block 0: unknown field "actions" \(did you mean "action"\?\)/,
  );
  throwsInput(
    () => fromJson('{"kind":"bandit","nActions":2,"blocks":[{"action":[0,"1"],"reward":[1,1]}]}', { source }),
    'data.json: block 0, trial 1, field "action": expected a number, got "1"',
  );
  throwsInput(
    () => fromJson('{"kind":"bandit","nActions":2,"blocks":[{"action":[0,1],"reward":[1,3]}]}', { source }),
    'data.json: block 0, trial 1, field "reward": expected 0 or 1, got 3',
  );
  throwsInput(
    () =>
      fromJson(
        '{"kind":"bandit","nActions":2,"blocks":[{"action":[0,1],"reward":[1,1],"trialType":[1,1]}]}',
        {
          source,
        },
      ),
    /^data\.json: block 0, trial 1, field "trialType": expected 3/,
  );
  throwsInput(
    () => fromJson('{"kind":"bandit","nActions":2,"blocks":[{"action":[],"reward":[]}]}', { source }),
    "data.json: block 0 is empty (it has no trials)",
  );
  throwsInput(
    () => fromJson('{"format":"other","kind":"bandit","nActions":2,"blocks":[]}', { source }),
    'data.json: format is "other", expected "tinyrnn-dataset"',
  );
  throwsInput(() => loadJson("/nonexistent/x.json"), "/nonexistent/x.json: no such file");
});
