/**
 * The summary of a cross-validation run, built from nothing but its instance rows: the same rows give the
 * same summary whether they come from one process, from shards merged later, or from a resumed run.
 *
 * @module
 */

import { type Dimensionality, type DimensionalityOptions, estimateDimensionality } from "./dimensionality.ts";
import { type AggregateRow, compareModels, type InstanceRow, type SelectedRow } from "./rows.ts";
import { selectModels } from "./select.ts";

/** What `summary.json` holds. */
export interface Summary {
  /** One row per finished instance, ordered by model, outer, inner, L1, seed. */
  models: InstanceRow[];
  /** One row per model and outer fold: the selected instance (stage 2). */
  best: SelectedRow[];
  /** One row per model, aggregated over outer folds. */
  aggregate: AggregateRow[];
  /** The dimensionality estimate over the RNN rows, and the cognitive models against it. */
  dimensionality: Dimensionality;
  /** Ids of planned instances that have no result yet (empty for a complete run). */
  missing: string[];
}

/** Options of {@link buildSummary}. */
export interface SummaryOptions {
  /** How the dimensionality is estimated (default: one-sided paired t-test at 0.05). */
  dimensionality?: DimensionalityOptions;
  /** Ids of planned instances without a result, reported in `missing`. */
  missing?: readonly string[];
}

/**
 * Select models, aggregate them and estimate the dimensionality from the instance rows of a run.
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import { buildSummary } from "./summary.ts";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const { models: rows } = await crossValidate(data, { hidden: [1, 2], l1: [1e-5], outer: 3, inner: 2, seeds: 1, maxEpochs: 50 });
 * const summary = buildSummary(rows); // the same summary, rebuilt from its instance rows
 * console.log(summary.dimensionality.estimate);
 * ```
 */
export function buildSummary(rows: readonly InstanceRow[], options: SummaryOptions = {}): Summary {
  const { best, aggregate } = selectModels(rows);
  const models = [...rows].sort((a, b) =>
    compareModels(a, b) || a.outer - b.outer || a.inner - b.inner || a.l1 - b.l1 || a.seed - b.seed
  );
  return {
    models,
    best,
    aggregate,
    dimensionality: estimateDimensionality(aggregate, options.dimensionality),
    missing: [...(options.missing ?? [])].sort(),
  };
}
