/**
 * The whole tutorial cross-validation (tutorial_bandit.csv; GRU d = 1, 2; 3 outer × 2 inner folds × 2 seeds;
 * l1 1e-5; max 10000 epochs, patience 200), timed from start to `summary.json`, beside the original:
 * - run 1 starts from the original's initial weights (`tutorial_init_weights.json`) and checks the result
 *   against `tutorial_cv_reference.json` (selected models, pooled test NLL within 1e-4, dimensionality 2);
 * - run 2 (skip with `--no-seeded`) starts from our own seeded initialisation and checks that the pooled test
 *   NLLs stay within 0.002 of the reference (too slow for the test suite, so it lives here).
 * The PyTorch baseline is `bench/pytorch_baseline.py` (the original trainer's epoch, float64, one thread) when
 * `/usr/bin/python3` can import torch: its model-epochs per second for d = 1 and 2, scaled to the epochs the
 * cross-validation ran (the original trains its networks one after another). Without torch the original's
 * documented time on these 2-core machines (about 400 s) is printed instead. The goal is 10× (under 40 s).
 *
 * Run: `deno task bench cv [--no-seeded] [--workers N]`. Exit status 1 when a check fails.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { crossValidate, type CrossValidateOptions } from "../src/cv/cross_validate.ts";
import type { Summary } from "../src/cv/summary.ts";
import { loadCsv } from "../src/data/csv.ts";

const FIXTURES = new URL("../../shared/fixtures/", import.meta.url);
const PYTHON = "/usr/bin/python3";
const ORIGINAL_SECONDS = 400;
const { values: args } = parseArgs({
  options: {
    "no-seeded": { type: "boolean", default: false },
    workers: { type: "string" },
  },
});

const reference = JSON.parse(await Deno.readTextFile(new URL("tutorial_cv_reference.json", FIXTURES)));
const init = JSON.parse(await Deno.readTextFile(new URL("tutorial_init_weights.json", FIXTURES))).weights;
const TUTORIAL: CrossValidateOptions = {
  cells: ["gru"],
  hidden: [1, 2],
  outer: 3,
  inner: 2,
  seeds: 2,
  l1: [1e-5],
  maxEpochs: 10000,
  patience: 200,
  ...(args.workers === undefined ? {} : { workers: Number(args.workers) }),
};

function loadAverage(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "?";
  }
}

/** One timed run from loading the CSV to `summary.json` on disk. */
async function timedRun(options: CrossValidateOptions): Promise<{ summary: Summary; seconds: number }> {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cv-bench-" });
  try {
    const started = performance.now();
    const data = loadCsv(new URL("tutorial_bandit.csv", FIXTURES).pathname);
    const summary = await crossValidate(data, { ...options, resultsDir: dir });
    await Deno.stat(`${dir}/summary.json`);
    return { summary, seconds: (performance.now() - started) / 1000 };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** PyTorch's model-epochs per second for one hidden size, or why there is none. */
async function torchRate(hidden: number): Promise<number | string> {
  const imports = await new Deno.Command(PYTHON, {
    args: ["-c", "import torch"],
    stdout: "null",
    stderr: "null",
  })
    .output().then((o) => o.success, () => false);
  if (!imports) return "torch does not import (`deno task bench engine` installs python3-torch)";
  const out = await new Deno.Command(PYTHON, {
    args: [
      new URL("pytorch_baseline.py", import.meta.url).pathname,
      ...["--hidden", String(hidden), "--epochs", "300", "--models", "1"],
      ...["--fixtures", new URL(FIXTURES).pathname],
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) return `pytorch_baseline.py failed: ${new TextDecoder().decode(out.stderr).trim()}`;
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  return JSON.parse(line).rate as number;
}

const checks: { what: string; ok: boolean }[] = [];
const check = (what: string, ok: boolean) => checks.push({ what, ok });

console.log(`tutorial CV bench: ${navigator.hardwareConcurrency} cores, load ${loadAverage()}`);
const original = await timedRun({ ...TUTORIAL, init });
console.log(`run 1 (original initial weights): ${original.seconds.toFixed(1)} s to summary.json`);
const pooled = (s: Summary, hidden: number) => s.aggregate.find((r) => r.hidden === hidden)!.testLoss;
for (const row of reference.aggregate) {
  const ours = pooled(original.summary, row.hidden_dim);
  console.log(
    `  d=${row.hidden_dim}: pooled test NLL ${ours.toFixed(6)} (original ${row.test_loss.toFixed(6)})`,
  );
  check(`run 1 d=${row.hidden_dim} pooled test NLL within 1e-4`, Math.abs(ours - row.test_loss) <= 1e-4);
}
const selected = (s: Summary) => s.best.map((r) => `${r.hidden}/${r.outer}/${r.inner}/${r.seed}`).join(" ");
check(
  "run 1 selects the original's models",
  selected(original.summary) ===
    reference.selected_best_models.map((m: Record<string, number>) =>
      `${m.hidden_dim}/${m.outer_fold}/${m.inner_fold}/${m.seed}`
    ).join(" "),
);
check("run 1 dimensionality 2", original.summary.dimensionality.estimate === 2);

const epochs = (hidden: number) =>
  original.summary.models.filter((r) => r.hidden === hidden).reduce((s, r) => s + r.epochs, 0);
let baseline: number | undefined;
const parts: string[] = [];
for (const hidden of [1, 2]) {
  const rate = await torchRate(hidden);
  if (typeof rate === "string") {
    parts.push(rate);
    baseline = undefined;
    break;
  }
  baseline = (baseline ?? 0) + epochs(hidden) / rate;
  parts.push(`d=${hidden}: ${epochs(hidden)} epochs at ${rate.toFixed(0)}/s`);
}
if (baseline !== undefined) {
  console.log(
    `PyTorch float64 baseline, scaled to the same epochs (${parts.join(", ")}): ${baseline.toFixed(1)} s; ` +
      `speed-up ${(baseline / original.seconds).toFixed(1)}x`,
  );
} else {
  console.log(`PyTorch baseline not run (${parts.join("; ")})`);
}
console.log(
  `original code (documented, 2-core machines): ~${ORIGINAL_SECONDS} s; speed-up ${
    (ORIGINAL_SECONDS / original.seconds).toFixed(1)
  }x (goal 10x: < 40 s)`,
);

if (!args["no-seeded"]) {
  const seeded = await timedRun(TUTORIAL);
  console.log(`run 2 (seeded initialisation): ${seeded.seconds.toFixed(1)} s to summary.json`);
  for (const row of reference.aggregate) {
    const ours = pooled(seeded.summary, row.hidden_dim);
    console.log(
      `  d=${row.hidden_dim}: pooled test NLL ${ours.toFixed(6)} (original ${row.test_loss.toFixed(6)})`,
    );
    check(`run 2 d=${row.hidden_dim} pooled test NLL within 0.002`, Math.abs(ours - row.test_loss) <= 0.002);
  }
  check("run 2 dimensionality 2", seeded.summary.dimensionality.estimate === 2);
}
console.log(`load after: ${loadAverage()}`);
for (const { what, ok } of checks) console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
if (checks.some((c) => !c.ok)) Deno.exit(1);
