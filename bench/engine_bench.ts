/**
 * Engine throughput on the tutorial problem (GRU d = 1, 2; train 166 / validation 167 / test 167 blocks x 20
 * trials, outer fold 0 / inner fold 0, the original's initial weights) as model-epochs per second, beside
 * baselines run in the same invocation on the same data:
 * - native: one model inline on one core; `--models` models over worker threads on every core; the same
 *   with 5x the epochs per model (worker start-up amortised, as in real runs of thousands of epochs);
 * - PyTorch float64 (`bench/pytorch_baseline.py`, the original trainer's epoch, each process after one untimed
 *   model): one model on one thread;
 *   `--models` models split over one single-threaded process per core (the fastest use of the cores we found
 *   for PyTorch on these tiny networks); and `--models` models as the original runs them: one process, one
 *   model after another (the original forces n_jobs = 1 for RNNs), torch's default intra-op threads. Debian's
 *   `python3-torch` is installed with apt-get when `/usr/bin/python3` cannot import torch (skipped with a
 *   note when that fails);
 * - tfjs on the wasm backend (`bench/tfjs_baseline.ts`, float32): one model.
 * Every model runs exactly `--epochs + 1` iterations (patience above the epoch count). The best validation loss
 * of the first model is printed per implementation to show they did the same work. The load average is
 * printed before and after, since other processes skew every number.
 *
 * Run: `deno task bench engine [--epochs 200] [--models 24] [--hidden 1,2] [--tfjs-epochs 20] [--no-torch]
 * [--no-tfjs]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { Dataset } from "../src/data/dataset.ts";
import { trainMany } from "../src/engine/many.ts";
import type { TrainJob } from "../src/engine/job.ts";
import { ensureTorch, PYTHON } from "./torch.ts";

const FIXTURES = new URL("../../shared/fixtures/", import.meta.url);
const { values: args } = parseArgs({
  options: {
    epochs: { type: "string", default: "200" },
    models: { type: "string", default: "24" },
    hidden: { type: "string", default: "1,2" },
    "tfjs-epochs": { type: "string", default: "20" },
    "no-torch": { type: "boolean", default: false },
    "no-tfjs": { type: "boolean", default: false },
  },
});
const EPOCHS = Number(args.epochs);
const MODELS = Number(args.models);
const CORES = navigator.hardwareConcurrency;

/** The tutorial data set (state = action in a bandit). */
function tutorial(): Dataset {
  const lines = Deno.readTextFileSync(new URL("tutorial_bandit.csv", FIXTURES)).trim().split("\n").slice(1);
  const blocks: Dataset["blocks"] = [];
  for (const line of lines) {
    const [b, , a, r] = line.split(",").map(Number);
    blocks[b] ??= { action: [], state: [], reward: [], trialType: [] };
    blocks[b].action.push(a);
    blocks[b].state.push(a);
    blocks[b].reward.push(r);
    blocks[b].trialType.push(2 * a + r);
  }
  return { kind: "bandit", nActions: 2, blocks };
}

const data = tutorial();
const setting = JSON.parse(Deno.readTextFileSync(new URL("kfold_splits.json", FIXTURES))).settings
  .find((s: { n_blocks: number }) => s.n_blocks === data.blocks.length);
const outer = setting.outer_folds[0];
const split = { train: outer.inner_folds[0].train, val: outer.inner_folds[0].val, test: outer.test };
const inits = JSON.parse(Deno.readTextFileSync(new URL("tutorial_init_weights.json", FIXTURES))).weights;

/** Model i of a run: the original's initial weights of seed i mod 2; patience above the epochs, so no early stop. */
const job = (hidden: number, i: number, epochs = EPOCHS): TrainJob => ({
  hidden,
  init: inits[`gru-${hidden}-seed${i % 2}`],
  ...split,
  maxEpochs: epochs,
  patience: epochs + 1,
});
/**
 * Epochs per model of the extra native many-model row: each worker's start-up and compilation (a few tenths
 * of a second) weigh heavily on 24 models of 201 epochs, not on models that train for thousands of epochs,
 * as the paper's do.
 */
const LONG_EPOCHS = 5 * EPOCHS;

/** A measured rate: model-epochs per second, and the first model's best validation loss. */
interface Rate {
  rate: number;
  bestValLoss: number;
  /** PyTorch's intra-op threads per process. */
  threads?: number;
}

async function native(hidden: number, models: number, workers: number, epochs = EPOCHS): Promise<Rate> {
  const jobs = Array.from({ length: models }, (_, i) => job(hidden, i, epochs));
  const t0 = performance.now();
  const results = await trainMany(data, jobs, { workers });
  const seconds = (performance.now() - t0) / 1000;
  return { rate: results.reduce((s, r) => s + r.epochs, 0) / seconds, bestValLoss: results[0].valLoss };
}

