import assert from "node:assert/strict";
import { traceBlock } from "../../src/agents/agent.ts";
import { logitChanges, relativeToChosen } from "../../src/analysis/logits.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { qLearner, simulateBandit } from "./test_agents.ts";

Deno.test("logitChanges: one entry per trial, L and dL from the trace, concatenated over blocks", () => {
  const agent = qLearner(0.4, 3);
  const data = simulateBandit(agent, 3, 7, 1);
  const changes = logitChanges(agent, data);
  assert.equal(changes.logit.length, 21);
  let i = 0;
  data.blocks.forEach((block, b) => {
    const trace = traceBlock(agent, block);
    for (let t = 0; t < 7; t++, i++) {
      const l = trace.scores[t][0] - trace.scores[t][1];
      assert.equal(changes.logit[i], l);
      assert.equal(changes.change[i], trace.scores[t + 1][0] - trace.scores[t + 1][1] - l);
      assert.equal(changes.trialType[i], block.trialType[t]);
      assert.equal(changes.block[i], b);
      assert.equal(changes.trial[i], t);
      assert.equal(changes.nextAction[i], t < 6 ? block.action[t + 1] : -1);
      assert.deepEqual(changes.state[i], trace.states[t]);
      assert.deepEqual(changes.nextState[i], trace.states[t + 1]);
    }
  });
});

Deno.test("logitChanges: accepts a fitted model through .agent(), skips masked trials, checks columns", () => {
  const agent = qLearner(0.4, 3);
  const data = simulateBandit(agent, 2, 5, 2);
  data.blocks[1].mask = [1, 1, 0, 1, 0];
  const changes = logitChanges({ agent: () => agent }, data);
  assert.deepEqual(Array.from(changes.trial), [0, 1, 2, 3, 4, 0, 1, 3]);
  // The masked trial is still fed to the agent: trial 3 of block 1 starts from the state after trial 2.
  assert.deepEqual(changes.state[7], traceBlock(agent, data.blocks[1]).states[3]);
  data.blocks[0].trialType.pop();
  assert.throws(
    () => logitChanges(agent, data),
    (e: Error) => e instanceof TinyRnnInputError && /block 0/.test(e.message),
  );
  assert.throws(() => logitChanges({} as never, data), TinyRnnInputError);
});

Deno.test("relativeToChosen negates L and dL on A2 trials only", () => {
  const agent = qLearner(0.4, 3);
  const changes = logitChanges(agent, simulateBandit(agent, 1, 30, 3));
  const relative = relativeToChosen(changes);
  for (let i = 0; i < 30; i++) {
    const sign = changes.action[i] === 0 ? 1 : -1;
    assert.equal(relative.logit[i], sign * changes.logit[i]);
    assert.equal(relative.change[i], sign * changes.change[i]);
  }
});

Deno.test("logitChanges with k > 2 options: the chosen option's log-odds against the others, and its change", async () => {
  const { cognitive } = await import("../../src/agents/cognitive.ts");
  const { simulate } = await import("../../src/simulate.ts");
  const { tasks } = await import("../../src/tasks/mod.ts");
  const { chosenLogOdds } = await import("../../src/analysis/logits.ts");
  const { logitDynamics } = await import("../../src/analysis/logit_dynamics.ts");
  const { nextChoiceFrequency } = await import("../../src/analysis/choice_frequency.ts");
  // log P(c) / (1 - P(c)) by hand for scores [1, 0, 0, 0]: P(0) = e / (e + 3).
  const p = Math.E / (Math.E + 3);
  assert.ok(Math.abs(chosenLogOdds([1, 0, 0, 0], 0) - Math.log(p / (1 - p))) < 1e-15);
  assert.ok(Math.abs(chosenLogOdds([1000, 0, -1000], 1) - (0 - 1000)) < 1e-9); // stable for large scores
  assert.equal(chosenLogOdds([0.3, -0.2], 1), -0.2 - 0.3); // two options: the relative logit
  const agent = cognitive("QFP", { alpha: 0.4, forget: 0.1, k_pers: 0.3, iTemp: 6 }, { nActions: 4 });
  const data = simulate(agent, tasks.kArmedBandit(), { blocks: 3, trials: 25, seed: 4 });
  const changes = logitChanges(agent, data);
  assert.equal(changes.nActions, 4);
  assert.equal(changes.logitOf, "chosen");
  let i = 0;
  for (const block of data.blocks) {
    const trace = traceBlock(agent, block);
    for (let t = 0; t < block.action.length; t++, i++) {
      const c = block.action[t];
      assert.equal(changes.logit[i], chosenLogOdds(trace.scores[t], c));
      assert.equal(changes.change[i], chosenLogOdds(trace.scores[t + 1], c) - changes.logit[i]);
    }
  }
  // Already relative: relativeToChosen leaves it as it is.
  assert.deepEqual(relativeToChosen(changes).logit, changes.logit);
  const rows = logitDynamics(changes);
  assert.equal(rows.length, 8);
  assert.deepEqual(rows.map((r) => r.label).slice(6), ["A4 R=0", "A4 R=1"]);
  assert.equal(rows.reduce((n, r) => n + r.n, 0), 75);
  const bins = nextChoiceFrequency(changes);
  assert.ok(bins.every((b) => b.trialType < 8 && b.modelProbability > 0 && b.modelProbability < 1));
  // An agent of 4 actions on data of 2 is refused.
  const two = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 1,
    trials: 5,
    seed: 1,
  });
  assert.throws(() => logitChanges(agent, two), /4 actions, the data set 2/);
});
