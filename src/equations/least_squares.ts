/**
 * Least squares and sequentially thresholded least squares (SINDy's STLSQ), written out in float64.
 *
 * The solve is a Householder QR with column pivoting on columns scaled to unit root-mean-square. Forming the
 * normal equations would square the condition number, and a polynomial-plus-sigmoid library over a narrow
 * range of logits is close to collinear (sigmoid(L) is nearly 1/2 + L/4 near 0), so the QR keeps the digits
 * that an exact recovery test needs. Pivoting also gives a clean answer when columns are exactly dependent:
 * the dependent ones get coefficient 0 instead of a huge cancelling pair.
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";

/** Relative size of a pivot below which a column counts as dependent on the ones before it. */
const RANK_TOLERANCE = 1e-12;

/** Outcome of {@linkcode leastSquares}. */
export interface LeastSquaresSolution {
  /** One coefficient per column; 0 for columns left out as dependent. */
  coefficients: Float64Array;
  /** Numerical rank of the (scaled) design. */
  rank: number;
}

/**
 * Minimise `Σ_i (y_i − Σ_j c_j X_ij)² + ridge · n · Σ_j (c_j s_j)²` over c, where `columns[j]` is column j of X
 * (n rows each) and `s_j` its root mean square (so the ridge penalises each term's typical size, and a ridge
 * of 1e-6 means the same whatever the units of the variables). Columns that are all zero get coefficient 0.
 *
 * @example
 * ```ts
 * import { leastSquares } from "@tinyrnn/tinyrnn";
 *
 * const x = Float64Array.from([0, 1, 2, 3]);
 * const one = Float64Array.from([1, 1, 1, 1]);
 * const { coefficients } = leastSquares([x, one], x.map((v) => 0.5 * v - 2));
 * console.log(coefficients); // ≈ [0.5, -2]
 * ```
 */
export function leastSquares(
  columns: readonly Float64Array[],
  y: ArrayLike<number>,
  ridge = 0,
): LeastSquaresSolution {
  const n = y.length;
  const p = columns.length;
  for (const [j, column] of columns.entries()) {
    if (column.length !== n) {
      throw new TinyRnnInputError(`leastSquares: column ${j} has ${column.length} rows, y has ${n}`);
    }
  }
  if (!(ridge >= 0)) throw new TinyRnnInputError(`leastSquares: ridge must be >= 0, got ${ridge}`);
  const coefficients = new Float64Array(p);
  // Scale each column to unit root mean square; all-zero columns take no part.
  const scale = new Float64Array(p);
  const used: number[] = [];
  for (let j = 0; j < p; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += columns[j][i] * columns[j][i];
    scale[j] = Math.sqrt(sum / Math.max(n, 1));
    if (scale[j] > 0 && Number.isFinite(scale[j])) used.push(j);
  }
  const q = used.length;
  if (q === 0 || n === 0) return { coefficients, rank: 0 };
  // Ridge rows: sqrt(ridge · n) on the diagonal of the scaled design, 0 in the target.
  const extra = ridge > 0 ? q : 0;
  const m = n + extra;
  const a: Float64Array[] = used.map((j, k) => {
    const column = new Float64Array(m);
    for (let i = 0; i < n; i++) column[i] = columns[j][i] / scale[j];
    if (extra > 0) column[n + k] = Math.sqrt(ridge * n);
    return column;
  });
  const b = new Float64Array(m);
  for (let i = 0; i < n; i++) b[i] = y[i];
  const order = used.map((_, k) => k);
  const diagonal = new Float64Array(q);
  let rank = 0;
  let firstPivot = 0;
  const steps = Math.min(m, q);
  for (let k = 0; k < steps; k++) {
    // Pivot: the remaining column with the largest norm below row k (norms recomputed, not downdated,
    // because downdating loses accuracy exactly when columns are nearly dependent).
    let best = k;
    let bestNorm = -1;
    for (let c = k; c < q; c++) {
      const column = a[order[c]];
      let sum = 0;
      for (let i = k; i < m; i++) sum += column[i] * column[i];
      if (sum > bestNorm) {
        bestNorm = sum;
        best = c;
      }
    }
    const norm = Math.sqrt(bestNorm);
    if (k === 0) firstPivot = norm;
    if (!(norm > RANK_TOLERANCE * firstPivot) || norm === 0) break;
    [order[k], order[best]] = [order[best], order[k]];
    const v = a[order[k]];
    // Householder reflection that maps v[k:] onto -sign(v[k])·norm·e_k.
    const alpha = v[k] >= 0 ? -norm : norm;
    v[k] -= alpha;
    let vNorm2 = 0;
    for (let i = k; i < m; i++) vNorm2 += v[i] * v[i];
    if (vNorm2 > 0) {
      for (let c = k + 1; c < q; c++) {
        const column = a[order[c]];
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i] * column[i];
        const f = (2 * dot) / vNorm2;
        for (let i = k; i < m; i++) column[i] -= f * v[i];
      }
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * b[i];
      const f = (2 * dot) / vNorm2;
      for (let i = k; i < m; i++) b[i] -= f * v[i];
    }
    diagonal[k] = alpha;
    rank++;
  }
  // Back-substitution on the leading rank × rank block of R (R's off-diagonal entries sit in the columns).
  const z = new Float64Array(rank);
  for (let k = rank - 1; k >= 0; k--) {
    let sum = b[k];
    for (let c = k + 1; c < rank; c++) sum -= a[order[c]][k] * z[c];
    z[k] = sum / diagonal[k];
  }
  for (let k = 0; k < rank; k++) {
    const j = used[order[k]];
    coefficients[j] = z[k] / scale[j];
  }
  return { coefficients, rank };
}

