/** The embedded tutorial: its data set and its cross-validation settings. */

import assert from "node:assert/strict";
import { TUTORIAL_CV_OPTIONS, tutorialData } from "../../src/cv/tutorial.ts";
import { dataFingerprint } from "../../src/cv/instances.ts";

Deno.test("tutorialData: 500 blocks of 20 bandit trials, the same every call; the tutorial's CV settings", () => {
  const data = tutorialData();
  assert.equal(data.kind, "bandit");
  assert.equal(data.blocks.length, 500);
  assert.ok(data.blocks.every((b) => b.action.length === 20));
  assert.equal(dataFingerprint(tutorialData()), dataFingerprint(data));
  assert.deepEqual({ ...TUTORIAL_CV_OPTIONS }, {
    hidden: [1, 2],
    l1: [1e-5],
    outer: 3,
    inner: 2,
    seeds: 2,
    maxEpochs: 10000,
  });
});
