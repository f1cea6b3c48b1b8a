import assert from "node:assert/strict";
import { tutorialDataset } from "./fixtures.ts";
import { trainMany } from "../../src/engine/many.ts";
import type { TrainJob } from "../../src/engine/job.ts";
import { adamW, type Optimizer, type OptimizerSettings } from "../../src/engine/optimizer.ts";

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const jobs: TrainJob[] = [1, 2].map((hidden) => ({
  hidden,
  seed: 0,
  train: range(0, 30),
  val: range(30, 45),
  test: range(45, 60),
  maxEpochs: 30,
  patience: 5,
}));

Deno.test("the default optimiser is AdamW: passing adamW explicitly gives the same bits as in workers", async () => {
  const data = tutorialDataset();
  const byDefault = await trainMany(data, jobs, { workers: 2 });
  const explicit = await trainMany(data, jobs, { optimizer: adamW });
  for (let i = 0; i < jobs.length; i++) {
    assert.deepEqual(explicit[i].curves, byDefault[i].curves);
    assert.deepEqual(explicit[i].flatWeights, byDefault[i].flatWeights);
  }
});

Deno.test("a passed-in optimiser gets the job's settings and does the updates", async () => {
  const data = tutorialDataset();
  const seen: OptimizerSettings[] = [];
  let steps = 0;
  // Plain gradient descent: a different rule, so the curves must differ from AdamW's.
  const sgd = (_size: number, settings: OptimizerSettings): Optimizer => {
    seen.push(settings);
    return {
      step(w, g) {
        steps++;
        for (let i = 0; i < w.length; i++) w[i] -= settings.lr * g[i];
      },
    };
  };
  const [withSgd] = await trainMany(data, [{ ...jobs[0], lr: 0.05 }], { optimizer: sgd });
  const [withAdam] = await trainMany(data, [{ ...jobs[0], lr: 0.05 }], {});
  assert.equal(seen.length, 1);
  assert.equal(seen[0].lr, 0.05);
  assert.deepEqual(seen[0].betas, [0.9, 0.999]);
  assert.equal(steps, withSgd.epochs);
  assert.notDeepEqual(withSgd.curves.train, withAdam.curves.train);
  assert.equal(withSgd.curves.train[0], withAdam.curves.train[0]); // same initial weights
});
