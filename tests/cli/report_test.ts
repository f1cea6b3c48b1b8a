import assert from "node:assert/strict";
import { copyTree, runCli, tinyResults } from "./tiny_results.ts";

Deno.test("report --help names the flags", async () => {
  const result = await runCli("report", "--help");
  assert.equal(result.code, 0, result.stderr);
  for (const word of ["--results", "--out", "--all-folds", "--data", "self-contained", "HTML"]) {
    assert.ok(
      result.stdout.includes(word) || result.stdout.includes(word.toLowerCase()),
      `help mentions ${word}`,
    );
  }
});

Deno.test("report: bad input is one line and exit 1", async () => {
  const missing = await runCli("report");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr.trim(), /^tinyrnn report: --results is required/);
  const empty = await Deno.makeTempDir();
  const notRun = await runCli("report", "--results", empty);
  assert.equal(notRun.code, 1);
  assert.equal(notRun.stderr.trim().split("\n").length, 1, notRun.stderr);
  assert.match(notRun.stderr, /no summary\.json/);
});

Deno.test("report writes one self-contained HTML page with the tables and figures", async () => {
  const { dir, summary } = await tinyResults();
  const copy = `${await Deno.makeTempDir()}/results`;
  await copyTree(dir, copy);
  const result = await runCli("report", "--results", copy, "--quiet");
  assert.equal(result.code, 0, result.stderr);
  const path = `${copy}/report.html`;
  assert.match(result.stdout, new RegExp(`wrote ${path} \\(\\d+ KiB\\)`));
  const html = await Deno.readTextFile(path);

  assert.ok(html.startsWith("<!DOCTYPE html>"));
  // Self-contained: nothing to fetch, nothing to run.
  assert.doesNotMatch(html, /<script|<link|<img|\ssrc=|@import|url\(http/i);
  assert.doesNotMatch(html, /href="(?!#)/);

  // The aggregate table: every model with its pooled test NLL and SEM as the summary has them.
  for (const row of summary.aggregate) {
    const cells = [row.model, row.kind, String(row.hidden), row.testLoss.toFixed(4), row.sem.toFixed(4)];
    assert.ok(
      html.includes(cells.map((c, i) => `<td${i < 2 ? ' class="text"' : ""}>${c}</td>`).join("")),
      `aggregate row of ${row.model}`,
    );
  }
  assert.ok(html.includes(`<strong>d = ${summary.dimensionality.estimate}</strong>`));
  // Selected instances: one row per model and outer fold; all instances in a collapsed section.
  assert.ok(html.includes(`<summary>All ${summary.models.length} instances</summary>`));

  // Figures inline, first outer fold only by default: loss and accuracy versus d, then per model the portrait,
  // the vector field of 2-D models and the training curves of networks.
  const ids = [...html.matchAll(/<figure id="([^"]+)"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/g)].map((
    m,
  ) => m[1]);
  assert.deepEqual(ids, [
    "loss_vs_d",
    "accuracy_vs_d",
    "gru-1/portrait_outer0",
    "gru-1/training_outer0",
    "gru-2/portrait_outer0",
    "gru-2/vector_field_outer0",
    "gru-2/training_outer0",
    "MB0/portrait_outer0",
    "MB0/vector_field_outer0",
  ]);
});

Deno.test("report --all-folds --out --title", async () => {
  const { dir } = await tinyResults();
  const out = `${await Deno.makeTempDir()}/page.html`;
  const result = await runCli(
    "report",
    "--results",
    dir,
    "--out",
    out,
    "--all-folds",
    "--title",
    "A <b>run</b>",
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /drawn gru-2\/portrait_outer2/);
  const html = await Deno.readTextFile(out);
  assert.ok(html.includes("<title>A &lt;b&gt;run&lt;/b&gt;</title>"), "the title is escaped");
  assert.equal([...html.matchAll(/<figure id="[^"]+\/portrait_outer\d"/g)].length, 9);
});
