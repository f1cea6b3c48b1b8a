import assert from "node:assert/strict";
import { leastSquares, stlsq } from "../../src/equations/least_squares.ts";
import { RandomState } from "../../src/random.ts";

Deno.test("leastSquares: an exact linear relation is recovered to rounding", () => {
  const rng = new RandomState(3);
  const n = 200;
  const x1 = Float64Array.from({ length: n }, () => rng.normal() * 1e3);
  const x2 = Float64Array.from({ length: n }, () => rng.normal() * 1e-3);
  const one = new Float64Array(n).fill(1);
  const y = x1.map((v, i) => 0.25 * v - 4000 * x2[i] + 7);
  const { coefficients, rank } = leastSquares([x1, x2, one], y);
  assert.equal(rank, 3);
  // Columns six orders of magnitude apart in scale: the scaling keeps every coefficient accurate.
  assert.ok(Math.abs(coefficients[0] - 0.25) < 1e-13);
  assert.ok(Math.abs(coefficients[1] + 4000) < 1e-8);
  assert.ok(Math.abs(coefficients[2] - 7) < 1e-10);
});

Deno.test("leastSquares: matches the normal-equation solution on noisy data", () => {
  const rng = new RandomState(4);
  const n = 50;
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const one = new Float64Array(n).fill(1);
  const y = x.map((v) => 2 * v - 1 + 0.3 * rng.normal());
  const { coefficients } = leastSquares([x, one], y);
  // Closed form of the simple regression.
  const mx = x.reduce((a, b) => a + b) / n;
  const my = y.reduce((a, b) => a + b) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  assert.ok(Math.abs(coefficients[0] - sxy / sxx) < 1e-12);
  assert.ok(Math.abs(coefficients[1] - (my - (sxy / sxx) * mx)) < 1e-12);
});

Deno.test("leastSquares: a duplicated column gets 0, an all-zero column gets 0, the fit stays exact", () => {
  const x = Float64Array.from([1, 2, 3, 4, 5]);
  const y = x.map((v) => 3 * v);
  const { coefficients, rank } = leastSquares([x, Float64Array.from(x), new Float64Array(5)], y);
  assert.equal(rank, 1);
  assert.equal(coefficients[2], 0);
  assert.ok(coefficients[0] === 0 || coefficients[1] === 0);
  assert.ok(Math.abs(coefficients[0] + coefficients[1] - 3) < 1e-12);
});

Deno.test("leastSquares: ridge shrinks the coefficient as (x·y)/(x·x + ridge·n·rms²)", () => {
  const x = Float64Array.from([1, -1, 2, -2]);
  const y = x.map((v) => 2 * v);
  const ridge = 0.5;
  const { coefficients } = leastSquares([x], y, ridge);
  const xx = 10;
  const rms2 = xx / 4;
  assert.ok(Math.abs(coefficients[0] - (2 * xx) / (xx + ridge * 4 * rms2)) < 1e-12);
});

Deno.test("stlsq: drops terms below the threshold and refits the rest", () => {
  const x = Float64Array.from({ length: 40 }, (_, i) => i / 10 - 2);
  const columns = [x, x.map((v) => v * v), x.map((v) => v * v * v), x.map(() => 1)];
  const y = x.map((v) => 0.7 * v + 1 + 1e-7 * v * v * v);
  const kept = stlsq(columns, y, 1e-4);
  assert.deepEqual(kept.support, [true, false, false, true]);
  assert.ok(Math.abs(kept.coefficients[0] - 0.7) < 1e-6);
  assert.equal(kept.coefficients[1], 0);
  const all = stlsq(columns, y, 0);
  // Threshold 0 keeps every term the data determine (the x² coefficient is rounding noise, kept or not).
  assert.ok(all.support[0] && all.support[2] && all.support[3]);
  assert.ok(Math.abs(all.coefficients[2] - 1e-7) < 1e-12);
  assert.deepEqual(stlsq(columns, y, 1e6).support, [false, false, false, false]);
});
