/**
 * The small statistics cross-validation needs: means, standard deviations and SEMs with pandas' ddof = 1,
 * and scipy's paired t-test with a Student-t CDF of our own (regularised incomplete beta by continued fraction).
 *
 * @module
 */

import { incompleteBeta } from "../special_functions.ts";

export { incompleteBeta, logGamma } from "../special_functions.ts";

/** Arithmetic mean (NaN for an empty list). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance with ddof = 1 (NaN for fewer than two values). */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (n - 1);
}

/** Sample standard deviation with ddof = 1, as pandas' `std()` (NaN for fewer than two values). */
export function sampleStd(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

/** Standard error of the mean with ddof = 1, as pandas' `sem()` (NaN for fewer than two values). */
export function sem(values: readonly number[]): number {
  return sampleStd(values) / Math.sqrt(values.length);
}

/** Cumulative distribution function of Student's t with `df` degrees of freedom (scipy's `stdtr(df, t)`). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const t2 = t * t;
  // Both x and 1 - x are formed directly so that small |t| loses no precision.
  const tail = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t > 0 ? 1 - tail : tail;
}

/** Which side a t-test checks: `less` asks whether the mean of `a - b` is below 0. */
export type Alternative = "less" | "greater" | "two-sided";

/** Result of {@link pairedTTest}. */
export interface TTestResult {
  /** t statistic of the differences `a - b`. */
  statistic: number;
  /** Degrees of freedom, n - 1. */
  df: number;
  /** p-value for the chosen alternative. */
  pValue: number;
}

/**
 * scipy's `ttest_rel(a, b, alternative)`: t = mean(d) / (std(d, ddof=1) / sqrt(n)) with d = a - b.
 *
 * As in scipy: if every difference is identical, the denominator is 0, so t is NaN when the
 * differences are all 0 (p is NaN) and ±Infinity otherwise (p is 0 or 1).
 */
export function pairedTTest(
  a: readonly number[],
  b: readonly number[],
  alternative: Alternative = "two-sided",
): TTestResult {
  if (a.length !== b.length) {
    throw new RangeError(`pairedTTest: samples differ in length (${a.length} and ${b.length})`);
  }
  const n = a.length;
  const d = a.map((v, i) => v - b[i]);
  const df = n - 1;
  const statistic = mean(d) / Math.sqrt(sampleVariance(d) / n);
  let pValue: number;
  if (alternative === "less") pValue = studentTCdf(statistic, df);
  else if (alternative === "greater") pValue = studentTCdf(-statistic, df);
  else pValue = 2 * studentTCdf(-Math.abs(statistic), df);
  return { statistic, df, pValue };
}

/**
 * One-sided paired t-test p-value that `a` is lower than `b` (scipy's
 * `ttest_rel(a, b, alternative='less').pvalue`). NaN when all differences are 0 (a self-comparison).
 *
 * @example
 * ```ts
 * pairedTTestLess([0.5778, 0.5812, 0.5718], [0.5939, 0.5965, 0.5842]); // 0.00294
 * ```
 */
export function pairedTTestLess(a: readonly number[], b: readonly number[]): number {
  return pairedTTest(a, b, "less").pValue;
}
