import assert from "node:assert/strict";
import { cognitive } from "../../src/agents/cognitive.ts";
import { logitChanges } from "../../src/analysis/logits.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { discoverEquations } from "../../src/equations/discover.ts";
import { type DiscoveredEquation, DiscoveredEquations } from "../../src/equations/discovered.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import { LINEAR_RULE, linearRule, logitAgent, saturatingRule } from "./test_rules.ts";

/** The equation's coefficients by term name. */
function coefficientsOf(equation: DiscoveredEquation): Record<string, number> {
  return Object.fromEntries(equation.termNames.map((name, j) => [name, equation.coefficients[j]]));
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} differs from ${expected} by more than ${tolerance}`,
  );
}

const linearAgent = logitAgent(linearRule);
const linearData: Dataset = simulate(linearAgent, tasks.bandit(), { blocks: 30, trials: 50, seed: 11 });

Deno.test("discoverEquations: a linear logit rule is recovered term for term", () => {
  const rule = discoverEquations(linearAgent, linearData);
  assert.equal(rule.space, "logit");
  assert.deepEqual(rule.variables, ["L"]);
  assert.deepEqual(rule.initialState, [0.3]);
  assert.equal(rule.trialTypes.length, 4);
  for (const [type, { slope, offset }] of LINEAR_RULE.entries()) {
    const equation = rule.equation(type);
    assert.deepEqual(equation.termNames, ["L", "1"], `trial type ${type}: ${equation}`);
    const c = coefficientsOf(equation);
    assertClose(c.L, slope, 1e-8, `type ${type} slope`);
    assertClose(c["1"], offset, 1e-8, `type ${type} offset`);
    assert.ok(equation.r2 > 1 - 1e-12 && equation.r2Change > 1 - 1e-12);
    assert.equal(equation.cv.folds, 5);
  }
  assert.equal(rule.equation(1).toString(), "L' = 0.7 L + 1");
  assert.equal(rule.equation(3).toString(), "L' = 0.7 L - 1");
  assert.equal(rule.equation(1).toLatex(), "L' = 0.7\\,L + 1");
});

Deno.test("discoverEquations: a sigmoid/tanh rule is recovered term for term", () => {
  const agent = logitAgent(saturatingRule, { initial: 1 });
  const data = simulate(agent, tasks.bandit(), { blocks: 30, trials: 50, seed: 12 });
  const rule = discoverEquations(agent, data, { functions: ["sigmoid", "tanh"] });
  const expected: Record<string, number>[] = [
    { "tanh(L)": 0.8, "1": -0.2 },
    { L: 0.5, "sigmoid(L)": 2, "1": -0.5 },
    { "tanh(L)": 0.8, "1": 0.2 },
    { L: 0.5, "sigmoid(L)": -2, "1": 1.5 },
  ];
  for (const [type, want] of expected.entries()) {
    const equation = rule.equation(type);
    assert.deepEqual(
      [...equation.termNames].sort(),
      Object.keys(want).sort(),
      `trial type ${type}: ${equation} (library ${rule.library.length} terms)`,
    );
    const c = coefficientsOf(equation);
    for (const [name, value] of Object.entries(want)) {
      assertClose(c[name], value, 1e-8, `type ${type} ${name}`);
    }
  }
});

Deno.test("discoverEquations: small noise keeps the support and moves coefficients little", () => {
  const agent = logitAgent(linearRule, { noise: 0.01, seed: 5 });
  const data = simulate(logitAgent(linearRule), tasks.bandit(), { blocks: 30, trials: 50, seed: 11 });
  const rule = discoverEquations(agent, data);
  for (const [type, { slope, offset }] of LINEAR_RULE.entries()) {
    const equation = rule.equation(type);
    assert.deepEqual(equation.termNames, ["L", "1"], `trial type ${type}: ${equation}`);
    const c = coefficientsOf(equation);
    assertClose(c.L, slope, 0.01, `type ${type} slope`);
    assertClose(c["1"], offset, 0.01, `type ${type} offset`);
    assert.ok(equation.r2Change < 1 && equation.r2Change > 0.99);
  }
});

Deno.test("discoverEquations: the same seed gives the same result bit for bit", () => {
  const agent = () => logitAgent(saturatingRule, { noise: 0.05, seed: 9 });
  const data = simulate(logitAgent(saturatingRule), tasks.bandit(), { blocks: 20, trials: 40, seed: 3 });
  const options = { functions: ["sigmoid", "tanh"] as const, seed: 4 };
  const first = discoverEquations(agent(), data, options);
  const again = discoverEquations(agent(), data, options);
  assert.deepEqual(first.toJSON(), again.toJSON());
  assert.deepEqual(
    first.trialTypes.map((t) => t.equations[0].cv),
    again.trialTypes.map((t) => t.equations[0].cv),
  );
  const other = discoverEquations(agent(), data, { ...options, seed: 5 });
  assert.notDeepEqual(
    first.trialTypes.map((t) => t.equations[0].cv.meanMse),
    other.trialTypes.map((t) => t.equations[0].cv.meanMse),
  );
});

Deno.test("discoverEquations: MB0s (d = 1) gives L' = (1 − α) L ± 2·iTemp·α·r per trial type", () => {
  const alpha = 0.3;
  const iTemp = 2;
  const agent = cognitive("MB0s", { alpha, iTemp });
  const data = simulate(agent, tasks.bandit(), { blocks: 30, trials: 50, seed: 1 });
  const rule = discoverEquations(agent, data);
  assert.equal(rule.source, "MB0s");
  const expected = [
    { L: 1 - alpha },
    { L: 1 - alpha, "1": 2 * iTemp * alpha },
    { L: 1 - alpha },
    { L: 1 - alpha, "1": -2 * iTemp * alpha },
  ];
  for (const [type, want] of expected.entries()) {
    const equation = rule.equation(type);
    // Sorted: "1" is an integer-like key, which objects list first.
    assert.deepEqual(
      [...equation.termNames].sort(),
      Object.keys(want).sort(),
      `trial type ${type}: ${equation}`,
    );
    const c = coefficientsOf(equation);
    for (const [name, value] of Object.entries(want)) {
      assertClose(c[name], value, 1e-10, `type ${type} ${name}`);
    }
  }
});

Deno.test("discoverEquations: MB0s on the two-stage task (8 trial types, pTransit 0.8)", () => {
  const alpha = 0.4;
  const iTemp = 3;
  const agent = cognitive("MB0s", { alpha, iTemp }, { task: "twoStage" });
  const data = simulate(agent, tasks.twoStage(), { blocks: 30, trials: 60, seed: 2 });
  const rule = discoverEquations(agent, data);
  assert.equal(rule.trialTypes.length, 8);
  // L = iTemp·(2p − 1)·(Q0 − Q1) and Q1 = −Q0; the reached state s moves Q_s towards r.
  const gain = 2 * iTemp * (2 * 0.8 - 1) * alpha;
  for (const type of rule.trialTypes) {
    const { state, reward } = type.trial;
    const equation = type.equations[0];
    const c = coefficientsOf(equation);
    assertClose(c.L, 1 - alpha, 1e-10, `${type.label} slope`);
    if (reward === 0) assert.deepEqual(equation.termNames, ["L"], `${type.label}: ${equation}`);
    else assertClose(c["1"], state === 0 ? gain : -gain, 1e-10, `${type.label} offset`);
  }
});

Deno.test("discoverEquations: MF (MB0, d = 2) in state space, with its readout", () => {
  const alpha = 0.4;
  const iTemp = 3;
  const agent = cognitive("MF", { alpha, iTemp });
  const data = simulate(agent, tasks.bandit(), { blocks: 30, trials: 50, seed: 2 });
  const rule = discoverEquations(agent, data);
  assert.equal(rule.space, "state");
  assert.deepEqual(rule.variables, ["Q_s[0]", "Q_s[1]"]);
  for (const type of rule.trialTypes) {
    const { action, reward } = type.trial;
    for (const [k, equation] of type.equations.entries()) {
      const c = coefficientsOf(equation);
      const own: string = rule.variables[k];
      if (k === action) {
        assertClose(c[own], 1 - alpha, 1e-10, `${type.label} ${own}`);
        if (reward === 1) assertClose(c["1"], alpha, 1e-10, `${type.label} ${own} constant`);
        assert.equal(equation.terms.length, 1 + reward, `${type.label}: ${equation}`);
      } else {
        assert.deepEqual(equation.termNames, [own], `${type.label}: ${equation}`);
        assertClose(c[own], 1, 1e-10, `${type.label} ${own}`);
      }
    }
  }
  const readout = rule.readout!;
  assertClose(readout.weights[0], iTemp, 1e-10, "readout weight 0");
  assertClose(readout.weights[1], -iTemp, 1e-10, "readout weight 1");
  assert.equal(readout.bias, 0);
  assert.ok(rule.toString().includes("readout: L = 3 Q_s[0] - 3 Q_s[1]"), rule.toString());
  assert.ok(rule.toLatex().includes("Q_{s}[0]' &= 0.6\\,Q_{s}[0] + 0.4"), rule.toLatex());
});

Deno.test("discoverEquations: text, LaTeX and Jupyter forms", () => {
  const rule = discoverEquations(linearAgent, linearData);
  const text = rule.toString();
  assert.ok(text.includes("A1 R=1: L' = 0.7 L + 1"), text);
  assert.ok(text.includes("A2 R=0: L' = 0.9 L + 0.3"), text);
  const latex = rule.toLatex();
  assert.ok(latex.startsWith("\\begin{aligned}") && latex.endsWith("\\end{aligned}"), latex);
  assert.ok(latex.includes("\\text{A1 R=0}:\\quad L' &= 0.9\\,L - 0.3"), latex);
  const display = (rule as unknown as Record<symbol, () => Record<string, string>>)
    [Symbol.for("Jupyter.display")]();
  assert.ok(display["text/html"].startsWith("<table>"));
  assert.ok(
    display["text/html"].includes("<code>L&#39;") || display["text/html"].includes("<code>L' = 0.7 L + 1"),
  );
  assert.equal(display["text/markdown"], `$$\n${latex}\n$$`);
  const json = JSON.parse(JSON.stringify(rule));
  assert.equal(json.format, "tinyrnn.equations");
  assert.deepEqual(json.trialTypes[1].equations[0].termNames, ["L", "1"]);
  const back = DiscoveredEquations.fromJSON(JSON.stringify(rule));
  assert.equal(back.toString(), text);
  assert.equal(back.toLatex(), latex);
  assert.deepEqual(back.toJSON(), rule.toJSON());
  assert.throws(() => DiscoveredEquations.fromJSON({ ...json, format: "other" }), TinyRnnInputError);
});

Deno.test("discoverEquations: selection 'best' and explicit thresholds", () => {
  const agent = logitAgent(linearRule, { noise: 0.05, seed: 1 });
  const best = discoverEquations(agent, linearData, { selection: "best", thresholds: [0, 1e-3, 0.05, 0.5] });
  for (const type of best.trialTypes) {
    const e = type.equations[0];
    assert.deepEqual(e.cv.thresholds, [0, 1e-3, 0.05, 0.5]);
    const lowest = Math.min(...e.cv.meanMse);
    assert.equal(e.cv.meanMse[e.cv.chosen], lowest);
  }
});

Deno.test("discoverEquations: a trial type absent from the data keeps the logit unchanged", () => {
  // Rewards all 0 on arm probabilities that never pay: types A1 R=1 and A2 R=1 never occur.
  const data: Dataset = {
    ...linearData,
    blocks: linearData.blocks.map((b) => ({
      ...b,
      reward: b.reward.map(() => 0),
      trialType: b.action.map((a) => 2 * a),
    })),
  };
  const rule = discoverEquations(linearAgent, data);
  assert.equal(rule.trialTypes[1].samples, 0);
  assert.equal(rule.equation(1).toString(), "L' = L");
  assert.equal(rule.equation(0).toString(), "L' = 0.9 L - 0.3");
});

Deno.test("discoverEquations: d = 4 needs space 'logit'; bad options are rejected", () => {
  const q0 = cognitive("Q(0)", { alpha: 0.3, iTemp: 3 });
  const data = simulate(q0, tasks.bandit(), { blocks: 4, trials: 30, seed: 0 });
  assert.throws(() => discoverEquations(q0, data), TinyRnnInputError);
  const rule = discoverEquations(q0, data, { space: "logit" });
  assert.equal(rule.space, "logit");
  assert.throws(() => discoverEquations(linearAgent, linearData, { order: -1 }), TinyRnnInputError);
  assert.throws(
    () => discoverEquations(linearAgent, linearData, { functions: ["relu" as "tanh"] }),
    TinyRnnInputError,
  );
  assert.throws(
    () => discoverEquations(linearAgent, linearData, { fold: 3 } as unknown as Record<string, never>),
    /did you mean "folds"/,
  );
});

Deno.test("discoverEquations: samples are the ones logitChanges reports (masked trials left out)", () => {
  const masked: Dataset = {
    ...linearData,
    blocks: linearData.blocks.map((b) => ({ ...b, mask: b.action.map((_, t) => (t % 3 === 0 ? 0 : 1)) })),
  };
  const rule = discoverEquations(linearAgent, masked);
  const changes = logitChanges(linearAgent, masked);
  const total = rule.trialTypes.reduce((sum, t) => sum + t.samples, 0);
  assert.equal(total, changes.logit.length);
  assertClose(coefficientsOf(rule.equation(1)).L, 0.7, 1e-8, "slope with a mask");
});

Deno.test("discoverEquations: one block is cross-validated by sample", () => {
  const one: Dataset = { ...linearData, blocks: [linearData.blocks[0]] };
  const rule = discoverEquations(linearAgent, one, { folds: 3 });
  for (const type of rule.trialTypes) {
    if (type.samples < 2) continue;
    assert.equal(type.equations[0].cv.folds, Math.min(3, type.samples));
    assert.ok(type.r2 > 1 - 1e-9, `${type.label}: ${type.equations[0]}`);
  }
});
