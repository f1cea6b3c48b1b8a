/**
 * Ordinary least squares, in float64, for the small regressions of the dynamics analyses.
 *
 * @module
 */

/** A straight-line fit `y = intercept + slope x`. */
export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination; 1 when y is constant and fitted exactly, NaN with fewer than 2 points. */
  r2: number;
  /** Number of points used. */
  n: number;
}

/** OLS fit of `y = intercept + slope x` (centred sums, so large offsets do not cost precision). */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`fitLine: x has ${n} values but y has ${y.length}`);
  if (n < 2) return { slope: NaN, intercept: NaN, r2: NaN, n };
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: NaN, intercept: NaN, r2: NaN, n };
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const residual = y[i] - intercept - slope * x[i];
    sse += residual * residual;
  }
  const r2 = syy === 0 ? (sse === 0 ? 1 : NaN) : 1 - sse / syy;
  return { slope, intercept, r2, n };
}

/** A multiple regression `y = bias + Σ weights[k] x[k]`. */
export interface LinearModel {
  weights: Float64Array;
  bias: number;
  r2: number;
  n: number;
}

/**
 * OLS of y on the columns of `rows` plus an intercept, by the normal equations on centred data solved with
 * partially pivoted Gaussian elimination (fine for the handful of regressors the analyses use).
 */
export function fitLinear(rows: ArrayLike<number>[], y: ArrayLike<number>): LinearModel {
  const n = rows.length;
  if (y.length !== n) throw new RangeError(`fitLinear: ${n} rows but ${y.length} targets`);
  const k = n > 0 ? rows[0].length : 0;
  const meanX = new Float64Array(k);
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) meanX[j] += rows[i][j];
    meanY += y[i];
  }
  for (let j = 0; j < k; j++) meanX[j] /= n;
  meanY /= n;
  const a = Array.from({ length: k }, () => new Float64Array(k + 1));
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dy = y[i] - meanY;
    syy += dy * dy;
    for (let p = 0; p < k; p++) {
      const dp = rows[i][p] - meanX[p];
      for (let q = 0; q < k; q++) a[p][q] += dp * (rows[i][q] - meanX[q]);
      a[p][k] += dp * dy;
    }
  }
  const weights = solveAugmented(a);
  let bias = meanY;
  for (let j = 0; j < k; j++) bias -= weights[j] * meanX[j];
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let prediction = bias;
    for (let j = 0; j < k; j++) prediction += weights[j] * rows[i][j];
    sse += (y[i] - prediction) ** 2;
  }
  const r2 = syy === 0 ? (sse === 0 ? 1 : NaN) : 1 - sse / syy;
  return { weights, bias, r2, n };
}

/** Solve `A w = b` given the augmented matrix [A | b] (overwritten). Singular directions get weight 0. */
export function solveAugmented(a: Float64Array[]): Float64Array {
  const k = a.length;
  const scale = Math.max(1e-300, ...a.map((row) => Math.max(...Array.from(row.subarray(0, k), Math.abs))));
  const pivotRow = new Int32Array(k).fill(-1);
  const used = new Uint8Array(k);
  for (let col = 0; col < k; col++) {
    let best = -1;
    let bestValue = 1e-12 * scale;
    for (let r = 0; r < k; r++) {
      if (!used[r] && Math.abs(a[r][col]) > bestValue) {
        bestValue = Math.abs(a[r][col]);
        best = r;
      }
    }
    if (best < 0) continue;
    used[best] = 1;
    pivotRow[col] = best;
    for (let r = 0; r < k; r++) {
      if (r === best || a[r][col] === 0) continue;
      const factor = a[r][col] / a[best][col];
      for (let c = col; c <= k; c++) a[r][c] -= factor * a[best][c];
    }
  }
  const w = new Float64Array(k);
  for (let col = 0; col < k; col++) {
    if (pivotRow[col] >= 0) w[col] = a[pivotRow[col]][k] / a[pivotRow[col]][col];
  }
  return w;
}
