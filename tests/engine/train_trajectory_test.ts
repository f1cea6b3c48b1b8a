import assert from "node:assert/strict";
import { assertClose, readFixture, tutorialDataset, tutorialFold00 } from "./fixtures.ts";
import { datasetTensors } from "../../src/engine/batch.ts";
import { trainJob } from "../../src/engine/train.ts";

const trajectory = readFixture("training_trajectory.json");
const params = readFixture("gru_parity.json");

for (const run of trajectory.runs) {
  Deno.test(`training d=${run.hidden_dim} follows the original trainer's trajectory to the same stop`, () => {
    const data = tutorialDataset();
    const tensors = datasetTensors(data, "asr");
    const init = params.cases.find((c: { hidden_dim: number; seed: number }) =>
      c.hidden_dim === run.hidden_dim && c.seed === 0
    ).init_params;
    const result = trainJob(tensors, 2, {
      hidden: run.hidden_dim,
      init,
      l1: 1e-5,
      lr: 0.005,
      ...tutorialFold00(),
      maxEpochs: 10000,
      patience: 200,
      testCurve: true,
    });
    console.log(`d=${run.hidden_dim}: ${result.epochs} epochs in ${result.seconds.toFixed(2)} s`);
    assertClose(
      "val curve (first 500)",
      result.curves.val.slice(0, 500),
      run.val_loss_log.slice(0, 500),
      0,
      1e-9,
    );
    assertClose(
      "train curve (first 500)",
      result.curves.train.slice(0, 500),
      run.train_loss_log.slice(0, 500),
      0,
      1e-9,
    );
    assertClose(
      "test curve (first 500)",
      result.curves.test!.slice(0, 500),
      run.test_loss_log.slice(0, 500),
      0,
      1e-9,
    );
    assert.equal(result.epochs, run.epochs_run);
    assert.equal(result.bestEpoch, run.best_epoch);
    assert.equal(result.trainTrials, run.train_trials);
    assert.equal(result.valTrials, run.val_trials);
    assert.equal(result.testTrials, run.test_trials);
    assertClose("best train loss", [result.trainLoss], [run.best_train_loss], 0, 1e-6);
    assertClose("best val loss", [result.valLoss], [run.best_val_loss], 0, 1e-6);
    assertClose("best test loss", [result.testLoss], [run.best_test_loss], 0, 1e-6);
    let worst = 0;
    for (let e = 0; e < run.epochs_run; e++) {
      worst = Math.max(worst, Math.abs(result.curves.val[e] - run.val_loss_log[e]));
    }
    console.log(
      `d=${run.hidden_dim}: largest val-curve difference over all epochs ${worst.toExponential(2)}`,
    );
  });
}
