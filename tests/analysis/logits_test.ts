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
