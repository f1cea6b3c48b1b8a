import { ok, strictEqual } from "node:assert/strict";
import { constrain, toConstrained, toUnconstrained, unconstrain } from "../../src/optim/transforms.ts";

Deno.test("toConstrained follows the original's transforms (sigmoid, half sigmoid, exp, identity)", () => {
  strictEqual(toConstrained(0, "unit"), 0.5);
  strictEqual(toConstrained(0, "half"), 0.25);
  strictEqual(toConstrained(0, "pos"), 1);
  strictEqual(toConstrained(-3.5, "unc"), -3.5);
  strictEqual(toConstrained(2, "unit"), 1 / (1 + Math.exp(-2)));
});

Deno.test("toConstrained clips the sigmoids below at -16 and exp above at 16", () => {
  strictEqual(toConstrained(-40, "unit"), toConstrained(-16, "unit"));
  strictEqual(toConstrained(-40, "half"), toConstrained(-16, "half"));
  ok(toConstrained(-40, "unit") > 1e-7);
  strictEqual(toConstrained(40, "pos"), Math.exp(16));
  strictEqual(toConstrained(-40, "pos"), Math.exp(-40));
  strictEqual(toConstrained(40, "unit"), 1);
});

Deno.test("toUnconstrained inverts toConstrained inside the clips", () => {
  for (const range of ["unit", "half", "pos", "unc"] as const) {
    for (const x of [-7.5, -1, 0, 0.3, 4.2]) {
      ok(Math.abs(toUnconstrained(toConstrained(x, range), range) - x) < 1e-12, `${range} ${x}`);
    }
  }
  const ranges = ["unit", "half", "pos"] as const;
  const params = constrain([0.1, -1.6, 0.7], ranges);
  const back = unconstrain(params, ranges);
  ok(Math.abs(back[0] - 0.1) < 1e-14 && Math.abs(back[1] + 1.6) < 1e-14 && Math.abs(back[2] - 0.7) < 1e-14);
});
