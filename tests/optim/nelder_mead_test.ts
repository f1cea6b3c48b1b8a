import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { nelderMead } from "../../src/optim/nelder_mead.ts";

// Expected values come from scipy.optimize.minimize(method="Nelder-Mead") run on this machine (scipy 1.17,
// whose Nelder-Mead is the 1.10 algorithm unchanged without bounds or callbacks).

/** scipy.optimize.rosen, with numpy's squares written as products. */
function rosen(x: Float64Array): number {
  let total = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    total += 100 * (a * a) + b * b;
  }
  return total;
}

function himmelblau(x: Float64Array): number {
  const a = x[0] * x[0] + x[1] - 11;
  const b = x[0] + x[1] * x[1] - 7;
  return a * a + b * b;
}

/** sum((i+1) (x_i - i/2)^2) + 0.1 x_0 x_3, as Python's builtin sum over an int start. */
function quad4(x: Float64Array): number {
  let total = 0;
  for (let i = 0; i < 4; i++) {
    const d = x[i] - 0.5 * i;
    total += (i + 1) * (d * d);
  }
  return total + 0.1 * x[0] * x[3];
}

interface ScipyCase {
  name: string;
  f: (x: Float64Array) => number;
  x0: number[];
  options: Record<string, number | boolean>;
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  status: number;
}

const cases: ScipyCase[] = [
  {
    name: "Rosenbrock 2-D",
    f: rosen,
    x0: [-1.2, 1.0],
    options: {},
    x: [1.0000220217835696, 1.0000422197517715],
    fun: 8.177661197416674e-10,
    nit: 85,
    nfev: 159,
    status: 0,
  },
  {
    name: "Rosenbrock 3-D from zeros (0.00025 steps)",
    f: rosen,
    x0: [0, 0, 0],
    options: {},
    x: [0.9999888606606928, 0.9999784466502725, 0.9999546148282189],
    fun: 1.1605792922174585e-09,
    nit: 165,
    nfev: 289,
    status: 0,
  },
  {
    name: "Himmelblau",
    f: himmelblau,
    x0: [0, 0],
    options: {},
    x: [3.000006324938478, 1.9999685321027905],
    fun: 1.4333178246209053e-08,
    nit: 81,
    nfev: 157,
    status: 0,
  },
  {
    name: "quadratic 4-D with a mixed zero start",
    f: quad4,
    x0: [1.0, -2.0, 0.0, 3.0],
    options: {},
    x: [-0.075093078769521, 0.5000269126600031, 0.999994986863811, 1.500942751109189],
    fun: -0.005628514102080255,
    nit: 262,
    nfev: 438,
    status: 0,
  },
  {
    name: "Rosenbrock 5-D, evaluation budget spent mid-iteration",
    f: rosen,
    x0: [1.3, 0.7, 0.8, 1.9, 1.2],
    options: { maxfev: 150 },
    x: [0.9972242091830151, 0.9947038656584481, 0.9959766842125217, 0.9936735893344856, 0.9830268745729492],
    fun: 0.006568063327873221,
    nit: 89,
    nfev: 150,
    status: 1,
  },
  {
    name: "Rosenbrock 2-D, only maxfev given",
    f: rosen,
    x0: [-1.2, 1.0],
    options: { maxfev: 60 },
    x: [0.0958748674392781, -0.01650817394257719],
    fun: 0.8834920990568899,
    nit: 31,
    nfev: 60,
    status: 1,
  },
  {
    name: "Rosenbrock 2-D, iteration budget",
    f: rosen,
    x0: [-1.2, 1.0],
    options: { maxiter: 25 },
    x: [-0.1432260704040481, 0.03051691055297004],
    fun: 1.3169722556967705,
    nit: 25,
    nfev: 49,
    status: 2,
  },
  {
    name: "Rosenbrock 2-D, tight tolerances",
    f: rosen,
    x0: [-1.2, 1.0],
    options: { xatol: 1e-10, fatol: 1e-12 },
    x: [0.9999999999758507, 0.9999999999517273],
    fun: 5.832585581384833e-22,
    nit: 132,
    nfev: 249,
    status: 0,
  },
  {
    name: "adaptive, Rosenbrock 5-D",
    f: rosen,
    x0: [1.3, 0.7, 0.8, 1.9, 1.2],
    options: { adaptive: true },
    x: [1.000000507863686, 1.000001255913222, 1.0000039654367743, 1.0000112092259255, 1.0000236818938788],
    fun: 1.5946193790068098e-09,
    nit: 341,
    nfev: 579,
    status: 0,
  },
  {
    name: "adaptive, Rosenbrock 10-D (local minimum)",
    f: rosen,
    x0: [-1.0, 0.5, 1.5, -0.5, 2.0, 0.0, 1.0, -1.5, 0.5, 1.2],
    options: { adaptive: true, maxfev: 4000 },
    x: [
      -0.9932618799085667,
      0.9966030187685162,
      0.9982380872720191,
      0.9989860987340016,
      0.9992239753721012,
      0.9990704642766195,
      0.9984493764268219,
      0.997050858439388,
      0.9941698944786261,
      0.9883699871645109,
    ],
    fun: 3.986579118819073,
    nit: 2274,
    nfev: 3342,
    status: 0,
  },
  {
    name: "adaptive, quadratic 4-D with a mixed zero start",
    f: quad4,
    x0: [1.0, -2.0, 0.0, 3.0],
    options: { adaptive: true },
    x: [-0.07502391826258761, 0.49997107401082286, 0.9999874385760665, 1.500955681995157],
    fun: -0.0056285138696084,
    nit: 261,
    nfev: 462,
    status: 0,
  },
];

for (const c of cases) {
  Deno.test(`nelderMead reproduces scipy bit for bit: ${c.name}`, () => {
    const r = nelderMead(c.f, c.x0, c.options);
    deepStrictEqual(Array.from(r.x), c.x);
    strictEqual(r.fun, c.fun);
    strictEqual(r.nit, c.nit);
    strictEqual(r.nfev, c.nfev);
    strictEqual(r.status, c.status);
    strictEqual(r.success, c.status === 0);
  });
}

Deno.test("nelderMead hands f a copy and counts every call", () => {
  let calls = 0;
  const r = nelderMead((x) => {
    calls++;
    const value = (x[0] - 1) ** 2 + (x[1] + 2) ** 2;
    x[0] = 1e9; // must not disturb the simplex
    return value;
  }, [0, 0]);
  strictEqual(calls, r.nfev);
  ok(Math.abs(r.x[0] - 1) < 1e-3 && Math.abs(r.x[1] + 2) < 1e-3);
  strictEqual(r.finalSimplex.vertices.length, 3);
  strictEqual(r.finalSimplex.values[0], r.fun);
});

Deno.test("nelderMead never reports convergence on NaN and keeps the best finite vertex", () => {
  const r = nelderMead((x) => (x[0] > 3 ? NaN : (x[0] - 2) ** 2), [2.9], { maxfev: 80 });
  ok(Math.abs(r.x[0] - 2) < 1e-3);
});

Deno.test("nelderMead validates its options", () => {
  throws(() => nelderMead(rosen, [0, 0], { xatoll: 1 } as never), /did you mean "xatol"/);
  throws(() => nelderMead(rosen, [0, 0], { fatol: -1 }), /fatol must be >= 0/);
  throws(() => nelderMead(rosen, [0, 0], { initialSimplex: [[0, 0], [1, 0]] }), /3 rows of 2/);
  throws(() => nelderMead(rosen, []), /at least one/);
  throws(() => nelderMead(rosen, [0, 0], { adaptive: 1 } as never), /adaptive must be true or false/);
});
