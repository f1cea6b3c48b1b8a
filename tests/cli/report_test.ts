import assert from "node:assert/strict";
import { copyTree, runCli, tinyResults } from "./tiny_results.ts";

Deno.test("report --help names the flags", async () => {
  const result = await runCli("report", "--help");
  assert.equal(result.code, 0, result.stderr);
  // --all-folds became --outer-folds all|first (issue 17: one flag for portrait and report); the old switch is
  // a hidden alias.
  for (const word of ["--results", "--out", "--outer-folds", "--data", "self-contained", "HTML"]) {
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

Deno.test("report: the run's settings at the top; --outer-folds all|first with the old switches as aliases", async () => {
  const { dir } = await tinyResults();
  const out = await Deno.makeTempDir();
  const version = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))).version;
  const first = await runCli(
    "report",
    "--results",
    dir,
    "--out",
    `${out}/first.html`,
    "-q",
    "--outer-folds",
    "first",
  );
  assert.equal(first.code, 0, first.stderr);
  const html = await Deno.readTextFile(`${out}/first.html`);
  const settings = html.slice(html.indexOf('<dl class="settings">'), html.indexOf("</dl>"));
  assert.ok(html.indexOf('<dl class="settings">') < html.indexOf("<h2>"), "the settings come first");
  for (
    const entry of [
      ["Networks", "gru (d = 1, 2)"],
      ["Cognitive models", "MB0"],
      ["L1 grid", "1e-5"],
      ["Learning rate", "0.005"],
      ["Epochs (at most)", "20"],
      ["Seeds", "1 (0)"],
      ["Folds", "3 outer × 2 inner"],
      ["tinyrnn", version],
    ]
  ) {
    assert.ok(
      settings.includes(`<dt>${entry[0]}</dt><dd>${entry[1]}</dd>`),
      `${entry.join(": ")} in ${settings}`,
    );
  }
  assert.match(settings, /<dt>Report written<\/dt><dd>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/dd>/);
  assert.match(html, /figure svg \{ width: 720px; max-width: 100%/);
  const portraits = (page: string) => [...page.matchAll(/<figure id="[^"]+\/portrait_outer\d"/g)].length;
  assert.equal(portraits(html), 3);

  const all = await runCli(
    "report",
    "--results",
    dir,
    "--out",
    `${out}/all.html`,
    "-q",
    "--outer-folds",
    "all",
  );
  assert.equal(all.code, 0, all.stderr);
  assert.equal(portraits(await Deno.readTextFile(`${out}/all.html`)), 9);
  const conflict = await runCli("report", "--results", dir, "--outer-folds", "first", "--all-folds");
  assert.equal(conflict.code, 1);
  assert.match(conflict.stderr, /disagree/);
  const bad = await runCli("report", "--results", dir, "--outer-folds", "some");
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--outer-folds must be all or first/);
});

Deno.test("portrait: --outer-folds first equals the hidden alias --first-fold; the default is all", async () => {
  const { dir } = await tinyResults();
  const count = async (...flags: string[]) => {
    const out = await Deno.makeTempDir();
    const result = await runCli("portrait", "--results", dir, "--out", out, "-q", ...flags);
    assert.equal(result.code, 0, result.stderr);
    return [...Deno.readDirSync(`${out}/gru-1`)].filter((e) => e.name.startsWith("portrait_")).length;
  };
  assert.equal(await count("--outer-folds", "first"), 1);
  assert.equal(await count("--first-fold"), 1);
  assert.equal(await count(), 3);
  const help = await runCli("portrait", "--help");
  assert.match(help.stdout, /--outer-folds all\|first/);
  assert.doesNotMatch(help.stdout, /--first-fold/);
});
