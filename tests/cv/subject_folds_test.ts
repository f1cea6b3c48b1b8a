import assert from "node:assert/strict";
import { subjectFolds } from "../../src/cv/subject_folds.ts";
import { crossValidate } from "../../src/cv/cross_validate.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { simulate } from "../../src/simulate.ts";
import { tasks } from "../../src/tasks/mod.ts";
import type { Dataset } from "../../src/data/dataset.ts";
import { TinyRnnInputError } from "../../src/options.ts";

/** `subjects` subjects with `perSubject` blocks each, the subjects' blocks interleaved (block b: subject b mod S). */
function population(subjects: number, perSubject: number): Dataset {
  const sim = simulate(cognitive("MF", { alpha: 0.4, iTemp: 3 }), tasks.bandit(), {
    blocks: subjects * perSubject,
    trials: 10,
    seed: 3,
  });
  return { ...sim, blocks: sim.blocks.map((b, i) => ({ ...b, subject: `s${i % subjects}` })) };
}

const subjectOf = (data: Dataset, blocks: readonly number[]) =>
  new Set(blocks.map((b) => data.blocks[b].subject));

Deno.test("subjectFolds within: every subject has blocks in every test, validation and training set", () => {
  const data = population(3, 6);
  const folds = subjectFolds(data, "within", { outer: 3, inner: 2 });
  assert.equal(folds.length, 3);
  const tested = folds.flatMap((f) => f.test).sort((a, b) => a - b);
  assert.deepEqual(tested, data.blocks.map((_, i) => i)); // every block tested once
  for (const fold of folds) {
    assert.equal(subjectOf(data, fold.test).size, 3);
    assert.equal(fold.test.length, 6); // two of each subject's six blocks
    for (const { train, val } of fold.inner) {
      assert.equal(subjectOf(data, train).size, 3);
      assert.equal(subjectOf(data, val).size, 3);
      const test = new Set(fold.test);
      assert.ok([...train, ...val].every((b) => !test.has(b)));
    }
  }
});

Deno.test("subjectFolds together: a subject's blocks are all in one test set and never trained on there", () => {
  const data = population(6, 2);
  const folds = subjectFolds(data, "together", { outer: 3, inner: 2, singleInnerFold: true });
  for (const fold of folds) {
    const held = subjectOf(data, fold.test);
    assert.equal(held.size, 2);
    assert.equal(fold.test.length, 4); // both blocks of each held-out subject
    assert.equal(fold.inner.length, 1);
    for (const { train, val } of fold.inner) {
      for (const s of subjectOf(data, [...train, ...val])) assert.ok(!held.has(s));
      for (const s of subjectOf(data, train)) assert.ok(!subjectOf(data, val).has(s));
    }
  }
  const tested = folds.flatMap((f) => f.test).sort((a, b) => a - b);
  assert.deepEqual(tested, data.blocks.map((_, i) => i));
});

Deno.test("subjectFolds: the folds run through crossValidate", async () => {
  const data = population(2, 4);
  const folds = subjectFolds(data, "within", { outer: 2, inner: 2 });
  const summary = await crossValidate(data, {
    hidden: [1],
    l1: [1e-5],
    seeds: 1,
    maxEpochs: 5,
    workers: 0,
    split: { folds },
  });
  assert.equal(summary.aggregate.length, 1);
  assert.equal(summary.best.length, 2);
});

Deno.test("subjectFolds: bad input names the block or the subject", () => {
  const data = population(2, 3);
  assert.throws(
    () => subjectFolds(data, "within", { outer: 3, inner: 2 }),
    (e: Error) =>
      e instanceof TinyRnnInputError && /subject "s0" has 3 blocks; .* need at least 4/.test(e.message),
  );
  assert.throws(() => subjectFolds(data, "together", { outer: 2, inner: 2 }), /2 subjects; .* at least 3/);
  const missing = {
    ...data,
    blocks: data.blocks.map((b, i) => (i === 4 ? { ...b, subject: undefined } : b)),
  };
  assert.throws(() => subjectFolds(missing, "within", { outer: 2, inner: 2 }), /block 4 has no subject/);
  assert.throws(() => subjectFolds(data, "whithin" as never), /did you mean "within"/);
  assert.throws(() => subjectFolds(data, "within", { outter: 2 } as never), /did you mean "outer"/);
});
