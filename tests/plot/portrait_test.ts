import assert from "node:assert/strict";
import { logitChanges } from "../../src/analysis/logits.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { BANDIT_COLORS } from "../../src/plot/palette.ts";
import { portrait } from "../../src/plot/portrait.ts";
import type { Agent } from "../../src/agents/agent.ts";
import { qLearner, simulateBandit, symmetricQLearner } from "../analysis/test_agents.ts";
import { all, dots, parseSvg, texts } from "./svg_helpers.ts";

Deno.test("portrait: one dot per trial, coloured by trial type, axis labels, rules at 0, legend", () => {
  const agent = qLearner(0.5, 2);
  const data = simulateBandit(agent, 30, 20, 5);
  const root = parseSvg(portrait(agent, data).svg());
  const circles = dots(root);
  assert.equal(circles.length, 600);
  const changes = logitChanges(agent, data);
  circles.forEach((c, i) =>
    assert.equal(c.getAttribute("fill"), BANDIT_COLORS[changes.trialType[i]], `dot ${i}`)
  );
  const labels = texts(root);
  for (const label of ["Logit", "Logit change", "A1 R=0", "A1 R=1", "A2 R=0", "A2 R=1"]) {
    assert.ok(labels.includes(label), `missing text ${label}`);
  }
  assert.equal(all(root, 'g[aria-label="rule"] line').length, 2);
  // Axes from the data (issue 17, item 6; formerly always ±5 with three ticks): this agent's logits stay
  // within ±2, so the frame does, with ticks every 0.5; axes: "clip" keeps the original's ±5 frame.
  const change = changes.change.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const logit = changes.logit.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assert.ok(logit <= 2 && change <= 2, `${logit} ${change}`);
  assert.ok(!labels.includes("5"), "no tick at 5");
  assert.ok(all(root, 'g[aria-label="x-axis tick label"] text').length >= 5, "at least five ticks");
  const fixed = texts(parseSvg(portrait(agent, data, { axes: "clip" }).svg()));
  assert.ok(fixed.includes("−5") && fixed.includes("5"), "ticks at ±5");
  assert.throws(() => portrait(agent, data, { axes: "fixed" as never }), /axes/);
});

Deno.test("portrait: points beyond the ±clip window are pinned hollow by default, or dropped", () => {
  // iTemp 8 drives |L| well past 5.
  const agent = symmetricQLearner(0.6, 8);
  const data = simulateBandit(agent, 10, 20, 6);
  const changes = logitChanges(agent, data);
  const outside = changes.logit.filter((l, i) => Math.abs(l) > 5 || Math.abs(changes.change[i]) > 5).length;
  assert.ok(outside > 20, `${outside} points outside`);
  const clampedRoot = parseSvg(portrait(agent, data).svg());
  assert.equal(dots(clampedRoot).length, 200);
  assert.equal(all(clampedRoot, 'g[aria-label="dot"][fill="none"] circle').length, outside);
  const dropped = dots(parseSvg(portrait(agent, data, { outside: "drop" }).svg()));
  assert.equal(dropped.length, 200 - outside);
  const wide = parseSvg(portrait(agent, data, { clip: 20 }).svg());
  assert.equal(all(wide, 'g[aria-label="dot"][fill="none"] circle').length, 0);
  assert.equal(dots(wide).length, 200);
});

Deno.test("portrait: fitted lines per trial type, relative-to-chosen labels, option checks, fitted models", () => {
  const agent = symmetricQLearner(0.5, 2);
  const data = simulateBandit(agent, 20, 20, 7);
  const root = parseSvg(portrait({ agent: () => agent }, data, { fittedLines: true }).svg());
  const lines = all(root, 'g[aria-label="line"] path');
  assert.equal(lines.length, 4);
  assert.deepEqual(lines.map((l) => l.getAttribute("stroke")), BANDIT_COLORS);
  const relative = texts(parseSvg(portrait(agent, data, { relativeToChosen: true }).svg()));
  assert.ok(relative.includes("Logit (chosen action)"));
  assert.throws(() => portrait(agent, data, { clipp: 3 } as never), /did you mean "clip"/);
  assert.throws(() => portrait(agent, data, { kind: "vectorfield" as never }), /did you mean "vectorField"/);
});

