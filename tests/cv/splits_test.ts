import assert from "node:assert/strict";
import {
  givenFolds,
  kFold,
  makeSplit,
  nestedFolds,
  nestedWithinGroupFolds,
  splitOverTrials,
  splitPart,
  withinGroupFolds,
} from "../../src/cv/splits.ts";
import { TinyRnnInputError } from "../../src/options.ts";

const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("../../../shared/fixtures/kfold_splits.json", import.meta.url)),
);

Deno.test("nestedFolds equals the original's folds for every setting of kfold_splits.json", () => {
  assert.equal(fixture.settings.length, 3);
  for (const setting of fixture.settings) {
    const folds = nestedFolds(setting.n_blocks, setting.outer_splits, setting.inner_splits);
    assert.equal(folds.length, setting.outer_folds.length);
    for (const [o, expected] of setting.outer_folds.entries()) {
      assert.equal(folds[o].outer, expected.outer_fold);
      assert.deepEqual(folds[o].test, expected.test);
      assert.deepEqual(folds[o].trainval, expected.trainval);
      assert.equal(folds[o].inner.length, expected.inner_folds.length);
      for (const [i, inner] of expected.inner_folds.entries()) {
        assert.equal(folds[o].inner[i].inner, inner.inner_fold);
        assert.deepEqual(folds[o].inner[i].train, inner.train, `setting ${setting.n_blocks} o${o} i${i}`);
        assert.deepEqual(folds[o].inner[i].val, inner.val);
      }
    }
  }
});

Deno.test("kFold: the tutorial sizes and a worked example of scikit-learn's KFold", () => {
  const folds = kFold(500, 3, { seed: 1 });
  assert.deepEqual(folds.map((f) => f.test.length), [167, 167, 166]);
  assert.deepEqual(folds[0].test.slice(0, 10), [4, 5, 6, 11, 13, 17, 18, 23, 29, 31]);
  const hundred = kFold(100, 10, { seed: 1 });
  assert.equal(hundred[0].test.length, 10);
  const inner = nestedFolds(100, 3, 2)[0];
  assert.deepEqual(inner.test.slice(0, 10), [2, 10, 17, 19, 27, 31, 32, 33, 35, 36]);
  assert.deepEqual(inner.inner[0].train.slice(0, 10), [0, 1, 4, 6, 7, 9, 11, 14, 15, 18]);
});

