/**
 * The original's dimensionality estimate (its `estimate_dimensionality`), and where each cognitive
 * model stands against the RNN loss-versus-d curve.
 *
 * For each hidden size the best RNN (lowest pooled test loss over cells) is kept. Row i "beats" a smaller row j
 * when the one-sided paired t-test across outer folds of "i has lower per-fold test loss than j" gives
 * p ≤ `alpha`. A row is flagged `lessThanFormer = 1` unless some smaller row has p > `alpha`; the estimate is the
 * largest hidden size with flag 1.
 *
 * **NaN p-values** (identical per-fold losses, so zero variance of the differences) are *not* > `alpha` and
 * therefore count as a significant improvement, exactly like the original (whose test `p > alpha` is false
 * for NaN, so it keeps the flag). The comparisons where this happened are listed in `nanComparisons` so that a
 * reader can see them.
 *
 * @module
 */

import { checkChoice, checkNumber, type DefaultedOption, option, resolveOptions } from "../options.ts";
import { type AggregateRow, compareModels } from "./rows.ts";
import { mean, pairedTTestLess } from "./stats.ts";

/**
 * How two models are compared: `"ttest"` is the paired one-sided t-test (the original's default);
 * `"mean"` gives p = 0 when the mean per-fold test loss of row i is lower than row j's, else 1 (the original's
 * variant when a `block` key is present, which the seed tutorial used).
 */
export type DimensionalityTest = "ttest" | "mean";

/** Options of {@link estimateDimensionality}. */
export interface DimensionalityOptions {
  /** Comparison (default `"ttest"`). */
  test?: DimensionalityTest;
  /** Significance level (default `0.05`). */
  alpha?: number;
}

/** The declarations of {@link DIMENSIONALITY_OPTIONS}. */
export type DimensionalityOptionSpecs = {
  readonly test: DefaultedOption<DimensionalityTest>;
  readonly alpha: DefaultedOption<number>;
};

/** The options of {@link estimateDimensionality}: key, default, check and one line of help each. */
export const DIMENSIONALITY_OPTIONS: DimensionalityOptionSpecs = {
  test: option<DimensionalityTest>({
    help: "dimensionality comparison: paired one-sided t-test across outer folds, or mean per-fold loss",
    default: "ttest",
    placeholder: "ttest|mean",
    check: (where, name, v) => checkChoice(where, name, v, ["ttest", "mean"] as const),
  }),
  alpha: option<number>({
    help: "significance level of the t-test",
    default: 0.05,
    placeholder: "P",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, max: 1 }),
  }),
};

/** One hidden size on the RNN curve. */
export interface DimensionalityRow {
  /** Model id of the best network of this hidden size, e.g. `"gru-2"`. */
  model: string;
  /** Recurrent cell, e.g. `"gru"`. */
  cell: string;
  /** Hidden size d. */
  hidden: number;
  /** Pooled test NLL per trial. */
  testLoss: number;
  /** Per-outer-fold test losses used by the comparisons. */
  foldTestLoss: number[];
  /** `lessPValues[j]`: p-value that this row has lower per-fold test loss than row j. */
  lessPValues: number[];
  /** 1 when this row beats every smaller row (p ≤ alpha or NaN), else 0. */
  lessThanFormer: 0 | 1;
}

/** Where one cognitive model stands against the RNN curve. */
export interface CognitivePlacement {
  /** Model id, e.g. `"MB0"`. */
  model: string;
  /** The cognitive model's name. */
  cell: string;
  /** The cognitive model's number of dynamical variables. */
  hidden: number;
  /** Pooled test NLL per trial. */
  testLoss: number;
  /** `pValues[i]`: p-value that the best RNN of `rows[i]` has lower per-fold test loss than this model. */
  pValues: number[];
  /** Smallest hidden size whose best RNN has a lower pooled test loss, or null. */
  beatenByHidden: number | null;
  /** The p-value of that comparison (NaN when `beatenByHidden` is null). */
  pValue: number;
  /** Smallest hidden size whose best RNN is lower with p ≤ alpha (NaN p-values do not count here), or null. */
  significantlyBeatenByHidden: number | null;
}

