import assert from "node:assert/strict";
import { type BatchTensors, datasetTensors, selectTensors } from "../../../src/engine/batch.ts";
import { backward, createWorkspace, forward, type Workspace } from "../../../src/engine/pass.ts";
import {
  BATCHED_MIN_HIDDEN,
  batchedBuffers,
  batchedGruBackward,
  batchedGruForward,
} from "../../../src/engine/gru/batched.ts";
import { simdAvailable } from "../../../src/engine/gru/wasm_simd.ts";
import { batchedApplies } from "../../../src/engine/gru/fused.ts";
import {
  addL1Gradient,
  buildNetwork,
  initialWeights,
  l1Term,
  type NetworkSpec,
} from "../../../src/rnn/network.ts";
import { assertClose, tutorialDataset } from "../fixtures.ts";
import { centralDifferences } from "../../rnn/cell_harness.ts";

// The batched pass (gru/batched.ts) forms the forward as the fused pass and the GRU kernel do: with its
// JavaScript loops its loss, states and logits are theirs to the bit; with the SIMD kernels the gates use their
// own exponential, so they agree to a few ulp. Its weight gradients are sums over all trials in another order,
// so they agree with the generic pass to rounding only.

const spec = (hidden: number, more: Partial<NetworkSpec> = {}): NetworkSpec => ({
  cell: "gru",
  hidden,
  inputSize: 3,
  nActions: 2,
  readout: "linear",
  outputH0: true,
  trainableH0: false,
  ...more,
});

/**
 * A workspace the batched pass runs, whatever its hidden size (the dispatch sends only d >= the threshold),
 * with the WebAssembly SIMD kernels or (`simd` false) the JavaScript loops.
 */
function batchedWorkspace(
  net: ReturnType<typeof buildNetwork>,
  batch: BatchTensors,
  lastRow = false,
  simd = true,
): Workspace {
  const ws = createWorkspace(net, batch, true, lastRow);
  const count = ws.fast!.inputs ? ws.fast!.inputs.count : 0;
  const batched = batchedBuffers(net.spec.hidden, batch.T, batch.B, count, true, simd, ws.fast!.inputs?.ids);
  return { ...ws, states: batched.states, caches: batched.caches!, fast: { ...ws.fast!, batched } };
}

/** Largest |a − b| over the largest |b|. */
function relativeDifference(a: Float64Array, b: Float64Array): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** Tutorial blocks (120 of them), some masks partial, and a copy with continuous inputs (no input table). */
function batches(): { name: string; batch: BatchTensors }[] {
  const full = datasetTensors(tutorialDataset(), "asr");
  const binary = selectTensors(full, Array.from({ length: 41 }, (_, i) => (i * 37) % 500));
  const masked = selectTensors(full, Array.from({ length: 9 }, (_, i) => i * 11));
  for (let cell = 0; cell < masked.mask.length; cell++) {
    masked.mask[cell] = cell % 5 === 0 ? 0 : (cell % 3) * 0.5;
  }
  const continuous = selectTensors(full, Array.from({ length: 7 }, (_, i) => i * 3));
  for (let i = 0; i < continuous.input.length; i++) continuous.input[i] += 0.01 * Math.sin(i);
  // One and two blocks (validation sets), shorter than a tile of four, and a block of two trials.
  const one = selectTensors(full, [3]);
  const two = selectTensors(full, [5, 8]);
  const short = selectTensors(full, [1, 2, 4]);
  const trimmed = { ...short, T: 2, input: short.input.slice(0, 2 * 3 * 3) };
  trimmed.target = short.target.slice(0, 6);
  trimmed.mask = short.mask.slice(0, 6);
  return [
    { name: "one block", batch: one },
    { name: "two blocks", batch: two },
    { name: "two trials", batch: trimmed },
    { name: "binary", batch: binary },
    { name: "masked", batch: masked },
    { name: "continuous", batch: continuous },
  ];
}

Deno.test("the dispatch sends hidden sizes from BATCHED_MIN_HIDDEN on to the batched pass", () => {
  const batch = batches()[0].batch;
  for (const hidden of [2, 3, BATCHED_MIN_HIDDEN - 1, BATCHED_MIN_HIDDEN, 20]) {
    const ws = createWorkspace(buildNetwork(spec(hidden)), batch);
    assert.equal(batchedApplies(ws), hidden >= BATCHED_MIN_HIDDEN, `d=${hidden}`);
    assert.equal(ws.fast!.batched !== undefined, hidden >= BATCHED_MIN_HIDDEN, `d=${hidden}`);
    // Evaluation workspaces run the batched forward without the gradient buffers.
    const evaluation = createWorkspace(buildNetwork(spec(hidden)), batch, false).fast!.batched;
    if (hidden >= BATCHED_MIN_HIDDEN) assert.equal(evaluation!.deltas.length, 0);
  }
});

