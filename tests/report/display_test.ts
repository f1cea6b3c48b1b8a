/** Jupyter displays of tables, data sets, summaries, cognitive and fitted models (issue 17, item 4). */

import assert from "node:assert/strict";
import {
  cognitive,
  crossValidate,
  fit,
  FittedModel,
  preview,
  show,
  simulate,
  summaryTable,
  table,
  tasks,
} from "../../mod.ts";

const DISPLAY = Symbol.for("Jupyter.display");
const assertEquals = (actual: unknown, expected: unknown, message = "") =>
  assert.deepStrictEqual(actual, expected, message);
const assertStringIncludes = (text: string, part: string) =>
  assert.ok(text.includes(part), `expected ${JSON.stringify(part)} in ${JSON.stringify(text)}`);

function bundle(value: unknown): Record<string, string> {
  const method = (value as Record<symbol, () => Record<string, string>>)[DISPLAY];
  assertEquals(typeof method, "function", "the value has a Jupyter display");
  return method.call(value);
}

Deno.test("table: HTML and text, numbers with digits, arrays joined, HTML escaped", () => {
  const b = bundle(table([{ model: "<gru>", nll: 0.123456, folds: [1, 2], n: 3 }], 2));
  assertStringIncludes(b["text/html"], "<th>model</th>");
  assertStringIncludes(b["text/html"], "&lt;gru&gt;");
  assertStringIncludes(b["text/html"], "<td>0.12</td>");
  assertStringIncludes(b["text/html"], "<td>1 · 2</td>");
  assertEquals(b["text/plain"], "model\tnll\tfolds\tn\n<gru>\t0.12\t1 · 2\t3");
});

Deno.test("preview: counts and the first trials of the first blocks, extras included", () => {
  const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 4,
    trials: 10,
    seed: 1,
  });
  data.blocks.forEach((block) => block.extra = { rt: block.action.map((_, t) => t * 10) });
  const b = bundle(preview(data, { blocks: 2, trials: 3 }));
  assertStringIncludes(b["text/plain"], "bandit, 2 actions: 4 blocks, 40 trials (10 per block)");
  assertStringIncludes(b["text/plain"], "first 3 trials of the first 2 blocks");
  const lines = b["text/plain"].split("\n");
  assertEquals(lines[1], "block\ttrial\taction\tstate\treward\trt\tp0\tp1\tp_action0");
  assertEquals(lines.length, 2 + 6);
  assertEquals((b["text/html"].match(/<tr>/g) ?? []).length, 1 + 6);
  assert.ok(!("extra" in Object.getOwnPropertyDescriptors(data)), "the data set is left a plain object");
});

Deno.test("cognitive model: name, parameters with values, d", () => {
  const b = bundle(cognitive("MF", { alpha: 0.5, iTemp: 2 }));
  assertStringIncludes(b["text/plain"], "cognitive model MB0");
  assertStringIncludes(b["text/plain"], "alpha: 0.5000");
  assertStringIncludes(b["text/plain"], "iTemp: 2");
  assertStringIncludes(b["text/plain"], "d (dynamical variables): 2");
  assertStringIncludes(b["text/html"], "<strong>cognitive model MB0</strong>");
});

Deno.test("fitted model: cell, hidden, losses, epochs; survives a JSON round trip", async () => {
  const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 12,
    trials: 10,
    seed: 2,
  });
  const model = await fit(data, { cell: "gru", hidden: 1, maxEpochs: 5, seed: 0 });
  const text = bundle(model)["text/plain"];
  assertStringIncludes(text, "fitted gru network, d = 1");
  assertStringIncludes(text, `train NLL: ${model.trainLoss.toFixed(4)}`);
  assertStringIncludes(text, `epochs: ${model.epochs} (best ${model.bestEpoch}`);
  const again = FittedModel.fromJSON(JSON.stringify(model));
  assertEquals(bundle(again)["text/plain"], text);
});

Deno.test("summaryTable: one row per model and the estimate; the summary's JSON is unchanged", async () => {
  const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 12,
    trials: 10,
    seed: 3,
  });
  const summary = await crossValidate(data, {
    hidden: [1],
    l1: [1e-5],
    outer: 2,
    inner: 2,
    seeds: 1,
    maxEpochs: 5,
  });
  const before = JSON.stringify(summary);
  const b = bundle(summaryTable(summary));
  assertEquals(JSON.stringify(summary), before);
  assertEquals(Object.getOwnPropertySymbols(summary).length, 0);
  const lines = b["text/plain"].split("\n");
  assertEquals(lines[0], "model\tkind\td\ttest NLL\tSEM\ttest accuracy\ttest NLL per outer fold");
  assertEquals(lines.length, 1 + summary.aggregate.length + 1);
  assertStringIncludes(b["text/plain"], `dimensionality estimate: ${summary.dimensionality.estimate}`);
});

Deno.test("show outside a kernel prints the text form", async () => {
  const logged: unknown[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => logged.push(...args);
  try {
    await show(table([{ a: 1 }]), 0);
  } finally {
    console.log = original;
  }
  assertEquals(logged, ["a\n1"]);
});
