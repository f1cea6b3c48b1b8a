import assert from "node:assert/strict";
import { distill, mergeDistill } from "../../src/distill/distill.ts";
import { simulatePopulation } from "../../src/distill/population.ts";
import { planDistill } from "../../src/distill/plan.ts";
import { resolveDistillOptions } from "../../src/distill/options.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { fakeTeacher } from "./fake_teacher.ts";

function rejects(
  fn: () => Promise<unknown>,
  type: new (...a: never[]) => Error,
  text?: string,
): Promise<void> {
  return assert.rejects(
    fn,
    (e: unknown) => e instanceof type && (text === undefined || e.message.includes(text)),
  );
}

function throws(fn: () => unknown, type: new (...a: never[]) => Error, text: string): void {
  assert.throws(fn, (e: unknown) => e instanceof type && e.message.includes(text));
}

const population = () => simulatePopulation({ subjects: 3, blocks: 4, trials: 12, seed: 3 });
const small = {
  hidden: [1, 2],
  seeds: 1,
  outer: 2,
  inner: 2,
  maxEpochs: 15,
  patience: 5,
  augment: 2,
  workers: 0,
};

Deno.test("distill: per-subject rows of every kind, pooled rows with SEM over subjects, dimensionality", async () => {
  const { data, subjects } = population();
  const { factory } = fakeTeacher();
  const result = await distill(data, { ...small, cognitive: ["MB0"], teacher: factory });
  assert.deepStrictEqual(result.missing, []);
  for (const subject of subjects) {
    const models = result.rows.filter((r) => r.subject === subject).map((r) => r.model);
    assert.deepStrictEqual(models.sort(), [
      "MB0",
      "solo-gru",
      "solo-gru-1",
      "solo-gru-2",
      "student-gru",
      "student-gru-1",
      "student-gru-2",
      "teacher",
    ]);
    // Every block of the subject is tested exactly once: 4 blocks of 12 trials.
    for (const row of result.rows.filter((r) => r.subject === subject)) {
      assert.deepStrictEqual(row.testTrials, 48);
    }
  }
  const kinds = Object.fromEntries(result.pooled.map((r) => [r.model, r.kind]));
  assert.deepStrictEqual(kinds["teacher"], "teacher");
  assert.deepStrictEqual(kinds["student-gru-1"], "student");
  assert.deepStrictEqual(kinds["MB0"], "cognitive");
  for (const row of result.pooled) {
    assert.deepStrictEqual(row.subjects, 3);
    assert.deepStrictEqual(row.testTrials, 144);
    assert.ok(Number.isFinite(row.testLoss) && Number.isFinite(row.sem), row.model);
    // Equal trials per subject: the pooled NLL is the mean over subjects.
    assert.ok(Math.abs(row.testLoss - row.meanLoss) < 1e-12, row.model);
  }
  assert.deepStrictEqual(result.bestCognitive, "MB0");
  assert.deepStrictEqual(result.dimensionality.length, 3);
  for (const d of result.dimensionality) assert.ok([1, 2].includes(d.solo) && [1, 2].includes(d.student));
  const text = result.toString();
  assert.ok(text.includes("student-gru") && text.includes("teacher"));
  const bundle = (result as unknown as Record<symbol, () => Record<string, string>>)
    [Symbol.for("Jupyter.display")]();
  assert.ok(bundle["text/html"].includes("<table>"));
  assert.deepStrictEqual(result.perSubject().length, 3);
});

Deno.test("distill: no test block of any subject reaches the teacher (training, early stopping or predictions)", async () => {
  const { data } = population();
  const { factory, log } = fakeTeacher();
  const settings = resolveDistillOptions("test", { ...small, cognitive: [] });
  const plan = planDistill(data, settings);
  await distill(data, { ...small, cognitive: [], teacher: factory });
  assert.deepStrictEqual(log.trainings, 2);
  const tested = new Set(plan.folds.flatMap((f) => f.test.map((b) => data.blocks[b])));
  // Each block is an outer test block of one fold; a teacher of another fold may train on it, so check
  // per fold: the teacher of fold o saw none of fold o's test blocks.
  assert.ok(tested.size === data.blocks.length);
  for (const [o, fold] of plan.folds.entries()) {
    const test = new Set(fold.test.map((b) => data.blocks[b]));
    const split = plan.teacherSplits[o];
    for (const b of [...split.train, ...split.val]) {
      assert.ok(!test.has(data.blocks[b]), `fold ${o} block ${b}`);
    }
    // Every subject has train, val and test blocks in every fold.
    for (const s of plan.bySubject[o]) {
      assert.ok(s.test.length > 0 && s.inner[0].train.length > 0 && s.inner[0].val.length > 0);
    }
  }
  // Blocks shown to the teachers: the fake keeps the block objects; with 2 folds, the first teacher's
  // blocks come first in the log.
  const perFold = log.trained.length / 2;
  for (const [o, fold] of plan.folds.entries()) {
    const test = new Set(fold.test.map((b) => data.blocks[b]));
    for (const block of log.trained.slice(o * perFold, (o + 1) * perFold)) assert.ok(!test.has(block));
  }
  for (const block of log.predicted) {
    if (block.id?.toString().startsWith("augment/")) continue;
    // A real block is predicted only as an outer-train block of the fold being distilled.
    assert.ok(data.blocks.includes(block));
  }
  const predictedReal = log.predicted.filter((b) => data.blocks.includes(b));
  assert.deepStrictEqual(predictedReal.length, plan.folds.reduce((a, f) => a + f.trainval.length, 0));
});

