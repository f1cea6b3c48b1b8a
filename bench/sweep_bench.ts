/**
 * A fixed sample of the paper's exp_monkeyW sweep on the shared monkey V session (`../shared/data/`,
 * Bartolo & Averbeck V20161017, truncation 10-70: 24 blocks x 60 trials), beside the PyTorch loop in the same
 * run. The full sweep is GRU d = 1, 2, 3, 4, 5, 10, 20 x L1 1e-5, 1e-4, 1e-3 x 10 outer x 9 inner folds x
 * 3 seeds = 5,670 instances, at most 2000 epochs (patience 200, lr 0.005, AdamW, outputH0).
 *
 * - tinyrnn: 6 instances per hidden size (different outer and inner folds, seeds and L1 strengths), trained
 *   with the real protocol (early stopping, at most `--max-epochs`), one after another on one core: epochs/s
 *   per d and the mean epochs to stop. Then all the sample's instances again over `--workers` worker threads
 *   (default 2), timing what 2 cores give. Peak memory is `Deno.memoryUsage().rss`.
 * - PyTorch (`bench/pytorch_baseline.py --instances`, float64, one thread, the original trainer's epoch): the
 *   first `--torch-models` instances per d, from the same initial weights, for exactly `--torch-epochs` + 1
 *   epochs each (no early stopping), beside tinyrnn on the same instances and epochs; both best validation
 *   losses are printed to show the same work was done. Debian's `python3-torch` is installed with apt-get
 *   when `/usr/bin/python3` cannot import torch; without it tinyrnn is reported alone.
 *
 * Rates are per wall second and per CPU second of the process (the machine is shared: other processes'
 * load slows both sides' wall-clock rates). The full sweep's wall time on 2 cores is extrapolated as Σ_d 810 · (mean epochs to stop at d) / (2 ·
 * epochs/s at d on one core), for tinyrnn and for PyTorch (2 single-thread processes). Goals (issue 15):
 * d = 20 at least 8x PyTorch's epochs/s; the sweep at most 20 minutes.
 *
 * Run: `deno task bench sweep [--max-epochs 2000] [--hidden 1,2,3,4,5,10,20] [--torch-epochs 100]
 * [--torch-models 2] [--workers 2] [--no-torch] [--data DIR]`
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { nestedFolds } from "../src/cv/splits.ts";
import { bartoloFileName, loadBartolo } from "../src/data/bartolo.ts";
import { type BatchTensors, datasetTensors, selectTensors } from "../src/engine/batch.ts";
import type { TrainJob, TrainResult } from "../src/engine/job.ts";
import { trainMany } from "../src/engine/many.ts";
import { buildNetwork, initialWeights, stateDictOf } from "../src/rnn/network.ts";
import { ensureTorch, PYTHON } from "./torch.ts";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: new URL("../../shared/data/", import.meta.url).pathname },
    "max-epochs": { type: "string", default: "2000" },
    hidden: { type: "string", default: "1,2,3,4,5,10,20" },
    "torch-epochs": { type: "string", default: "100" },
    "torch-models": { type: "string", default: "2" },
    workers: { type: "string", default: "2" },
    "no-torch": { type: "boolean", default: false },
  },
});
const MAX_EPOCHS = Number(args["max-epochs"]);
const HIDDEN = args.hidden.split(",").map(Number);
const TORCH_EPOCHS = Number(args["torch-epochs"]);
const TORCH_MODELS = Number(args["torch-models"]);
const WORKERS = Number(args.workers);
const L1 = [1e-5, 1e-4, 1e-3];
const PER_D = 6;
/** Instances per hidden size in the full sweep: 10 outer x 9 inner x 3 seeds x 3 L1. */
const SWEEP_PER_D = 10 * 9 * 3 * 3;
const CORES = 2;
/** The sweep's hidden sizes: an instance's folds, seed and L1 depend on its d's place here, not on --hidden. */
const SWEEP_HIDDEN = [1, 2, 3, 4, 5, 10, 20];
/** CPU seconds of this process so far (user + system), less sensitive than wall time to other processes. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const loadAverage = () => Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, Deno.memoryUsage().rss));

const file = `${args.data.replace(/\/?$/, "/")}${bartoloFileName("V20161017")}`;
try {
  Deno.statSync(file);
} catch {
  console.log(`sweep bench: ${file} is absent (see ../shared/data/README.md); nothing to measure`);
  Deno.exit(0);
}
const data = loadBartolo(file, { blockTruncation: [10, 70] });
const folds = nestedFolds(data.blocks.length, 10, 9);

/** Instance i of hidden size d: its outer and inner fold, seed and L1 strength. */
function instance(hidden: number, i: number, maxEpochs: number, patience = 200): TrainJob {
  const known = SWEEP_HIDDEN.indexOf(hidden);
  const di = known >= 0 ? known : hidden % SWEEP_HIDDEN.length;
  const outer = folds[(3 * i + di) % 10];
  const inner = outer.inner[(5 * i + 2 * di) % 9];
  return {
    hidden,
    seed: i % 3,
    l1: L1[(i + di) % 3],
    train: inner.train,
    val: inner.val,
    test: outer.test,
    maxEpochs,
    patience,
  };
}

