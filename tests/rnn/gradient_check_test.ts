import { assertClose, tutorialDataset } from "../engine/fixtures.ts";
import {
  addL1Gradient,
  buildNetwork,
  initialWeights,
  l1Term,
  type NetworkSpec,
} from "../../src/rnn/network.ts";
import { datasetTensors, selectTensors } from "../../src/engine/batch.ts";
import { backward, createWorkspace, forward } from "../../src/engine/pass.ts";

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
  const net = buildNetwork(spec);
  const w = initialWeights(net, seed);
  // Move off the symmetric start (h0 = 0, lin_coef = 1) so every parameter has a non-trivial gradient.
  for (let i = 0; i < w.length; i++) w[i] += 0.3 * Math.sin(7 * i + seed);
  const ws = createWorkspace(net, batch);
  const l1 = 1e-3;
  const objective = () => forward(ws, w).loss + l1Term(net, w, l1);
  const grad = new Float64Array(net.size);
  forward(ws, w);
  backward(ws, w, grad);
  addL1Gradient(net, w, l1, grad);
  const numeric = new Float64Array(net.size);
  const h = 1e-6;
  for (let i = 0; i < w.length; i++) {
    const keep = w[i];
    w[i] = keep + h;
    const up = objective();
    w[i] = keep - h;
    const down = objective();
    w[i] = keep;
    numeric[i] = (up - down) / (2 * h);
  }
  assertClose(`${JSON.stringify(spec)} gradient`, grad, numeric, 1e-6, 1e-9);
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
