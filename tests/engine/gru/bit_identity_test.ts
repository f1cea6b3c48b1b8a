import assert from "node:assert/strict";
import { datasetTensors, selectTensors } from "../../../src/engine/batch.ts";
import { backward, createWorkspace, forward, type Workspace } from "../../../src/engine/pass.ts";
import { smallGruApplies } from "../../../src/engine/gru/unrolled_small.ts";
import { buildNetwork, initialWeights } from "../../../src/rnn/network.ts";
import { tutorialDataset } from "../fixtures.ts";

// The unrolled d = 1, 2 kernels (gru/unrolled_small.ts), the fused pass (gru/fused.ts) and the generic pass over the
// GRU cell kernel must agree to the bit, so that which path trains a model never changes its result.
Deno.test("GRU passes (unrolled d = 1, 2; fused d = 3; generic) give the same loss, states, logits and gradient bits", () => {
  const full = datasetTensors(tutorialDataset(), "asr");
  const batch = selectTensors(full, Array.from({ length: 120 }, (_, i) => (i * 37) % 500));
  for (const hidden of [1, 2, 3]) {
    for (const trainableH0 of [false, true]) {
      for (const lastRow of [false, true]) {
        const net = buildNetwork({
          cell: "gru",
          hidden,
          inputSize: 3,
          nActions: 2,
          readout: "linear",
          outputH0: true,
          trainableH0,
        });
        const w = initialWeights(net, 7);
        if (trainableH0) w[net.h0Offset] = 0.2;
        const fused = createWorkspace(net, batch, true, lastRow);
        assert.equal(fused.fused, true);
        assert.equal(smallGruApplies(fused), hidden <= 2);
        const generic: Workspace = { ...createWorkspace(net, batch, true, lastRow), fused: false };
        const what = `d=${hidden} h0=${trainableH0} lastRow=${lastRow}`;
        assert.deepEqual(forward(fused, w, true), forward(generic, w, true), what);
        // Row T (the state after the last trial) is computed only when asked for.
        const rows = (lastRow ? batch.T + 1 : batch.T) * batch.B;
        assert.deepEqual(
          fused.states.subarray(0, rows * hidden),
          generic.states.subarray(0, rows * hidden),
          what,
        );
        assert.deepEqual(fused.logits.subarray(0, rows * 2), generic.logits.subarray(0, rows * 2), what);
        const a = new Float64Array(net.size), b = new Float64Array(net.size);
        backward(fused, w, a);
        backward(generic, w, b);
        assert.deepEqual(a, b, what);
      }
    }
  }
});
