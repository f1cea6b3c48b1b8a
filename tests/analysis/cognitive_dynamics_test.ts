import assert from "node:assert/strict";
import { cognitive } from "../../src/agents/cognitive.ts";
import { loadCsv } from "../../src/data/csv.ts";
import { logitDynamics } from "../../src/analysis/logit_dynamics.ts";
import { logitChanges } from "../../src/analysis/logits.ts";
import { readoutDirection } from "../../src/analysis/readout.ts";

const tutorial = loadCsv(new URL("../../../shared/fixtures/tutorial_bandit.csv", import.meta.url).pathname);

Deno.test("cognitive MB0s on the tutorial data: slope -alpha, intercepts ±2·iTemp·alpha·r, setpoints ±2·iTemp", () => {
  const alpha = 0.52646;
  const iTemp = 2.06115;
  const rows = logitDynamics(logitChanges(cognitive("MB0s", { alpha, iTemp }), tutorial));
  const intercepts = [0, 2 * iTemp * alpha, 0, -2 * iTemp * alpha];
  const setpoints = [0, 2 * iTemp, 0, -2 * iTemp];
  for (const row of rows) {
    assert.ok(row.n > 1000);
    assert.ok(Math.abs(row.slope + alpha) < 1e-12, `slope ${row.slope}`);
    assert.ok(Math.abs(row.intercept - intercepts[row.trialType]) < 1e-12, `intercept ${row.intercept}`);
    assert.ok(Math.abs(row.r2 - 1) < 1e-12, `R² ${row.r2}`);
    assert.ok(Math.abs(row.fixedPoint - setpoints[row.trialType]) < 1e-11, `setpoint ${row.fixedPoint}`);
  }
});

Deno.test("cognitive MB0 (d = 2) on the tutorial data does not collapse onto one line; its readout is iTemp·(Q0 - Q1)", () => {
  const model = cognitive("MB0", { alpha: 0.52646, iTemp: 2.06115 });
  const changes = logitChanges(model, tutorial);
  const rows = logitDynamics(changes);
  assert.ok(rows.some((r) => r.r2 < 0.99), `R²: ${rows.map((r) => r.r2.toFixed(4)).join(", ")}`);
  const readout = readoutDirection(changes);
  assert.ok(Math.abs(readout.weights[0] - 2.06115) < 1e-9 && Math.abs(readout.weights[1] + 2.06115) < 1e-9);
});
