/**
 * The original's tutorial cross-validation (`tutorial_cv_reference.json`) as tinyrnn instance rows, shared by
 * the cv tests.
 */
import type { InstanceRow } from "../../src/cv/rows.ts";

const fixtures = new URL("../../../shared/fixtures/", import.meta.url);

/** `tutorial_cv_reference.json`, parsed. */
// deno-lint-ignore no-explicit-any
export const tutorial: any = JSON.parse(
  Deno.readTextFileSync(new URL("tutorial_cv_reference.json", fixtures)),
);

/** How a row's `id` is made: the original's model path, tinyrnn's instance id, or none. */
export type RowIds = "modelPath" | "tinyrnn" | "none";

/** The 24 reference instances as rows (losses, trial counts and accuracies of the original). */
export function tutorialRows(ids: RowIds = "tinyrnn"): InstanceRow[] {
  // deno-lint-ignore no-explicit-any
  return tutorial.per_model.map((m: any) => ({
    ...(ids === "modelPath" ? { id: m.model_path } : {}),
    ...(ids === "tinyrnn"
      ? { id: `gru-${m.hidden_dim}/l1-1e-05/outer${m.outer_fold}-inner${m.inner_fold}-seed${m.seed}` }
      : {}),
    model: `gru-${m.hidden_dim}`,
    kind: "rnn",
    cell: "gru",
    hidden: m.hidden_dim,
    l1: 1e-5,
    outer: m.outer_fold,
    inner: m.inner_fold,
    seed: m.seed,
    epochs: m.epochs,
    bestEpoch: m.best_epoch,
    trainLoss: m.train_loss,
    valLoss: m.val_loss,
    testLoss: m.test_loss,
    trainTrials: m.train_trials,
    valTrials: m.val_trials,
    testTrials: m.test_trials,
    trainAcc: m.train_acc,
    valAcc: m.val_acc,
    testAcc: m.test_acc,
  }));
}