Deno.test("portrait vectorField: four panels with speed shading, transitions as arrows, fixed points", () => {
  const agent = qLearner(0.5, 2);
  const data = simulateBandit(agent, 20, 20, 8);
  const root = parseSvg(portrait(agent, data, { kind: "vectorField", gridSize: 15, transitions: 30 }).svg());
  const labels = texts(root);
  for (const label of ["A1 R=0", "A1 R=1", "A2 R=0", "A2 R=1", "Q0", "Q1"]) {
    assert.ok(labels.includes(label), label);
  }
  assert.ok(all(root, 'g[aria-label="contour"] path').length > 4);
  const changes = logitChanges(agent, data);
  const perType = [0, 1, 2, 3].map((t) => changes.trialType.filter((x) => x === t).length);
  const expectedArrows = perType.reduce((s, n) => s + Math.min(30, n), 0) + 4; // + 4 readout arrows
  assert.equal(all(root, 'g[aria-label="arrow"] path').length, expectedArrows);
  // MB0's update for a fixed input leaves the unchosen value alone: a line of marginal fixed points.
  assert.ok(dots(root).length > 0);
  const threeD: Agent = {
    ...agent,
    name: "3d",
    stateNames: ["a", "b", "c"],
    initialState: () => new Float64Array(3),
  };
  assert.throws(() => portrait(threeD, data, { kind: "vectorField" }), TinyRnnInputError);
  assert.throws(
    () => portrait(agent, data, { kind: "vectorField", clip: 3 } as never),
    /unknown option "clip"/,
  );
});

Deno.test("portrait with k = 3 and 4 options: chosen-option axes, 2k trial-type colours, models and networks", async () => {
  const { cognitive } = await import("../../src/agents/cognitive.ts");
  const { simulate } = await import("../../src/simulate.ts");
  const { tasks } = await import("../../src/tasks/mod.ts");
  const { fit } = await import("../../src/engine/fit.ts");
  const { trialTypeColors } = await import("../../src/plot/palette.ts");
  const four = cognitive("QFP", { alpha: 0.4, forget: 0.1, k_pers: 0.3, iTemp: 6 }, { nActions: 4 });
  const bandit = simulate(four, tasks.kArmedBandit(), { blocks: 4, trials: 30, seed: 2 });
  const three = cognitive("LSk", undefined, { nActions: 3 });
  const reversal = simulate(three, tasks.kReversal(), { blocks: 4, trials: 30, seed: 3 });
  const colors = trialTypeColors("bandit", 4);
  assert.equal(colors.length, 8);
  assert.deepEqual(colors.slice(0, 4), BANDIT_COLORS);
  assert.equal(new Set(colors).size, 8);
  const network = await fit(reversal, { hidden: 2, maxEpochs: 20 });
  const gru4 = await fit(bandit, { hidden: 1, maxEpochs: 20 });
  for (
    const [model, data] of [[four, bandit], [three, reversal], [network, reversal], [gru4, bandit]] as const
  ) {
    const root = parseSvg(portrait(model, data, { fittedLines: true, colorBy: "trialType" }).svg());
    const circles = dots(root);
    assert.equal(circles.length, 120);
    const changes = logitChanges(model, data);
    const palette = trialTypeColors("bandit", data.nActions);
    circles.forEach((c, i) => assert.equal(c.getAttribute("fill"), palette[changes.trialType[i]]));
    const labels = texts(root);
    assert.ok(labels.includes("Logit (chosen option)") && labels.includes("Logit change (chosen option)"));
    assert.ok(
      labels.includes(`A${data.nActions} R=1`) || labels.includes(`A${data.nActions} R=0`),
      labels.join(),
    );
  }
  // A 2-D network of 3 options draws its vector field with one panel per trial type.
  const field = parseSvg(
    portrait(network, reversal, { kind: "vectorField", gridSize: 5, transitions: 5 }).svg(),
  );
  assert.ok(texts(field).includes("A3 R=1"));
});

Deno.test("portrait on point rewards: dots coloured by the reward by default, trial types on request", async () => {
  const { cognitive } = await import("../../src/agents/cognitive.ts");
  const { simulate } = await import("../../src/simulate.ts");
  const { tasks } = await import("../../src/tasks/mod.ts");
  const { trialTypeColors } = await import("../../src/plot/palette.ts");
  const agent = cognitive("QFP", { alpha: 0.4, forget: 0.1, k_pers: 0.3, iTemp: 6 }, { nActions: 4 });
  const data = simulate(agent, tasks.kArmedBandit(), { blocks: 3, trials: 30, seed: 5 });
  const palette = new Set(trialTypeColors("bandit", 4));
  const root = parseSvg(portrait(agent, data, { fittedLines: true }).svg());
  const fills = dots(root).map((c) => c.getAttribute("fill"));
  assert.equal(fills.length, 90);
  assert.ok(fills.every((f) => f !== null && !palette.has(f)), "reward ramp, not trial-type colours");
  assert.ok(new Set(fills).size > 3, "several reward colours");
  assert.ok(texts(root).includes("Reward"));
  const byType = parseSvg(portrait(agent, data, { colorBy: "trialType" }).svg());
  assert.ok(dots(byType).every((c) => palette.has(c.getAttribute("fill")!)));
  assert.throws(() => portrait(agent, data, { colorBy: "points" as never }), /colorBy/);
});
