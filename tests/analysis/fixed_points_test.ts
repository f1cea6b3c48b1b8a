import assert from "node:assert/strict";
import { eigenvalues, eigenvalues2x2, modulus } from "../../src/analysis/eigenvalues.ts";
import { agentFixedPoints, classifyStability, findFixedPoints } from "../../src/analysis/fixed_points.ts";
import { stateGrid } from "../../src/analysis/one_step_map.ts";
import { linearAgent } from "./test_agents.ts";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

// Four inputs with different linear dynamics h' = A h + c: a stable node, a saddle, a stable spiral and an
// unstable node. Fixed point h* = (I - A)^-1 c; stability from the eigenvalues of A.
const matrices = [
  [[0.5, 0.2], [-0.1, 0.8]],
  [[1.5, 0], [0.3, 0.5]],
  [[0.6, -0.5], [0.5, 0.6]],
  [[1.2, 0.1], [0, 1.4]],
];
const offsets = [[1, 0.5], [-0.2, 0.4], [0.3, -0.1], [0.5, 0.5]];

function solveFixedPoint(a: number[][], c: number[]): number[] {
  const m = [[1 - a[0][0], -a[0][1]], [-a[1][0], 1 - a[1][1]]];
  const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
  return [(m[1][1] * c[0] - m[0][1] * c[1]) / det, (-m[1][0] * c[0] + m[0][0] * c[1]) / det];
}

Deno.test("a hand-built 2-D linear agent has the fixed point and stability its Jacobian gives", () => {
  const agent = linearAgent(matrices, offsets);
  const starts = stateGrid(-3, 3, 4).points;
  const expectedStability = ["stable", "saddle", "stable", "unstable"];
  for (let type = 0; type < 4; type++) {
    const points = agentFixedPoints({ agent: () => agent }, type, starts);
    assert.equal(points.length, 1, `type ${type}: one fixed point after deduplication`);
    const [point] = points;
    const expected = solveFixedPoint(matrices[type], offsets[type]);
    close(point.state[0], expected[0], 1e-9, `type ${type} h0*`);
    close(point.state[1], expected[1], 1e-9, `type ${type} h1*`);
    const a = matrices[type];
    const [l1, l2] = eigenvalues2x2(a[0][0], a[0][1], a[1][0], a[1][1]);
    for (const [i, exact] of [l1, l2].entries()) {
      close(point.eigenvalues[i].re, exact.re, 1e-8, `type ${type} Re λ${i}`);
      close(point.eigenvalues[i].im, exact.im, 1e-8, `type ${type} Im λ${i}`);
    }
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) close(point.jacobian[i][j], a[i][j], 1e-8, "J");
    assert.equal(point.stability, expectedStability[type]);
  }
  close(modulus(eigenvalues2x2(0.6, -0.5, 0.5, 0.6)[0]), Math.hypot(0.6, 0.5), 1e-15, "spiral modulus");
});

Deno.test("findFixedPoints: several fixed points of a nonlinear map, deduplicated and classified", () => {
  // h' = tanh(2h): unstable 0 (slope 2) and two stable points ±x* with x* = tanh(2x*).
  const map = (h: Float64Array) => h.map((v) => Math.tanh(2 * v));
  const starts = [-2, -1, -0.3, -0.01, 0.02, 0.4, 1, 2].map((v) => Float64Array.of(v));
  const points = findFixedPoints(map, starts).sort((a, b) => a.state[0] - b.state[0]);
  assert.equal(points.length, 3);
  let x = 1;
  for (let i = 0; i < 100; i++) x = Math.tanh(2 * x);
  close(points[0].state[0], -x, 1e-10, "negative");
  close(points[1].state[0], 0, 1e-10, "zero");
  close(points[2].state[0], x, 1e-10, "positive");
  assert.deepEqual(points.map((p) => p.stability), ["stable", "unstable", "stable"]);
  close(points[1].eigenvalues[0].re, 2, 1e-8, "slope at 0");
  assert.throws(() => findFixedPoints(map, starts, { tol: 1 } as never), /unknown option "tol"/);
});

Deno.test("eigenvalues beyond 2x2 and stability classes", () => {
  // Block-diagonal after a similarity transform: eigenvalues 0.5, 0.9 ± 0.3i, -1.1.
  const d = [[0.5, 0, 0, 0], [0, 0.9, -0.3, 0], [0, 0.3, 0.9, 0], [0, 0, 0, -1.1]];
  const p = [[1, 0.2, 0, 0.1], [0, 1, 0.3, 0], [0.1, 0, 1, 0.2], [0, 0.4, 0, 1]];
  const pInv = invert(p);
  const m = multiply(multiply(p, d), pInv);
  const values = eigenvalues(m).sort((a, b) => a.re - b.re || a.im - b.im);
  const expected = [[-1.1, 0], [0.5, 0], [0.9, -0.3], [0.9, 0.3]];
  values.forEach((v, i) => {
    close(v.re, expected[i][0], 1e-9, `Re λ${i}`);
    close(v.im, expected[i][1], 1e-9, `Im λ${i}`);
  });
  assert.equal(classifyStability(values), "saddle");
  assert.equal(classifyStability([{ re: 1, im: 0 }, { re: 0.1, im: 0 }]), "marginal");
});

function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    const pivot = m.slice(c).reduce(
      (best, row, i) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? c + i : best),
      c,
    );
    [m[c], m[pivot]] = [m[pivot], m[c]];
    const f = m[c][c];
    m[c] = m[c].map((v) => v / f);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r].map((v, j) => v - m[r][c] * m[c][j]);
  }
  return m.map((row) => row.slice(n));
}
