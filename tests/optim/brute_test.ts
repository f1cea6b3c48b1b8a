import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { brute, gridAxis } from "../../src/optim/brute.ts";

// Expected values from scipy.optimize.brute(f, ((-5, 5),) * n, Ns=20, finish=None) and numpy.mgrid.

Deno.test("gridAxis equals numpy.mgrid[-5:5:20j] bit for bit", () => {
  const axis = gridAxis(-5, 5, 20);
  strictEqual(axis.length, 20);
  strictEqual(axis[0], -5);
  strictEqual(axis[19], 5);
  strictEqual(axis[7], -1.3157894736842106);
  strictEqual(axis[10], 0.2631578947368416);
  strictEqual(axis[11], 0.7894736842105257);
  strictEqual(axis[18], 4.473684210526315);
});

Deno.test("brute finds scipy's grid optimum (Himmelblau, 2-D)", () => {
  const r = brute((x) => {
    const a = x[0] * x[0] + x[1] - 11;
    const b = x[0] + x[1] * x[1] - 7;
    return a * a + b * b;
  }, 2);
  deepStrictEqual(Array.from(r.x), [2.894736842105263, 1.8421052631578947]);
  strictEqual(r.fun, 1.1127139908380124);
  strictEqual(r.nfev, 400);
});

Deno.test("brute finds scipy's grid optimum (3-D and 1-D)", () => {
  const r3 = brute((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2 + (x[2] - 3) ** 2, 3);
  deepStrictEqual(Array.from(r3.x), [0.7894736842105257, -1.8421052631578947, 2.894736842105263]);
  strictEqual(r3.fun, 0.08033240997229954);
  strictEqual(r3.nfev, 8000);
  const r1 = brute((x) => (x[0] - 1) ** 2, 1);
  deepStrictEqual(Array.from(r1.x), [0.7894736842105257]);
  strictEqual(r1.fun, 0.044321329639889474);
});

Deno.test("brute keeps the first minimum in C order, as argmin", () => {
  const r = brute((x) => (x[0] > 0 ? 0 : 1), 2);
  deepStrictEqual(Array.from(r.x), [0.2631578947368416, -5]);
  strictEqual(r.fun, 0);
});

Deno.test("brute skips NaN values and honours custom ranges", () => {
  const r = brute((x) => (x[0] < 0.5 ? NaN : x[0]), 1, { ranges: [[0, 1]], points: 5 });
  deepStrictEqual(Array.from(r.x), [0.5]);
});

Deno.test("brute validates its options", () => {
  throws(() => brute((x) => x[0], 1, { point: 3 } as never), /did you mean "points"/);
  throws(() => brute((x) => x[0], 2, { ranges: [[0, 1]] }), /ranges has 1 entries for 2/);
  throws(() => brute((x) => x[0], 1, { points: 0 }), /points must be >= 1/);
});
