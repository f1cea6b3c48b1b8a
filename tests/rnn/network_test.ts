import assert from "node:assert/strict";
import {
  buildNetwork,
  initialWeights,
  type NetworkSpec,
  stateDictOf,
  weightsFromStateDict,
} from "../../src/rnn/network.ts";
import { getCell } from "../../src/rnn/registry.ts";

const spec = (hidden: number, extra: Partial<NetworkSpec> = {}): NetworkSpec => ({
  cell: "gru",
  hidden,
  inputSize: 3,
  nActions: 2,
  readout: "linear",
  outputH0: true,
  trainableH0: false,
  ...extra,
});

Deno.test("GRU parameter counts equal PyTorch's (3d(I + d + 2) for the recurrent layer)", () => {
  const table: [number, number][] = [[1, 22], [2, 48], [3, 80], [4, 118], [5, 162], [10, 472], [20, 1542]];
  for (const [d, n] of table) assert.equal(buildNetwork(spec(d)).size, n);
  assert.equal(buildNetwork(spec(2, { readout: "diagonal" })).size, 48 - 6 + 1);
  assert.equal(buildNetwork(spec(2, { trainableH0: true })).size, 50);
});

Deno.test("the L1 penalty covers the recurrent weight matrices only", () => {
  const net = buildNetwork(spec(2));
  assert.deepEqual(net.parameters.filter((p) => p.penalized).map((p) => p.name), [
    "rnn.weight_ih_l0",
    "rnn.weight_hh_l0",
  ]);
});

Deno.test("seeded initial weights: PyTorch's bounds, float32 values, deterministic", () => {
  for (const d of [1, 2, 5]) {
    const net = buildNetwork(spec(d));
    const w = initialWeights(net, 3);
    assert.deepEqual(initialWeights(net, 3), w);
    assert.notDeepEqual(initialWeights(net, 4), w);
    for (const x of w) {
      assert.ok(Math.abs(x) <= 1 / Math.sqrt(d));
      assert.equal(Math.fround(x), x);
    }
  }
  const diag = buildNetwork(spec(2, { readout: "diagonal", trainableH0: true }));
  const w = initialWeights(diag, 0);
  const dict = stateDictOf(diag, w);
  assert.equal(dict["lin_coef"], 1);
  assert.deepEqual(dict["h0"], [[[0, 0]]]);
  assert.deepEqual(weightsFromStateDict(diag, dict), w);
});

Deno.test("unknown cells and malformed state dicts get actionable errors", () => {
  assert.throws(() => getCell("gur"), /unknown cell "gur" \(did you mean "gru"\?\)/);
  const net = buildNetwork(spec(1));
  const dict = stateDictOf(net, initialWeights(net, 0));
  assert.throws(
    () => weightsFromStateDict(net, { ...dict, "lin.wieght": [] }),
    /unknown tensor "lin.wieght"/,
  );
  const { ["lin.bias"]: _, ...missing } = dict;
  assert.throws(() => weightsFromStateDict(net, missing), /missing tensor "lin.bias"/);
  assert.throws(
    () => weightsFromStateDict(net, { ...dict, "rnn.bias_hh_l0": [0, 1, "x"] }),
    /"rnn.bias_hh_l0"\[2\]: expected a finite number/,
  );
});
