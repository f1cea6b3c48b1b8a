import assert from "node:assert/strict";
import { readFixture, tutorialDataset } from "../engine/fixtures.ts";
import { cellSpec, checkAllGradients, checkFitAndAgent, flatCellWeights, oneStep } from "./cell_harness.ts";
import { buildNetwork, initialWeights, stateDictOf, weightsFromStateDict } from "../../src/rnn/network.ts";
import { sgruFromGru } from "../../src/rnn/sgru.ts";
import { datasetTensors } from "../../src/engine/batch.ts";
import { createWorkspace, forward } from "../../src/engine/pass.ts";
import type { TaskKind } from "../../src/data/dataset.ts";

Deno.test("SGRU parameter counts equal the original's (one input bias per trial type; I = 4 and 8)", () => {
  const table: [TaskKind, number[]][] = [["bandit", [40, 102, 188, 298]], ["twoStage", [76, 198, 368, 586]]];
  for (const [kind, counts] of table) {
    counts.forEach((n, i) =>
      assert.equal(buildNetwork(cellSpec("sgru", i + 1, {}, kind)).size, n, `${kind} d=${i + 1}`)
    );
  }
  const net = buildNetwork(cellSpec("sgru", 2));
  assert.deepEqual(net.parameters.map((p) => [p.name, p.shape]), [
    ["rnn.rnncell.weight_hh", [6, 2, 4]],
    ["rnn.rnncell.bias_ih", [6, 4]],
    ["rnn.rnncell.bias_hh", [6, 4]],
    ["lin.weight", [2, 2]],
    ["lin.bias", [2]],
  ]);
  assert.deepEqual(net.parameters.filter((p) => p.penalized).map((p) => p.name), ["rnn.rnncell.weight_hh"]);
});

Deno.test("SGRU initial weights are N(0, 1) (readout PyTorch-uniform), seeded", () => {
  const net = buildNetwork(cellSpec("sgru", 20, {}, "twoStage"));
  const w = initialWeights(net, 5);
  assert.deepEqual(initialWeights(net, 5), w);
  const cellSize = net.parameters[3].offset;
  const cellWeights = w.subarray(0, cellSize);
  const mean = cellWeights.reduce((s, x) => s + x, 0) / cellSize;
  const variance = cellWeights.reduce((s, x) => s + (x - mean) ** 2, 0) / cellSize;
  assert.ok(Math.abs(mean) < 0.05 && Math.abs(variance - 1) < 0.05, `mean ${mean}, variance ${variance}`);
  assert.ok(cellWeights.some((x) => Math.abs(x) > 1));
  for (const x of w.subarray(cellSize)) assert.ok(Math.abs(x) <= 1 / Math.sqrt(20));
});

Deno.test("SGRU step equals the switching GRU's hand-written equations for the selected trial type", () => {
  const d = 2, nIn = 4, k = 2;
  const spec = cellSpec("sgru", d);
  const W = (row: number, c: number, kk: number) => 0.1 * (row + 1) - 0.07 * c + 0.05 * kk - 0.2;
  const Bi = (row: number, kk: number) => 0.03 * row - 0.11 * kk + 0.1;
  const Bh = (row: number, kk: number) => -0.04 * row + 0.06 * kk - 0.05;
  const w = flatCellWeights(spec, {
    "rnn.rnncell.weight_hh": Array.from(
      { length: 3 * d * d * nIn },
      (_, i) => W(i / (d * nIn) | 0, (i / nIn | 0) % d, i % nIn),
    ),
    "rnn.rnncell.bias_ih": Array.from({ length: 3 * d * nIn }, (_, i) => Bi(i / nIn | 0, i % nIn)),
    "rnn.rnncell.bias_hh": Array.from({ length: 3 * d * nIn }, (_, i) => Bh(i / nIn | 0, i % nIn)),
  });
  const h = [0.4, -0.7];
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const gh = (row: number) => W(row, 0, k) * h[0] + W(row, 1, k) * h[1] + Bh(row, k);
  const expected = [0, 1].map((j) => {
    const r = sig(Bi(j, k) + gh(j));
    const z = sig(Bi(d + j, k) + gh(d + j));
    const n = Math.tanh(Bi(2 * d + j, k) + r * gh(2 * d + j));
    return (1 - z) * n + z * h[j];
  });
  const got = oneStep(spec, w, [0, 0, 1, 0], h);
  got.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-15, `h'[${j}] ${v} vs ${expected[j]}`));
  // An all-zero (padding) row uses no weights at all: r = z = 1/2, n = 0.
  assert.deepEqual(oneStep(spec, w, [0, 0, 0, 0], h), h.map((v) => v / 2));
});

Deno.test("SGRU gradient = finite differences (bandit I = 4, two-stage I = 8; d = 1..3, readouts, h0, masks)", () => {
  checkAllGradients("sgru", "bandit");
  checkAllGradients("sgru", "twoStage");
});

Deno.test("a GRU converted to an SGRU (one input bias per trial type) gives bit-identical logits and states", () => {
  const parity = readFixture("gru_parity.json");
  for (const kind of ["bandit", "twoStage"] as const) {
    const data = { ...tutorialDataset(), kind };
    for (const c of parity.cases) {
      const gruNet = buildNetwork(cellSpec("gru", c.hidden_dim, {}, kind));
      const sgruNet = buildNetwork(cellSpec("sgru", c.hidden_dim, {}, kind));
      const gruWeights = weightsFromStateDict(gruNet, c.init_params);
      const sgruWeights = weightsFromStateDict(sgruNet, sgruFromGru(c.init_params, kind));
      const a = createWorkspace(gruNet, datasetTensors(data, "asr"));
      const b = createWorkspace(sgruNet, datasetTensors(data, "onehot"));
      assert.equal(forward(b, sgruWeights).loss, forward(a, gruWeights).loss);
      assert.deepEqual(b.logits, a.logits, `${kind} d=${c.hidden_dim} seed=${c.seed}`);
      assert.deepEqual(b.states, a.states);
    }
  }
  // Also from seeded (not fixture) weights with a diagonal readout and a trained h0.
  const spec = { readout: "diagonal" as const, trainableH0: true };
  const gruNet = buildNetwork(cellSpec("gru", 2, spec));
  const w = initialWeights(gruNet, 9);
  w[gruNet.h0Offset] = 0.3;
  const sgruDict = sgruFromGru(stateDictOf(gruNet, w), "bandit");
  assert.deepEqual(sgruDict["h0"], [[[0.3, 0]]]);
  const sgruNet = buildNetwork(cellSpec("sgru", 2, spec));
  const data = tutorialDataset();
  const a = createWorkspace(gruNet, datasetTensors(data, "asr"));
  const b = createWorkspace(sgruNet, datasetTensors(data, "onehot"));
  forward(a, w);
  forward(b, weightsFromStateDict(sgruNet, sgruDict));
  assert.deepEqual(b.logits, a.logits);
});

Deno.test("sgruFromGru rejects weights that are not a GRU on [a, s, r] inputs", () => {
  assert.throws(() => sgruFromGru({}, "bandit"), /missing GRU tensor "rnn.weight_ih_l0"/);
  const lstmNet = buildNetwork(cellSpec("lstm", 1));
  const dict = stateDictOf(lstmNet, initialWeights(lstmNet, 0));
  dict["rnn.weight_ih_l0"] = [[1, 2], [3, 4], [5, 6]];
  assert.throws(() => sgruFromGru(dict, "bandit"), /must be 3d x 3/);
});

Deno.test("SGRU trains through fit and acts as an agent in simulate", async () => {
  await checkFitAndAgent("sgru", 2, 2);
});
