import assert from "node:assert/strict";
import { encodeTrial, inputSizeOf, rewardScaleOf, scaledForNetwork } from "../../src/rnn/encoding.ts";
import { FittedModel } from "../../src/engine/fitted_model.ts";
import { logLikelihood, softmax } from "../../src/agents/agent.ts";
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

Deno.test("point rewards: scaled by max |r| for the network, 0/1 data untouched", () => {
  const binary = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 3,
    trials: 10,
    seed: 1,
  });
  assert.equal(rewardScaleOf(binary), 1);
  assert.equal(scaledForNetwork(binary), binary); // the same object: not a bit changes
  const signed: Dataset = {
    ...binary,
    blocks: binary.blocks.map((b) => ({ ...b, reward: b.reward.map((r) => 2 * r - 1) })),
  };
  assert.equal(rewardScaleOf(signed), 1); // ±1 outcomes enter as given
  const points = simulate(cognitive("QFP", undefined, { nActions: 4 }), tasks.kArmedBandit(), {
    blocks: 2,
    trials: 30,
    seed: 2,
  });
  const max = Math.max(...points.blocks.flatMap((b) => b.reward.map(Math.abs)));
  assert.ok(max > 1);
  assert.equal(rewardScaleOf(points), max);
  const scaled = scaledForNetwork(points);
  assert.deepEqual(scaled.blocks[0].reward, points.blocks[0].reward.map((r) => r / max));
  assert.deepEqual(scaled.blocks[0].action, points.blocks[0].action);
  const a = new Float64Array(5), b = new Float64Array(5);
  encodeTrial("asr", "bandit", { action: 1, state: 1, reward: 50 }, a, 0, 4, 100);
  encodeTrial("asr", "bandit", { action: 1, state: 1, reward: 0.5 }, b, 0, 4);
  assert.deepEqual(a, b);
  assert.throws(() => scaledForNetwork(points, 0), RangeError);
});

Deno.test("a GRU on raw 4-armed point rewards trains on the scaled rewards and keeps the scale through JSON", async () => {
  const data = simulate(cognitive("QFP", undefined, { nActions: 4 }), tasks.kArmedBandit(), {
    blocks: 12,
    trials: 40,
    seed: 3,
  });
  const scale = rewardScaleOf(data);
  assert.ok(scale > 1);
  const options = { hidden: 2, maxEpochs: 150, patience: 150, lr: 0.02 };
  const model = await fit(data, options);
  assert.equal(model.config.rewardScale, scale);
  assert.equal(model.rewardScale, scale);
  assert.ok(model.trainLoss < Math.log(4), `train NLL ${model.trainLoss} should beat chance ${Math.log(4)}`);
  // The same training as on rewards divided by hand: the engine saw r / scale.
  const byHand: Dataset = {
    ...data,
    blocks: data.blocks.map((b) => ({ ...b, reward: b.reward.map((r) => r / scale) })),
  };
  const reference = await fit(byHand, options);
  assert.equal(reference.config.rewardScale, undefined);
  assert.deepEqual(model.weights, reference.weights);
  assert.equal(model.trainLoss, reference.trainLoss);
  // run, the agent and a JSON round trip all apply the scale to raw rewards.
  const run = model.run(data);
  assert.deepEqual(run.probs, reference.run(byHand).probs);
  const again = FittedModel.fromJSON(JSON.stringify(model));
  assert.equal(again.rewardScale, scale);
  assert.deepEqual(again.run(data).probs, run.probs);
  const ll = logLikelihood(again.agent(), data);
  const block0 = data.blocks[0];
  for (let t = 0; t < 5; t++) {
    assert.ok(Math.abs(ll.perTrial[0][t] - Math.log(run.probs[0][t][block0.action[t]])) < 1e-12);
  }
  assert.equal(softmax(again.agent().scores(again.agent().initialState())).length, 4);
  const bad = { ...JSON.parse(JSON.stringify(model)) };
  bad.config = { ...bad.config, rewardScale: -1 };
  assert.throws(() => FittedModel.fromJSON(bad), /rewardScale/);
});

Deno.test("0/1 data: a fitted model records no reward scale and its JSON has none", async () => {
  const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 10,
    trials: 20,
    seed: 1,
  });
  const model = await fit(data, { hidden: 1, maxEpochs: 5 });
  assert.equal(model.rewardScale, 1);
  assert.equal("rewardScale" in (model.toJSON().config as object), false);
});
