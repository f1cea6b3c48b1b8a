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
