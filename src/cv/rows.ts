/**
 * The rows of the cross-validation tables: one per trained instance, one per selected model, one per model
 * aggregated over outer folds. `summary.json` holds these rows under exactly these keys.
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";

/**
 * Whether a model is a recurrent network, a cognitive model, or the equations discovered from a network
 * (`crossValidate`'s `equations` option).
 */
export type ModelKind = "rnn" | "cognitive" | "equations";

/** One trained (or fitted) model instance: a model spec on one (outer, inner) fold with one seed and L1. */
export interface InstanceRow {
  /** Stable instance id from the plan, e.g. `gru-2/l1-1e-05/outer0-inner1-seed0` (optional for hand-made tables). */
  id?: string;
  /** Id of the model spec, e.g. `"gru-2"` or `"MB0"`; selection and aggregation group by it. */
  model: string;
  /** `"rnn"`, `"cognitive"` or `"equations"`; only RNN rows enter the dimensionality estimate. */
  kind: ModelKind;
  /** Recurrent cell (`"gru"`, ...) or the cognitive model's name. */
  cell: string;
  /** Hidden size d of a network, or the number of dynamical variables of a cognitive model. */
  hidden: number;
  /** L1 strength (0 for cognitive models). */
  l1: number;
  /** Outer fold index. */
  outer: number;
  /** Inner fold index. */
  inner: number;
  /** Seed index. */
  seed: number;
  /** Training epochs run (optimiser iterations for cognitive models). */
  epochs: number;
  /** Epoch of the kept parameters (first minimum of the validation loss). */
  bestEpoch: number;
  /** Best-epoch NLL per scored trial on the training set. */
  trainLoss: number;
  /** ... on the validation set. */
  valLoss: number;
  /** ... on the outer test set. */
  testLoss: number;
  /** Scored trials in the training set. */
  trainTrials: number;
  /** Scored trials in the validation set. */
  valTrials: number;
  /** Scored trials in the test set. */
  testTrials: number;
  /** Fraction of training trials where the arg-max action equals the real one (ties go to action 0). */
  trainAcc?: number;
  /** ... of validation trials. */
  valAcc?: number;
  /** ... of test trials. */
  testAcc?: number;
}

/** An instance row kept by selection, with the pooled train+validation numbers that stage 2 compares. */
export interface SelectedRow extends InstanceRow {
  /** `(trainLoss·trainTrials + valLoss·valTrials) / (trainTrials + valTrials)`. */
  trainvalLoss: number;
  /** `trainTrials + valTrials`. */
  trainvalTrials: number;
  /** Trial-weighted mean of `trainAcc` and `valAcc` (NaN when either is missing). */
  trainvalAcc: number;
}

/** Which instance was selected for one outer fold. */
export interface SelectedInstance {
  /** Outer fold index. */
  outer: number;
  /** Inner fold index of the selected instance. */
  inner: number;
  /** Seed index of the selected instance. */
  seed: number;
  /** L1 strength of the selected instance. */
  l1: number;
  /** Instance id, when the rows carry ids. */
  id?: string;
}

/**
 * One model aggregated over outer folds. Losses and accuracies are pooled over trials
 * (`Σ value·trials / Σ trials`); fold-wise statistics are unweighted with ddof 1. Accuracy fields are NaN
 * when the rows carry no accuracies.
 */
export interface AggregateRow {
  /** Id of the model spec, e.g. `"gru-2"` or `"MB0"`. */
  model: string;
  /** `"rnn"`, `"cognitive"` or `"equations"`. */
  kind: ModelKind;
  /** Recurrent cell or the cognitive model's name. */
  cell: string;
  /** Hidden size d, or the cognitive model's number of dynamical variables. */
  hidden: number;
  /** Pooled test NLL per trial over all outer folds: every block is tested exactly once. */
  testLoss: number;
  /** Pooled test accuracy. */
  testAccuracy: number;
  /** Test trials over all outer folds. */
  testTrials: number;
  /** Pooled train+validation NLL per trial of the selected models. */
  trainvalLoss: number;
  /** Pooled train+validation accuracy of the selected models. */
  trainvalAccuracy: number;
  /** Train+validation trials of the selected models, summed. */
  trainvalTrials: number;
  /** Pooled training NLL per trial of the selected models. */
  trainLoss: number;
  /** Pooled training accuracy of the selected models. */
  trainAccuracy: number;
  /** Training trials of the selected models, summed. */
  trainTrials: number;
  /** Pooled validation NLL per trial of the selected models. */
  valLoss: number;
  /** Pooled validation accuracy of the selected models. */
  valAccuracy: number;
  /** Validation trials of the selected models, summed. */
  valTrials: number;
  /** Outer fold indices, ascending; the fold-wise arrays below follow this order. */
  outerFolds: number[];
  /** Test NLL of the selected model of each outer fold. */
  foldTestLoss: number[];
  /** Test accuracy of the selected model of each outer fold. */
  foldTestAccuracy: number[];
  /** SEM (ddof 1) of `foldTestLoss`; the same as `testLossOuterSem`. */
  sem: number;
  /** Standard deviation (ddof 1) of `foldTestLoss` (the original's `test_loss_outer_std`). */
  testLossOuterStd: number;
  /** SEM of `foldTestLoss` (`test_loss_outer_sem`). */
  testLossOuterSem: number;
  /** Standard deviation (ddof 1) of `foldTestAccuracy`. */
  testAccuracyOuterStd: number;
  /** SEM of `foldTestAccuracy`. */
  testAccuracyOuterSem: number;
  /** Mean over outer folds of the SEM across inner folds of the stage-1 test losses (`test_loss_mean_inner_sem`). */
  testLossMeanInnerSem: number;
  /** SEM over all stage-1 rows (`test_loss_outer_inner_sem`; the error bar of the paper's loss-versus-d plots). */
  testLossOuterInnerSem: number;
  /** As `testLossMeanInnerSem`, for the test accuracy. */
  testAccuracyMeanInnerSem: number;
  /** As `testLossOuterInnerSem`, for the test accuracy. */
  testAccuracyOuterInnerSem: number;
  /** Mean training trials per selected model. */
  meanTrainTrials: number;
  /** Mean validation trials per selected model. */
  meanValTrials: number;
  /** The selected instance of each outer fold, in `outerFolds` order. */
  selected: SelectedInstance[];
}