console.log(
  `sweep bench: monkey V (${data.blocks.length} blocks x ${data.blocks[0].action.length} trials), ` +
    `${PER_D} instances per d, at most ${MAX_EPOCHS} epochs; ${navigator.hardwareConcurrency} cores, ` +
    `load ${loadAverage()}`,
);

// tinyrnn, the protocol, one core.
interface Row {
  hidden: number;
  rate: number;
  /** Epochs per CPU second. */
  cpuRate: number;
  meanEpochs: number;
  seconds: number;
}
const rows: Row[] = [];
const sampleJobs: TrainJob[] = [];
for (const hidden of HIDDEN) {
  const jobs = Array.from({ length: PER_D }, (_, i) => instance(hidden, i, MAX_EPOCHS));
  sampleJobs.push(...jobs);
  const t0 = performance.now(), c0 = cpuSeconds();
  const results = await trainMany(data, jobs, { workers: 0 });
  const seconds = (performance.now() - t0) / 1000, cpu = cpuSeconds() - c0;
  sampleRss();
  const epochs = results.reduce((s, r) => s + r.epochs, 0);
  rows.push({ hidden, rate: epochs / seconds, cpuRate: epochs / cpu, meanEpochs: epochs / PER_D, seconds });
  console.log(
    `  tinyrnn d=${hidden}: ${PER_D} instances, ${epochs} epochs in ${seconds.toFixed(1)} s ` +
      `(${(epochs / seconds).toFixed(0)} epochs/s, ${(epochs / cpu).toFixed(0)} per CPU-s; mean ${
        (epochs / PER_D).toFixed(0)
      } epochs to stop)`,
  );
}

// tinyrnn, the same sample over worker threads.
let parallel: { seconds: number; serial: number } | undefined;
if (WORKERS > 0) {
  const t0 = performance.now();
  await trainMany(data, sampleJobs, { workers: WORKERS });
  const seconds = (performance.now() - t0) / 1000;
  sampleRss();
  parallel = { seconds, serial: rows.reduce((s, r) => s + r.seconds, 0) };
  console.log(
    `  tinyrnn, all ${sampleJobs.length} instances over ${WORKERS} workers: ${seconds.toFixed(1)} s ` +
      `(one core: ${parallel.serial.toFixed(1)} s; speed-up ${(parallel.serial / seconds).toFixed(2)}x)`,
  );
}

/** Time-major nested lists of a set of blocks (what the PyTorch loop reads). */
function lists(tensors: BatchTensors) {
  const { T, B, I } = tensors;
  const at = <X>(f: (t: number, b: number) => X) =>
    Array.from({ length: T }, (_, t) => Array.from({ length: B }, (_, b) => f(t, b)));
  return {
    input: at((t, b) => Array.from(tensors.input.subarray((t * B + b) * I, (t * B + b + 1) * I))),
    target: at((t, b) => tensors.target[t * B + b]),
    mask: at((t, b) => tensors.mask[t * B + b]),
  };
}

