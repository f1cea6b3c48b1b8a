/**
 * Knowledge distillation on a simulated population: many subjects with few trials each, every subject a
 * model-free Q-learner (MB0 on the reversal task) with its own learning rate and inverse temperature drawn
 * uniformly, so that the generating models' NLL is the ceiling. Runs `distill` (per-subject nested CV) and
 * prints, as a Markdown table for the README, the pooled test NLL (and mean ± SEM over subjects) of the
 * students, the solo tiny networks, the teacher, the cognitive models fitted per subject and the generating
 * models, with the wall-clock time.
 *
 * Run: `deno task bench distill [-- --subjects 50 --blocks 6 --trials 25 --hidden 1,2,3 --max-epochs 1000
 * --out DIR]` (with `--out` a rerun resumes).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { distill } from "../src/distill/distill.ts";
import { generatingLoss, simulatePopulation } from "../src/distill/population.ts";
import { mean, sem } from "../src/cv/stats.ts";
import { tasks } from "../src/tasks/mod.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    subjects: { type: "string", default: "50" },
    blocks: { type: "string", default: "6" },
    trials: { type: "string", default: "25" },
    hidden: { type: "string", default: "1,2,3" },
    outer: { type: "string", default: "3" },
    inner: { type: "string", default: "2" },
    seeds: { type: "string", default: "1" },
    "max-epochs": { type: "string", default: "1000" },
    patience: { type: "string", default: "100" },
    "teacher-hidden": { type: "string", default: "20" },
    embedding: { type: "string", default: "4" },
    augment: { type: "string" },
    cognitive: { type: "string", default: "MB0,MB1,LS0" },
    seed: { type: "string", default: "0" },
    out: { type: "string" },
  },
});
const v = args.values;
const population = simulatePopulation({
  subjects: Number(v.subjects),
  blocks: Number(v.blocks),
  trials: Number(v.trials),
  seed: Number(v.seed),
  task: () => tasks.reversal(),
});
const { data } = population;
console.log(
  `population: ${population.subjects.length} subjects x ${v.blocks} blocks x ${v.trials} trials (MB0 on reversal, alpha ~ U(0.1, 0.9), iTemp ~ U(1, 8))`,
);
const started = performance.now();
let last = 0;
const result = await distill(data, {
  hidden: v.hidden!.split(",").map(Number),
  outer: Number(v.outer),
  inner: Number(v.inner),
  singleInnerFold: true,
  seeds: Number(v.seeds),
  maxEpochs: Number(v["max-epochs"]),
  patience: Number(v.patience),
  teacherHidden: Number(v["teacher-hidden"]),
  embedding: Number(v.embedding),
  ...(v.augment === undefined ? {} : { augment: Number(v.augment) }),
  cognitive: v.cognitive!.split(","),
  taskInstance: () => tasks.reversal(),
  ...(v.out === undefined ? {} : { resultsDir: v.out }),
  onProgress: (p) => {
    const now = performance.now();
    if (now - last > 15_000 || p.done === p.total || p.current.startsWith("teacher")) {
      last = now;
      console.error(`  ${p.done}/${p.total} ${((now - started) / 1000).toFixed(0)} s ${p.current}`);
    }
  },
});
const seconds = (performance.now() - started) / 1000;

// The ceiling: each subject's blocks scored by its own generating model (every block is tested once).
const perSubject = population.subjects.map((subject) => {
  const blocks = data.blocks.flatMap((b, i) => (b.subject === subject ? [i] : []));
  return generatingLoss(population, blocks).loss;
});
const ceiling = generatingLoss(population);

const rows = [
  ...result.pooled.map((r) => ({
    model: r.model,
    kind: r.kind,
    pooled: r.testLoss,
    mean: r.meanLoss,
    sem: r.sem,
  })),
  {
    model: "generating (true MB0 per subject)",
    kind: "ceiling",
    pooled: ceiling.loss,
    mean: mean(perSubject),
    sem: sem(perSubject),
  },
];
console.log("");
console.log("| model | kind | pooled test NLL | mean ± SEM over subjects | gap to ceiling |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.model} | ${r.kind} | ${r.pooled.toFixed(4)} | ${r.mean.toFixed(4)} ± ${r.sem.toFixed(4)} | ${
      (r.pooled - ceiling.loss).toFixed(4)
    } |`,
  );
}
const student = result.rows.filter((r) => r.model === "student-gru");
const solo = result.rows.filter((r) => r.model === "solo-gru");
const wins = student.filter((r, i) => r.testLoss < solo[i].testLoss).length;
const diffs = student.map((r, i) => solo[i].testLoss - r.testLoss);
console.log("");
console.log(
  `students beat their subject's solo network on ${wins} of ${student.length} subjects (solo - student: ${
    mean(diffs).toFixed(4)
  } ± ${sem(diffs).toFixed(4)} SEM)`,
);
const dims = new Map<number, number>();
for (const d of result.dimensionality) dims.set(d.student, (dims.get(d.student) ?? 0) + 1);
console.log(
  `student dimensionality (subjects per d): ${
    [...dims].sort((a, b) => a[0] - b[0]).map(([d, n]) => `d=${d}: ${n}`).join(", ")
  }`,
);
console.log(
  `teachers: ${
    result.teachers.map((t) =>
      `outer ${t.outer}: val ${t.valLoss.toFixed(4)}, test ${t.testLoss.toFixed(4)}, ${t.epochs} epochs`
    ).join("; ")
  }`,
);
console.log(`time: ${seconds.toFixed(0)} s on ${navigator.hardwareConcurrency} cores`);
