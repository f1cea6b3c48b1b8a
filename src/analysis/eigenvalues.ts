/**
 * Eigenvalues of the small real matrices the fixed-point analysis produces (Jacobians of d ≤ ~20 states).
 *
 * @module
 */

/** A complex number. */
export interface Complex {
  re: number;
  im: number;
}

/** |z|. */
export function modulus(z: Complex): number {
  return Math.hypot(z.re, z.im);
}

/** Eigenvalues of the 2x2 matrix [[a, b], [c, d]] in closed form (larger real part first). */
export function eigenvalues2x2(a: number, b: number, c: number, d: number): [Complex, Complex] {
  const half = (a + d) / 2;
  const discriminant = ((a - d) / 2) ** 2 + b * c;
  if (discriminant >= 0) {
    const root = Math.sqrt(discriminant);
    return [{ re: half + root, im: 0 }, { re: half - root, im: 0 }];
  }
  const root = Math.sqrt(-discriminant);
  return [{ re: half, im: root }, { re: half, im: -root }];
}

/**
 * Eigenvalues of a square matrix (rows). Closed form up to 2x2; larger matrices use QR iterations and read the
 * eigenvalues off the 1x1 and 2x2 diagonal blocks of the quasi-triangular result, which also settles pairs of
 * equal modulus (complex pairs, ±λ) that plain QR iteration never separates.
 */
export function eigenvalues(matrix: readonly ArrayLike<number>[]): Complex[] {
  const n = matrix.length;
  if (n === 0) return [];
  if (n === 1) return [{ re: matrix[0][0], im: 0 }];
  if (n === 2) return eigenvalues2x2(matrix[0][0], matrix[0][1], matrix[1][0], matrix[1][1]);
  let a: Float64Array[] = matrix.map((row) => Float64Array.from(row));
  for (let iteration = 0; iteration < 2000; iteration++) {
    const { q, r } = householderQr(a);
    a = multiply(r, q);
    let settled = true;
    for (let i = 0; i < n - 1; i++) {
      // A non-negligible subdiagonal entry is fine only as part of an isolated 2x2 block.
      const scale = Math.abs(a[i][i]) + Math.abs(a[i + 1][i + 1]) || 1;
      if (Math.abs(a[i + 1][i]) > 1e-13 * scale) {
        const nextSmall = i + 2 >= n || Math.abs(a[i + 2][i + 1]) <= 1e-13 * scale;
        if (!nextSmall) settled = false;
        i++;
      }
    }
    if (settled && iteration > 10) break;
  }
  const values: Complex[] = [];
  for (let i = 0; i < n; i++) {
    const scale = Math.abs(a[i][i]) + (i + 1 < n ? Math.abs(a[i + 1][i + 1]) : 0) || 1;
    if (i + 1 < n && Math.abs(a[i + 1][i]) > 1e-10 * scale) {
      values.push(...eigenvalues2x2(a[i][i], a[i][i + 1], a[i + 1][i], a[i + 1][i + 1]));
      i++;
    } else {
      values.push({ re: a[i][i], im: 0 });
    }
  }
  return values;
}

function householderQr(a: Float64Array[]): { q: Float64Array[]; r: Float64Array[] } {
  const n = a.length;
  const r = a.map((row) => Float64Array.from(row));
  const q = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
  for (let k = 0; k < n - 1; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += r[i][k] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const v = new Float64Array(n);
    v[k] = r[k][k] + (r[k][k] >= 0 ? norm : -norm);
    for (let i = k + 1; i < n; i++) v[i] = r[i][k];
    let vv = 0;
    for (let i = k; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i] * r[i][j];
      const f = (2 * dot) / vv;
      for (let i = k; i < n; i++) r[i][j] -= f * v[i];
    }
    // q accumulates H_0 H_1 ... so that a = q r.
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = k; j < n; j++) dot += q[i][j] * v[j];
      const f = (2 * dot) / vv;
      for (let j = k; j < n; j++) q[i][j] -= f * v[j];
    }
  }
  return { q, r };
}

function multiply(a: Float64Array[], b: Float64Array[]): Float64Array[] {
  const n = a.length;
  return a.map((row) => {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const v = row[k];
      if (v !== 0) { for (let j = 0; j < n; j++) out[j] += v * b[k][j]; }
    }
    return out;
  });
}