const NUMERIC_KEYS = [
  "hidden",
  "l1",
  "outer",
  "inner",
  "seed",
  "epochs",
  "bestEpoch",
  "trainLoss",
  "valLoss",
  "testLoss",
  "trainTrials",
  "valTrials",
  "testTrials",
] as const;
/** Every numeric field of instance and selected rows (restored from JSON `null` as NaN by the store). */
export const ROW_NUMBER_KEYS: readonly string[] = [
  ...NUMERIC_KEYS,
  "trainAcc",
  "valAcc",
  "testAcc",
  "trainvalLoss",
  "trainvalTrials",
  "trainvalAcc",
];
const INTEGER_KEYS = new Set([
  "outer",
  "inner",
  "seed",
  "epochs",
  "bestEpoch",
  "trainTrials",
  "valTrials",
  "testTrials",
]);

/**
 * Check a table of instance rows: required keys and types, consistent model specs, unique
 * (model, outer, inner, l1, seed). Errors name the row and the column.
 */
export function validateRows(rows: readonly InstanceRow[]): void {
  const specs = new Map<string, string>();
  const seen = new Map<string, number>();
  rows.forEach((row, r) => {
    const where = `instance row ${r}${row && typeof row.id === "string" ? ` (${row.id})` : ""}`;
    if (row === null || typeof row !== "object") throw new TinyRnnInputError(`${where}: not an object`);
    for (const key of ["model", "cell"] as const) {
      if (typeof row[key] !== "string" || row[key] === "") {
        throw new TinyRnnInputError(
          `${where}: column "${key}" must be a non-empty string, got ${JSON.stringify(row[key])}`,
        );
      }
    }
    if (row.kind !== "rnn" && row.kind !== "cognitive" && row.kind !== "equations") {
      throw new TinyRnnInputError(
        `${where}: column "kind" must be "rnn", "cognitive" or "equations", got ${JSON.stringify(row.kind)}`,
      );
    }
    for (const key of NUMERIC_KEYS) {
      const value = row[key];
      if (typeof value !== "number" || (INTEGER_KEYS.has(key) && !Number.isInteger(value))) {
        throw new TinyRnnInputError(
          `${where}: column "${key}" must be ${INTEGER_KEYS.has(key) ? "an integer" : "a number"}, got ${
            JSON.stringify(value)
          }`,
        );
      }
    }
    for (const key of ["trainAcc", "valAcc", "testAcc"] as const) {
      if (row[key] !== undefined && typeof row[key] !== "number") {
        throw new TinyRnnInputError(
          `${where}: column "${key}" must be a number, got ${JSON.stringify(row[key])}`,
        );
      }
    }
    const spec = `${row.kind}/${row.cell}/${row.hidden}`;
    const known = specs.get(row.model);
    if (known !== undefined && known !== spec) {
      throw new TinyRnnInputError(
        `${where}: model "${row.model}" is ${spec.replaceAll("/", " ")} here but ${
          known.replaceAll("/", " ")
        } in an earlier row`,
      );
    }
    specs.set(row.model, spec);
    const key = `${row.model}|${row.outer}|${row.inner}|${row.l1}|${row.seed}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new TinyRnnInputError(
        `${where}: same model, outer, inner, l1 and seed as instance row ${earlier} (${row.model} outer ${row.outer} inner ${row.inner} l1 ${row.l1} seed ${row.seed})`,
      );
    }
    seen.set(key, r);
  });
}

/** Order of the kinds in tables: networks, then the equations read from them, then cognitive models. */
const KIND_RANK: Readonly<Record<ModelKind, number>> = { rnn: 0, equations: 1, cognitive: 2 };

/**
 * Deterministic order of models in every output table: RNNs, then equations discovered from them, then
 * cognitive models; within a kind by cell name, hidden size and model id.
 */
export function compareModels(
  a: Pick<InstanceRow, "kind" | "cell" | "hidden" | "model">,
  b: Pick<InstanceRow, "kind" | "cell" | "hidden" | "model">,
): number {
  if (a.kind !== b.kind) return (KIND_RANK[a.kind] ?? 3) - (KIND_RANK[b.kind] ?? 3);
  if (a.cell !== b.cell) return a.cell < b.cell ? -1 : 1;
  if (a.hidden !== b.hidden) return a.hidden - b.hidden;
  return a.model < b.model ? -1 : a.model > b.model ? 1 : 0;
}