Deno.test("the WebAssembly SIMD kernels are available here (else the batched pass runs its JavaScript loops)", () => {
  assert.ok(simdAvailable());
});

Deno.test("batched GRU pass (SIMD and JavaScript): the generic pass's loss, states and logits (bits without SIMD), its gradient within 1e-13", () => {
  for (const { name, batch } of batches()) {
    for (
      const [hidden, simd] of [[4, true], [5, true], [10, true], [20, true], [5, false], [20, false]] as const
    ) {
      for (
        const [trainableH0, outputH0, lastRow] of [[false, true, false], [true, true, true], [
          true,
          false,
          false,
        ]]
      ) {
        const net = buildNetwork(spec(hidden, { trainableH0, outputH0 }));
        const w = initialWeights(net, hidden);
        if (trainableH0) { for (let k = 0; k < hidden; k++) w[net.h0Offset + k] = 0.3 * Math.sin(k + 1); }
        const what =
          `${name} d=${hidden} simd=${simd} h0=${trainableH0} outputH0=${outputH0} lastRow=${lastRow}`;
        const ws = batchedWorkspace(net, batch, lastRow, simd);
        const generic: Workspace = { ...createWorkspace(net, batch, true, lastRow), fused: false };
        const expected = forward(generic, w, true);
        const loss = batchedGruForward(ws, w).loss;
        const rows = (lastRow ? batch.T + 1 : batch.T) * batch.B;
        const states = ws.states.subarray(0, rows * hidden), logits = ws.logits.subarray(0, rows * 2);
        if (simd) {
          // The SIMD gates use their own exponential (within a few ulp of the engine's): close, not the bits.
          assertClose(`${what} loss`, [loss], [expected.loss], 1e-13, 0);
          assertClose(`${what} states`, states, generic.states.subarray(0, rows * hidden), 0, 1e-13);
          assertClose(`${what} logits`, logits, generic.logits.subarray(0, rows * 2), 0, 1e-13);
        } else {
          assert.equal(loss, expected.loss, what);
          assert.deepEqual(states, generic.states.subarray(0, rows * hidden), what);
          assert.deepEqual(logits, generic.logits.subarray(0, rows * 2), what);
        }
        // Through the dispatch (d >= the threshold), accuracy too.
        if (hidden >= BATCHED_MIN_HIDDEN) {
          const dispatched = forward(createWorkspace(net, batch, true, lastRow), w, true);
          assertClose(
            `${what} dispatched`,
            [dispatched.loss, dispatched.accuracy],
            [expected.loss, expected.accuracy],
            1e-13,
            0,
          );
        }
        const ours = new Float64Array(net.size), theirs = new Float64Array(net.size);
        batchedGruBackward(ws, w, ours);
        backward(generic, w, theirs);
        const rel = relativeDifference(ours, theirs);
        assert.ok(rel < 1e-13, `${what}: gradient relative difference ${rel}`);
      }
    }
  }
});

Deno.test("batched GRU gradient = finite differences (d = 5, 10, 20; SIMD and JavaScript)", () => {
  const batch = selectTensors(datasetTensors(tutorialDataset(), "asr"), [0, 1, 2, 3, 4]);
  for (const [hidden, simd] of [[5, true], [10, true], [20, true], [10, false]] as const) {
    const net = buildNetwork(spec(hidden, { trainableH0: true }));
    const w = initialWeights(net, hidden + 1);
    for (let i = 0; i < w.length; i++) w[i] += 0.3 * Math.sin(7 * i + hidden);
    const ws = batchedWorkspace(net, batch, false, simd);
    const l1 = 1e-3;
    const objective = () => batchedGruForward(ws, w).loss + l1Term(net, w, l1);
    const grad = new Float64Array(net.size);
    objective();
    batchedGruBackward(ws, w, grad);
    addL1Gradient(net, w, l1, grad);
    const numeric = centralDifferences(objective, w);
    assertClose(`batched d=${hidden} simd=${simd} gradient`, grad, numeric, 1e-6, 1e-9);
  }
});
