import assert from "node:assert/strict";
import {
  incompleteBeta,
  logGamma,
  mean,
  pairedTTest,
  pairedTTestLess,
  sampleStd,
  sem,
  studentTCdf,
} from "../../src/cv/stats.ts";

const tutorial = JSON.parse(
  Deno.readTextFileSync(new URL("../../../shared/fixtures/tutorial_cv_reference.json", import.meta.url)),
);

function assertClose(actual: number, expected: number, relative: number, label = ""): void {
  const tolerance = relative * Math.abs(expected);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label}: ${actual} differs from ${expected} by ${Math.abs(actual - expected)} (> ${tolerance})`,
  );
}

Deno.test("pairedTTestLess reproduces the fixture's ttest variant: p(d=2 < d=1)", () => {
  const [d1, d2] = tutorial.aggregate;
  const p = pairedTTestLess(d2.agg_test_loss, d1.agg_test_loss);
  const expected = tutorial.dimensionality.rows[1].ttest_variant_less_pvalue[0];
  assert.equal(expected, 0.00275276976915073);
  assertClose(p, expected, 1e-12, "p(2<1)");
  assertClose(pairedTTestLess(d1.agg_test_loss, d2.agg_test_loss), 0.9972472302308493, 1e-12, "p(1<2)");
  assert.ok(Number.isNaN(pairedTTestLess(d1.agg_test_loss, d1.agg_test_loss)), "self-comparison is NaN");
});

Deno.test("studentTCdf matches scipy.special.stdtr", () => {
  // Values from scipy 1.17 special.stdtr(df, t).
  const cases: [number, number, number][] = [
    [1, -3.0, 0.10241638234956672],
    [2, -0.5, 0.33333333333333337],
    [2, 4.2, 0.9738583665268504],
    [3, -12.0, 0.0006225079003946681],
    [5, 0.1, 0.5378849294226697],
    [9, -2.262, 0.025006422751227313],
    [29, 1.7, 0.9500831042557654],
    [100, -3.3, 0.0006703097609800471],
    [8, 1e-8, 0.5000000038669903],
    [2, -1e3, 4.9999925000125e-07],
  ];
  for (const [df, t, expected] of cases) assertClose(studentTCdf(t, df), expected, 1e-12, `df ${df} t ${t}`);
  assert.equal(studentTCdf(Infinity, 2), 1);
  assert.equal(studentTCdf(-Infinity, 2), 0);
  assert.ok(Number.isNaN(studentTCdf(NaN, 2)));
});

Deno.test("incompleteBeta and logGamma match scipy", () => {
  assertClose(incompleteBeta(0.3, 2.5, 0.5), 0.018927124071945658, 1e-12, "I(0.3; 2.5, 0.5)");
  assertClose(incompleteBeta(0.9, 0.5, 3), 0.9996750253207289, 1e-12, "I(0.9; 0.5, 3)");
  assertClose(incompleteBeta(0.4, 10, 20), 0.7853183897628262, 1e-12, "I(0.4; 10, 20)");
  assert.equal(incompleteBeta(0, 2, 3), 0);
  assert.equal(incompleteBeta(1, 2, 3), 1);
  assertClose(logGamma(0.3), 1.0957979948180756, 1e-14, "lgamma(0.3)");
  assertClose(logGamma(50.5), 146.51925549072064, 1e-14, "lgamma(50.5)");
  assertClose(logGamma(5), Math.log(24), 1e-14, "lgamma(5)");
});

Deno.test("pairedTTest: all alternatives and scipy's zero-variance behaviour", () => {
  const a = [0.1, 0.2, 0.3, 0.25];
  const b = [0.15, 0.22, 0.31, 0.3];
  // scipy.stats.ttest_rel(a, b, alternative=...)
  const two = pairedTTest(a, b);
  assertClose(two.statistic, -3.152963125472329, 1e-12, "t");
  assert.equal(two.df, 3);
  assertClose(two.pValue, 0.05114816637370316, 1e-12, "two-sided");
  assertClose(pairedTTest(a, b, "less").pValue, 0.02557408318685158, 1e-12, "less");
  assertClose(pairedTTest(a, b, "greater").pValue, 0.9744259168131484, 1e-12, "greater");
  // Constant non-zero differences: t = +Infinity in scipy, p(less) = 1.
  assert.deepEqual(pairedTTest([1, 2, 3], [0, 1, 2], "less"), { statistic: Infinity, df: 2, pValue: 1 });
  assert.throws(() => pairedTTest([1, 2], [1]), /differ in length/);
});

Deno.test("mean, sampleStd and sem use ddof 1 like pandas", () => {
  const [d1] = tutorial.aggregate;
  assertClose(sampleStd(d1.agg_test_loss), d1.test_loss_outer_std, 1e-12, "std");
  assertClose(sem(d1.agg_test_loss), d1.test_loss_outer_sem, 1e-12, "sem");
  assert.equal(mean([1, 2, 3, 6]), 3);
  assert.ok(Number.isNaN(sem([1])));
  assert.ok(Number.isNaN(mean([])));
});
