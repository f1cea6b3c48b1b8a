/**
 * The real-data example of the README: nested cross-validation of tiny GRUs and the reversal-learning
 * cognitive models the paper fits to the Bartolo monkeys (MB0, MB1, LS0, RC, BAS with the reversal-learning
 * constants pTransit 1, goodProb 0.7) on ONE Bartolo & Averbeck monkey session (default V20161017 from
 * `../shared/data/`: 24 blocks × 60 trials, truncation 10-70). The settings follow the paper's real-data runs
 * where one session allows it: 6 outer × 5 inner folds, 2 seeds, l1 1e-5 and 1e-4, at most 2000 epochs
 * (patience 200). One session is far less data than the paper's pooled sessions, so its numbers are an
 * example, not the paper's figure.
 *
 * Prints the aggregate table (pooled test NLL per trial, pooled test accuracy, SEM of the fold-wise test NLL)
 * as Markdown, and the dimensionality estimate. With `--out DIR` every finished instance is kept, so an
 * interrupted run resumes.
 *
 * Run: `deno run --allow-read --allow-write --allow-env --allow-sys bench/bartolo_example.ts
 * [--data DIR] [--session V20161017] [--hidden 1,2,3,4] [--cognitive MB0,MB1,LS0,RC,BAS] [--outer 6]
 * [--inner 5] [--seeds 2] [--l1 1e-5,1e-4] [--max-epochs 2000] [--workers N] [--out DIR]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { crossValidate } from "../src/cv/cross_validate.ts";
import { bartoloFileName, loadBartolo } from "../src/data/bartolo.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: new URL("../../shared/data/", import.meta.url).pathname },
    session: { type: "string", default: "V20161017" },
    hidden: { type: "string", default: "1,2,3,4" },
    cognitive: { type: "string", default: "MB0,MB1,LS0,RC,BAS" },
    outer: { type: "string", default: "6" },
    inner: { type: "string", default: "5" },
    seeds: { type: "string", default: "2" },
    l1: { type: "string", default: "1e-5,1e-4" },
    "max-epochs": { type: "string", default: "2000" },
    workers: { type: "string" },
    out: { type: "string" },
  },
});

const numbers = (text: string) => text.split(",").map(Number);
const file = `${args.data.replace(/\/?$/, "/")}${bartoloFileName(args.session)}`;
const data = loadBartolo(file, { blockTruncation: [10, 70] });
const trials = data.blocks.reduce((n, b) => n + b.action.length, 0);
console.log(`session ${args.session}: ${data.blocks.length} blocks, ${trials} trials`);

const started = performance.now();
const summary = await crossValidate(data, {
  cells: ["gru"],
  hidden: numbers(args.hidden),
  cognitive: args.cognitive.split(",").filter((name) => name !== ""),
  outer: Number(args.outer),
  inner: Number(args.inner),
  seeds: Number(args.seeds),
  l1: numbers(args.l1),
  maxEpochs: Number(args["max-epochs"]),
  ...(args.workers ? { workers: Number(args.workers) } : {}),
  ...(args.out ? { resultsDir: args.out } : {}),
});
const seconds = (performance.now() - started) / 1000;

console.log("\n| model | pooled test NLL | test accuracy | SEM (outer folds) |");
console.log("|---|---|---|---|");
for (const row of summary.aggregate) {
  console.log(
    `| ${row.model} | ${row.testLoss.toFixed(4)} | ${row.testAccuracy.toFixed(3)} | ${row.sem.toFixed(4)} |`,
  );
}
const dim = summary.dimensionality;
console.log(`\ndimensionality estimate: ${dim.estimate} (${dim.test}, alpha ${dim.alpha})`);
for (const c of dim.cognitive) {
  console.log(
    `  ${c.model}: beaten by GRU d=${c.beatenByHidden ?? "-"}, significantly by d=${
      c.significantlyBeatenByHidden ?? "-"
    }`,
  );
}
console.log(`\n${summary.models.length} instances in ${seconds.toFixed(0)} s`);