interface TorchRow {
  hidden: number;
  torchRate: number;
  torchCpuRate: number;
  oursRate: number;
  oursCpuRate: number;
  torchBest: number[];
  oursBest: number[];
}
const torchRows: TorchRow[] = [];
let torchNote: string | undefined = args["no-torch"] ? "--no-torch" : await ensureTorch();
if (torchNote === undefined) {
  const tensors = datasetTensors(data, "asr");
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-sweep-bench-" });
  try {
    for (const hidden of HIDDEN) {
      const jobs = Array.from(
        { length: TORCH_MODELS },
        (_, i) => instance(hidden, i, TORCH_EPOCHS, TORCH_EPOCHS + 1),
      );
      const net = buildNetwork({
        cell: "gru",
        hidden,
        inputSize: 3,
        nActions: 2,
        readout: "linear",
        outputH0: true,
        trainableH0: false,
      });
      const instances = jobs.map((job) => ({
        hidden,
        l1: job.l1,
        epochs: TORCH_EPOCHS,
        init: stateDictOf(net, initialWeights(net, job.seed!)),
        train: lists(selectTensors(tensors, job.train)),
        val: lists(selectTensors(tensors, job.val)),
        test: lists(selectTensors(tensors, job.test!)),
      }));
      const path = `${dir}/d${hidden}.json`;
      await Deno.writeTextFile(path, JSON.stringify(instances));
      const out = await new Deno.Command(PYTHON, {
        args: [
          new URL("pytorch_baseline.py", import.meta.url).pathname,
          "--instances",
          path,
          "--warmup",
          "1",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!out.success) {
        torchNote = `pytorch_baseline.py failed: ${
          new TextDecoder().decode(out.stderr).trim().split("\n").pop()
        }`;
        break;
      }
      const torch = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
      const t0 = performance.now(), c0 = cpuSeconds();
      const ours: TrainResult[] = await trainMany(data, jobs, { workers: 0 });
      const seconds = (performance.now() - t0) / 1000, cpu = cpuSeconds() - c0;
      const oursEpochs = ours.reduce((s, r) => s + r.epochs, 0);
      const row = {
        hidden,
        torchRate: torch.rate,
        torchCpuRate: torch.cpuRate,
        oursRate: oursEpochs / seconds,
        oursCpuRate: oursEpochs / cpu,
        torchBest: torch.bestValLoss,
        oursBest: ours.map((r) => r.valLoss),
      };
      torchRows.push(row);
      console.log(
        `  d=${hidden}: PyTorch ${row.torchRate.toFixed(0)} epochs/s (${
          row.torchCpuRate.toFixed(0)
        } per CPU-s), tinyrnn ${row.oursRate.toFixed(0)} (${row.oursCpuRate.toFixed(0)}) ` +
          `(same ${TORCH_MODELS} x ${TORCH_EPOCHS + 1} epochs; best val loss PyTorch ${
            row.torchBest.map((x: number) => x.toFixed(10)).join(", ")
          } / tinyrnn ${row.oursBest.map((x) => x.toFixed(10)).join(", ")})`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
sampleRss();

// The table and the extrapolation.
console.log(
  "\n| d | tinyrnn epochs/s (1 core) | per CPU-s | mean epochs to stop | PyTorch epochs/s (1 thread) | per CPU-s |" +
    " ratio | ratio per CPU-s |",
);
console.log("|---|---|---|---|---|---|---|---|");
let oursSweep = 0, torchSweep = 0, oursCpuSweep = 0, torchCpuSweep = 0;
for (const row of rows) {
  const torch = torchRows.find((r) => r.hidden === row.hidden);
  oursSweep += (SWEEP_PER_D * row.meanEpochs) / (CORES * row.rate);
  oursCpuSweep += (SWEEP_PER_D * row.meanEpochs) / (CORES * row.cpuRate);
  if (torch) torchSweep += (SWEEP_PER_D * row.meanEpochs) / (CORES * torch.torchRate);
  if (torch) torchCpuSweep += (SWEEP_PER_D * row.meanEpochs) / (CORES * torch.torchCpuRate);
  const cells = torch
    ? [
      torch.torchRate.toFixed(1),
      torch.torchCpuRate.toFixed(1),
      (row.rate / torch.torchRate).toFixed(1) + "x",
      (row.cpuRate / torch.torchCpuRate).toFixed(1) + "x",
    ]
    : ["-", "-", "-", "-"];
  console.log(
    `| ${row.hidden} | ${row.rate.toFixed(0)} | ${row.cpuRate.toFixed(0)} | ${row.meanEpochs.toFixed(0)} | ` +
      `${cells.join(" | ")} |`,
  );
}
const scaling = parallel ? parallel.serial / parallel.seconds : CORES;
console.log(
  `\nfull sweep (${
    SWEEP_PER_D * rows.length
  } instances, mean epochs to stop as measured here), on ${CORES} ` +
    `cores: tinyrnn ${(oursSweep / 60).toFixed(1)} min assuming ${CORES}x from ${CORES} cores ` +
    `(${((oursSweep * CORES) / scaling / 60).toFixed(1)} min at the ${scaling.toFixed(2)}x measured here)` +
    (torchRows.length === rows.length ? `; PyTorch ${(torchSweep / 60).toFixed(1)} min (2 processes)` : ""),
);
console.log(
  `on CPU time (the rate without the other processes' share of the cores): tinyrnn ` +
    `${(oursCpuSweep / 60).toFixed(1)} min on ${CORES} cores` +
    (torchRows.length === rows.length ? `, PyTorch ${(torchCpuSweep / 60).toFixed(1)} min` : ""),
);
if (torchNote !== undefined) console.log(`PyTorch not run: ${torchNote}`);
console.log(`peak memory (rss): ${(peakRss / 2 ** 20).toFixed(0)} MiB; load ${loadAverage()}`);
