import assert from "node:assert/strict";
import { empiricalAttractor, logitDynamics, summariseDynamics } from "../../src/analysis/logit_dynamics.ts";
import { logitChanges } from "../../src/analysis/logits.ts";
import { qLearner, simulateBandit, symmetricQLearner } from "./test_agents.ts";

// MB0s keeps Q1 = -Q0, so L = 2 iTemp Q0. Choosing A1 with reward r: Q0' = (1-α)Q0 + αr, hence
// dL = -α L + 2 iTemp α r; choosing A2: Q1' = (1-α)Q1 + αr and Q0' = (1-α)Q0 - αr, hence dL = -α L - 2 iTemp α r.
// Per type (A1 R=0, A1 R=1, A2 R=0, A2 R=1): slope -α, intercepts 0, +2 iTemp α, 0, -2 iTemp α, and setpoints
// 0, 2 iTemp, 0, -2 iTemp.
Deno.test("MB0s: dL is exactly linear in L per trial type with the slope, intercept and setpoint of the equations", () => {
  for (const [alpha, iTemp] of [[0.3, 2], [0.65, 4.5]]) {
    const agent = symmetricQLearner(alpha, iTemp);
    const changes = logitChanges(agent, simulateBandit(agent, 40, 50, 7));
    const rows = logitDynamics(changes);
    const intercepts = [0, 2 * iTemp * alpha, 0, -2 * iTemp * alpha];
    const setpoints = [0, 2 * iTemp, 0, -2 * iTemp];
    assert.deepEqual(rows.map((r) => r.label), ["A1 R=0", "A1 R=1", "A2 R=0", "A2 R=1"]);
    for (const row of rows) {
      assert.ok(row.n > 100, `type ${row.trialType} has ${row.n} trials`);
      assert.ok(Math.abs(row.slope + alpha) < 1e-12, `slope ${row.slope}`);
      assert.ok(Math.abs(row.learningRate - alpha) < 1e-12);
      assert.ok(Math.abs(row.intercept - intercepts[row.trialType]) < 1e-12, `intercept ${row.intercept}`);
      assert.ok(Math.abs(row.r2 - 1) < 1e-12, `R² ${row.r2}`);
      assert.ok(Math.abs(row.fixedPoint - setpoints[row.trialType]) < 1e-11, `setpoint ${row.fixedPoint}`);
      assert.equal(row.fixedPoint, row.xIntercept, "auto picks the x-intercept for exactly linear dynamics");
    }
  }
});

Deno.test("MB0 (two values) does not collapse onto one line per trial type", () => {
  const agent = qLearner(0.5, 3);
  const rows = logitDynamics(logitChanges(agent, simulateBandit(agent, 40, 50, 8)));
  assert.ok(rows.some((r) => r.r2 < 0.99), `R² per type: ${rows.map((r) => r.r2).join(", ")}`);
  for (const row of rows) if (row.r2 < 1 - 1e-9) assert.equal(row.fixedPoint, row.attractor);
});

Deno.test("empirical attractor: median L of the 10 smallest |dL|; options validated", () => {
  const logit = Array.from({ length: 30 }, (_, i) => i);
  const change = logit.map((l) => (l < 10 ? 0.001 * l : 5));
  assert.equal(empiricalAttractor(logit, change), 4.5);
  assert.equal(empiricalAttractor(logit, change, 3), 1);
  assert.ok(Number.isNaN(empiricalAttractor([], [])));
  const agent = symmetricQLearner(0.3, 2);
  const changes = logitChanges(agent, simulateBandit(agent, 2, 20, 1));
  assert.throws(() => logitDynamics(changes, { fixedpoint: "auto" } as never), /did you mean "fixedPoint"/);
  const forced = logitDynamics(changes, { fixedPoint: "attractor" });
  for (const row of forced) if (row.n > 0) assert.equal(row.fixedPoint, row.attractor);
});

Deno.test("summariseDynamics: mean and std (ddof 1) across models per trial type", () => {
  const models = [0.2, 0.4, 0.6].map((alpha, fold) => {
    const agent = symmetricQLearner(alpha, 2);
    return logitDynamics(logitChanges(agent, simulateBandit(agent, 20, 30, fold)));
  });
  const summary = summariseDynamics(models);
  assert.equal(summary.length, 4);
  for (const row of summary) {
    assert.ok(Math.abs(row.learningRate.mean - 0.4) < 1e-12);
    assert.ok(Math.abs(row.learningRate.std - 0.2) < 1e-12);
    assert.deepEqual(row.learningRate.values.map((v) => Math.round(v * 10) / 10), [0.2, 0.4, 0.6]);
  }
  assert.ok(Math.abs(summary[1].fixedPoint.mean - 4) < 1e-10 && summary[1].fixedPoint.std < 1e-10);
});
