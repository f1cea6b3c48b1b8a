import assert from "node:assert/strict";
import { assertClose, readFixture, tutorialDataset, tutorialFold00 } from "./fixtures.ts";
import { datasetTensors } from "../../src/engine/batch.ts";
import type { TrainJob } from "../../src/engine/job.ts";
import { trainJob } from "../../src/engine/train.ts";
import { trainTfjs } from "../../src/engine/tfjs/train.ts";

const trajectory = readFixture("training_trajectory.json");
const params = readFixture("gru_parity.json");
const initOf = (hidden: number) =>
  params.cases.find((c: { hidden_dim: number; seed: number }) => c.hidden_dim === hidden && c.seed === 0)
    .init_params;

// The first epochs of the original trainer's run: a full run (1000+ epochs) would take minutes on tfjs' cpu
// backends, and float32 rounding then decides ties between nearly equal validation losses anyway.
// The cpu backend is the slowest: it checks fewer.
const EPOCHS = { wasm: 15, cpu: 6 };

for (const backend of ["wasm", "cpu"] as const) {
  const EPOCHS_RUN = EPOCHS[backend];
  Deno.test(`tfjs (${backend}) follows the original d=1 and d=2 runs to float32 tolerance (first ${EPOCHS_RUN} epochs)`, async () => {
    const tensors = datasetTensors(tutorialDataset(), "asr");
    const jobs: TrainJob[] = [1, 2].map((hidden) => ({
      hidden,
      init: initOf(hidden),
      ...tutorialFold00(),
      maxEpochs: EPOCHS_RUN - 1,
      patience: 200,
      testCurve: true,
    }));
    const results = await trainTfjs({ asr: tensors }, 2, jobs, { backend });
    results.forEach((r, k) => {
      const run = trajectory.runs.find((x: { hidden_dim: number }) => x.hidden_dim === jobs[k].hidden);
      const native = trainJob(tensors, 2, jobs[k]);
      assert.equal(r.engine?.name, "tfjs");
      assert.equal(r.engine?.backend, backend);
      assert.equal(r.epochs, EPOCHS_RUN);
      for (const curve of ["train", "val", "test"] as const) {
        const ours = r.curves[curve]!;
        assertClose(
          `d=${jobs[k].hidden} ${curve} vs original`,
          ours,
          run[`${curve}_loss_log`].slice(0, EPOCHS_RUN),
          1e-5,
          0,
        );
        assertClose(`d=${jobs[k].hidden} ${curve} vs native`, ours, native.curves[curve]!, 1e-5, 0);
      }
      assert.equal(r.bestEpoch, native.bestEpoch);
      assert.deepEqual([r.trainTrials, r.valTrials, r.testTrials], [3320, 3340, 3340]);
      assertClose(
        "best losses",
        [r.trainLoss, r.valLoss, r.testLoss],
        [
          native.trainLoss,
          native.valLoss,
          native.testLoss,
        ],
        1e-5,
        0,
      );
      assertClose(
        "best accuracies",
        [r.trainAccuracy, r.valAccuracy, r.testAccuracy],
        [
          native.trainAccuracy,
          native.valAccuracy,
          native.testAccuracy,
        ],
        0,
        1 / 3340,
      );
      assertClose("best weights", r.flatWeights, native.flatWeights, 1e-4, 1e-6);
    });
  });
}

Deno.test("tfjs stops early at the native engine's epoch (tutorial fold 0/0, 60 + 60 blocks, d=2, lr 0.05, patience 10)", async () => {
  const tensors = datasetTensors(tutorialDataset(), "asr");
  const fold = tutorialFold00();
  const job: TrainJob = {
    hidden: 2,
    init: initOf(2),
    train: fold.train.slice(0, 60),
    val: fold.val.slice(0, 60),
    test: fold.test.slice(0, 60),
    lr: 0.05,
    patience: 10,
    maxEpochs: 1000,
  };
  const native = trainJob(tensors, 2, job);
  const [r] = await trainTfjs({ asr: tensors }, 2, [job], { backend: "wasm" });
  assert.equal(native.stoppedEarly, true);
  assert.equal(r.stoppedEarly, true);
  assert.ok(
    Math.abs(r.bestEpoch - native.bestEpoch) <= 3,
    `best epoch ${r.bestEpoch} vs native ${native.bestEpoch}`,
  );
  assert.ok(Math.abs(r.epochs - native.epochs) <= 3, `epochs ${r.epochs} vs native ${native.epochs}`);
  assertClose("best test loss", [r.testLoss], [native.testLoss], 1e-4, 0);
});
