import assert from "node:assert/strict";
import { tutorialDataset } from "../engine/fixtures.ts";
import { cellNames, getCell } from "../../src/rnn/registry.ts";
import { fit } from "../../src/engine/fit.ts";
import { FittedModel } from "../../src/engine/fitted_model.ts";
import { selectBlocks } from "../../src/data/dataset.ts";

const CELLS = ["sgru", "lstm", "rnn", "mingru", "minlstm"];

Deno.test("every cell is registered under its name, with its input encoding", () => {
  assert.deepEqual(cellNames().sort(), ["gru", ...CELLS].sort());
  assert.deepEqual(CELLS.map((c) => getCell(c).encoding), ["onehot", "asr", "asr", "asr", "asr"]);
  assert.throws(() => getCell("lstn"), /did you mean "lstm"/);
});

Deno.test("every cell trains the same in worker threads as in process, and survives a JSON round trip", async () => {
  const data = selectBlocks(tutorialDataset(), Array.from({ length: 30 }, (_, i) => i));
  const split = {
    train: Array.from({ length: 20 }, (_, i) => i),
    val: [20, 21, 22, 23, 24],
    test: [25, 26, 27],
  };
  const options = (workers: number) =>
    CELLS.map((cell) => ({ cell, hidden: 2, seed: 1, maxEpochs: 15, split, workers }));
  const threaded = await fit(data, options(2));
  const inProcess = await fit(data, options(0));
  for (let i = 0; i < CELLS.length; i++) {
    assert.deepEqual(threaded[i].weights, inProcess[i].weights, CELLS[i]);
    assert.deepEqual(threaded[i].curves, inProcess[i].curves, CELLS[i]);
    const back = FittedModel.fromJSON(JSON.stringify(threaded[i]));
    assert.equal(back.config.cell, CELLS[i]);
    assert.deepEqual(back.run(data), threaded[i].run(data), CELLS[i]);
  }
});
