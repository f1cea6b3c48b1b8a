/**
 * One-dimensional summaries of the logit dynamics, as in the paper's 1-D analysis: per trial type the line dL = b0 + b1 L, its
 * "learning rate" -b1 and the preference setpoint the logit is driven towards.
 *
 * @module
 */

import { trialTypeCount } from "../data/dataset.ts";
import { checkChoice, checkNumber, rejectUnknownKeys } from "../options.ts";
import type { LogitChanges } from "./logits.ts";
import { fitLine } from "./regression.ts";
import { trialTypeLabels } from "./trial_types.ts";

/** How `fixedPoint` is chosen. */
export type FixedPointMethod = "auto" | "intercept" | "attractor";

/** Options of `logitDynamics`. */
export interface LogitDynamicsOptions {
  /**
   * `"intercept"`: the x-intercept -b0/b1; `"attractor"`: the empirical attractor; `"auto"` (default): the
   * x-intercept when the points lie on a line (R² ≥ 1 - 1e-9, as for MB0s), else the empirical attractor.
   */
  fixedPoint?: FixedPointMethod;
  /** Number of points of smallest |dL| whose median L is the empirical attractor (default 10, as the original). */
  attractorPoints?: number;
}

/** The 1-D summary of one trial type. */
export interface TrialTypeDynamics {
  /** Trial type code (`2a + r` for bandits, `4a + 2s + r` for two-stage tasks). */
  trialType: number;
  /** Human-readable trial type, e.g. `"A1 rewarded"`. */
  label: string;
  /** Number of trials of this type. */
  n: number;
  /** b1 of dL = b0 + b1 L. */
  slope: number;
  /** b0 of dL = b0 + b1 L. */
  intercept: number;
  /** Coefficient of determination R² of the regression. */
  r2: number;
  /** -b1. */
  learningRate: number;
  /** -b0/b1, where the fitted line crosses dL = 0. */
  xIntercept: number;
  /** Median L of the `attractorPoints` trials with the smallest |dL|. */
  attractor: number;
  /** The setpoint chosen by the `fixedPoint` option. */
  fixedPoint: number;
}

/** Median of L over the k points of smallest |dL| (NaN when there are none). */
export function empiricalAttractor(logit: ArrayLike<number>, change: ArrayLike<number>, k = 10): number {
  const order = Array.from({ length: logit.length }, (_, i) => i).sort((i, j) =>
    Math.abs(change[i]) - Math.abs(change[j])
  );
  const chosen = order.slice(0, k).map((i) => logit[i]).sort((a, b) => a - b);
  if (chosen.length === 0) return NaN;
  const mid = chosen.length >> 1;
  return chosen.length % 2 ? chosen[mid] : (chosen[mid - 1] + chosen[mid]) / 2;
}

/**
 * Per trial type: regression of dL on L, learning rate and setpoint. Types without trials get NaNs. With k > 2
 * options there are 2k (bandit) or 4k (two-stage) types and L is the chosen option's log-odds (`logitChanges`).
 *
 * @example
 * ```ts
 * import { cognitive, logitChanges, logitDynamics, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const model = cognitive("MB0s", { alpha: 0.3, iTemp: 3 });
 * for (const row of logitDynamics(logitChanges(model, data))) {
 *   console.log(row.label, row.learningRate, row.fixedPoint);
 * }
 * ```
 */
export function logitDynamics(
  changes: LogitChanges,
  options: LogitDynamicsOptions = {},
): TrialTypeDynamics[] {
  const where = "logitDynamics";
  rejectUnknownKeys(where, options, ["fixedPoint", "attractorPoints"]);
  const method = checkChoice(
    where,
    "fixedPoint",
    options.fixedPoint ?? "auto",
    [
      "auto",
      "intercept",
      "attractor",
    ] as const,
  );
  const k = checkNumber(where, "attractorPoints", options.attractorPoints ?? 10, { min: 1, integer: true });
  const nActions = changes.nActions ?? 2;
  const labels = trialTypeLabels(changes.kind, nActions);
  const result: TrialTypeDynamics[] = [];
  for (let type = 0; type < trialTypeCount(changes.kind, nActions); type++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < changes.logit.length; i++) {
      if (changes.trialType[i] === type) {
        x.push(changes.logit[i]);
        y.push(changes.change[i]);
      }
    }
    const line = fitLine(x, y);
    const xIntercept = -line.intercept / line.slope;
    const attractor = empiricalAttractor(x, y, k);
    const linear = line.r2 >= 1 - 1e-9;
    const fixedPoint = method === "intercept" || (method === "auto" && linear) ? xIntercept : attractor;
    result.push({
      trialType: type,
      label: labels[type],
      n: x.length,
      slope: line.slope,
      intercept: line.intercept,
      r2: line.r2,
      learningRate: -line.slope,
      xIntercept,
      attractor,
      fixedPoint,
    });
  }
  return result;
}

/** Mean, standard deviation (ddof 1, as pandas) and the values of one quantity across models. */
export interface Spread {
  /** Mean of the finite values (NaN when there is none). */
  mean: number;
  /** Standard deviation of the finite values, ddof 1 (NaN with fewer than two). */
  std: number;
  /** Every model's value, in the order given (non-finite ones included). */
  values: number[];
}

/** One trial type's quantities summarised across models (e.g. the best model of each outer fold). */
export interface TrialTypeSummary {
  /** Trial type code (`2a + r` for bandits, `4a + 2s + r` for two-stage tasks). */
  trialType: number;
  /** Human-readable trial type, e.g. `"A1 rewarded"`. */
  label: string;
  /** Regression slope b1 across models. */
  slope: Spread;
  /** Regression intercept b0 across models. */
  intercept: Spread;
  /** R² of the regression across models. */
  r2: Spread;
  /** Learning rate -b1 across models. */
  learningRate: Spread;
  /** Preference setpoint across models. */
  fixedPoint: Spread;
}

function spread(values: number[]): Spread {
  const finite = values.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const variance = finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1);
  return { mean: finite.length ? mean : NaN, std: finite.length > 1 ? Math.sqrt(variance) : NaN, values };
}

/**
 * Summarise `logitDynamics` results of several models (one per outer fold) per trial type; non-finite values
 * (types a model never saw) are kept in `values` but left out of mean and std.
 *
 * @example
 * ```ts
 * import { cognitive, logitChanges, logitDynamics, simulate, summariseDynamics, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const models = [0.2, 0.4].map((alpha) => cognitive("MB0s", { alpha, iTemp: 3 }));
 * const perFold = models.map((m) => logitDynamics(logitChanges(m, data)));
 * for (const row of summariseDynamics(perFold)) console.log(row.label, row.learningRate.mean, row.learningRate.std);
 * ```
 */
export function summariseDynamics(models: readonly TrialTypeDynamics[][]): TrialTypeSummary[] {
  if (models.length === 0) return [];
  const count = models[0].length;
  for (const [m, rows] of models.entries()) {
    if (rows.length !== count) {
      throw new RangeError(
        `summariseDynamics: model ${m} has ${rows.length} trial types, model 0 has ${count}`,
      );
    }
  }
  return models[0].map((first, type) => {
    const pick = (key: keyof TrialTypeDynamics) => spread(models.map((rows) => rows[type][key] as number));
    return {
      trialType: first.trialType,
      label: first.label,
      slope: pick("slope"),
      intercept: pick("intercept"),
      r2: pick("r2"),
      learningRate: pick("learningRate"),
      fixedPoint: pick("fixedPoint"),
    };
  });
}