Deno.test("distill: options are validated with did-you-mean; a subject with too few blocks is named", async () => {
  const { data } = population();
  await rejects(
    () => distill(data, { hiden: [1] } as never),
    TinyRnnInputError,
    'did you mean "hidden"',
  );
  await rejects(() => distill(data, { cell: "gur" }), TinyRnnInputError, 'did you mean "gru"');
  await rejects(() => distill(data, { cognitive: ["MB9"] }), TinyRnnInputError, "cognitive");
  await rejects(() => distill(data, { teacherProp: 2 }), TinyRnnInputError, "teacherProp must be <= 1");
  throws(
    () => planDistill(data, resolveDistillOptions("test", { outer: 3, inner: 3 })),
    TinyRnnInputError,
    'subject "s0" has 4 blocks',
  );
  const noSubject = {
    ...data,
    blocks: data.blocks.map((b, i) => (i === 2 ? { ...b, subject: undefined } : b)),
  };
  await rejects(() => distill(noSubject, small), TinyRnnInputError, "block 2 has no subject");
});

Deno.test("distill: a results folder resumes to the same summary; shards merge to it", async () => {
  const { data } = population();
  const options = { ...small, hidden: [1], cognitive: ["MB0"] };
  const one = await Deno.makeTempDir();
  const whole = await distill(data, { ...options, resultsDir: one, teacher: fakeTeacher().factory });
  const again = fakeTeacher();
  const resumed = await distill(data, { ...options, resultsDir: one, teacher: again.factory });
  assert.deepStrictEqual(again.log.trainings, 0); // every teacher read back
  assert.deepStrictEqual(resumed.toJSON(), whole.toJSON());
  const summary = JSON.parse(await Deno.readTextFile(`${one}/summary.json`));
  assert.deepStrictEqual(summary.rows.length, whole.rows.length);
  await rejects(
    () => distill(data, { ...options, hidden: [2], resultsDir: one, teacher: fakeTeacher().factory }),
    TinyRnnInputError,
    "other data or settings",
  );

  const sharded = await Deno.makeTempDir();
  for (const index of [1, 0]) {
    const part = await distill(data, {
      ...options,
      resultsDir: sharded,
      shard: { index, count: 2 },
      teacher: fakeTeacher().factory,
    });
    if (index === 1) assert.ok(part.missing.length > 0);
  }
  await rejects(
    () => mergeDistill(sharded, data, { ...options, hidden: [1, 2], teacher: fakeTeacher().factory }),
    TinyRnnInputError,
  );
  const merged = await mergeDistill(sharded, data, { ...options, teacher: fakeTeacher().factory });
  assert.deepStrictEqual(merged.toJSON(), whole.toJSON());
  await Deno.remove(one, { recursive: true });
  await Deno.remove(sharded, { recursive: true });
});

Deno.test("distill engine tfjs: solo and student networks on tfjs (float32) score as on the native engine", async () => {
  const { data } = population();
  const options = { ...small, hidden: [1], cognitive: [] };
  const native = await distill(data, { ...options, teacher: fakeTeacher().factory });
  const tfjs = await distill(data, { ...options, engine: "tfjs", teacher: fakeTeacher().factory });
  for (const model of ["solo-gru-1", "student-gru-1"]) {
    const a = native.model(model)!, b = tfjs.model(model)!;
    assert.ok(Math.abs(a.testLoss - b.testLoss) < 1e-4, `${model}: ${a.testLoss} vs ${b.testLoss}`);
  }
  throws(
    () => resolveDistillOptions("distill", { engine: "tfsj" } as never),
    TinyRnnInputError,
    'did you mean "tfjs"',
  );
});
