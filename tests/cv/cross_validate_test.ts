/**
 * crossValidate on small problems: results folder and in-memory runs agree, reruns train nothing, shards
 * cover every instance once and merge to the single run's bytes, settings and data are checked on resume,
 * trial-level splits, cognitive models in the same folds, option validation.
 */

import assert from "node:assert/strict";
import {
  crossValidate,
  type CrossValidateOptions,
  type CvProgress,
  mergeResults,
} from "../../src/cv/cross_validate.ts";
import { nestedFolds } from "../../src/cv/splits.ts";
import { listFinished, readInstance } from "../../src/cv/store.ts";
import { selectBlocks } from "../../src/data/dataset.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { readFixture, tutorialDataset } from "../engine/fixtures.ts";

/** The first 48 blocks of the tutorial data: the (48, 4, 3) setting of kfold_splits.json. */
const data = selectBlocks(tutorialDataset(), Array.from({ length: 48 }, (_, b) => b));
const SMALL: CrossValidateOptions = {
  hidden: [1, 2],
  l1: [1e-5],
  cognitive: ["MB0"],
  outer: 4,
  inner: 3,
  seeds: 1,
  maxEpochs: 15,
  patience: 5,
  workers: 2,
};
const PLANNED = 4 * 3 * 3; // folds × (gru-1, gru-2, MB0)

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "tinyrnn-cv-" });
}

async function fileStamps(dir: string): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  for (const id of await listFinished(dir)) {
    const path = `${dir}/instances/${id}.json`;
    stamps.set(id, `${(await Deno.stat(path)).mtime?.getTime()}:${await Deno.readTextFile(path)}`);
  }
  return stamps;
}

