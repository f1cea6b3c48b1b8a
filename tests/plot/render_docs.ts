// Renders the docs/ figures (not a test): deno run -A tests/plot/render_docs.ts [OUT_DIR=docs]
// Until the tutorial RNNs are trained, the d = 1 / d = 2 portraits use the cognitive models MB0s / MB0 with the
// parameters the original fitted on the tutorial data (cog_fit.json), and the loss-versus-d figure uses the
// reference aggregate rows of the tutorial cross-validation.
import { cognitive } from "../../src/agents/cognitive.ts";
import { loadCsv } from "../../src/data/csv.ts";
import { modelComparison } from "../../src/plot/modelComparison.ts";
import { portrait } from "../../src/plot/portrait.ts";
import { sessionRaster } from "../../src/plot/sessionRaster.ts";
import { trainingCurves } from "../../src/plot/trainingCurves.ts";

const out = Deno.args[0] ?? "docs";
const fixtures = new URL("../../../shared/fixtures/", import.meta.url).pathname;
const data = loadCsv(`${fixtures}tutorial_bandit.csv`);
for (const block of data.blocks) {
  const p0 = block.extra!.p0 as number[];
  const p1 = block.extra!.p1 as number[];
  block.schedule = { rewardProbs: p0.map((p, t) => [p, p1[t]]) };
}
const params = { alpha: 0.52646, iTemp: 2.06115 };
const mb0s = cognitive("MB0s", params);
const mb0 = cognitive("MB0", params);
portrait(mb0s, data, { fittedLines: true, title: "MB0s (d = 1)" }).save(`${out}/portrait_d1.png`);
portrait(mb0, data, { title: "MB0 (d = 2)" }).save(`${out}/portrait_d2.png`);
portrait(mb0, data, { kind: "vectorField", title: "MB0 vector field" }).save(`${out}/vector_field_d2.png`);

const reference = JSON.parse(Deno.readTextFileSync(`${fixtures}tutorial_cv_reference.json`));
const cog = JSON.parse(Deno.readTextFileSync(`${fixtures}cog_fit.json`)).cv_MB0.aggregate;
const rows = reference.aggregate.map((r: Record<string, number>) => ({
  model: `gru-${r.hidden_dim}`,
  kind: "rnn" as const,
  cell: "gru",
  hidden: r.hidden_dim,
  testLoss: r.test_loss,
  testAccuracy: r.test_acc,
  sem: r.test_loss_outer_sem,
  testLossOuterInnerSem: r.test_loss_outer_inner_sem,
}));
rows.push({
  model: "MB0",
  kind: "cognitive" as const,
  cell: "MB0",
  hidden: 2,
  testLoss: cog.test_loss,
  testAccuracy: cog.test_acc,
  sem: cog.test_loss_outer_sem,
  testLossOuterInnerSem: cog.test_loss_outer_inner_sem,
});
modelComparison(rows, { title: "Tutorial: test NLL vs d" }).save(`${out}/loss_vs_d.png`);
const run = JSON.parse(Deno.readTextFileSync(`${fixtures}training_trajectory.json`)).runs[1];
trainingCurves(
  { train: run.train_loss_log, val: run.val_loss_log, test: run.test_loss_log },
  { bestEpoch: run.best_epoch, title: "GRU d = 2, outer 0 / inner 0" },
).save(`${out}/training_curves.png`);
sessionRaster(data.blocks[0], mb0, { title: "Block 0 with MB0's P(A1)" }).save(`${out}/session_raster.png`);
