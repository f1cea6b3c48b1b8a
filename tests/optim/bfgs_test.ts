import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { bfgs } from "../../src/optim/bfgs.ts";

function rosen(x: Float64Array): number {
  let total = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    total += 100 * (a * a) + b * b;
  }
  return total;
}

Deno.test("bfgs finds the minimum of an ill-conditioned quadratic to the gradient tolerance", () => {
  const f = (x: Float64Array) => (x[0] - 1) ** 2 + 100 * (x[1] + 2) ** 2 + (x[0] - 1) * (x[1] + 2);
  const r = bfgs(f, [5, 5]);
  strictEqual(r.reason, "gradient");
  ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] + 2) < 1e-6, `x ${r.x}`);
  ok(r.fun < 1e-12);
});

Deno.test("bfgs solves Rosenbrock 5-D", () => {
  const r = bfgs(rosen, [1.3, 0.7, 0.8, 1.9, 1.2], { maxiter: 500, maxfev: 20000 });
  r.x.forEach((v, i) => ok(Math.abs(v - 1) < 1e-4, `x[${i}] ${v}`));
  ok(r.fun < 1e-9, `fun ${r.fun}`);
});

Deno.test("bfgs is deterministic, counts every call, and hands f a copy", () => {
  let calls = 0;
  const f = (x: Float64Array) => {
    calls++;
    const value = rosen(x);
    x[0] = 1e9;
    return value;
  };
  const a = bfgs(f, [-1.2, 1]);
  strictEqual(calls, a.nfev);
  const b = bfgs(rosen, [-1.2, 1]);
  deepStrictEqual(Array.from(a.x), Array.from(b.x));
  strictEqual(a.fun, b.fun);
});

Deno.test("bfgs stops on its evaluation budget with the best point seen", () => {
  const r = bfgs(rosen, [-1.2, 1], { maxfev: 30 });
  strictEqual(r.reason, "maxfev");
  strictEqual(r.nfev, 30);
  strictEqual(r.fun, rosen(r.x));
  ok(r.fun < rosen(Float64Array.from([-1.2, 1])));
});

Deno.test("bfgs backs away from non-finite values", () => {
  // Minimum at 2, undefined beyond 3: the first steepest-descent step overshoots into NaN.
  const r = bfgs((x) => (x[0] > 3 ? NaN : (x[0] - 2) ** 2 + 50 * (x[0] - 2) ** 4), [0]);
  ok(Math.abs(r.x[0] - 2) < 1e-4, `x ${r.x[0]}`);
});

Deno.test("bfgs validates its options", () => {
  throws(() => bfgs(rosen, [0, 0], { gtoll: 1 } as never), /did you mean "gtol"/);
  throws(() => bfgs(rosen, [0, 0], { maxiter: 0 }), /maxiter must be >= 1/);
  throws(() => bfgs(rosen, []), /at least one/);
});
