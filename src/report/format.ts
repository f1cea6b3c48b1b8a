/**
 * How numbers read in captions and tables of reports.
 *
 * @module
 */

/** L1 strengths as people write them: 1e-5, 0.001 as 1e-3, 0 as 0. */
export function formatL1(value: number): string {
  return value === 0 ? "0" : value.toExponential().replace("e+", "e");
}