Deno.test("kFold without shuffling gives contiguous folds, first n % k one longer", () => {
  const folds = kFold(7, 3, { shuffle: false });
  assert.deepEqual(folds.map((f) => f.test), [[0, 1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(folds[1].train, [0, 1, 2, 5, 6]);
});

Deno.test("kFold rejects bad arguments with clear messages", () => {
  assert.throws(() => kFold(2, 3), /k must be <= n/);
  assert.throws(() => kFold(10, 1), /k must be >= 2/);
  assert.throws(() => kFold(10, 2, { sead: 1 } as never), /did you mean "seed"/);
});

Deno.test("nestedFolds options: singleInnerFold and trainvalFlip", () => {
  const plain = nestedFolds(48, 4, 3);
  const single = nestedFolds(48, 4, 3, { singleInnerFold: true });
  assert.deepEqual(single.map((f) => f.inner.length), [1, 1, 1, 1]);
  assert.deepEqual(single[2].inner[0], plain[2].inner[0]);
  const flipped = nestedFolds(48, 4, 3, { trainvalFlip: true });
  assert.deepEqual(flipped[1].inner[2].train, plain[1].inner[2].val);
  assert.deepEqual(flipped[1].inner[2].val, plain[1].inner[2].train);
});

Deno.test("givenFolds validates user folds and names the offending fold", () => {
  const single = givenFolds(10, { train: [3, 1, 0], val: [2, 4], test: [9, 8] });
  assert.deepEqual(single, [{
    outer: 0,
    test: [8, 9],
    trainval: [0, 1, 2, 3, 4],
    inner: [{ inner: 0, train: [0, 1, 3], val: [2, 4] }],
  }]);
  assert.throws(
    () =>
      givenFolds(10, [{ test: [1], inner: [{ train: [0, 2], val: [3] }] }, {
        test: [1],
        inner: [{ train: [1], val: [2] }],
      }]),
    (e: Error) =>
      e instanceof TinyRnnInputError && /outer fold 1/.test(e.message) &&
      /index 1 is in both/.test(e.message),
  );
  assert.throws(
    () => givenFolds(5, [{ test: [7], inner: [{ train: [0], val: [1] }] }]),
    /outer fold 0 test\[0\]/,
  );
  assert.throws(() => givenFolds(5, [{ test: [4], inner: [{ train: [0, 0], val: [1] }] }]), /twice/);
  assert.throws(
    () => givenFolds(5, [{ test: [4], trainval: [0, 1], inner: [{ train: [0], val: [2] }] }]),
    /index 2, which is not in trainval/,
  );
});

Deno.test("splitOverTrials: permutation of RandomState(seed), sorted chunks", () => {
  const [a, b, c] = splitOverTrials(200, [150, 25, 25], 0);
  assert.deepEqual([a.length, b.length, c.length], [150, 25, 25]);
  assert.deepEqual([...a, ...b, ...c].sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i));
  // numpy: np.random.seed(0); p = np.random.permutation(10); sorted(p[:3]) == [2, 4, 8], sorted(p[3:6]) == [1, 6, 9]
  assert.deepEqual(splitOverTrials(10, [3, 3], 0), [[2, 4, 8], [1, 6, 9]]);
});

Deno.test("makeSplit: block level parts and trial level masks", () => {
  const blocks = makeSplit(Array(500).fill(20), { outer: 3, inner: 2 });
  const test = splitPart(blocks, blocks.folds[0].test);
  assert.equal(test.blocks.length, 167);
  assert.equal(test.trials, 3340);
  assert.equal(test.mask, undefined);
  assert.deepEqual(blocks.folds, nestedFolds(500, 3, 2));

  const lengths = [3, 5, 2];
  const trials = makeSplit(lengths, { outer: 2, inner: 2, level: "trial" });
  assert.deepEqual(trials.folds, nestedFolds(10, 2, 2));
  for (const fold of trials.folds) {
    const parts = [fold.test, fold.inner[0].train, fold.inner[0].val].map((u) => splitPart(trials, u));
    const covered = lengths.map((l) => new Array(l).fill(0));
    for (const part of parts) {
      assert.equal(part.mask!.reduce((s, m) => s + m.reduce((a, b) => a + b, 0), 0), part.trials);
      part.blocks.forEach((b, i) => part.mask![i].forEach((m, t) => covered[b][t] += m));
    }
    assert.deepEqual(covered, lengths.map((l) => new Array(l).fill(1)));
  }
  assert.deepEqual(splitPart(trials, [0, 4, 9]), {
    blocks: [0, 1, 2],
    mask: [[1, 0, 0], [0, 1, 0, 0, 0], [0, 1]],
    trials: 3,
  });
});

Deno.test("makeSplit: defaults, user folds and option errors", () => {
  assert.equal(makeSplit(Array(100).fill(5)).folds.length, 10);
  assert.equal(makeSplit(Array(100).fill(5)).folds[0].inner.length, 9);
  const given = makeSplit([4, 4, 4, 4], { folds: { train: [0, 1], val: [2], test: [3] } });
  assert.equal(given.folds.length, 1);
  assert.throws(
    () => makeSplit([4, 4], { folds: { train: [0], val: [], test: [1] }, outer: 2 }),
    /cannot be combined/,
  );
  assert.throws(() => makeSplit([4, 4], { level: "trail" as never }), /did you mean "trial"/);
  assert.throws(() => makeSplit([4, 0]), /length of block 1/);
});

Deno.test("withinGroupFolds: each group split on its own, fold j = union of the groups' fold j", () => {
  const groups = [[0, 2, 4, 6, 8, 10], [1, 3, 5], [7, 9, 11, 12]];
  const folds = withinGroupFolds(groups, 3, { seed: 4 });
  assert.equal(folds.length, 3);
  const tested: number[] = [];
  for (const [j, { train, test }] of folds.entries()) {
    // Every subject has blocks both in training and in the test set of every fold.
    for (const [g, group] of groups.entries()) {
      const own = kFold(group.length, 3, { seed: 4 + g })[j].test.map((p) => group[p]);
      assert.deepEqual(test.filter((u) => group.includes(u)), own);
      assert.ok(train.some((u) => group.includes(u)));
    }
    assert.deepEqual([...train, ...test].sort((a, b) => a - b), Array.from({ length: 13 }, (_, i) => i));
    assert.deepEqual(test, test.slice().sort((a, b) => a - b));
    tested.push(...test);
  }
  assert.equal(new Set(tested).size, 13);
  // One group is plain k-fold over its units.
  assert.deepEqual(withinGroupFolds([[0, 1, 2, 3, 4]], 2, { seed: 1 }), kFold(5, 2, { seed: 1 }));
  assert.throws(() => withinGroupFolds([[0, 1, 2], [3]], 2), /group 1 has 1 units, fewer than the 2 folds/);
  assert.throws(() => withinGroupFolds([[0, 1], [1, 2]], 2), /a unit is in two groups/);
});

Deno.test("nestedWithinGroupFolds: inner folds split each group's train+validation blocks", () => {
  const groups = [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11, 12]];
  const folds = nestedWithinGroupFolds(groups, 3, 2);
  assert.deepEqual(folds.map((f) => f.test), withinGroupFolds(groups, 3, { seed: 1 }).map((f) => f.test));
  for (const fold of folds) {
    assert.equal(fold.inner.length, 2);
    for (const { train, val } of fold.inner) {
      assert.deepEqual([...train, ...val].sort((a, b) => a - b), fold.trainval);
      for (const group of groups) assert.ok(val.some((u) => group.includes(u)));
    }
  }
  const flipped = nestedWithinGroupFolds(groups, 3, 2, { trainvalFlip: true, singleInnerFold: true });
  assert.equal(flipped[0].inner.length, 1);
  assert.deepEqual(flipped[0].inner[0].train, folds[0].inner[0].val);
});
