import assert from "node:assert/strict";
import { logitChanges } from "../../src/analysis/logits.ts";
import { oneStepMap, stateBounds, stateGrid } from "../../src/analysis/one_step_map.ts";
import { readoutDirection } from "../../src/analysis/readout.ts";
import { trialOfType, trialTypeLabels } from "../../src/analysis/trial_types.ts";
import { trialTypeOf } from "../../src/data/dataset.ts";
import { qLearner, simulateBandit } from "./test_agents.ts";

Deno.test("trial types decode to (action, state, reward) for both task kinds", () => {
  for (const kind of ["bandit", "twoStage"] as const) {
    const count = kind === "bandit" ? 4 : 8;
    for (let type = 0; type < count; type++) {
      const { action, state, reward } = trialOfType(kind, type);
      assert.equal(trialTypeOf(kind, action, state, reward), type);
    }
    assert.throws(() => trialOfType(kind, count), RangeError);
  }
  assert.deepEqual(trialTypeLabels("twoStage").slice(0, 3), ["A1 S1 R=0", "A1 S1 R=1", "A1 S2 R=0"]);
});

Deno.test("oneStepMap: MB0 moves only the chosen value towards the reward, speed = |dh|", () => {
  const alpha = 0.3;
  const agent = qLearner(alpha, 2);
  const grid = stateGrid(-1, 1, 5);
  assert.equal(grid.points.length, 25);
  assert.deepEqual(Array.from(grid.ticks), [-1, -0.5, 0, 0.5, 1]);
  for (let type = 0; type < 4; type++) {
    const { action, reward } = trialOfType("bandit", type);
    const map = oneStepMap(agent, grid, type);
    grid.points.forEach((h, i) => {
      const expected = Float64Array.from(h);
      expected[action] = (1 - alpha) * h[action] + alpha * reward;
      assert.deepEqual(map.to[i], expected);
      assert.equal(map.delta[i][1 - action], 0);
      assert.equal(map.speed[i], Math.abs(expected[action] - h[action]));
    });
  }
});

Deno.test("stateBounds is symmetric about 0 when the states straddle 0; readout of MB0 is iTemp·(Q0 - Q1)", () => {
  const agent = qLearner(0.4, 2.5);
  const changes = logitChanges(agent, simulateBandit(agent, 10, 40, 4));
  const { lower, upper } = stateBounds(changes);
  assert.ok(lower >= 0 && upper <= 1, "Q values of a 0/1 reward stay in [0, 1]");
  const shifted = { ...changes, state: changes.state.map((s) => s.map((v) => v - 0.3)) };
  const bounds = stateBounds(shifted);
  assert.equal(bounds.lower, -bounds.upper);
  const readout = readoutDirection(changes);
  assert.ok(Math.abs(readout.weights[0] - 2.5) < 1e-10 && Math.abs(readout.weights[1] + 2.5) < 1e-10);
  assert.ok(Math.abs(readout.bias) < 1e-10 && Math.abs(readout.r2 - 1) < 1e-12);
  assert.ok(Math.abs(readout.direction[0] - Math.SQRT1_2) < 1e-10);
});
