import assert from "node:assert/strict";
import { Teacher, trainTeacher } from "../../src/distill/teacher.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { withSoftTargets } from "../../src/data/soft_targets.ts";
import { datasetTensors } from "../../src/engine/batch.ts";
import { trainJob } from "../../src/engine/train.ts";
import { EMBEDDING_TENSOR } from "../../src/engine/subject_embedding.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { JUPYTER_DISPLAY } from "../../src/display_table.ts";

/** Subjects with different learning rates, `perSubject` blocks of 15 trials each; blocks in subject order. */
function population(alphas = [0.2, 0.5, 0.8], perSubject = 3): Dataset {
  const blocks = alphas.flatMap((alpha, s) =>
    simulate(cognitive("MF", { alpha, iTemp: 3 }), tasks.bandit(), {
      blocks: perSubject,
      trials: 15,
      seed: 20 + s,
    })
      .blocks.map((block) => ({ ...block, subject: `p${s}` }))
  );
  return { kind: "bandit", nActions: 2, blocks };
}

const SPLIT = { train: [0, 1, 3, 4, 6, 7], val: [2, 5, 8] };
const QUICK = { hidden: 4, embedding: 2, maxEpochs: 40, patience: 100, workers: 0 };

Deno.test("teacher: its folded per-subject GRU scores the validation blocks as the engine did", async () => {
  const data = population();
  const teacher = await trainTeacher(data, SPLIT, QUICK);
  assert.deepEqual(teacher.subjects, ["p0", "p1", "p2"]);
  assert.equal(teacher.hidden, 4);
  assert.equal(teacher.embedding, 2);
  // valLoss comes from the engine's network on [x, one-hot subject]; loss() runs one ordinary GRU per subject
  // with W_emb · e_s folded into its input bias. The two are the same function of the weights.
  const { loss, trials } = teacher.loss(data, SPLIT.val);
  assert.equal(trials, 45);
  assert.ok(Math.abs(loss - teacher.valLoss) < 1e-12, `${loss} vs ${teacher.valLoss}`);
  assert.ok(Math.abs(teacher.loss(data, SPLIT.train).loss - teacher.trainLoss) < 1e-12);
  const E = teacher.weights[EMBEDDING_TENSOR] as number[][];
  assert.equal(E.length, 3);
  assert.notDeepEqual(teacher.plainWeights("p0"), teacher.plainWeights("p2"));
});

Deno.test("teacher: without an embedding it is the ordinary GRU trained on the pooled blocks, bit for bit", async () => {
  const data = population();
  const teacher = await trainTeacher(data, SPLIT, { ...QUICK, embedding: 0, seed: 3 });
  const plain = trainJob(datasetTensors(data, "asr"), 2, {
    hidden: 4,
    maxEpochs: 40,
    patience: 100,
    seed: 3,
    ...SPLIT,
    test: [],
  });
  assert.deepEqual(teacher.weights, plain.weights);
  assert.equal(teacher.valLoss, plain.valLoss);
  assert.deepEqual(teacher.plainWeights("p0"), plain.flatWeights);
  assert.deepEqual(teacher.plainWeights("anyone"), plain.flatWeights);
});

Deno.test("teacher: one subject is an ordinary GRU whose input bias holds the embedding", async () => {
  const data = population([0.4], 4);
  const teacher = await trainTeacher(data, { train: [0, 1, 2], val: [3] }, QUICK);
  const w = teacher.plainWeights("p0");
  // Train that ordinary network for 0 epochs from those weights: the engine's loss of it equals the teacher's.
  const tensors = datasetTensors(data, "asr");
  const plainNet = trainJob(tensors, 2, {
    hidden: 4,
    maxEpochs: 0,
    train: [0],
    val: [3],
    test: [],
    init: stateDictFromFlat(teacher, w),
  });
  assert.ok(Math.abs(plainNet.curves.val[0] - teacher.valLoss) < 1e-12);
});

/** The ordinary network's state dict of flat weights (via the teacher's own JSON names). */
function stateDictFromFlat(teacher: Teacher, w: Float64Array): Record<string, unknown> {
  const H = teacher.hidden, I = 3;
  let o = 0;
  const take = (rows: number, cols?: number) => {
    if (cols === undefined) {
      const out = Array.from(w.subarray(o, o + rows));
      o += rows;
      return out;
    }
    const out = Array.from(
      { length: rows },
      (_, r) => Array.from(w.subarray(o + r * cols, o + (r + 1) * cols)),
    );
    o += rows * cols;
    return out;
  };
  return {
    "rnn.weight_ih_l0": take(3 * H, I),
    "rnn.weight_hh_l0": take(3 * H, H),
    "rnn.bias_ih_l0": take(3 * H),
    "rnn.bias_hh_l0": take(3 * H),
    "lin.weight": take(2, H),
    "lin.bias": take(2),
  };
}

