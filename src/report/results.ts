/**
 * A finished cross-validation results directory read back for figures and reports: the summary, the records
 * of the selected instances (the model kept for each outer fold), and the data set the run was fitted on.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { loadCsv } from "../data/csv.ts";
import { loadJson } from "../data/json.ts";
import type { AggregateRow, SelectedRow } from "../cv/rows.ts";
import { dataFingerprint } from "../cv/instances.ts";
import { pythonFloat } from "../cv/plan.ts";
import { RUN_DATA_FILES } from "../cv/run_data.ts";
import { type InstanceRecord, listFinished, readInstance, readSummary } from "../cv/store.ts";
import type { Summary } from "../cv/summary.ts";
import { rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** One model of a run with the instances selected for its outer folds. */
export interface ResultsModel {
  /** The model's aggregate row. */
  aggregate: AggregateRow;
  /** The selected instance of each outer fold, in outer-fold order, with its record. */
  selected: { row: SelectedRow; record: InstanceRecord }[];
}

/** A results directory read back. */
export interface ResultsRun {
  /** The directory. */
  dir: string;
  /** The run's `summary.json`. */
  summary: Summary;
  /** Models in the order of `summary.aggregate`. */
  models: ResultsModel[];
  /** The data set of the run, when it could be found (see {@link findRunData}); figures of dynamics need it. */
  data?: Dataset;
  /** Where `data` came from (a file path), for reports. */
  dataSource?: string;
}

/** Options of {@link loadResults}. */
export interface LoadResultsOptions {
  /** The data set of the run; default: {@link findRunData} in the directory. */
  data?: Dataset;
  /** Where `data` came from, for reports. */
  dataSource?: string;
}

export { RUN_DATA_FILES, saveRunData } from "../cv/run_data.ts";

/**
 * Read `summary.json` and the records of every selected instance of a results directory. Errors name the
 * directory and what is missing.
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, loadResults, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const dir = await Deno.makeTempDir();
 * await crossValidate(data, { hidden: [1, 2], l1: [1e-5], outer: 3, inner: 2, seeds: 1, maxEpochs: 50, resultsDir: dir });
 * const run = await loadResults(dir); // the data set too: crossValidate kept it as data.json
 * console.log(run.models.map((m) => m.aggregate.model), run.data?.blocks.length); // ["gru-1", "gru-2"] 20
 * ```
 */
export async function loadResults(dir: string, options: LoadResultsOptions = {}): Promise<ResultsRun> {
  if (typeof dir !== "string" || dir === "") {
    throw new TinyRnnInputError(`loadResults: dir must be a folder path, got ${JSON.stringify(dir)}`);
  }
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TinyRnnInputError(`loadResults: options must be an object, got ${JSON.stringify(options)}`);
  }
  rejectUnknownKeys("loadResults", options, ["data", "dataSource"]);
  const info = await Deno.stat(dir).catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new TinyRnnInputError(
        `${dir}: no such results folder (run \`deno task fit --out ${dir}\` first)`,
      );
    }
    throw new TinyRnnInputError(`cannot read the results folder ${dir}: ${(error as Error).message}`);
  });
  if (!info.isDirectory) {
    throw new TinyRnnInputError(
      `${dir} is a file, not a results folder (the folder \`deno task fit --out\` wrote)`,
    );
  }
  let summary: Summary;
  try {
    summary = await readSummary(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TinyRnnInputError(
        `${dir}: no summary.json (not a finished results directory; run \`deno task fit --out ${dir}\` first)`,
      );
    }
    throw error;
  }
  const finished = new Set(await listFinished(dir));
  const models: ResultsModel[] = [];
  for (const aggregate of summary.aggregate) {
    const bestRows = summary.best.filter((row) => row.model === aggregate.model)
      .sort((a, b) => a.outer - b.outer);
    const selected: ResultsModel["selected"] = [];
    for (const row of bestRows) {
      const id = row.id ?? findInstanceId(finished, row);
      if (id === undefined || !finished.has(id)) {
        throw new TinyRnnInputError(
          `${dir}: the selected instance of ${row.model} outer fold ${row.outer} (${
            id ?? `inner ${row.inner} seed ${row.seed}`
          }) has no file under instances/`,
        );
      }
      selected.push({ row, record: await readInstance(dir, id) });
    }
    models.push({ aggregate, selected });
  }
  const found = options.data ? undefined : await findRunData(dir);
  const data = options.data ?? found?.data;
  const dataSource = options.data ? options.dataSource : found?.path;
  if (data) checkSameData(dir, models, data, dataSource);
  return { dir, summary, models, data, dataSource };
}

/** Records of a cross-validation keep a fingerprint of their data; a different data set would draw nonsense. */
function checkSameData(dir: string, models: readonly ResultsModel[], data: Dataset, source?: string): void {
  const expected = models.flatMap((m) => m.selected).map(({ record }) =>
    (record.config as { data?: { fingerprint?: unknown } } | undefined)?.data?.fingerprint
  ).find((f) => typeof f === "string");
  if (expected === undefined) return;
  const actual = dataFingerprint(data);
  if (actual !== expected) {
    throw new TinyRnnInputError(
      `${source ?? "the data set"} is not the data of ${dir} (fingerprint ${actual}, the run's ${expected})`,
    );
  }
}

/**
 * The data set stored beside a run: `data.json` or `data.csv` in the directory (`crossValidate` with a
 * `resultsDir` keeps it as `data.json`).
 * Undefined when there is none.
 */
export async function findRunData(dir: string): Promise<{ data: Dataset; path: string } | undefined> {
  for (const name of RUN_DATA_FILES) {
    const path = `${dir}/${name}`;
    try {
      if (!(await Deno.stat(path)).isFile) continue;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    // The run validated these data when it started; rewards may be points (not 0/1), which it accepted.
    const read = { binaryReward: false };
    return { data: name.endsWith(".json") ? loadJson(path, read) : loadCsv(path, read), path };
  }
  return undefined;
}

/** The id of the finished instance matching a selected row, for summaries written without ids. */
function findInstanceId(finished: ReadonlySet<string>, row: SelectedRow): string | undefined {
  const fold = `outer${row.outer}-inner${row.inner}-seed${row.seed}`;
  const id = row.kind === "rnn" ? `${row.model}/l1-${pythonFloat(row.l1)}/${fold}` : `${row.model}/${fold}`;
  return finished.has(id) ? id : undefined;
}
