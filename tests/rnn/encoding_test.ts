import assert from "node:assert/strict";
import { encodeTrial, inputSizeOf } from "../../src/rnn/encoding.ts";
import { datasetTensors } from "../../src/engine/batch.ts";
import { backward, createWorkspace, forward, type Workspace } from "../../src/engine/pass.ts";
import { buildNetwork, initialWeights } from "../../src/rnn/network.ts";
import { fit } from "../../src/engine/fit.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import type { Dataset } from "../../src/data/dataset.ts";

Deno.test("two actions keep the original's [a, s, r] and trial-type inputs", () => {
  assert.equal(inputSizeOf("asr", "bandit"), 3);
  assert.equal(inputSizeOf("onehot", "bandit"), 4);
  assert.equal(inputSizeOf("onehot", "twoStage"), 8);
  const out = new Float64Array(8);
  encodeTrial("asr", "twoStage", { action: 1, state: 0, reward: 1 }, out, 0);
  assert.deepEqual([...out.subarray(0, 3)], [1, 0, 1]);
  encodeTrial("onehot", "twoStage", { action: 1, state: 0, reward: 1 }, out, 0);
  assert.deepEqual([...out], [0, 0, 0, 0, 0, 1, 0, 0]); // type 4a + 2s + r = 5
});

Deno.test("k > 2 options: one-hot action and the reward; trial types 2a + [r > 0]", () => {
  assert.equal(inputSizeOf("asr", "bandit", 4), 5);
  assert.equal(inputSizeOf("asr", "twoStage", 3), 5);
  assert.equal(inputSizeOf("onehot", "bandit", 4), 8);
  const out = new Float64Array(8);
  encodeTrial("asr", "bandit", { action: 2, state: 2, reward: 0.57 }, out, 0, 4);
  assert.deepEqual([...out.subarray(0, 5)], [0, 0, 1, 0, 0.57]);
  encodeTrial("onehot", "bandit", { action: 3, state: 3, reward: 57 }, out, 0, 4);
  assert.deepEqual([...out], [0, 0, 0, 0, 0, 0, 0, 1]); // 2 * 3 + 1
  assert.throws(
    () => encodeTrial("onehot", "bandit", { action: 4, state: 4, reward: 0 }, out, 0, 4),
    RangeError,
  );
});

/** Four-armed bandit choices of a Q-learner, rewards rescaled from points to [0, 1]. */
function fourArmed(): Dataset {
  const agent = cognitive("QFP", undefined, { nActions: 4 });
  const data = simulate(agent, tasks.kArmedBandit(), { blocks: 12, trials: 40, seed: 3 });
  return {
    ...data,
    blocks: data.blocks.map((b) => ({ ...b, reward: b.reward.map((r) => r / 100) })),
  };
}

Deno.test("a GRU on a four-armed bandit: fast and generic passes agree to the bit, and fit learns", async () => {
  const data = fourArmed();
  assert.equal(data.nActions, 4);
  const batch = datasetTensors(data, "asr");
  assert.equal(batch.I, 5);
  for (const hidden of [1, 2, 3]) {
    const net = buildNetwork({
      cell: "gru",
      hidden,
      inputSize: 5,
      nActions: 4,
      readout: "linear",
      outputH0: true,
      trainableH0: false,
    });
    const w = initialWeights(net, 1);
    const fast = createWorkspace(net, batch, true, true);
    const generic: Workspace = { ...createWorkspace(net, batch, true, true), fused: false };
    assert.deepEqual(forward(fast, w, true), forward(generic, w, true));
    const a = new Float64Array(net.size), b = new Float64Array(net.size);
    backward(fast, w, a);
    backward(generic, w, b);
    assert.deepEqual(a, b, `d=${hidden}`);
  }
  const model = await fit(data, { hidden: 2, maxEpochs: 300, patience: 300, lr: 0.02 });
  assert.ok(Number.isFinite(model.testLoss));
  assert.ok(model.trainLoss < Math.log(4), `train NLL ${model.trainLoss} should beat chance ${Math.log(4)}`);
  const run = model.run(data);
  assert.equal(run.probs[0][0].length, 4);
});
