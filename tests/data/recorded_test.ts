/** The simulation's recorded columns: toCsv/saveCsv write them as `deno task simulate` does (issue 17, item 3). */

import assert from "node:assert/strict";
import { cognitive, parseCsv, simulate, tasks, toCsv, withRecordedColumns } from "../../mod.ts";
import { runCli } from "../cli/tiny_results.ts";

Deno.test("toCsv writes p0, p1 and p_action0 of simulated data; recorded: false leaves them out", () => {
  const agent = cognitive("MF", { alpha: 0.5, iTemp: 2 });
  const data = simulate(agent, tasks.bandit(), { blocks: 2, trials: 5, seed: 1 });
  const text = toCsv(data);
  assert.equal(text.split("\n")[0], "block,trial,action,state,reward,p0,p1,p_action0");
  const back = parseCsv(text);
  assert.deepEqual(back.blocks[1].extra!.p0, data.blocks[1].schedule!.rewardProbs.map((row) => row[0]));
  assert.deepEqual(back.blocks[0].extra!.p_action0, data.blocks[0].choiceProbs!.map((row) => row[0]));
  assert.equal(toCsv(data, { recorded: false }).split("\n")[0], "block,trial,action,state,reward");
  // Written once more from what was read back: the same text (the columns are now plain extras).
  assert.equal(toCsv(back), text);
  assert.equal(data.blocks[0].extra, undefined, "the input is left unchanged");
});

Deno.test("two-stage data records p_common; data without a schedule keeps its blocks", () => {
  const agent = cognitive("MB0", { alpha: 0.3, iTemp: 4 }, { task: "twoStage" });
  const data = simulate(agent, tasks.twoStage(), { blocks: 1, trials: 4, seed: 2 });
  assert.deepEqual(
    Object.keys(withRecordedColumns(data).blocks[0].extra!),
    ["p0", "p1", "p_common", "p_action0"].filter(
      (name) => name !== "p_common" || data.blocks[0].schedule?.transitionProbs !== undefined,
    ),
  );
  const plain = parseCsv("block,trial,action,reward\n0,0,1,1\n0,1,0,0\n");
  assert.equal(withRecordedColumns(plain).blocks[0], plain.blocks[0]);
});

Deno.test("the library's CSV equals the CLI's, with and without --no-probs", async () => {
  const agent = cognitive("MB0", { alpha: 0.5, iTemp: 2 });
  const data = simulate(agent, tasks.bandit(), { blocks: 3, trials: 6, seed: 7 });
  const base = ["simulate", "--agent", "MB0", "--alpha", "0.5", "--iTemp", "2", "--task", "bandit"];
  const sizes = ["--blocks", "3", "--trials", "6", "--seed", "7", "-q"];
  const cli = await runCli(...base, ...sizes);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout, toCsv(data));
  const noProbs = await runCli(...base, ...sizes, "--no-probs");
  assert.equal(noProbs.code, 0, noProbs.stderr);
  assert.equal(noProbs.stdout, toCsv(data, { recorded: false }));
});
