import assert from "node:assert/strict";
import { makeSplit, nestedWithinGroupFolds } from "../../src/cv/splits.ts";
import { parseCsv } from "../../src/data/csv.ts";
import { subjectsOf } from "../../src/data/subjects.ts";

Deno.test("within-subject folds reach cross-validation today as user-given folds", () => {
  // 3 subjects x 4 blocks, interleaved in the file.
  const rows = ["block,subject,action,reward"];
  for (let b = 0; b < 12; b++) rows.push(`${b},s${b % 3},${b % 2},1`, `${b},s${b % 3},0,0`);
  const data = parseCsv(rows.join("\n") + "\n");
  const { subjects, blocks } = subjectsOf(data);
  assert.deepEqual(subjects, ["s0", "s1", "s2"]);
  const folds = nestedWithinGroupFolds(blocks, 4, 3);
  // The hook: givenFolds takes test, trainval and inner (train, val) only.
  const given = folds.map(({ test, trainval, inner }) => ({
    test,
    trainval,
    inner: inner.map(({ train, val }) => ({ train, val })),
  }));
  const split = makeSplit(data.blocks.map((b) => b.action.length), { folds: given });
  assert.equal(split.folds.length, 4);
  for (const fold of split.folds) {
    // Every outer test set and every inner validation set holds one block of each subject.
    assert.deepEqual(fold.test.map((b) => data.blocks[b].subject).sort(), ["s0", "s1", "s2"]);
    for (const { val } of fold.inner) {
      assert.deepEqual(val.map((b) => data.blocks[b].subject).sort(), ["s0", "s1", "s2"]);
    }
  }
});