Deno.test("crossValidate: results folder = memory; instance files hold the original's folds; a rerun trains nothing", async () => {
  const dir = await tempDir();
  try {
    const reports: CvProgress[] = [];
    const summary = await crossValidate(data, {
      ...SMALL,
      resultsDir: dir,
      onProgress: (p) => reports.push(p),
    });
    assert.equal(summary.models.length, PLANNED);
    assert.deepEqual(summary.missing, []);
    assert.deepEqual(summary.aggregate.map((r) => r.model), ["gru-1", "gru-2", "MB0"]);
    assert.equal(summary.best.length, 3 * 4);
    assert.ok(summary.dimensionality.estimate === 1 || summary.dimensionality.estimate === 2);
    assert.equal(summary.dimensionality.cognitive[0].model, "MB0");
    // Every block is tested exactly once over the outer folds.
    for (const row of summary.aggregate) assert.equal(row.testTrials, 48 * 20);
    const last = reports.at(-1)!;
    assert.equal(last.done, PLANNED);
    assert.equal(last.total, PLANNED);
    assert.equal(last.etaMs, 0);
    assert.ok(reports.some((p) => /epoch \d+$/.test(p.current)) || reports.length > PLANNED);

    const memory = await crossValidate(data, SMALL);
    assert.equal(JSON.stringify(memory), JSON.stringify(summary));

    const setting = readFixture("kfold_splits.json").settings.find((s: { n_blocks: number }) =>
      s.n_blocks === 48
    );
    for (const outer of setting.outer_folds) {
      for (const inner of outer.inner_folds) {
        const record = await readInstance(
          dir,
          `gru-2/l1-1e-05/outer${outer.outer_fold}-inner${inner.inner_fold}-seed0`,
        );
        assert.deepEqual(record.folds.test, outer.test);
        assert.deepEqual(record.folds.train, inner.train);
        assert.deepEqual(record.folds.val, inner.val);
        assert.ok(record.weights && "rnn.weight_ih_l0" in record.weights);
        assert.equal(record.curves!.val!.length, record.row.epochs);
      }
    }
    const mb0 = await readInstance(dir, "MB0/outer0-inner0-seed0");
    assert.deepEqual(Object.keys(mb0.weights!), ["alpha", "iTemp"]);

    const before = await fileStamps(dir);
    const summaryText = await Deno.readTextFile(`${dir}/summary.json`);
    const again: CvProgress[] = [];
    const rerun = await crossValidate(data, { ...SMALL, resultsDir: dir, onProgress: (p) => again.push(p) });
    assert.equal(again[0].skipped, PLANNED);
    assert.ok(again.every((p) => p.done === PLANNED));
    assert.deepEqual(await fileStamps(dir), before);
    assert.equal(await Deno.readTextFile(`${dir}/summary.json`), summaryText);
    assert.equal(JSON.stringify(rerun), JSON.stringify(summary));
    assert.doesNotMatch(summaryText, /seconds|elapsed|\/tmp\//);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crossValidate: shards cover every instance once and merge to the single run's summary bytes", async () => {
  const single = await tempDir();
  const sharded = await tempDir();
  try {
    await crossValidate(data, { ...SMALL, resultsDir: single });
    const count = 3;
    const seen = new Set<string>();
    for (let index = 0; index < count; index++) {
      const before = new Set(await listFinished(sharded));
      const partial = await crossValidate(data, { ...SMALL, resultsDir: sharded, shard: { index, count } });
      const added = (await listFinished(sharded)).filter((id) => !before.has(id));
      assert.ok(added.length > 0, `shard ${index} trained nothing`);
      for (const id of added) {
        assert.ok(!seen.has(id), `${id} trained twice`);
        seen.add(id);
      }
      assert.equal(partial.missing.length, PLANNED - seen.size);
      await assert.rejects(Deno.stat(`${sharded}/summary.json`), Deno.errors.NotFound);
      if (index === 0) {
        await assert.rejects(
          mergeResults(sharded, SMALL),
          (e: Error) => e instanceof TinyRnnInputError && /instances are not finished/.test(e.message),
        );
        const gaps = await mergeResults(sharded, { ...SMALL, allowPartial: true });
        assert.equal(gaps.missing.length, PLANNED - seen.size);
        await Deno.remove(`${sharded}/summary.json`);
        await Deno.remove(`${sharded}/summary.csv`);
      }
    }
    assert.equal(seen.size, PLANNED);
    // A rerun of a finished shard trains nothing.
    const stamps = await fileStamps(sharded);
    const reports: CvProgress[] = [];
    await crossValidate(data, {
      ...SMALL,
      resultsDir: sharded,
      shard: { index: 1, count },
      onProgress: (p) => reports.push(p),
    });
    assert.equal(reports[0].skipped, reports[0].total);
    assert.deepEqual(await fileStamps(sharded), stamps);

    const merged = await mergeResults(sharded, SMALL);
    assert.deepEqual(merged.missing, []);
    for (const name of ["summary.json", "summary.csv"]) {
      assert.equal(
        await Deno.readTextFile(`${sharded}/${name}`),
        await Deno.readTextFile(`${single}/${name}`),
      );
    }
  } finally {
    await Deno.remove(single, { recursive: true });
    await Deno.remove(sharded, { recursive: true });
  }
});

Deno.test("crossValidate: a results folder of other settings or other data is refused", async () => {
  const dir = await tempDir();
  const options: CrossValidateOptions = { ...SMALL, cognitive: [], hidden: [1], maxEpochs: 3 };
  try {
    await crossValidate(data, { ...options, resultsDir: dir });
    await assert.rejects(
      crossValidate(data, { ...options, maxEpochs: 4, resultsDir: dir }),
      (e: Error) =>
        e instanceof TinyRnnInputError && /other settings \(maxEpochs 3, this run 4\)/.test(e.message),
    );
    const other = structuredClone(data);
    other.blocks[0].reward[0] = 1 - other.blocks[0].reward[0];
    other.blocks[0].trialType[0] = 2 * other.blocks[0].action[0] + other.blocks[0].reward[0];
    await assert.rejects(
      crossValidate(other, { ...options, resultsDir: dir }),
      (e: Error) => e instanceof TinyRnnInputError && /other data/.test(e.message),
    );
    await assert.rejects(
      mergeResults(dir, { ...options, lr: 0.01 }),
      (e: Error) =>
        e instanceof TinyRnnInputError && /other settings \(lr 0.005, this run 0.01\)/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crossValidate: trial-level splits score every trial exactly once in the outer test sets", async () => {
  const summary = await crossValidate(data, {
    hidden: [1],
    l1: [1e-5],
    cognitive: ["MB0"],
    outer: 3,
    inner: 2,
    seeds: 1,
    maxEpochs: 5,
    split: { level: "trial" },
  });
  for (const row of summary.aggregate) assert.equal(row.testTrials, 48 * 20);
  const folds = nestedFolds(48 * 20, 3, 2);
  for (const row of summary.models) {
    assert.equal(row.testTrials, folds[row.outer].test.length);
    assert.equal(row.trainTrials, folds[row.outer].inner[row.inner].train.length);
    assert.equal(row.valTrials, folds[row.outer].inner[row.inner].val.length);
  }
});

Deno.test("crossValidate: given initial weights are used, and a missing key is named", async () => {
  const init = readFixture("tutorial_init_weights.json").weights;
  const options: CrossValidateOptions = {
    hidden: [1],
    l1: [1e-5],
    outer: 2,
    inner: 2,
    seeds: 2,
    maxEpochs: 0,
  };
  const seeded = await crossValidate(data, options);
  const given = await crossValidate(data, { ...options, init });
  assert.notEqual(given.models[0].valLoss, seeded.models[0].valLoss);
  await assert.rejects(
    crossValidate(data, { ...options, init: { "gru-1-seed0": init["gru-1-seed0"] } }),
    /init has no weights for "gru-1-seed1"/,
  );
  await assert.rejects(
    crossValidate(data, { ...options, init: { ...init, "gru-1-seed0": { "rnn.weight_ih_l0": [[1]] } } }),
    (e: Error) => e instanceof TinyRnnInputError && /init "gru-1-seed0"/.test(e.message),
  );
});

Deno.test("crossValidate: options are validated with did-you-mean", async () => {
  await assert.rejects(
    crossValidate(data, { hiden: [1] } as CrossValidateOptions),
    /unknown option "hiden" \(did you mean "hidden"\?\)/,
  );
  await assert.rejects(
    crossValidate(data, { cells: ["gur"] }),
    /unknown cell "gur" \(did you mean "gru"\?\)/,
  );
  await assert.rejects(crossValidate(data, { cognitive: ["MBO"] }), /unknown cognitive model "MBO"/);
  await assert.rejects(crossValidate(data, { outer: 1 }), /outer must be >= 2/);
  await assert.rejects(crossValidate(data, { hidden: [1, 1] }), /hidden lists a value twice/);
  await assert.rejects(crossValidate(data, { cells: [], cognitive: [] }), /no models/);
  await assert.rejects(
    crossValidate(data, { hidden: [1], shard: { index: 3, count: 3 } }),
    /shard.index must be <= 2/,
  );
  await assert.rejects(
    crossValidate(data, { outer: 3, split: { folds: { train: [0], val: [1], test: [2] } } }),
    /"outer" cannot be combined with user-given split.folds/,
  );
});

Deno.test("crossValidate: user-given folds (a single split) train one instance per model and seed", async () => {
  const summary = await crossValidate(data, {
    hidden: [1],
    l1: [1e-5],
    seeds: 1,
    maxEpochs: 3,
    split: { folds: { train: [0, 1, 2, 3], val: [4, 5], test: [6, 7] } },
  });
  assert.equal(summary.models.length, 1);
  assert.equal(summary.models[0].trainTrials, 80);
  assert.equal(summary.models[0].testTrials, 40);
});