/** Result of {@link estimateDimensionality}. */
export interface Dimensionality {
  /** Largest hidden size with `lessThanFormer = 1`; null when there are no RNN models. */
  estimate: number | null;
  /** The comparison used (`"ttest"` or `"mean"`). */
  test: DimensionalityTest;
  /** The significance level used. */
  alpha: number;
  /** Hidden sizes of `rows`, ascending. */
  hidden: number[];
  /** `pValues[i][j]`: p-value that row i has lower per-fold test loss than row j (NaN on the diagonal for t-tests). */
  pValues: number[][];
  /** The flags of `rows`. */
  lessThanFormer: (0 | 1)[];
  /** The best RNN per hidden size, ascending. */
  rows: DimensionalityRow[];
  /** Flag-deciding comparisons (row `hidden` against smaller `than`) whose p-value was NaN and counted as significant. */
  nanComparisons: { hidden: number; than: number }[];
  /** Every cognitive model against the RNN curve. */
  cognitive: CognitivePlacement[];
}

/**
 * Estimate the dimensionality from aggregated models (RNN rows enter the curve; cognitive rows are placed
 * against it).
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import { selectModels } from "./select.ts";
 * import { estimateDimensionality } from "./dimensionality.ts";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const { models: rows } = await crossValidate(data, { hidden: [1, 2], l1: [1e-5], outer: 3, inner: 2, seeds: 1, maxEpochs: 50 });
 * const { aggregate } = selectModels(rows);
 * const { estimate, pValues } = estimateDimensionality(aggregate);
 * console.log(estimate, pValues);
 * ```
 */
export function estimateDimensionality(
  aggregate: readonly AggregateRow[],
  options: DimensionalityOptions = {},
): Dimensionality {
  const where = "estimateDimensionality";
  const { test, alpha } = resolveOptions(where, options, DIMENSIONALITY_OPTIONS);
  const compare = (a: AggregateRow, b: AggregateRow): number => {
    const [x, y] = alignFolds(a, b);
    if (test === "mean") return mean(x) < mean(y) ? 0 : 1;
    return pairedTTestLess(x, y);
  };

  const bestByHidden = new Map<number, AggregateRow>();
  for (const row of [...aggregate].filter((r) => r.kind === "rnn").sort(compareModels)) {
    const current = bestByHidden.get(row.hidden);
    if (
      !current || row.testLoss < current.testLoss ||
      (Number.isNaN(current.testLoss) && !Number.isNaN(row.testLoss))
    ) {
      bestByHidden.set(row.hidden, row);
    }
  }
  const curve = [...bestByHidden.values()].sort((a, b) => a.hidden - b.hidden);
  const pValues = curve.map((a) => curve.map((b) => compare(a, b)));
  const nanComparisons: { hidden: number; than: number }[] = [];
  const lessThanFormer = curve.map((row, i): 0 | 1 => {
    for (let j = 0; j < i; j++) {
      if (Number.isNaN(pValues[i][j])) nanComparisons.push({ hidden: row.hidden, than: curve[j].hidden });
    }
    return pValues[i].slice(0, i).some((p) => p > alpha) ? 0 : 1;
  });
  const flagged = curve.filter((_, i) => lessThanFormer[i] === 1);

  const cognitive = [...aggregate].filter((r) => r.kind === "cognitive").sort(compareModels).map(
    (cog): CognitivePlacement => {
      const p = curve.map((rnn) => compare(rnn, cog));
      const beaten = curve.findIndex((rnn) => rnn.testLoss < cog.testLoss);
      const significant = p.findIndex((v) => v <= alpha);
      return {
        model: cog.model,
        cell: cog.cell,
        hidden: cog.hidden,
        testLoss: cog.testLoss,
        pValues: p,
        beatenByHidden: beaten < 0 ? null : curve[beaten].hidden,
        pValue: beaten < 0 ? NaN : p[beaten],
        significantlyBeatenByHidden: significant < 0 ? null : curve[significant].hidden,
      };
    },
  );

  return {
    estimate: flagged.length === 0 ? null : flagged[flagged.length - 1].hidden,
    test,
    alpha,
    hidden: curve.map((r) => r.hidden),
    pValues,
    lessThanFormer,
    rows: curve.map((r, i) => ({
      model: r.model,
      cell: r.cell,
      hidden: r.hidden,
      testLoss: r.testLoss,
      foldTestLoss: r.foldTestLoss,
      lessPValues: pValues[i],
      lessThanFormer: lessThanFormer[i],
    })),
    nanComparisons,
    cognitive,
  };
}

/**
 * Per-fold test losses of two models on the outer folds both have (all of them in a complete run; a merge of
 * an unfinished run may lack some).
 */
function alignFolds(a: AggregateRow, b: AggregateRow): [number[], number[]] {
  const x: number[] = [];
  const y: number[] = [];
  a.outerFolds.forEach((fold, i) => {
    const j = b.outerFolds.indexOf(fold);
    if (j >= 0) {
      x.push(a.foldTestLoss[i]);
      y.push(b.foldTestLoss[j]);
    }
  });
  return [x, y];
}
