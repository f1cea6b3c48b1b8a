/**
 * The models a cross-validation kept, rebuilt and ready to run: the instance selected for each outer fold of
 * each model, as a `FittedModel` (networks) or a `CognitiveModel`, for portraits and dynamics analyses.
 *
 * @module
 */

import type { CognitiveModel } from "../agents/cognitive.ts";
import type { SelectedRow } from "../cv/rows.ts";
import type { FittedModel } from "../engine/fitted_model.ts";
import type { EquationModel } from "../equations/equation_model.ts";
import { TinyRnnInputError } from "../options.ts";
import { modelOfRecord } from "../cv/model_of_record.ts";
import type { ResultsRun } from "./results.ts";

/** One selected instance, rebuilt. */
export interface SelectedModel {
  /** Model id, e.g. `"gru-2"`. */
  model: string;
  /** The outer fold it was selected for (it never saw that fold's test blocks). */
  outer: number;
  /** Its row in `summary.best`. */
  row: SelectedRow;
  /** The rebuilt model; pass it to `portrait`, `logitChanges`, `simulate`, ... */
  fitted: FittedModel | CognitiveModel | EquationModel;
}

/**
 * Every selected instance of a run (optionally of one model), in the order of the summary's models and outer
 * folds. Needs the run's data set (for the task kind and the number of actions).
 *
 * @example
 * ```ts
 * import { loadResults, portrait, selectedModels } from "@tinyrnn/tinyrnn";
 *
 * const run = await loadResults("results/tutorial");
 * const [first] = selectedModels(run, "gru-2");
 * await portrait(first.fitted, run.data!).save("portrait.svg");
 * ```
 */
export function selectedModels(run: ResultsRun, model?: string): SelectedModel[] {
  if (!run.data) {
    throw new TinyRnnInputError(`${run.dir}: no data set for the run; pass { data } to loadResults`);
  }
  const context = { kind: run.data.kind, nActions: run.data.nActions };
  const models = model === undefined ? run.models : run.models.filter((m) => m.aggregate.model === model);
  if (model !== undefined && models.length === 0) {
    throw new TinyRnnInputError(
      `${run.dir}: no model "${model}" (models: ${run.models.map((m) => m.aggregate.model).join(", ")})`,
    );
  }
  return models.flatMap((m) =>
    m.selected.map(({ row, record }) => ({
      model: m.aggregate.model,
      outer: row.outer,
      row,
      fitted: modelOfRecord(record, context),
    }))
  );
}
