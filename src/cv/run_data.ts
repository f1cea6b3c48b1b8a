/**
 * The data set of a cross-validation kept beside its results (`data.json`), so that figures and reports of
 * the results folder can run the kept models on the data they were fitted to.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { toJson } from "../data/json.ts";
import { writeAtomic } from "./store.ts";

/** Files in a results directory that hold the run's data, tried in this order. */
export const RUN_DATA_FILES = ["data.json", "data.csv"] as const;

/**
 * Keep the data set of a run beside its results as `data.json` (atomically, so concurrent shards writing the
 * same data are harmless), for `loadResults`, `portrait` and `report` to find. `crossValidate` does this
 * itself when it has a `resultsDir`.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import { saveRunData } from "./run_data.ts";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * await saveRunData(await Deno.makeTempDir(), data);
 * ```
 */
export async function saveRunData(dir: string, data: Dataset): Promise<void> {
  await writeAtomic(`${dir}/${RUN_DATA_FILES[0]}`, toJson(data));
}

/** Whether `dir` already holds `data.json` (the file {@link saveRunData} writes). */
export async function hasRunData(dir: string): Promise<boolean> {
  return await Deno.stat(`${dir}/${RUN_DATA_FILES[0]}`).then(() => true, () => false);
}
