import assert from "node:assert/strict";
import { cognitive } from "../../src/agents/cognitive.ts";
import { fitCognitive, type FitCognitiveOptions } from "../../src/agents/fitting.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";

/**
 * Parameter recovery of representative two-stage models: simulate 100 blocks × 100 trials with known
 * parameters, refit with `fitCognitive`, compare.
 *
 * Tolerances: each case was run with simulation/fit seeds 0..9 (same settings as here); the tolerance of
 * each parameter is about twice the largest |recovered − true| over those 10 runs, rounded up:
 *   MB0 (RTS):   max |err| alpha 0.014, iTemp 0.20              → 0.03, 0.4
 *   LS0 (RTS):   max |err| p_r 0.004, iTemp 0.14                → 0.01, 0.3
 *   MB_ck (NTS): max |err| alpV 0.047, iTemp 0.44, alpT 0.037, ck 0.054 → 0.1, 0.9, 0.08, 0.11
 * The test itself runs seed 0 only (deterministic), to stay within a few seconds. The full table for every
 * model is bench/recovery_bench.ts.
 */
const CASES: {
  model: string;
  params: Record<string, number>;
  tolerance: Record<string, number>;
  task: "twoStage" | "transitionReversal";
  fit?: FitCognitiveOptions;
}[] = [
  {
    model: "MB0",
    params: { alpha: 0.4, iTemp: 5 },
    tolerance: { alpha: 0.03, iTemp: 0.4 },
    task: "twoStage",
  },
  { model: "LS0", params: { p_r: 0.05, iTemp: 4 }, tolerance: { p_r: 0.01, iTemp: 0.3 }, task: "twoStage" },
  {
    model: "MB_ck",
    params: { alpV: 0.4, iTemp: 5, alpT: 0.3, ck: 0.5 },
    tolerance: { alpV: 0.1, iTemp: 0.9, alpT: 0.08, ck: 0.11 },
    task: "transitionReversal",
    fit: { restarts: 4 },
  },
];

for (const c of CASES) {
  Deno.test(`recovery: ${c.model} on ${c.task}, 100 blocks × 100 trials`, () => {
    const truth = cognitive(c.model, c.params, { task: "twoStage" });
    const task = c.task === "twoStage" ? tasks.twoStage() : tasks.transitionReversal();
    const data = simulate(truth, task, { blocks: 100, trials: 100, seed: 0 });
    const fit = fitCognitive(truth, data, { seed: 0, ...c.fit });
    truth.paramNames.forEach((name, i) => {
      const error = Math.abs(fit.params[i] - truth.paramVector[i]);
      assert.ok(
        error <= c.tolerance[name],
        `${c.model} ${name}: true ${truth.paramVector[i]}, recovered ${fit.params[i]} (|error| ${error})`,
      );
    });
    // The fit explains its own data at least as well as the truth does (up to the optimiser's tolerance).
    assert.ok(fit.trainNll <= truth.negLogLikelihoodPerTrial(data.blocks) + 1e-3);
  });
}
