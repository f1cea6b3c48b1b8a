import assert from "node:assert/strict";
import { groupUnits, makePlan, type ModelSpec, pythonFloat, shard } from "../../src/cv/plan.ts";
import { nestedFolds } from "../../src/cv/splits.ts";

const gru = (hidden: number): ModelSpec => ({ kind: "rnn", cell: "gru", hidden });

Deno.test("pythonFloat writes floats like Python's str()", () => {
  const cases: [number, string][] = [
    [1e-5, "1e-05"],
    [1e-4, "0.0001"],
    [1e-3, "0.001"],
    [0, "0.0"],
    [1, "1.0"],
    [100, "100.0"],
    [1.5e-5, "1.5e-05"],
    [1e16, "1e+16"],
    [1.2345e17, "1.2345e+17"],
    [123.456, "123.456"],
    [0.1, "0.1"],
    [2.5e-7, "2.5e-07"],
    [-3e-5, "-3e-05"],
    [1e22, "1e+22"],
    [0.00012, "0.00012"],
  ];
  for (const [x, expected] of cases) assert.equal(pythonFloat(x), expected);
});

Deno.test("the tutorial plan: 24 units with stable ids, fold-group-major", () => {
  const plan = makePlan({ models: [gru(1), gru(2)], folds: { outer: 3, inner: 2 }, seeds: 2, l1: [1e-5] });
  assert.equal(plan.units.length, 24);
  assert.equal(plan.groups.length, 6);
  assert.deepEqual(plan.groups.map((g) => g.id), [
    "outer0-inner0",
    "outer0-inner1",
    "outer1-inner0",
    "outer1-inner1",
    "outer2-inner0",
    "outer2-inner1",
  ]);
  assert.deepEqual(plan.units.slice(0, 5).map((u) => u.id), [
    "gru-1/l1-1e-05/outer0-inner0-seed0",
    "gru-1/l1-1e-05/outer0-inner0-seed1",
    "gru-2/l1-1e-05/outer0-inner0-seed0",
    "gru-2/l1-1e-05/outer0-inner0-seed1",
    "gru-1/l1-1e-05/outer0-inner1-seed0",
  ]);
  assert.equal(new Set(plan.units.map((u) => u.id)).size, 24);
  assert.deepEqual(
    plan,
    makePlan({ models: [gru(1), gru(2)], folds: nestedFolds(500, 3, 2), seeds: [0, 1], l1: [1e-5] }),
  );
});

Deno.test("cognitive models have no L1 dimension; networks get every L1 strength", () => {
  const plan = makePlan({
    models: [gru(2), { kind: "cognitive", name: "MB0" }],
    folds: { outer: 2, inner: 2 },
    seeds: 1,
    l1: [1e-5, 1e-4, 1e-3],
  });
  assert.equal(plan.units.length, 4 * (3 + 1));
  assert.deepEqual(plan.groups[0].units.map((u) => u.id), [
    "gru-2/l1-1e-05/outer0-inner0-seed0",
    "gru-2/l1-0.0001/outer0-inner0-seed0",
    "gru-2/l1-0.001/outer0-inner0-seed0",
    "MB0/outer0-inner0-seed0",
  ]);
  assert.equal(plan.groups[0].units[3].l1, 0);
});

Deno.test("a single inner fold per outer fold is honoured", () => {
  const plan = makePlan({
    models: [gru(1)],
    folds: nestedFolds(48, 4, 3, { singleInnerFold: true }),
    seeds: 3,
  });
  assert.equal(plan.units.length, 4 * 1 * 3);
  assert.ok(plan.units.every((u) => u.inner === 0));
});

Deno.test("shards cover every unit exactly once, for any shard count, and keep fold groups together", () => {
  const plan = makePlan({
    models: [gru(1), gru(2), gru(3), { kind: "cognitive", name: "MB0" }],
    folds: { outer: 3, inner: 2 },
    seeds: 2,
    l1: [1e-5, 1e-4],
  });
  const total = plan.units.length;
  for (const count of [1, 2, 3, 4, 5, 7, 8, 13, total, total + 5]) {
    const owners = new Map<string, number>();
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const mine = shard(plan, i, count);
      sizes.push(mine.length);
      for (const unit of mine) {
        assert.ok(!owners.has(unit.id), `${unit.id} in shards ${owners.get(unit.id)} and ${i}`);
        owners.set(unit.id, i);
      }
      assert.ok(groupUnits(mine).length <= Math.ceil(total / count / plan.groups[0].units.length) + 1);
      assert.deepEqual(shard(plan, i, count), mine, "deterministic");
    }
    assert.equal(owners.size, total, `count ${count}`);
    if (count <= total) {
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `balanced for ${count}: ${sizes}`);
    }
  }
  const shards = Array.from({ length: 4 }, (_, i) => shard(plan, i, 4).map((u) => u.id));
  assert.deepEqual(shards.flat(), plan.units.map((u) => u.id), "contiguous runs in plan order");
});

Deno.test("shard balances by cost", () => {
  const plan = makePlan({ models: [gru(1), gru(20)], folds: { outer: 2, inner: 2 }, seeds: 1 });
  const cost = (u: { spec: ModelSpec }) => u.spec.kind === "rnn" ? u.spec.hidden : 1;
  const loads = [0, 1].map((i) => shard(plan, i, 2, cost).reduce((s, u) => s + cost(u), 0));
  assert.deepEqual(loads, [42, 42]);
  assert.throws(() => shard(plan, 0, 2, () => 0), /cost of gru-1/);
});

Deno.test("plan and shard options are validated", () => {
  const folds = { outer: 2, inner: 2 };
  assert.throws(() => makePlan({ models: [gru(1), gru(1)], folds, seeds: 1 }), /"gru-1" is listed twice/);
  assert.throws(() => makePlan({ models: [], folds, seeds: 1 }), /at least one model/);
  assert.throws(() => makePlan({ models: [gru(0)], folds, seeds: 1 }), /models\[0\].hidden/);
  assert.throws(() => makePlan({ models: [gru(1)], folds, seeds: 0 }), /seeds must be >= 1/);
  assert.throws(() => makePlan({ models: [gru(1)], folds, seeds: 1, l1: [-1] }), /l1\[0\]/);
  assert.throws(() => makePlan({ models: [gru(1)], folds, seed: 1 } as never), /did you mean "seeds"/);
  assert.throws(
    () => makePlan({ models: [{ kind: "rnn", cell: "gru", hiden: 2 } as never], folds, seeds: 1 }),
    /did you mean "hidden"/,
  );
  const plan = makePlan({ models: [gru(1)], folds, seeds: 1 });
  assert.throws(() => shard(plan, 2, 2), /index must be <= 1/);
  assert.throws(() => shard(plan, 0, 0), /count must be >= 1/);
});
