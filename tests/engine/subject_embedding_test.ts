import assert from "node:assert/strict";
import { assertClose } from "./fixtures.ts";
import { centralDifferences } from "../rnn/cell_harness.ts";
import { datasetTensors, selectTensors } from "../../src/engine/batch.ts";
import { backward, createWorkspace, forward } from "../../src/engine/pass.ts";
import {
  EMBEDDING_TENSOR,
  embeddingNetworks,
  SubjectEmbedding,
  withSubjectColumns,
} from "../../src/engine/subject_embedding.ts";
import { trainJob } from "../../src/engine/train.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { TinyRnnInputError } from "../../src/options.ts";

/** Three subjects (different learning rates), two blocks each, 12 trials per block. */
function population(): Dataset {
  const blocks = [0.2, 0.5, 0.8].flatMap((alpha, s) =>
    simulate(cognitive("MF", { alpha, iTemp: 3 }), tasks.bandit(), { blocks: 2, trials: 12, seed: 10 + s })
      .blocks
      .map((block) => ({ ...block, subject: `s${s}` }))
  );
  return { kind: "bandit", nActions: 2, blocks };
}

const SUBJECT_OF_BLOCK = [0, 0, 1, 1, 2, 2];

Deno.test("subject embedding: gradient in θ (network, W_emb and E) = finite differences of the loss", () => {
  const data = population();
  const tensors = datasetTensors(data, "asr");
  const spec = {
    cell: "gru",
    hidden: 3,
    inputSize: tensors.I,
    nActions: 2,
    readout: "linear" as const,
    outputH0: true,
    trainableH0: false,
  };
  for (const [K, l1] of [[2, 0], [1, 1e-3]] as const) {
    const networks = embeddingNetworks(spec, K, 3);
    const reparam = new SubjectEmbedding(networks, K, 3);
    const theta = reparam.initial(4);
    // Off the start (E = 0), so that every entry of θ has a gradient.
    for (let i = 0; i < theta.length; i++) theta[i] += 0.3 * Math.sin(5 * i + 1);
    const wide = withSubjectColumns(tensors, SUBJECT_OF_BLOCK, 3);
    const batch = selectTensors(wide, [0, 1, 2, 3, 4, 5]);
    const ws = createWorkspace(networks.wide, batch);
    const w = new Float64Array(networks.wide.size);
    const objective = () => {
      reparam.weights(theta, w);
      let pen = 0;
      for (const [o, n] of reparam.penalizedRanges) for (let i = o; i < o + n; i++) pen += Math.abs(theta[i]);
      return forward(ws, w).loss + l1 * pen;
    };
    objective();
    const gradW = new Float64Array(w.length);
    backward(ws, w, gradW);
    const grad = new Float64Array(theta.length);
    reparam.pullBack(theta, gradW, grad);
    for (const [o, n] of reparam.penalizedRanges) {
      for (let i = o; i < o + n; i++) grad[i] += theta[i] > 0 ? l1 : theta[i] < 0 ? -l1 : 0;
    }
    const numeric = centralDifferences(objective, theta);
    assertClose(`K = ${K} gradient`, grad, numeric, 1e-6, 1e-9);
    // The embedding rows get a gradient (each only from its own subject's blocks).
    for (let s = 0; s < 3; s++) {
      const row = grad.subarray(reparam.embeddingOffset + s * K, reparam.embeddingOffset + (s + 1) * K);
      assert.ok(row.some((g) => g !== 0), `subject ${s} has a gradient`);
    }
  }
});

Deno.test("subject embedding: before training (E = 0) the teacher is the ordinary network of the same seed", () => {
  const data = population();
  const tensors = datasetTensors(data, "asr");
  const split = { train: [0, 2, 4], val: [1, 3, 5], test: [] };
  const plain = trainJob(tensors, 2, { hidden: 3, seed: 7, maxEpochs: 0, ...split });
  const teacher = trainJob(tensors, 2, {
    hidden: 3,
    seed: 7,
    maxEpochs: 0,
    ...split,
    embedding: { size: 2, subjects: 3, subjectOfBlock: SUBJECT_OF_BLOCK },
  });
  assert.equal(teacher.curves.val[0], plain.curves.val[0]);
  assert.equal(teacher.curves.train[0], plain.curves.train[0]);
  const E = teacher.weights[EMBEDDING_TENSOR] as number[][];
  assert.deepEqual(E, [[0, 0], [0, 0], [0, 0]]);
  assert.equal(teacher.numParams, plain.numParams + 3 * 2 * 3 + 3 * 2);
});

Deno.test("subject embedding: training moves E; onlySubject moves only that row, network frozen", () => {
  const data = population();
  const tensors = datasetTensors(data, "asr");
  const split = { train: [0, 2, 4], val: [1, 3, 5], test: [] };
  const embedding = { size: 2, subjects: 3, subjectOfBlock: SUBJECT_OF_BLOCK };
  const trained = trainJob(tensors, 2, { hidden: 3, maxEpochs: 30, patience: 100, ...split, embedding });
  const E = trained.weights[EMBEDDING_TENSOR] as number[][];
  assert.ok(E.every((row) => row.some((v) => v !== 0)), "every subject's row moved");
  assert.ok(trained.valLoss < trained.curves.val[0]);
  const refit = trainJob(tensors, 2, {
    hidden: 3,
    maxEpochs: 30,
    patience: 100,
    weightDecay: 0.1,
    // Row 1 restarted at zero, as a subject the network has not seen: refitting it must move it.
    init: { ...trained.weights, [EMBEDDING_TENSOR]: E.map((row, s) => (s === 1 ? [0, 0] : row)) },
    // Validated on its own training blocks, so that the loss it descends is the one that early-stops it.
    train: [2, 3],
    val: [2, 3],
    test: [],
    embedding: { ...embedding, onlySubject: 1 },
  });
  for (const [name, tensor] of Object.entries(trained.weights)) {
    if (name !== EMBEDDING_TENSOR) assert.deepEqual(refit.weights[name], tensor, `${name} frozen`);
  }
  const F = refit.weights[EMBEDDING_TENSOR] as number[][];
  assert.deepEqual(F[0], E[0]);
  assert.deepEqual(F[2], E[2]);
  assert.notDeepEqual(F[1], [0, 0]);
  assert.ok(refit.valLoss < refit.curves.val[0]);
});

Deno.test("subject embedding: bad jobs name the block or field", () => {
  const data = population();
  const tensors = datasetTensors(data, "asr");
  const split = { train: [0, 2], val: [1], test: [] };
  assert.throws(
    () =>
      trainJob(tensors, 2, {
        hidden: 2,
        ...split,
        embedding: { size: 2, subjects: 3, subjectOfBlock: [0, -1, 1, 1, 2, 2] },
      }),
    (e: Error) => e instanceof TinyRnnInputError && /block 1 has no subject/.test(e.message),
  );
  assert.throws(
    () =>
      trainJob(tensors, 2, {
        hidden: 2,
        ...split,
        embedding: { size: 0, subjects: 3, subjectOfBlock: SUBJECT_OF_BLOCK },
      }),
    /embedding.size/,
  );
  assert.throws(
    () =>
      trainJob(tensors, 2, {
        hidden: 2,
        ...split,
        embedding: { size: 2, subjects: 3, subjectOfBlock: [0, 0] },
      }),
    /each of the 6 blocks/,
  );
});
