import { tutorialDataset } from "../engine/fixtures.ts";
import type { NetworkSpec } from "../../src/rnn/network.ts";
import { datasetTensors, selectTensors } from "../../src/engine/batch.ts";
import { assertFiniteDifferenceGradient } from "./cell_harness.ts";

/** Central finite differences (h = 1e-6) of loss + L1 against the analytic gradient, every parameter. */
function checkGradient(
  spec: NetworkSpec,
  seed: number,
  blocks: number[],
  mask?: (t: number, b: number) => number,
) {
  const data = tutorialDataset();
  const batch = selectTensors(datasetTensors(data, "asr"), blocks);
  if (mask) {
    for (let t = 0; t < batch.T; t++) {
      for (let b = 0; b < batch.B; b++) batch.mask[t * batch.B + b] = mask(t, b);
    }
  }
  assertFiniteDifferenceGradient(spec, batch, seed);
}

const base: NetworkSpec = {
  cell: "gru",
  hidden: 2,
  inputSize: 3,
  nActions: 2,
  readout: "linear",
  outputH0: true,
  trainableH0: false,
};
const blocks = [0, 1, 2, 3, 4, 5];

Deno.test("GRU gradient = finite differences (d = 1, 2, 3)", () => {
  for (const hidden of [1, 2, 3]) checkGradient({ ...base, hidden }, hidden, blocks);
});

Deno.test("GRU gradient = finite differences through the batched pass (d = 5, 10, 20)", () => {
  for (const hidden of [5, 10, 20]) checkGradient({ ...base, hidden }, hidden, blocks);
  checkGradient({ ...base, hidden: 5, trainableH0: true, outputH0: false }, 11, blocks);
});

Deno.test("diagonal readout gradient = finite differences", () => {
  checkGradient({ ...base, readout: "diagonal" }, 5, blocks);
});

Deno.test("trainable h0 gradient = finite differences", () => {
  checkGradient({ ...base, trainableH0: true }, 6, blocks);
  checkGradient({ ...base, hidden: 1, trainableH0: true, readout: "linear" }, 7, blocks);
});

Deno.test("gradient with outputH0 off and partial masks = finite differences", () => {
  checkGradient({ ...base, outputH0: false }, 8, blocks);
  checkGradient(base, 9, blocks, (t, b) => ((t + b) % 3 === 0 ? 0 : (t % 2) + 0.5));
});