/** Options of {@linkcode stlsq}. */
export interface StlsqOptions {
  /** Ridge strength passed to every least-squares solve (see {@linkcode leastSquares}). Default 0. */
  ridge?: number;
  /** Most threshold-and-refit rounds. Default 20. */
  maxIterations?: number;
}

/** Outcome of {@linkcode stlsq}. */
export interface StlsqResult {
  /** One coefficient per column; exactly 0 for dropped terms. */
  coefficients: Float64Array;
  /** Which columns were kept. */
  support: boolean[];
  /** Threshold-and-refit rounds run. */
  iterations: number;
}

/**
 * Sequentially thresholded least squares: fit all columns, drop every term whose typical size
 * `|c_j| · rms(column j)` is below `threshold`, refit on the rest, and repeat until no term is dropped.
 * Measuring a term by its typical contribution rather than its raw coefficient gives the threshold the units
 * of the target, so it does not depend on how large the variables happen to be (a coefficient of 0.01 on L²
 * matters when L reaches 10).
 *
 * @example
 * ```ts
 * import { stlsq } from "@tinyrnn/tinyrnn";
 *
 * const x = Float64Array.from({ length: 20 }, (_, i) => i / 5 - 2);
 * const columns = [x, x.map((v) => v * v), x.map(() => 1)];
 * const y = x.map((v) => 0.7 * v + 1 + 1e-9 * v * v);
 * console.log(stlsq(columns, y, 1e-6).support); // [true, false, true]
 * ```
 */
export function stlsq(
  columns: readonly Float64Array[],
  y: ArrayLike<number>,
  threshold: number,
  options: StlsqOptions = {},
): StlsqResult {
  const ridge = options.ridge ?? 0;
  const maxIterations = options.maxIterations ?? 20;
  const p = columns.length;
  const n = y.length;
  const rms = columns.map((column) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += column[i] * column[i];
    return Math.sqrt(sum / Math.max(n, 1));
  });
  let support = rms.map((s) => s > 0);
  let coefficients = new Float64Array(p);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const kept = support.flatMap((keep, j) => (keep ? [j] : []));
    coefficients = new Float64Array(p);
    if (kept.length === 0) break;
    const solved = leastSquares(kept.map((j) => columns[j]), y, ridge).coefficients;
    kept.forEach((j, k) => (coefficients[j] = solved[k]));
    const next = support.map((keep, j) => keep && Math.abs(coefficients[j]) * rms[j] >= threshold);
    if (next.every((keep, j) => keep === support[j])) break;
    support = next;
    if (iterations === maxIterations) {
      // The support changed on the last round: refit on the final support so coefficients and support agree.
      const last = support.flatMap((keep, j) => (keep ? [j] : []));
      coefficients = new Float64Array(p);
      const refit = leastSquares(last.map((j) => columns[j]), y, ridge).coefficients;
      last.forEach((j, k) => (coefficients[j] = refit[k]));
    }
  }
  return { coefficients, support: support.map((keep, j) => keep && coefficients[j] !== 0), iterations };
}
