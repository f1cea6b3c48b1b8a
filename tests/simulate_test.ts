import assert from "node:assert/strict";
import { cognitive } from "../src/agents/cognitive.ts";
import { TinyRnnInputError } from "../src/options.ts";
import { simulate } from "../src/simulate.ts";
import { tasks } from "../src/tasks/mod.ts";
import { readTutorialRows } from "./agents/fixture_csv.ts";

Deno.test("simulate reproduces tutorial_bandit.csv bit for bit", () => {
  const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 500,
    trials: 20,
    seed: 42,
  });
  assert.equal(data.kind, "bandit");
  for (const row of readTutorialRows()) {
    const b = data.blocks[row.block];
    const t = row.trial;
    const where = `block ${row.block} trial ${t}`;
    assert.equal(b.action[t], row.action, where);
    assert.equal(b.reward[t], row.reward, where);
    assert.equal(b.state[t], row.action, where);
    assert.equal(b.trialType[t], 2 * row.action + row.reward, where);
    assert.deepEqual(b.schedule!.rewardProbs[t], [row.p0, row.p1], where);
    assert.equal(b.choiceProbs![t][0], row.pAction0, where);
  }
});

Deno.test("simulate is deterministic per seed and records T+1 internal rows", () => {
  const agent = cognitive("MB1", { alpha: 0.4, beta: 0.7, iTemp: 4 });
  const a = simulate(agent, tasks.reversal(), { blocks: 5, trials: 60, seed: 3 });
  const b = simulate(agent, tasks.reversal(), { blocks: 5, trials: 60, seed: 3 });
  const c = simulate(agent, tasks.reversal(), { blocks: 5, trials: 60, seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.blocks.map((x) => x.action), c.blocks.map((x) => x.action));
  for (const block of a.blocks) {
    assert.equal(block.internal!.length, 61);
    assert.equal(block.choiceProbs!.length, 60);
    assert.deepEqual(block.internal![0], [0, 0]);
    assert.ok(block.trialType.every((tt, t) => tt === 2 * block.action[t] + block.reward[t]));
  }
  assert.deepEqual(a.meta, {
    task: { name: "reversal", params: { blockLength: 30, probs: [0.3, 0.7] } },
    agent: { name: "MB1", params: { alpha: 0.4, beta: 0.7, iTemp: 4 } },
    seed: 3,
    blocks: 5,
    trials: 60,
  });
});

Deno.test("two-stage simulation: kind, 4a+2s+r trial types, learner prefers the good option", () => {
  const data = simulate(cognitive("MB0", { alpha: 0.5, iTemp: 5 }, { pTransit: 0.8 }), tasks.twoStage(), {
    blocks: 40,
    trials: 100,
    seed: 1,
  });
  assert.equal(data.kind, "twoStage");
  const types = new Set<number>();
  let rewards = 0;
  for (const block of data.blocks) {
    block.trialType.forEach((tt, t) => {
      assert.equal(tt, 4 * block.action[t] + 2 * block.state[t] + block.reward[t]);
      types.add(tt);
    });
    rewards += block.reward.reduce((s, r) => s + r, 0);
    assert.equal(block.schedule!.transitionProbs!.length, 100);
  }
  assert.equal(types.size, 8);
  // Random choice earns 0.5 per trial; a learner tracking the good state earns clearly more.
  assert.ok(rewards / 4000 > 0.55, `reward rate ${rewards / 4000}`);
});

Deno.test("simulate validates its options", () => {
  const agent = cognitive("MB0");
  assert.throws(() => simulate(agent, tasks.bandit(), { block: 3 } as never), /did you mean "blocks"/);
  assert.throws(() => simulate(agent, tasks.bandit(), { trials: 0 }), TinyRnnInputError);
  assert.throws(() => simulate(agent, tasks.bandit(), { seed: -1 }), /seed/);
  assert.throws(() => simulate(agent, tasks.bandit(), { blocks: 1.5 }), /integer/);
});