/** Run a command; its last stdout line parsed as JSON, or an error message. */
async function runJson(command: string, argv: string[]): Promise<Record<string, number> | string> {
  try {
    const out = await new Deno.Command(command, { args: argv, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
    if (!out.success) {
      return `exit ${out.code}: ${new TextDecoder().decode(out.stderr).trim().split("\n").pop()}`;
    }
    return JSON.parse(text);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const baselineScript = (name: string) => new URL(name, import.meta.url).pathname;
const fixturesPath = new URL(FIXTURES).pathname;

/**
 * PyTorch on `models` models split over `processes` processes side by side, each with `threads` intra-op
 * threads (0: torch's default).
 */
async function torch(
  hidden: number,
  models: number,
  processes: number,
  threads: number,
): Promise<Rate | string> {
  const per = Array.from({ length: processes }, (_, p) => Math.floor((models + p) / processes));
  const outs = await Promise.all(
    per.filter((m) => m > 0).map((m) =>
      runJson(PYTHON, [
        baselineScript("pytorch_baseline.py"),
        "--hidden",
        String(hidden),
        "--epochs",
        String(EPOCHS),
        "--models",
        String(m),
        "--threads",
        String(threads),
        "--fixtures",
        fixturesPath,
        // One untimed model first, as the native single-model row is warmed up.
        "--warmup",
        "1",
      ])
    ),
  );
  const failed = outs.find((o) => typeof o === "string");
  if (failed !== undefined) return failed as string;
  const done = outs.reduce((s, o) => s + (o as Record<string, number>).epochs, 0);
  // The processes train side by side; each times its own training (not Python's and torch's start-up).
  const seconds = Math.max(...outs.map((o) => (o as Record<string, number>).seconds));
  const rate = done / seconds;
  const first = outs[0] as Record<string, number>;
  return { rate, bestValLoss: first.bestValLoss, threads: first.threads };
}

async function tfjs(hidden: number): Promise<Rate | string> {
  const out = await runJson(Deno.execPath(), [
    "run",
    "-A",
    baselineScript("tfjs_baseline.ts"),
    "--hidden",
    String(hidden),
    "--epochs",
    String(args["tfjs-epochs"]),
  ]);
  return typeof out === "string" ? out : { rate: out.rate, bestValLoss: out.bestValLoss };
}

const load = () => Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
const fmt = (r: Rate | string | undefined) =>
  r === undefined ? "skipped" : typeof r === "string" ? `n/a (${r})` : r.rate.toFixed(1);
const ratio = (a: Rate, b: Rate | string | undefined) =>
  b === undefined || typeof b === "string" ? "n/a" : `${(a.rate / b.rate).toFixed(1)}x`;

console.log(
  `engine bench: tutorial problem (166/167/167 blocks x 20 trials), ${EPOCHS + 1} epochs per model, ` +
    `${MODELS} models for the many-model rows, ${CORES} cores; load average ${load()}`,
);
const torchMissing = args["no-torch"] ? "--no-torch" : await ensureTorch();
for (const hidden of args.hidden.split(",").map(Number)) {
  // Warm-up: one untimed run of the same model, so that the timed one does not pay for compiling the engine
  // (worker threads compile their own copy: the many-model rows include that).
  await native(hidden, 1, 0);
  const one = await native(hidden, 1, 0);
  const many = await native(hidden, MODELS, Math.min(CORES, MODELS));
  const manyLong = await native(hidden, MODELS, Math.min(CORES, MODELS), LONG_EPOCHS);
  const torchOne = torchMissing ? torchMissing : await torch(hidden, 1, 1, 1);
  const torchMany = torchMissing ? torchMissing : await torch(hidden, MODELS, CORES, 1);
  const torchOriginal = torchMissing ? torchMissing : await torch(hidden, MODELS, 1, 0);
  const tf = args["no-tfjs"] ? undefined : await tfjs(hidden);
  const threads = typeof torchOriginal === "string" ? "" : ` = ${torchOriginal.threads}`;
  console.log(`\nGRU d=${hidden} (model-epochs per second)`);
  console.log(`  native float64, 1 model, 1 core:                          ${fmt(one)}`);
  console.log(`  native float64, ${MODELS} models, ${CORES} workers:                    ${fmt(many)}`);
  console.log(
    `  native float64, ${MODELS} models x ${LONG_EPOCHS + 1} epochs, ${CORES} workers (start-up amortised): ${
      fmt(manyLong)
    }`,
  );
  console.log(`  PyTorch float64, 1 model, 1 thread:                       ${fmt(torchOne)}`);
  console.log(`  PyTorch float64, ${MODELS} models, ${CORES} processes x 1 thread:      ${fmt(torchMany)}`);
  console.log(
    `  PyTorch float64, ${MODELS} models as the original runs them (sequential, default threads${threads}): ${
      fmt(torchOriginal)
    }`,
  );
  console.log(`  tfjs wasm float32, 1 model (${args["tfjs-epochs"]} epochs):                   ${fmt(tf)}`);
  console.log(`  native / PyTorch, 1 model on 1 core: ${ratio(one, torchOne)} (goal 4x)`);
  console.log(
    `  native ${MODELS} models on ${CORES} workers / PyTorch ${MODELS} models on ${CORES} single-thread processes: ${
      ratio(many, torchMany)
    } (goal 8x)`,
  );
  console.log(
    `  native ${MODELS} models on ${CORES} workers / PyTorch ${MODELS} models as the original runs them: ${
      ratio(many, torchOriginal)
    }`,
  );
  console.log(`  native / tfjs-wasm, 1 model: ${ratio(one, tf)}`);
  const best = [["native", one], ["PyTorch", torchOne], ["tfjs", tf]] as const;
  console.log(
    `  best validation loss of model 0 (same work check; tfjs ran fewer epochs): ${
      best.filter(([, r]) => r && typeof r !== "string")
        .map(([name, r]) => `${name} ${(r as Rate).bestValLoss.toFixed(8)}`).join(", ")
    }`,
  );
}
console.log(`\nload average at the end: ${load()}`);
