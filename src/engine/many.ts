/**
 * `trainMany`: training many models on one data set, on the engine the caller chose. The native engine
 * (`native_many.ts`) trains in float64 on worker threads; the tfjs engine (`tfjs/dispatch.ts`, loaded only
 * when asked for, so native workers never load tfjs) stacks models into one float32 computation.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { checkChoice, checkNumber, rejectUnknownKeys } from "../options.ts";
import { TRAIN_MANY_KEYS, type TrainManyOptions } from "./encoded.ts";
import type { TrainJob, TrainResult } from "./job.ts";
import { trainNative } from "./native_many.ts";
import { isTfjsOnlyCell } from "./tfjs/only.ts";
import { ENGINE_NAMES } from "./training_options.ts";

export {
  coreCount,
  type EncodedTensors,
  tensorsForJobs,
  trainEncodedJob,
  type TrainManyOptions,
  type TrainProgress,
} from "./encoded.ts";

/**
 * Train every job on the data set and resolve to their results in job order.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks, trainMany } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 4, trials: 20, seed: 1 });
 * const results = await trainMany(data, [
 *   { hidden: 1, seed: 0, train: [0, 1], val: [2], test: [3], maxEpochs: 20 },
 *   { hidden: 2, seed: 0, train: [0, 1], val: [2], test: [3], maxEpochs: 20 },
 * ]);
 * console.log(results.map((r) => r.testLoss));
 * ```
 */
export async function trainMany(
  data: Dataset,
  jobs: readonly TrainJob[],
  options: TrainManyOptions = {},
): Promise<TrainResult[]> {
  rejectUnknownKeys("trainMany", options, TRAIN_MANY_KEYS);
  // Checked here, before any engine is chosen, so that a bad value fails the same way on every engine.
  checkNumber("trainMany", "progressEvery", options.progressEvery ?? 100, { min: 1, integer: true });
  if (options.workers !== undefined) {
    checkNumber("trainMany", "workers", options.workers, { min: 0, integer: true });
  }
  const engine = checkChoice("trainMany", "engine", options.engine ?? "native", ENGINE_NAMES);
  if (engine !== "native" || jobs.some((job) => isTfjsOnlyCell(job.cell ?? "gru"))) {
    // Loaded on demand, so that native workers never load tfjs.
    const { trainOnEngines } = await import("./tfjs/dispatch.ts");
    return await trainOnEngines(data, jobs, { ...options, engine });
  }
  return await trainNative(data, jobs, options);
}
