import assert from "node:assert/strict";
import type { Block, Dataset } from "../../src/data/dataset.ts";
import { validateDataset } from "../../src/data/validate.ts";
import { TinyRnnInputError } from "../../src/options.ts";

function bandit(blocks: Partial<Block>[]): Dataset {
  return {
    kind: "bandit",
    nActions: 2,
    blocks: blocks.map((b) => {
      const action = b.action ?? [0, 1, 1];
      const reward = b.reward ?? [1, 0, 1];
      return {
        action,
        state: b.state ?? action.slice(),
        reward,
        trialType: b.trialType ?? action.map((a, t) => 2 * a + reward[t]),
        ...b,
      } as Block;
    }),
  };
}

function throwsInput(fn: () => void, message: string | RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TinyRnnInputError, `expected TinyRnnInputError, got ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

Deno.test("a well-formed data set passes", () => {
  validateDataset(bandit([{}, { action: [1], reward: [0] }]));
  const twoStage: Dataset = {
    kind: "twoStage",
    nActions: 2,
    blocks: [{ action: [0, 1], state: [1, 1], reward: [0, 1], trialType: [2, 7], mask: [1, 0] }],
  };
  validateDataset(twoStage);
});

Deno.test("action outside [0, nActions) names block, trial and field", () => {
  throwsInput(
    () => validateDataset(bandit([{}, { action: [0, 3, 1], state: [0, 3, 1], trialType: [1, 6, 3] }])),
    'block 1, trial 1, field "action": expected an integer in 0..1, got 3',
  );
  throwsInput(
    () => validateDataset(bandit([{ action: [0, 0.5, 1], state: [0, 0.5, 1] }])),
    /trial 1, field "action": expected an integer in 0\.\.1, got 0\.5/,
  );
});

Deno.test("the source file starts the message", () => {
  throwsInput(
    () => validateDataset(bandit([{ reward: [1, 2, 1] }]), { source: "data.json" }),
    'data.json: block 0, trial 1, field "reward": expected 0 or 1, got 2',
  );
});

Deno.test("a block label is named next to its position", () => {
  throwsInput(
    () => validateDataset(bandit([{}, { id: "V20161017", reward: [1, 0, 5] }])),
    'block 1 (id "V20161017"), trial 2, field "reward": expected 0 or 1, got 5',
  );
});

Deno.test("NaN fails and non-binary rewards need binaryReward: false", () => {
  throwsInput(
    () => validateDataset(bandit([{ reward: [1, NaN, 1] }])),
    /trial 1, field "reward": expected 0 or 1, got NaN/,
  );
  throwsInput(
    () => validateDataset(bandit([{ action: [NaN, 0, 1] }])),
    /trial 0, field "action": .* got NaN/,
  );
  const graded = bandit([{ reward: [0.5, -1, 2], trialType: [1, 2, 3] }]);
  validateDataset(graded, { binaryReward: false });
  throwsInput(
    () =>
      validateDataset(bandit([{ reward: [0.5, Infinity, 1], trialType: [1, 2, 3] }]), {
        binaryReward: false,
      }),
    'block 0, trial 1, field "reward": expected a finite number, got Infinity',
  );
});

Deno.test("state must equal the action in a bandit and be 0/1 in a two-stage task", () => {
  throwsInput(
    () => validateDataset(bandit([{ state: [0, 0, 1] }])),
    'block 0, trial 1, field "state": expected the action (1) in a bandit data set, got 0',
  );
  const twoStage: Dataset = {
    kind: "twoStage",
    nActions: 2,
    blocks: [{ action: [0, 1], state: [1, 2], reward: [0, 1], trialType: [2, 9] }],
  };
  throwsInput(
    () => validateDataset(twoStage),
    'block 0, trial 1, field "state": expected a second-stage state 0 or 1, got 2',
  );
});

Deno.test("trial types must match the kind's encoding", () => {
  throwsInput(
    () => validateDataset(bandit([{ trialType: [1, 6, 3] }])),
    'block 0, trial 1, field "trialType": expected 2 (2·action + reward in a bandit data set), got 6',
  );
  const twoStage: Dataset = {
    kind: "twoStage",
    nActions: 2,
    blocks: [{ action: [1], state: [1], reward: [1], trialType: [3] }],
  };
  throwsInput(
    () => validateDataset(twoStage),
    /expected 7 \(4·action \+ 2·state \+ reward in a twoStage data set\), got 3/,
  );
});

Deno.test("empty blocks, no blocks and length mismatches", () => {
  throwsInput(
    () => validateDataset(bandit([{}, { action: [], reward: [] }])),
    "block 1 is empty (it has no trials)",
  );
  throwsInput(
    () => validateDataset({ kind: "bandit", nActions: 2, blocks: [] }),
    "the data set has no blocks",
  );
  throwsInput(
    () => validateDataset(bandit([{ reward: [1, 0] }])),
    "block 0: reward has 2 entries but action has 3",
  );
  throwsInput(() => validateDataset(bandit([{ mask: [1] }])), "block 0: mask has 1 entries but action has 3");
  throwsInput(
    () => validateDataset(bandit([{ extra: { rt: [1, 2] } }])),
    'block 0: extra column "rt" has 2 entries but action has 3',
  );
  throwsInput(
    () => validateDataset(bandit([{ internal: [[0], [0], [0]] }])),
    "block 0: internal has 3 entries but it needs 4 (T + 1)",
  );
  throwsInput(() => validateDataset(bandit([{ choiceProbs: [[0.5, 0.5]] }])), /choiceProbs has 1 entries/);
});

Deno.test("masks are 0 or 1 (issue #16: a fractional mask is an error, as in the original)", () => {
  validateDataset(bandit([{ mask: [1, 0, 1] }]));
  throwsInput(
    () => validateDataset(bandit([{ mask: [1, 0, 0.5] }])),
    /trial 2, field "mask": expected 0 or 1/,
  );
  throwsInput(
    () => validateDataset(bandit([{ mask: [1, 2, 1] }])),
    /trial 1, field "mask": expected 0 or 1/,
  );
});

Deno.test("kind, nActions and options are checked", () => {
  throwsInput(
    () => validateDataset({ ...bandit([{}]), kind: "bandits" as never }),
    'kind must be "bandit" or "twoStage", got "bandits"',
  );
  throwsInput(
    () => validateDataset({ ...bandit([{}]), nActions: 0 }),
    "nActions must be an integer >= 1, got 0",
  );
  throwsInput(
    () => validateDataset(bandit([{}]), { sorce: "x" } as never),
    /unknown option "sorce" \(did you mean "source"\?\)/,
  );
});

Deno.test("three-armed bandits accept action 2 when nActions is 3", () => {
  validateDataset({ ...bandit([{ action: [0, 2, 1], reward: [1, 0, 1] }]), nActions: 3 });
});
