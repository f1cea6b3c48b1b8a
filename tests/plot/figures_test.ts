import assert from "node:assert/strict";
import { modelComparison } from "../../src/plot/model_comparison.ts";
import { sessionRaster } from "../../src/plot/session_raster.ts";
import { trainingCurves } from "../../src/plot/training_curves.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { qLearner, simulateBandit } from "../analysis/test_agents.ts";
import { all, dots, parseSvg, texts } from "./svg_helpers.ts";

const rows = [
  {
    model: "gru-1",
    kind: "rnn" as const,
    cell: "gru",
    hidden: 1,
    testLoss: 0.5915,
    testAccuracy: 0.682,
    testLossOuterInnerSem: 0.003,
    sem: 0.002,
  },
  {
    model: "gru-2",
    kind: "rnn" as const,
    cell: "gru",
    hidden: 2,
    testLoss: 0.5769,
    testAccuracy: 0.687,
    testLossOuterInnerSem: 0.002,
    sem: 0.001,
  },
  {
    model: "MB0",
    kind: "cognitive" as const,
    cell: "MB0",
    hidden: 2,
    testLoss: 0.5737,
    testAccuracy: 0.695,
    testLossOuterInnerSem: 0.003,
  },
];

Deno.test("modelComparison: log d axis with the paper's ticks, RNN curve with SEM bars, cognitive points", () => {
  const root = parseSvg(modelComparison(rows).svg());
  const labels = texts(root);
  for (
    const label of [
      "# Dynamical variables (d)",
      "Negative log likelihood",
      "1",
      "2",
      "GRU",
      "MB0",
    ]
  ) {
    assert.ok(labels.includes(label), `text ${label}`);
  }
  assert.equal(all(root, 'g[aria-label="line"] path').length, 1);
  assert.equal(dots(root).length, 2, "RNN points");
  assert.equal(all(root, 'g[aria-label="dot"] path').length, 1, "cognitive model as a diamond");
  assert.equal(all(root, 'g[aria-label="rule"] line').length, 3, "an error bar per row");
  const accuracy = texts(parseSvg(modelComparison(rows, { metric: "accuracy", errorBars: "none" }).svg()));
  assert.ok(accuracy.includes("Accuracy"));
  assert.throws(
    () => modelComparison([{ ...rows[0], hidden: 0 }]),
    (e: Error) => e instanceof TinyRnnInputError && /row 0/.test(e.message),
  );
  assert.throws(() => modelComparison(rows, { metrc: "loss" } as never), /did you mean "metric"/);
});

Deno.test("modelComparison: the x axis fits the hidden sizes; an optional ceiling line", () => {
  // Issue 17: the axis used to run to d = 5 whatever the sizes (the test above asserted ticks 3, 4, 5).
  const labels = texts(parseSvg(modelComparison(rows).svg()));
  assert.ok(!labels.includes("5") && !labels.includes("3"), "no ticks beyond the sizes present");
  const wide = [...rows, { ...rows[0], model: "gru-20", hidden: 20, testLoss: 0.57 }];
  const wideLabels = texts(parseSvg(modelComparison(wide).svg()));
  for (const t of ["1", "2", "3", "4", "5", "10", "20"]) assert.ok(wideLabels.includes(t), `tick ${t}`);
  const withCeiling = parseSvg(modelComparison(rows, { ceiling: 0.56 }).svg());
  assert.ok(texts(withCeiling).includes("ceiling"));
  assert.equal(all(withCeiling, 'g[aria-label="rule"] line').length, 4, "error bars and the ceiling");
  assert.ok(!texts(parseSvg(modelComparison(rows).svg())).includes("ceiling"));
  assert.throws(() => modelComparison(rows, { ceiling: "x" as never }), /ceiling/);
});

Deno.test("trainingCurves: the steep first epochs are clipped at the frame; yMax fixes the axis", () => {
  const curve = Array.from({ length: 1000 }, (_, e) => 0.5 + 0.2 / (1 + e / 5));
  const topTick = (svg: string) =>
    Math.max(
      ...all(parseSvg(svg), 'g[aria-label="y-axis tick label"] text').map((t) =>
        Number((t.textContent ?? "").replace("−", "-"))
      ),
    );
  const zoomed = trainingCurves({ train: curve }).svg();
  assert.ok(topTick(zoomed) < 0.6, `top tick ${topTick(zoomed)}`);
  assert.match(zoomed, /clip-path/);
  assert.ok(topTick(trainingCurves({ train: curve }, { yMax: Infinity }).svg()) >= 0.65);
  assert.ok(topTick(trainingCurves({ train: curve }, { yMax: 0.52 }).svg()) <= 0.52);
  assert.throws(() => trainingCurves({ train: curve }, { yMax: "top" as never }), /yMax/);
});

Deno.test("trainingCurves: a line per split and the best epoch marked", () => {
  const curve = (offset: number) => Array.from({ length: 50 }, (_, e) => offset + 1 / (e + 1));
  const root = parseSvg(
    trainingCurves({ train: curve(0.5), val: curve(0.55), test: curve(0.56) }, { bestEpoch: 30 }).svg(),
  );
  assert.equal(all(root, 'g[aria-label="line"] path').length, 3);
  const labels = texts(root);
  for (const label of ["Epoch", "Loss (NLL per trial)", "train", "val", "test", "best epoch 30"]) {
    assert.ok(labels.includes(label), label);
  }
  assert.throws(() => trainingCurves({}), TinyRnnInputError);
});

Deno.test("sessionRaster: a dot per trial (filled when rewarded), schedule and model P(A1) lines", () => {
  const agent = qLearner(0.5, 2);
  const block = simulateBandit(agent, 1, 25, 9).blocks[0];
  const root = parseSvg(sessionRaster(block, { agent: () => agent }).svg());
  assert.equal(dots(root).length, 25);
  const rewarded = block.reward.filter((r) => r > 0).length;
  assert.equal(all(root, 'g[aria-label="dot"][fill="white"] circle').length, 25 - rewarded);
  assert.equal(all(root, 'g[aria-label="line"] path').length, 3);
  assert.ok(texts(root).includes("P(A1)") && texts(root).includes("Trial"));
  assert.throws(() => sessionRaster(block, [0.5, 0.5]), /probs has 2 values/);
  // What filled means is written on the figure (issue 17).
  assert.ok(texts(root).includes("choices: ● rewarded, ○ not rewarded"));
  assert.equal(all(parseSvg(sessionRaster(block).svg()), 'g[aria-label="line"] path').length, 2);
});
