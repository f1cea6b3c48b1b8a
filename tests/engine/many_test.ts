import assert from "node:assert/strict";
import { tutorialDataset } from "./fixtures.ts";
import { trainMany, type TrainProgress } from "../../src/engine/many.ts";
import type { TrainJob } from "../../src/engine/job.ts";

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

Deno.test("trainMany gives identical results in workers and inline, in job order, with progress", async () => {
  const data = tutorialDataset();
  const jobs: TrainJob[] = [1, 2].flatMap((hidden) =>
    [0, 1].map((seed) => ({
      hidden,
      seed,
      train: range(0, 30),
      val: range(30, 45),
      test: range(45, 60),
      maxEpochs: 40 + 10 * seed,
      patience: 5,
    }))
  );
  const events: TrainProgress[] = [];
  const inWorkers = await trainMany(data, jobs, {
    workers: 2,
    onProgress: (p) => events.push(p),
    progressEvery: 10,
  });
  const inline = await trainMany(data, jobs, { workers: 0 });
  assert.equal(inWorkers.length, jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    assert.deepEqual(inWorkers[i].curves, inline[i].curves);
    assert.deepEqual(inWorkers[i].weights, inline[i].weights);
    assert.equal(inWorkers[i].testLoss, inline[i].testLoss);
    assert.equal(inWorkers[i].numParams, jobs[i].hidden === 1 ? 22 : 48);
  }
  assert.equal(events.filter((e) => e.done).length, jobs.length);
  assert.equal(events.at(-1)!.finished, jobs.length);
  assert.ok(events.some((e) => !e.done && e.epoch === 10));
});

Deno.test("trainMany reports a failing job by index", async () => {
  const data = tutorialDataset();
  await assert.rejects(
    trainMany(data, [
      { hidden: 1, train: [0], val: [1], test: [], maxEpochs: 1 },
      { hidden: 1, train: [0], val: [9999], test: [], maxEpochs: 1 },
    ], { workers: 2 }),
    /job 1.*out of range/,
  );
});
