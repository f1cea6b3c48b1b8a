import assert from "node:assert/strict";
import { betaCdf, betaQuantile, clopperPearson } from "../../src/analysis/beta.ts";
import { nextChoiceFrequency } from "../../src/analysis/choice_frequency.ts";
import type { LogitChanges } from "../../src/analysis/logits.ts";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

function binomialTail(x: number, a: number, b: number): number {
  // For integer a, b: I_x(a, b) = Σ_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j).
  const n = a + b - 1;
  let total = 0;
  let choose = 1;
  for (let j = 0; j <= n; j++) {
    if (j >= a) total += choose * x ** j * (1 - x) ** (n - j);
    choose = (choose * (n - j)) / (j + 1);
  }
  return total;
}

Deno.test("incomplete beta and its quantile against closed forms and scipy", () => {
  for (const [a, b] of [[1, 1], [2, 3], [7, 5], [12, 30]]) {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      close(betaCdf(x, a, b), binomialTail(x, a, b), 1e-13, `I(${x};${a},${b})`);
    }
  }
  close(betaCdf(0.3, 3.5, 1), 0.3 ** 3.5, 1e-14, "Beta(a, 1)");
  // scipy.stats.beta 1.17: ppf(0.16, 7, 5), ppf(0.84, 8, 4), cdf(0.3, 2.5, 7.25), ppf(0.025, 0.5, 30).
  close(betaQuantile(0.16, 7, 5), 0.4419403070961247, 1e-13, "ppf(0.16; 7, 5)");
  close(betaQuantile(0.84, 8, 4), 0.8005152368036303, 1e-13, "ppf(0.84; 8, 4)");
  close(betaCdf(0.3, 2.5, 7.25), 0.6604822735819071, 1e-13, "cdf(0.3; 2.5, 7.25)");
  close(betaQuantile(0.025, 0.5, 30), 1.650464425776342e-05, 1e-15, "ppf(0.025; 0.5, 30)");
});

Deno.test("Clopper-Pearson: closed forms at k = 0 and k = n, scipy in between", () => {
  const n = 12;
  assert.deepEqual(clopperPearson(0, n, 0.9).lower, 0);
  close(clopperPearson(0, n, 0.9).upper, 1 - 0.05 ** (1 / n), 1e-13, "k = 0 upper");
  close(clopperPearson(n, n, 0.9).lower, 0.05 ** (1 / n), 1e-13, "k = n lower");
  const { lower, upper } = clopperPearson(7, 11, 0.68);
  close(lower, 0.4419403070961247, 1e-13, "lower");
  close(upper, 0.8005152368036303, 1e-13, "upper");
});

Deno.test("nextChoiceFrequency bins L per trial type, counts next A1 with a pseudo-count, skips block ends", () => {
  const changes: LogitChanges = {
    kind: "bandit",
    stateNames: ["h"],
    logit: Float64Array.of(0.1, 0.2, 0.4, 0.6, -0.3, 0.3),
    change: Float64Array.of(0, 0, 0, 0, 0, 0),
    trialType: Int32Array.of(1, 1, 1, 1, 1, 3),
    action: Int32Array.of(0, 0, 0, 0, 0, 1),
    nextAction: Int32Array.of(0, 0, 1, 0, 0, -1),
    block: Int32Array.of(0, 0, 0, 0, 0, 0),
    trial: Int32Array.of(0, 1, 2, 3, 4, 5),
    state: [],
    nextState: [],
  };
  const rows = nextChoiceFrequency(changes);
  assert.deepEqual(rows.map((r) => [r.trialType, r.low, r.high, r.n, r.nextA1]), [
    [1, -0.5, 0, 1, 1],
    [1, 0, 0.5, 3, 2],
    [1, 0.5, 1, 1, 1],
  ]);
  assert.equal(rows[1].frequency, 3 / 5);
  const interval = clopperPearson(3, 5, 0.68);
  assert.equal(rows[1].lower, interval.lower);
  assert.equal(rows[1].upper, interval.upper);
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  close(
    rows[1].modelProbability,
    (sigmoid(0.1) + sigmoid(0.2) + sigmoid(0.4)) / 3,
    1e-15,
    "mean σ of next logits",
  );
  close(rows[0].modelProbability, 1 / (1 + Math.exp(0.3)), 1e-15, "σ(-0.3)");
  assert.throws(() => nextChoiceFrequency(changes, { bins: 3 } as never), /unknown option/);
});
