import assert from "node:assert/strict";
import { copyTree, runCli, TINY_BLOCKS, TINY_TRIALS, tinyResults } from "./tiny_results.ts";
import { dots, parseSvg, texts } from "../plot/svg_helpers.ts";
import { saveCsv } from "../../src/data/csv.ts";
import { simulate } from "../../src/simulate.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { tasks } from "../../src/tasks/mod.ts";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) names.push(...await listTree(`${dir}/${entry.name}`, `${prefix}${entry.name}/`));
    else names.push(`${prefix}${entry.name}`);
  }
  return names.sort();
}

Deno.test("portrait --help explains the figures and flags", async () => {
  const result = await runCli("portrait", "--help");
  assert.equal(result.code, 0, result.stderr);
  for (
    const word of ["--results", "--out", "--png", "--data", "loss_vs_d", "portrait_outer", "vector_field"]
  ) {
    assert.ok(result.stdout.includes(word), `help mentions ${word}`);
  }
});

Deno.test("portrait: bad input is one line and exit 1", async (t) => {
  await t.step("no --results", async () => {
    const result = await runCli("portrait", "--out", "x");
    assert.equal(result.code, 1);
    assert.match(result.stderr.trim(), /^tinyrnn portrait: --results is required/);
  });
  await t.step("a folder without summary.json", async () => {
    const empty = await Deno.makeTempDir();
    const result = await runCli("portrait", "--results", empty);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`${empty}: no summary.json`));
  });
  await t.step("a misspelt flag", async () => {
    const result = await runCli("portrait", "--resluts", "r");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unknown flag --resluts \(did you mean --results\?\)/);
  });
  await t.step("data that is not the run's", async () => {
    const { dir } = await tinyResults();
    const other = simulate(cognitive("MF", { alpha: 0.3, iTemp: 3 }), tasks.bandit(), {
      blocks: TINY_BLOCKS,
      trials: TINY_TRIALS,
      seed: 99,
    });
    const csv = `${await Deno.makeTempDir()}/other.csv`;
    saveCsv(other, csv);
    const out = await Deno.makeTempDir();
    const result = await runCli("portrait", "--results", dir, "--out", out, "--data", csv);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /other\.csv is not the data of .* \(fingerprint /);
  });
});

Deno.test("portrait writes every figure of a cross-validation run", async () => {
  const { dir, summary } = await tinyResults();
  const out = `${await Deno.makeTempDir()}/figures`;
  const result = await runCli("portrait", "--results", `${dir}/`, "--out", out, "--png");
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /46 file\(s\) written to /);
  const files = await listTree(out);
  const expected = ["accuracy_vs_d", "loss_vs_d"];
  for (let outer = 0; outer < 3; outer++) {
    // Networks have training curves; the 2-D models (gru-2 and MB0, with its two values) a vector field.
    expected.push(`gru-1/portrait_outer${outer}`, `gru-1/training_outer${outer}`);
    expected.push(
      `gru-2/portrait_outer${outer}`,
      `gru-2/vector_field_outer${outer}`,
      `gru-2/training_outer${outer}`,
    );
    expected.push(`MB0/portrait_outer${outer}`, `MB0/vector_field_outer${outer}`);
  }
  assert.deepEqual(files, expected.flatMap((name) => [`${name}.png`, `${name}.svg`]).sort());
  for (const name of files.filter((f) => f.endsWith(".png"))) {
    const bytes = await Deno.readFile(`${out}/${name}`);
    assert.deepEqual([...bytes.subarray(0, 4)], PNG_MAGIC, name);
  }

  // A portrait has one dot per trial and the paper's axes.
  const portrait = parseSvg(await Deno.readTextFile(`${out}/gru-2/portrait_outer1.svg`));
  assert.equal(dots(portrait).length, TINY_BLOCKS * TINY_TRIALS);
  const labels = texts(portrait);
  assert.ok(labels.includes("Logit") && labels.includes("Logit change"), labels.join("|"));
  assert.ok(labels.some((t) => t.includes("gru-2 · outer fold 1")));

  // The loss-versus-d figure: the GRU series (a circle per hidden size) and the cognitive model by name.
  const loss = parseSvg(await Deno.readTextFile(`${out}/loss_vs_d.svg`));
  assert.ok(texts(loss).includes("GRU") && texts(loss).includes("MB0"), texts(loss).join("|"));
  assert.equal(dots(loss).length, summary.aggregate.filter((row) => row.kind === "rnn").length);
});

Deno.test("portrait: --first-fold, --data, and a run without its data", async (t) => {
  const { dir, data } = await tinyResults();
  await t.step("--first-fold draws one selected instance per model", async () => {
    const out = await Deno.makeTempDir();
    const result = await runCli("portrait", "--results", dir, "--out", out, "--first-fold", "--quiet");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await listTree(`${out}/gru-2`), [
      "portrait_outer0.svg",
      "training_outer0.svg",
      "vector_field_outer0.svg",
    ]);
    assert.equal(result.stdout.trim().split("\n").length, 1, "--quiet: only the count");
  });
  await t.step("without data: the other figures, and a line saying why portraits are missing", async () => {
    const copy = `${await Deno.makeTempDir()}/results`;
    await copyTree(dir, copy);
    await Deno.remove(`${copy}/data.json`);
    const out = await Deno.makeTempDir();
    const result = await runCli("portrait", "--results", copy, "--out", out, "-q");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /9 portrait\(s\) not drawn: no data set for the run \(pass --data\)/);
    assert.ok(await exists(`${out}/loss_vs_d.svg`));
    assert.ok(await exists(`${out}/gru-1/training_outer0.svg`));
    assert.ok(!(await exists(`${out}/gru-1/portrait_outer0.svg`)));

    const csv = `${out}/data.csv`;
    saveCsv(data, csv);
    const withData = await runCli("portrait", "--results", copy, "--out", out, "-q", "--data", csv);
    assert.equal(withData.code, 0, withData.stderr);
    assert.ok(await exists(`${out}/gru-1/portrait_outer0.svg`));
  });
});
