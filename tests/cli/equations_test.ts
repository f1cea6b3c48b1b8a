/**
 * `tinyrnn equations`: help, the equations printed per outer fold, the JSON and Markdown files (the JSON
 * rebuilds the rule, the report shows them), bad input as one line with exit 1; and the report's "Equations"
 * section for a run made with crossValidate's equations option.
 */

import assert from "node:assert/strict";
import { copyTree, runCli, tinyResults } from "./tiny_results.ts";
import { crossValidate } from "../../src/cv/cross_validate.ts";
import { DiscoveredEquations } from "../../src/equations/discovered.ts";
import { equationModel } from "../../src/equations/equation_model.ts";
import { buildReport } from "../../src/report/html.ts";
import { loadResults } from "../../src/report/results.ts";

Deno.test("equations --help lists the flags and the files", async () => {
  const result = await runCli("equations", "--help");
  assert.equal(result.code, 0, result.stderr);
  for (const word of ["--results", "--model", "--order", "--functions", "--out", "equations_outer<k>.json"]) {
    assert.ok(result.stdout.includes(word), `help mentions ${word}`);
  }
});

Deno.test("equations: prints each outer fold's rule and writes JSON and Markdown into the results folder", async () => {
  const { dir: shared, data, summary } = await tinyResults();
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-eq-cli-" });
  try {
    await copyTree(shared, dir);
    const result = await runCli("equations", "--results", dir, "--model", "gru-1", "--order", "2");
    assert.equal(result.code, 0, result.stderr);
    const folds = summary.best.filter((r) => r.model === "gru-1");
    for (const row of folds) {
      assert.ok(result.stdout.includes(`gru-1, outer fold ${row.outer} (inner ${row.inner}`), result.stdout);
    }
    assert.match(result.stdout, /A1 R=1: L' = /);
    assert.match(result.stdout, /6 file\(s\) written to .*\/equations\//);
    const json = await Deno.readTextFile(`${dir}/equations/gru-1/equations_outer0.json`);
    const rule = DiscoveredEquations.fromJSON(json);
    assert.equal(rule.space, "logit");
    assert.equal(rule.settings.order, 2);
    assert.ok(equationModel(rule).negLogLikelihoodPerTrial(data.blocks) < Math.LN2 + 0.1);
    const markdown = await Deno.readTextFile(`${dir}/equations/gru-1/equations_outer0.md`);
    assert.ok(markdown.includes("\\begin{aligned}") && markdown.includes("A1 R=1: L' ="), markdown);
    // The report shows them after gru-1's portraits.
    const report = await runCli("report", "--results", dir, "--quiet", "--out", `${dir}/report.html`);
    assert.equal(report.code, 0, report.stderr);
    const html = await Deno.readTextFile(`${dir}/report.html`);
    const section = html.indexOf("<h2>Equations: gru-1</h2>");
    assert.ok(
      section > html.indexOf('id="gru-1/portrait_outer0"'),
      "an Equations section after the portrait",
    );
    assert.ok(html.indexOf("<table><caption>equations of gru-1", section) > section);
    // Without --model: every network with d <= 2 (gru-1 and gru-2, in state space for d = 2).
    const all = await runCli("equations", "--results", dir, "--quiet", "--out", `${dir}/eq`);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout.trim(), `12 file(s) written to ${dir}/eq/`);
    const two = DiscoveredEquations.fromJSON(
      await Deno.readTextFile(`${dir}/eq/gru-2/equations_outer1.json`),
    );
    assert.equal(two.space, "state");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("equations: bad input is one line and exit 1", async (t) => {
  const { dir } = await tinyResults();
  const cases: [string, string[], RegExp][] = [
    ["no --results", [], /--results is required/],
    ["an unknown network", ["--results", dir, "--model", "gru-9"], /no network "gru-9".*gru-1, gru-2/],
    ["a cognitive model", ["--results", dir, "--model", "MB0"], /no network "MB0"/],
    ["a bad order", ["--results", dir, "--order", "x"], /--order must be an integer/],
    ["a bad function", ["--results", dir, "--functions", "exp"], /--functions must be sigmoid or tanh/],
    ["a folder that is no run", ["--results", "/nonexistent/run"], /no such results folder/],
    ["a misspelt flag", ["--resluts", dir], /did you mean --results/],
  ];
  for (const [name, args, pattern] of cases) {
    await t.step(name, async () => {
      const result = await runCli("equations", ...args);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, pattern);
    });
  }
});

Deno.test("report: an Equations section per equations model, beside its portraits", async () => {
  const { data } = await tinyResults();
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-eq-report-" });
  try {
    await crossValidate(data, {
      hidden: [1],
      l1: [1e-5],
      outer: 3,
      inner: 2,
      seeds: 1,
      maxEpochs: 20,
      workers: 1,
      resultsDir: dir,
      equations: {},
    });
    const html = buildReport(await loadResults(dir), { outerFolds: "first" });
    assert.ok(html.includes("<h2>Equations: equations(gru-1)</h2>"));
    assert.ok(html.includes("<table><caption>equations of"));
    assert.ok(html.includes('id="equations(gru-1)/portrait_outer0"'));
    assert.ok(html.includes("After the maximum-likelihood refit"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fit --equations adds the equations rows; with --shard or --single it is one line and exit 1", async () => {
  const { dir: shared } = await tinyResults();
  const out = await Deno.makeTempDir({ prefix: "tinyrnn-eq-fit-" });
  try {
    const common = ["--data", `${shared}/data.json`, "--hidden", "1", "--l1", "1e-5"];
    const result = await runCli(
      "fit",
      ...common,
      "--outer",
      "2",
      "--inner",
      "2",
      "--seeds",
      "1",
      "--max-epochs",
      "10",
      "--equations",
      "--quiet",
      "--out",
      `${out}/run`,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /equations\(gru-1\)/);
    const summary = JSON.parse(await Deno.readTextFile(`${out}/run/summary.json`));
    assert.deepEqual(summary.aggregate.map((r: { model: string }) => r.model), ["gru-1", "equations(gru-1)"]);
    for (const extra of [["--shard", "0/2", "--out", `${out}/shard`], ["--single"]]) {
      const bad = await runCli("fit", ...common, "--equations", ...extra);
      assert.equal(bad.code, 1, bad.stderr);
      assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
      assert.match(bad.stderr, /--equations does not apply with --(shard|single)/);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
