/**
 * Resuming and merging a results folder: the settings that identify an instance (a finished file with other
 * settings or other data is not this run's, and is refused rather than reused), the finished instances of a
 * run read back and checked, and `mergeResults`, which builds the summary of a folder that shards filled.
 *
 * @module
 */

import { resolveOptions, TinyRnnInputError } from "../options.ts";
import { INSTANCE_FORMAT, valueFingerprint } from "./instances.ts";
import { initKey, MERGE_OPTIONS, type MergeOptions, type RunSettings, runSettings } from "./options.ts";
import { type FoldShape, makePlan, type Plan, type WorkUnit } from "./plan.ts";
import type { GivenOuterFold } from "./splits.ts";
import { type InstanceRecord, listFinished, readInstances, removeStaleTemp, writeSummary } from "./store.ts";
import { buildSummary, type Summary } from "./summary.ts";

/**
 * The settings that decide an instance's result; a finished file with other settings is not this instance.
 * The engine is among them only when it is not `"native"`, so that folders trained before engines could be
 * chosen stay valid.
 */
export function unitSettings(unit: WorkUnit, run: RunSettings): Record<string, unknown> {
  const at = { model: unit.model, outer: unit.outer, inner: unit.inner, seed: unit.seed };
  if (unit.spec.kind === "rnn") {
    const given = run.init?.[initKey(unit.spec.cell, unit.spec.hidden, unit.seed)];
    return {
      ...at,
      kind: "rnn",
      cell: unit.spec.cell,
      hidden: unit.spec.hidden,
      l1: unit.l1,
      lr: run.lr,
      maxEpochs: run.maxEpochs,
      patience: run.patience,
      weightDecay: run.weightDecay,
      init: given === undefined ? "seeded" : `given:${valueFingerprint(given)}`,
      split: run.splitKey,
      ...(run.engine === "native" ? {} : { engine: run.engine }),
    };
  }
  return {
    ...at,
    kind: "cognitive",
    name: unit.spec.name,
    cognitiveOptions: run.cognitiveOptions,
    restarts: run.cognitiveRestarts,
    split: run.splitKey,
  };
}

/** Relative cost of an instance, to balance shards (bigger networks train longer; cognitive fits are quick). */
export function unitCost(unit: WorkUnit): number {
  return unit.spec.kind === "rnn" ? unit.spec.hidden + 2 : 1;
}

/** Every instance of a run over the given folds. */
export function planOf(run: RunSettings, folds: readonly FoldShape[]): Plan {
  return makePlan({ models: run.models, folds, seeds: run.seeds, l1: run.l1 });
}
/** The fold shape of a run without its data (for a merge): given folds, or outer × inner counts. */
function foldShapeWithoutData(run: RunSettings): FoldShape[] {
  const split = run.split!;
  if (split.folds !== undefined) {
    const list = Array.isArray(split.folds) ? split.folds as readonly GivenOuterFold[] : [{ inner: [{}] }];
    return list.map((fold, o) => ({
      outer: o,
      inner: (fold.inner as readonly unknown[]).map((_, i) => ({ inner: i })),
    }));
  }
  const inner = split.singleInnerFold ? 1 : split.inner!;
  return Array.from({ length: split.outer! }, (_, o) => ({
    outer: o,
    inner: Array.from({ length: inner }, (_, i) => ({ inner: i })),
  }));
}

/** Check that a finished instance file belongs to this run (same settings, same data). */
function checkRecord(
  dir: string,
  record: InstanceRecord,
  expected: Record<string, unknown>,
  data: { fingerprint?: string },
): void {
  const config = record.config as { format?: unknown; settings?: Record<string, unknown>; data?: unknown };
  const file = `${dir}/instances/${record.id}.json`;
  if (config?.format !== INSTANCE_FORMAT || typeof config.settings !== "object") {
    throw new TinyRnnInputError(`${file}: not an instance of a tinyrnn cross-validation`);
  }
  const found = config.settings;
  const keys = new Set([...Object.keys(expected), ...Object.keys(found)]);
  for (const key of keys) {
    if (JSON.stringify(found[key]) !== JSON.stringify(expected[key])) {
      throw new TinyRnnInputError(
        `${file} was made with other settings (${key} ${JSON.stringify(found[key])}, this run ${
          JSON.stringify(expected[key])
        }); use another results folder, or remove it to retrain`,
      );
    }
  }
  const fingerprint = (config.data as { fingerprint?: string } | undefined)?.fingerprint;
  if (data.fingerprint === undefined) data.fingerprint = fingerprint;
  else if (fingerprint !== data.fingerprint) {
    throw new TinyRnnInputError(
      `${file} was made from other data (fingerprint ${fingerprint}, expected ${data.fingerprint}); use another results folder`,
    );
  }
}

/** Read and check the finished instances of `plan` in `dir`; also returns the ids still missing. */
export async function finishedRecords(
  dir: string,
  plan: Plan,
  run: RunSettings,
  data: { fingerprint?: string },
): Promise<{ records: InstanceRecord[]; missing: string[] }> {
  const finished = new Set(await listFinished(dir));
  const units = plan.units.filter((u) => finished.has(u.id));
  const records = await readInstances(dir, units.map((u) => u.id));
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const record of records) checkRecord(dir, record, unitSettings(byId.get(record.id)!, run), data);
  return { records, missing: plan.units.filter((u) => !finished.has(u.id)).map((u) => u.id) };
}

/**
 * Build `summary.json`/`summary.csv` of a results folder from the finished instances of the run that
 * `options` describes (the same options every shard was given), and report the instances still missing.
 * Without `allowPartial`, missing instances are an error (nothing is written). The summary equals the one a
 * single-machine run writes.
 *
 * @example Shards on one machine, then the merge
 * ```ts
 * import { cognitive, crossValidate, mergeResults, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const run = { hidden: [1, 2], outer: 3, inner: 2, seeds: 1, l1: [1e-5], maxEpochs: 50 };
 * const dir = await Deno.makeTempDir();
 * // (on a cluster: `deno task fit ... --shard i/2` for i = 0, 1, then `deno task fit ... --merge`)
 * for (const index of [0, 1]) await crossValidate(data, { ...run, resultsDir: dir, shard: { index, count: 2 } });
 * const summary = await mergeResults(dir, run);
 * console.log(summary.missing.length); // 0
 * ```
 */
export async function mergeResults(dir: string, options: MergeOptions = {}): Promise<Summary> {
  const where = "mergeResults";
  if (typeof dir !== "string" || dir === "") {
    throw new TinyRnnInputError(`${where}: dir must be a folder path, got ${JSON.stringify(dir)}`);
  }
  const o = resolveOptions(where, options, MERGE_OPTIONS);
  const run = runSettings(where, o, options);
  const plan = planOf(run, foldShapeWithoutData(run));
  const { records, missing } = await finishedRecords(dir, plan, run, {});
  if (missing.length > 0 && !o.allowPartial) {
    const shown = missing.slice(0, 5).join(", ");
    throw new TinyRnnInputError(
      `${dir}: ${missing.length} of ${plan.units.length} instances are not finished (${shown}${
        missing.length > 5 ? ", ..." : ""
      }); rerun the shards that trained them, or merge with allowPartial (--allow-partial)`,
    );
  }
  await removeStaleTemp(dir);
  const summary = buildSummary(records.map((r) => r.row), { dimensionality: run.dimensionality, missing });
  await writeSummary(dir, summary);
  return summary;
}
