// Manual preview (not a test): deno run -A tests/plot/render_preview.ts OUT_DIR
import { portrait } from "../../src/plot/portrait.ts";
import { qLearner, simulateBandit, symmetricQLearner } from "../analysis/test_agents.ts";

const out = Deno.args[0] ?? "/tmp";
const mb0s = symmetricQLearner(0.5, 2);
portrait(mb0s, simulateBandit(mb0s, 100, 20, 1), { fittedLines: true }).save(`${out}/portrait_d1.png`);
const mb0 = qLearner(0.5, 2);
const data = simulateBandit(mb0, 100, 20, 2);
portrait(mb0, data).save(`${out}/portrait_d2_logit.png`);
const f = portrait(mb0, data, { kind: "vectorField" });
f.save(`${out}/portrait_d2_field.png`);
f.save(`${out}/portrait_d2_field.svg`);

import { modelComparison } from "../../src/plot/modelComparison.ts";
import { trainingCurves } from "../../src/plot/trainingCurves.ts";
import { sessionRaster } from "../../src/plot/sessionRaster.ts";
const reference = JSON.parse(Deno.readTextFileSync("../shared/fixtures/tutorial_cv_reference.json"));
const cog = JSON.parse(Deno.readTextFileSync("../shared/fixtures/cog_fit.json"));
const rows = reference.aggregate.map((r: Record<string, number>) => ({
  model: `gru-${r.hidden_dim}`,
  kind: "rnn",
  cell: "gru",
  hidden: r.hidden_dim,
  testLoss: r.test_loss,
  testAccuracy: r.test_acc,
  sem: r.test_loss_outer_sem,
  testLossOuterInnerSem: r.test_loss_outer_inner_sem,
}));
rows.push({
  model: "MB0",
  kind: "cognitive",
  cell: "MB0",
  hidden: 2,
  testLoss: cog.cv_MB0.aggregate.test_loss,
  testAccuracy: cog.cv_MB0.aggregate.test_acc,
  testLossOuterInnerSem: cog.cv_MB0.aggregate.test_loss_outer_inner_sem,
});
modelComparison(rows).save(`${out}/loss_vs_d.png`);
const trajectory = JSON.parse(Deno.readTextFileSync("../shared/fixtures/training_trajectory.json")).runs[1];
trainingCurves(
  { train: trajectory.train_loss_log, val: trajectory.val_loss_log, test: trajectory.test_loss_log },
  { bestEpoch: trajectory.best_epoch },
).save(`${out}/curves.png`);
sessionRaster(data.blocks[0], mb0).save(`${out}/raster.png`);
