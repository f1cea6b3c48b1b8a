/**
 * Native (float64) engine against the tfjs engine on each backend: model-epochs per second for GRUs of hidden
 * size 2, 8, 32 and 128 on the tutorial data (train 166 / val 167 / test 167 blocks x 20 trials), for one model
 * and for several stacked models. The native engine's rate is per thread (inline; `trainMany` multiplies it by
 * the worker count) and does not depend on the number of models, so it is measured with one model. The tfjs
 * engine runs on one thread and gains from stacking models into one computation.
 *
 * Run: `deno run -A bench/tfjs_engine_bench.ts [--hidden 2,8,32,128] [--models 1,16] [--backends wasm,cpu]
 * [--seconds 2] [--json out.json]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { Dataset } from "../src/data/dataset.ts";
import { datasetTensors } from "../src/engine/batch.ts";
import type { TrainJob } from "../src/engine/job.ts";
import { trainJob } from "../src/engine/train.ts";
import { hardwareGpu, type TfjsBackendName } from "../src/engine/tfjs/backend.ts";
import { trainTfjs } from "../src/engine/tfjs/train.ts";

const FIXTURES = new URL("../../shared/fixtures/", import.meta.url);
const { values: args } = parseArgs({
  options: {
    hidden: { type: "string", default: "2,8,32,128" },
    models: { type: "string", default: "1,16" },
    backends: { type: "string" },
    seconds: { type: "string", default: "2" },
    json: { type: "string" },
  },
});
const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const HIDDEN = list(args.hidden).map(Number);
const MODELS = list(args.models).map(Number);
const SECONDS = Number(args.seconds);

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

const tensors = datasetTensors(tutorial(), "asr");
const folds =
  JSON.parse(Deno.readTextFileSync(new URL("kfold_splits.json", FIXTURES))).settings[0].outer_folds[0];
const split = { train: folds.inner_folds[0].train, val: folds.inner_folds[0].val, test: folds.test };
// patience > epochs: every model runs exactly epochs + 1 iterations.
const job = (hidden: number, seed: number, epochs: number): TrainJob => ({
  hidden,
  seed,
  ...split,
  maxEpochs: epochs,
  patience: epochs + 1,
});

/** Epochs that take about `SECONDS` at `perEpoch` seconds each (at least 2). */
const epochsFor = (perEpoch: number) => Math.max(2, Math.min(2000, Math.round(SECONDS / perEpoch)));

function nativeRate(hidden: number): number {
  const probe = trainJob(tensors, 2, job(hidden, 0, 1));
  const epochs = epochsFor(probe.seconds / probe.epochs);
  const t0 = performance.now();
  const r = trainJob(tensors, 2, job(hidden, 0, epochs));
  return r.epochs / ((performance.now() - t0) / 1000);
}

async function tfjsRate(hidden: number, models: number, backend: TfjsBackendName): Promise<number> {
  const jobs = (epochs: number) => Array.from({ length: models }, (_, i) => job(hidden, i, epochs));
  // The first run also warms the backend up (kernels, wasm compilation).
  await trainTfjs({ asr: tensors }, 2, jobs(1), { backend });
  let t0 = performance.now();
  await trainTfjs({ asr: tensors }, 2, jobs(2), { backend });
  const epochs = epochsFor((performance.now() - t0) / 1000 / 3);
  t0 = performance.now();
  const results = await trainTfjs({ asr: tensors }, 2, jobs(epochs), { backend });
  return results.reduce((s, r) => s + r.epochs, 0) / ((performance.now() - t0) / 1000);
}

const gpu = await hardwareGpu();
const backends =
  (args.backends ? list(args.backends) : [...(gpu.ok ? ["webgpu"] : []), "wasm", "cpu"]) as TfjsBackendName[];
console.log(`GPU: ${gpu.ok ? gpu.detail : `none (${gpu.detail})`}; cores: ${navigator.hardwareConcurrency}`);
const rows: Record<string, number | string>[] = [];
const header = ["hidden", "models", "native/thread", ...backends.map((b) => `tfjs-${b}`)];
console.log(["", ...header, ""].join(" | ").trim());
for (const hidden of HIDDEN) {
  const native = nativeRate(hidden);
  for (const models of MODELS) {
    const row: Record<string, number | string> = { hidden, models, native };
    for (const backend of backends) row[backend] = await tfjsRate(hidden, models, backend);
    rows.push(row);
    const cells = [
      hidden,
      models,
      native.toFixed(1),
      ...backends.map((b) =>
        `${(row[b] as number).toFixed(1)} (${((row[b] as number) / native).toFixed(2)}x)`
      ),
    ];
    console.log(["", ...cells, ""].join(" | ").trim());
  }
}
console.log("model-epochs per second; (x) = tfjs rate / native rate per thread");
if (args.json) Deno.writeTextFileSync(args.json, JSON.stringify({ gpu, rows }, null, 2));