Deno.test("teacher: predictions are distributions per trial, feed withSoftTargets, and its agent simulates", async () => {
  const data = population();
  const teacher = await trainTeacher(data, SPLIT, QUICK);
  const probs = teacher.predict(data);
  assert.equal(probs.length, data.blocks.length);
  probs.forEach((rows, b) => {
    assert.equal(rows.length, data.blocks[b].action.length);
    for (const row of rows) assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-12 && row[0] > 0 && row[1] > 0);
  });
  const soft = withSoftTargets(data, probs, 0.8);
  assert.equal(soft.blocks.length, data.blocks.length);
  const sim = simulate(teacher.agent("p1"), tasks.bandit(), { blocks: 2, trials: 10, seed: 1 });
  assert.equal(sim.blocks.length, 2);
  assert.ok(JUPYTER_DISPLAY in teacher);
});

Deno.test("teacher: hidden and embedding sizes are chosen by validation loss", async () => {
  const data = population();
  const teacher = await trainTeacher(data, SPLIT, { ...QUICK, hidden: [2, 4], embedding: [1, 2] });
  assert.equal(teacher.candidates.length, 4);
  const best = Math.min(...teacher.candidates.map((c) => c.valLoss));
  assert.equal(teacher.valLoss, best);
  const kept = teacher.candidates.find((c) => c.valLoss === best)!;
  assert.equal(teacher.hidden, kept.hidden);
  assert.equal(teacher.embedding, kept.embedding);
});

Deno.test("teacher: withSubject fits only the new subject's embedding, the network frozen", async () => {
  const data = population();
  const teacher = await trainTeacher(data, SPLIT, QUICK);
  // A newcomer who behaves as p2 did: its best embedding is p2's, away from the known subjects' mean.
  const renamed = { ...data, blocks: data.blocks.slice(6).map((b) => ({ ...b, subject: "new" })) };
  assert.throws(() => teacher.predict(renamed), /does not know; add it with withSubject/);
  const grown = await teacher.withSubject(renamed, { train: [0, 1], val: [2] }, { maxEpochs: 100 });
  assert.deepEqual(grown.subjects, ["p0", "p1", "p2", "new"]);
  for (const [name, tensor] of Object.entries(teacher.weights)) {
    if (name !== EMBEDDING_TENSOR) assert.deepEqual(grown.weights[name], tensor, `${name} frozen`);
  }
  const E = teacher.weights[EMBEDDING_TENSOR] as number[][];
  const F = grown.weights[EMBEDDING_TENSOR] as number[][];
  assert.deepEqual(F.slice(0, 3), E);
  const mean = [0, 1].map((k) => (E[0][k] + E[1][k] + E[2][k]) / 3);
  assert.notDeepEqual(F[3], mean);
  assert.deepEqual(grown.predict(data), teacher.predict(data));
  assert.ok(Math.abs(grown.loss(renamed, [2]).loss - grown.valLoss) < 1e-12);
});

Deno.test("teacher: JSON round trip predicts the same bits", async () => {
  const data = population();
  const teacher = await trainTeacher(data, SPLIT, QUICK);
  const back = Teacher.fromJSON(JSON.stringify(teacher));
  assert.deepEqual(back.predict(data), teacher.predict(data));
  assert.deepEqual(back.subjects, teacher.subjects);
  assert.equal(back.valLoss, teacher.valLoss);
  assert.throws(() => Teacher.fromJSON({ format: "other" }), /not a tinyrnn teacher/);
});

Deno.test("teacher: bad input is named before any training", async () => {
  const data = population();
  const noSubject = {
    ...data,
    blocks: data.blocks.map((b, i) => (i === 4 ? { ...b, subject: undefined } : b)),
  };
  await assert.rejects(
    () => trainTeacher(noSubject, SPLIT, QUICK),
    (e: Error) => e instanceof TinyRnnInputError && /block 4 has no subject/.test(e.message),
  );
  await assert.rejects(
    () => trainTeacher(data, { train: [0, 1, 3, 4], val: [2, 8] }, QUICK),
    /validation block 8 belongs to subject "p2", who has no training block/,
  );
  await assert.rejects(
    () => trainTeacher(data, SPLIT, { ...QUICK, hiden: 3 } as never),
    /did you mean "hidden"/,
  );
  await assert.rejects(() => trainTeacher(data, SPLIT, { ...QUICK, embedding: -1 }), /embedding/);
  await assert.rejects(
    () => trainTeacher(data, { train: [0], val: [0] }, QUICK),
    /both split.train and split.val/,
  );
});
