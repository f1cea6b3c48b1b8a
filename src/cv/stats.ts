/**
 * The small statistics cross-validation needs: means, standard deviations and SEMs with pandas' ddof = 1,
 * and scipy's paired t-test with a Student-t CDF of our own (regularised incomplete beta by continued fraction).
 *
 * @module
 */

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

// Lanczos approximation (g = 7, 9 terms): about 1e-15 relative accuracy for positive arguments.
const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** Natural log of the gamma function for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the series in the range where it is accurate.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz), valid for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) return h;
  }
  return h;
}

/**
 * Regularised incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1].
 * `oneMinusX` may be passed when 1 - x is known more precisely than by subtraction.
 */
export function incompleteBeta(x: number, a: number, b: number, oneMinusX = 1 - x): number {
  if (Number.isNaN(x) || Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (x <= 0) return 0;
  if (oneMinusX <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(oneMinusX) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) {
    return Math.exp(logFront) * betaContinuedFraction(x, a, b) / a;
  }
  return 1 - Math.exp(logFront) * betaContinuedFraction(oneMinusX, b, a) / b;
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
