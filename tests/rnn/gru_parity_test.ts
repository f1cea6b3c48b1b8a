import { assertClose, flat, readFixture, tutorialDataset } from "../engine/fixtures.ts";
import {
  addL1Gradient,
  buildNetwork,
  l1Term,
  stateDictOf,
  weightsFromStateDict,
} from "../../src/rnn/network.ts";
import { datasetTensors, selectTensors } from "../../src/engine/batch.ts";
import { backward, createWorkspace, crossEntropy, forward } from "../../src/engine/pass.ts";
import { AdamW } from "../../src/engine/adamw.ts";

const parity = readFixture("gru_parity.json");
const REL = 1e-10;
const ABS = 1e-13;

for (const c of parity.cases) {
  Deno.test(`GRU d=${c.hidden_dim} seed=${c.seed} matches PyTorch: forward, loss, L1, gradients, 3 AdamW steps`, () => {
    const data = tutorialDataset();
    const batch = selectTensors(datasetTensors(data, "asr"), parity.batch.blocks);
    assertClose("input", batch.input, flat(parity.batch.input), 0, 0);
    const net = buildNetwork({
      cell: "gru",
      hidden: c.hidden_dim,
      inputSize: 3,
      nActions: 2,
      readout: "linear",
      outputH0: true,
      trainableH0: false,
    });
    if (net.size !== c.num_params) throw new Error(`num_params ${net.size} != ${c.num_params}`);
    const w = weightsFromStateDict(net, c.init_params);
    const ws = createWorkspace(net, batch);
    const { loss } = forward(ws, w);
    assertClose("logits", ws.logits, flat(c.logits), REL, ABS);
    assertClose("hidden", ws.states, flat(c.hidden), REL, ABS);
    const ce = [];
    for (let t = 0; t < batch.T; t++) {
      for (let b = 0; b < batch.B; b++) {
        ce.push(crossEntropy(ws.logits, (t * batch.B + b) * 2, 2, batch.target[t * batch.B + b]));
      }
    }
    assertClose("ce per trial", ce, flat(c.ce_per_trial), REL, ABS);
    assertClose("loss", [loss], [c.loss], REL, ABS);
    const l1 = parity.config?.l1_weight ?? 1e-5;
    assertClose("l1", [l1Term(net, w, l1)], [c.l1_term], REL, ABS);
    const opt = new AdamW(net.size, { lr: 0.005 });
    for (let k = 0; k < 3; k++) {
      const step = c.steps[k];
      const grad = new Float64Array(net.size);
      const { loss: before } = forward(ws, w);
      assertClose(`loss before step ${k + 1}`, [before], [step.loss_before], REL, ABS);
      backward(ws, w, grad);
      addL1Gradient(net, w, l1, grad);
      for (const p of net.parameters) {
        assertClose(
          `grad ${p.name} step ${k + 1}`,
          grad.subarray(p.offset, p.offset + p.size),
          flat(step.grad[p.name]),
          REL,
          ABS,
        );
      }
      opt.step(w, grad);
      const after = stateDictOf(net, w);
      for (const p of net.parameters) {
        assertClose(
          `${p.name} after step ${k + 1}`,
          flat(after[p.name]),
          flat(c.params_after_step[String(k + 1)][p.name]),
          REL,
          ABS,
        );
      }
    }
  });
}
