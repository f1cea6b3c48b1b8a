import assert from "node:assert/strict";
import { logLikelihood, traceBlock } from "../../src/agents/agent.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { fitCognitive } from "../../src/agents/fitting.ts";
import { logitChanges } from "../../src/analysis/logits.ts";
import { fit } from "../../src/engine/fit.ts";
import { discoverEquations } from "../../src/equations/discover.ts";
import { equationModel, refitEquationModel } from "../../src/equations/equation_model.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import { linearRule, logitAgent } from "./test_rules.ts";

const mb0s = cognitive("MB0s", { alpha: 0.3, iTemp: 2 });
const mb0sData = simulate(mb0s, tasks.bandit(), { blocks: 30, trials: 50, seed: 1 });
const mf = cognitive("MF", { alpha: 0.4, iTemp: 3 });
const mfData = simulate(mf, tasks.bandit(), { blocks: 30, trials: 50, seed: 2 });

Deno.test("equationModel: MB0s's equations have MB0s's likelihood, trial by trial", () => {
  const model = equationModel(discoverEquations(mb0s, mb0sData));
  assert.equal(model.name, "equations(MB0s)");
  assert.equal(model.dynamicalVariables, 1);
  assert.deepEqual(model.stateNames, ["L"]);
  assert.deepEqual(model.paramNames, [
    "A1 R=0 L': L",
    "A1 R=1 L': L",
    "A1 R=1 L': 1",
    "A2 R=0 L': L",
    "A2 R=1 L': L",
    "A2 R=1 L': 1",
  ]);
  const nll = model.negLogLikelihoodPerTrial(mb0sData.blocks);
  const agentNll = mb0s.negLogLikelihoodPerTrial(mb0sData.blocks);
  assert.ok(Math.abs(nll - agentNll) < 1e-6, `${nll} vs ${agentNll}`);
  const ours = model.logLikelihood(mb0sData);
  const theirs = mb0s.logLikelihood(mb0sData);
  for (let b = 0; b < ours.perTrial.length; b++) {
    for (let t = 0; t < ours.perTrial[b].length; t++) {
      assert.ok(Math.abs(ours.perTrial[b][t] - theirs.perTrial[b][t]) < 1e-10);
    }
  }
  // The generic Agent likelihood agrees with the model's own loop.
  assert.ok(Math.abs(logLikelihood(model, mb0sData).total - ours.total) < 1e-9);
});

Deno.test("equationModel: MF's state-space equations and readout have MF's likelihood", () => {
  const model = equationModel(discoverEquations(mf, mfData));
  assert.equal(model.space, "state");
  const readout = model.readout!;
  assert.ok(Math.abs(readout.weights[0] - 3) < 1e-12 && Math.abs(readout.weights[1] + 3) < 1e-12);
  assert.equal(readout.bias, 0);
  const nll = model.negLogLikelihoodPerTrial(mfData.blocks);
  const agentNll = mf.negLogLikelihoodPerTrial(mfData.blocks);
  assert.ok(Math.abs(nll - agentNll) < 1e-6, `${nll} vs ${agentNll}`);
  // The traces agree too: same logits and same states before every trial.
  const ours = traceBlock(model, mfData.blocks[0]);
  const theirs = traceBlock(mf, mfData.blocks[0]);
  for (let t = 0; t < ours.scores.length; t++) {
    assert.ok(Math.abs(ours.scores[t][0] - (theirs.scores[t][0] - theirs.scores[t][1])) < 1e-12);
    assert.ok(Math.abs(ours.states[t][0] - theirs.states[t][0]) < 1e-12);
  }
  const free = equationModel(discoverEquations(mf, mfData), { readout: "free" });
  assert.equal(free.paramNames.length, model.paramNames.length + 3);
  assert.deepEqual(free.paramNames.slice(-3), ["readout: Q_s[0]", "readout: Q_s[1]", "readout: 1"]);
  assert.ok(Math.abs(free.negLogLikelihoodPerTrial(mfData.blocks) - nll) < 1e-12);
});

Deno.test("equationModel: simulates the generating agent's choices, and its logit changes are the agent's", () => {
  const model = equationModel(discoverEquations(mb0s, mb0sData));
  const again = simulate(model, tasks.bandit(), { blocks: 10, trials: 50, seed: 1 });
  assert.deepEqual(again.blocks.map((b) => b.action), mb0sData.blocks.slice(0, 10).map((b) => b.action));
  const ours = logitChanges(model, mb0sData);
  const theirs = logitChanges(mb0s, mb0sData);
  for (let i = 0; i < ours.logit.length; i++) assert.ok(Math.abs(ours.change[i] - theirs.change[i]) < 1e-12);
});

Deno.test("equationModel: the JSON form rebuilds the same model; withParams by name", () => {
  const rule = discoverEquations(mb0s, mb0sData);
  const model = equationModel(rule);
  const rebuilt = equationModel(JSON.parse(JSON.stringify(rule)));
  assert.deepEqual(rebuilt.paramVector, model.paramVector);
  assert.equal(
    rebuilt.negLogLikelihoodPerTrial(mb0sData.blocks),
    model.negLogLikelihoodPerTrial(mb0sData.blocks),
  );
  const changed = model.withParams({ "A1 R=1 L': 1": 2 });
  assert.equal(changed.params["A1 R=1 L': 1"], 2);
  assert.equal(changed.rules[1].outputs[0].coefficients[1], 2);
  assert.ok(changed.toString().includes("A1 R=1: L' = 0.7 L + 2"), changed.toString());
  assert.ok(changed.toLatex().includes("L' &= 0.7\\,L + 2"));
  assert.throws(() => model.withParams({ nope: 1 }), TinyRnnInputError);
  assert.throws(() => model.withParams([1, 2]), TinyRnnInputError);
  assert.throws(() => equationModel(rule, { readout: "loose" as "free" }), TinyRnnInputError);
});

