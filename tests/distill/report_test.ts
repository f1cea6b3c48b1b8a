import assert from "node:assert/strict";
import { distill } from "../../src/distill/distill.ts";
import { simulatePopulation } from "../../src/distill/population.ts";
import { distillReport, isDistillFolder, loadDistill, populationModels } from "../../src/report/distill.ts";
import { main } from "../../cli/main.ts";
import { fakeTeacher } from "./fake_teacher.ts";

Deno.test("report: a distillation folder renders its pooled table, population figure and subjects", async () => {
  const { data } = simulatePopulation({ subjects: 3, blocks: 4, trials: 10, seed: 2 });
  const dir = await Deno.makeTempDir();
  const result = await distill(data, {
    hidden: [1],
    seeds: 1,
    outer: 2,
    inner: 2,
    maxEpochs: 10,
    augment: 1,
    cognitive: ["MB0", "LS0"],
    workers: 0,
    resultsDir: dir,
    teacher: fakeTeacher().factory,
  });
  assert.ok(await isDistillFolder(dir));
  const loaded = await loadDistill(dir);
  assert.deepStrictEqual(loaded.toJSON(), result.toJSON());
  assert.deepStrictEqual(populationModels(loaded), [
    "solo-gru",
    "student-gru",
    "teacher",
    loaded.bestCognitive,
  ]);
  const html = distillReport(loaded, { title: "population" });
  assert.ok(html.includes("<svg") && html.includes("student-gru") && html.includes("Subjects"));
  const lines: string[] = [];
  const status = await main(["report", "--results", dir, "--out", `${dir}/r.html`], {
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
  });
  assert.equal(status, 0, lines.join("\n"));
  const page = await Deno.readTextFile(`${dir}/r.html`);
  assert.ok(page.includes("Per-subject test NLL"));
  // The run kept its data (data.json), so the page has the first subjects' student portraits.
  assert.ok(page.includes("Portraits of the first subjects' students"));
  assert.ok(page.includes("student/s0/gru-1/outer0-"));
  await Deno.remove(dir, { recursive: true });
});
