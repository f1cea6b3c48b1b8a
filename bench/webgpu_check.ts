/**
 * The prepared WebGPU check (`deno run -A bench/webgpu_check.ts [--max-epochs N] [--backend webgpu|wasm|cpu]`),
 * to run whenever a machine with a GPU can be had: does the tfjs engine train on WebGPU, does it agree with
 * the native float64 engine to float32 tolerance, and how fast is it. It is not a `*_bench.ts` file, so
 * `deno task bench` does not run it on machines without a GPU.
 *
 * Two parts, each trained by both engines on the same instances, side by side:
 * 1. the tutorial cross-validation (GRU d = 1, 2; 3 outer x 2 inner x 2 seeds), epochs capped;
 * 2. a d = 20 sample: 6 GRU instances (different folds and seeds, L1 1e-5) on the shared monkey session when
 *    `../shared/data/` has it, else on the tutorial data.
 * It prints, per part, the wall time of each engine, the largest difference of the best validation and test
 * losses, and whether the stopping epochs agree; the exit status is 1 when a loss differs by more than the
 * float32 tolerance (1e-3 absolute on a per-trial NLL), 2 when the backend cannot start.
 *
 * Expected run time: under 5 minutes on a GPU machine (the native side alone takes about a minute on 2 cores).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { crossValidate, loadBartolo, trainMany, TUTORIAL_CV_OPTIONS, tutorialData } from "../mod.ts";
import type { Dataset, TrainJob, TrainResult } from "../mod.ts";
import { useTfjsBackend } from "../src/engine/tfjs/backend.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    "max-epochs": { type: "string", default: "2000" },
    backend: { type: "string", default: "webgpu" },
  },
});
const maxEpochs = Number(values["max-epochs"]);
const backendName = values.backend as "webgpu" | "wasm" | "cpu";
const TOLERANCE = 1e-3;

try {
  const report = await useTfjsBackend(backendName);
  console.log(`tfjs backend: ${report.backend} (${report.reason})`);
} catch (error) {
  console.error(`the ${backendName} backend cannot start here: ${(error as Error).message}`);
  Deno.exit(2);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, (performance.now() - start) / 1000];
}

function compare(
  label: string,
  native: TrainResult[],
  tfjs: TrainResult[],
  secN: number,
  secT: number,
): boolean {
  let worst = 0;
  let sameStops = 0;
  for (let i = 0; i < native.length; i++) {
    worst = Math.max(
      worst,
      Math.abs(native[i].valLoss - tfjs[i].valLoss),
      Number.isNaN(native[i].testLoss) ? 0 : Math.abs(native[i].testLoss - tfjs[i].testLoss),
    );
    if (native[i].epochs === tfjs[i].epochs) sameStops++;
  }
  const ok = worst <= TOLERANCE;
  console.log(
    `${label}: ${native.length} instances; native ${secN.toFixed(1)} s, tfjs ${secT.toFixed(1)} s ` +
      `(tfjs/native time ${(secT / secN).toFixed(2)}); largest loss difference ${worst.toExponential(2)} ` +
      `(${ok ? "within" : "beyond"} ${TOLERANCE}); same stopping epoch ${sameStops}/${native.length}`,
  );
  return ok;
}

// Part 1: the tutorial cross-validation. Both runs use the same seeded initial weights.
const tutorial = tutorialData();
const cvOptions = { ...TUTORIAL_CV_OPTIONS, maxEpochs };
const [nativeCv, nativeCvSec] = await timed(() =>
  crossValidate(tutorial, { ...cvOptions, engine: "native" })
);
const [tfjsCv, tfjsCvSec] = await timed(() => crossValidate(tutorial, { ...cvOptions, engine: "tfjs" }));
const byModel = (s: typeof nativeCv) => new Map(s.aggregate.map((r) => [r.model, r.testLoss]));
const nativeAgg = byModel(nativeCv), tfjsAgg = byModel(tfjsCv);
let cvWorst = 0;
for (const [model, loss] of nativeAgg) {
  cvWorst = Math.max(cvWorst, Math.abs(loss - (tfjsAgg.get(model) ?? NaN)));
}
const cvOk = cvWorst <= TOLERANCE;
console.log(
  `tutorial CV (max ${maxEpochs} epochs): native ${nativeCvSec.toFixed(1)} s, tfjs ${
    tfjsCvSec.toFixed(1)
  } s; ` +
    `pooled test NLL per model differs by at most ${cvWorst.toExponential(2)} (${
      cvOk ? "within" : "beyond"
    } ` +
    `${TOLERANCE}); dimensionality native ${nativeCv.dimensionality.estimate}, tfjs ${tfjsCv.dimensionality.estimate}`,
);

// Part 2: six d = 20 instances.
const monkeyFile =
  new URL("../../shared/data/SPKcounts_V20161017cue_MW_250X250ms.mat", import.meta.url).pathname;
let data: Dataset = tutorial;
try {
  data = loadBartolo(monkeyFile);
  console.log(`d = 20 sample on the monkey session (${data.blocks.length} blocks)`);
} catch {
  console.log("d = 20 sample on the tutorial data (no monkey session in ../shared/data)");
}
const n = data.blocks.length;
const jobs: TrainJob[] = Array.from({ length: 6 }, (_, k) => {
  const order = Array.from({ length: n }, (_, i) => (i * 7 + k * 3) % n);
  const nTest = Math.max(1, Math.floor(n / 10)), nVal = Math.max(1, Math.floor(n / 9));
  return {
    hidden: 20,
    seed: k % 3,
    l1: 1e-5,
    maxEpochs,
    test: order.slice(0, nTest).sort((a, b) => a - b),
    val: order.slice(nTest, nTest + nVal).sort((a, b) => a - b),
    train: order.slice(nTest + nVal).sort((a, b) => a - b),
  };
});
const [native20, native20Sec] = await timed(() => trainMany(data, jobs, { engine: "native" }));
const [tfjs20, tfjs20Sec] = await timed(() => trainMany(data, jobs, { engine: "tfjs" }));
const ok20 = compare("d = 20 sample", native20, tfjs20, native20Sec, tfjs20Sec);
console.log(
  `epochs/s at d = 20: native ${(native20.reduce((s, r) => s + r.epochs, 0) / native20Sec).toFixed(0)}, ` +
    `tfjs ${(tfjs20.reduce((s, r) => s + r.epochs, 0) / tfjs20Sec).toFixed(0)}`,
);
Deno.exit(cvOk && ok20 ? 0 : 1);