Deno.test("equationModel: the state is clamped to the discovered range widened by half its span", () => {
  const rule = discoverEquations(mb0s, mb0sData);
  const [{ min, max }] = rule.ranges;
  assert.ok(min < 0 && max > 0);
  const model = equationModel(rule);
  const span = max - min;
  assert.deepEqual(model.bounds, [[min - 0.5 * span, max + 0.5 * span]]);
  const far = model.step(Float64Array.of(1e6), { action: 0, state: 0, reward: 1 });
  assert.equal(far[0], max + 0.5 * span);
  const unclamped = equationModel(rule, { clamp: false });
  assert.deepEqual(unclamped.bounds, [[-Infinity, Infinity]]);
  assert.ok(
    Math.abs(unclamped.step(Float64Array.of(1e6), { action: 0, state: 0, reward: 1 })[0] - 0.7e6 - 1.2) <
      1e-6,
  );
  // On the data the rule was read from the clamp never binds.
  assert.equal(
    unclamped.negLogLikelihoodPerTrial(mb0sData.blocks),
    model.negLogLikelihoodPerTrial(mb0sData.blocks),
  );
  assert.throws(() => equationModel(rule, { clamp: -1 }), TinyRnnInputError);
});

Deno.test("refitEquationModel: starts from the discovered values and never ends worse (BFGS, Nelder-Mead, trainBlocks)", () => {
  // Discover on a noisy map, then refit by likelihood on choices from the exact rule.
  const exact = logitAgent(linearRule);
  const data = simulate(exact, tasks.bandit(), { blocks: 40, trials: 50, seed: 21 });
  const rule = discoverEquations(logitAgent(linearRule, { noise: 0.05, seed: 2 }), data);
  const model = equationModel(rule);
  const refit = refitEquationModel(model, data);
  assert.ok(refit.trainNll <= refit.startNll);
  assert.equal(refit.method, "bfgs");
  const nm = refitEquationModel(model, data, { method: "nelder-mead", trainBlocks: [0, 1, 2, 3, 4] });
  assert.ok(nm.trainNll <= nm.startNll);
  assert.throws(() => refitEquationModel(model, data, { trainBlocks: [99] }), TinyRnnInputError);
});

Deno.test("fitCognitive refits an equation model (its own starts)", () => {
  const model = equationModel(discoverEquations(mb0s, mb0sData));
  const result = fitCognitive(model, mb0sData, {
    restarts: 1,
    grid: false,
    refine: 0,
    nelderMead: { maxfev: 300 },
  });
  assert.equal(result.paramNames.length, 6);
  assert.ok(Number.isFinite(result.trainNll));
  assert.equal(result.model.paramVector.length, 6);
});

Deno.test("equations of a fitted GRU with d = 1 predict choices as well as the GRU", async () => {
  const data = simulate(mb0s, tasks.bandit(), { blocks: 60, trials: 50, seed: 3 });
  const network = await fit(data, { cell: "gru", hidden: 1, maxEpochs: 200, seed: 0 });
  const rule = discoverEquations(network, data);
  assert.equal(rule.space, "logit");
  assert.equal(rule.source, "gru-1");
  const model = equationModel(rule);
  const trials = data.blocks.reduce((n, b) => n + b.action.length, 0);
  const networkNll = -logLikelihood(network.agent(), data).total / trials;
  const equationNll = model.negLogLikelihoodPerTrial(data.blocks);
  assert.ok(Math.abs(equationNll - networkNll) < 0.01, `equations ${equationNll} vs network ${networkNll}`);
  for (const type of rule.trialTypes) assert.ok(type.r2 > 0.99, `${type.label}: R² ${type.r2}`);
  const initialScores = network.agent().scores(network.agent().initialState());
  assert.equal(rule.initialState[0], initialScores[0] - initialScores[1]);
  // The same network in its own state h (d = 1): GRU states live in (-1, 1), the readout maps them to L.
  const inState = discoverEquations(network, data, { space: "state" });
  assert.deepEqual(inState.variables, ["h0"]);
  const stateNll = equationModel(inState).negLogLikelihoodPerTrial(data.blocks);
  assert.ok(
    Math.abs(stateNll - networkNll) < 0.01,
    `state-space equations ${stateNll} vs network ${networkNll}`,
  );
});

Deno.test("equations of a fitted GRU with d = 2 (state space) predict choices as well as the GRU", async () => {
  const data = simulate(mf, tasks.bandit(), { blocks: 60, trials: 50, seed: 4 });
  const network = await fit(data, { cell: "gru", hidden: 2, maxEpochs: 200, seed: 0 });
  const rule = discoverEquations(network, data);
  assert.equal(rule.space, "state");
  assert.deepEqual(rule.variables, ["h0", "h1"]);
  assert.ok(rule.readout!.r2 > 1 - 1e-9, `readout R² ${rule.readout!.r2}`);
  const trials = data.blocks.reduce((n, b) => n + b.action.length, 0);
  const networkNll = -logLikelihood(network.agent(), data).total / trials;
  const equationNll = equationModel(rule).negLogLikelihoodPerTrial(data.blocks);
  assert.ok(Math.abs(equationNll - networkNll) < 0.01, `equations ${equationNll} vs network ${networkNll}`);
});
