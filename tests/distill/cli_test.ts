import assert from "node:assert/strict";
import { main } from "../../cli/main.ts";

async function run(args: string[]): Promise<{ status: number; text: string }> {
  const lines: string[] = [];
  const status = await main(args, { out: (t) => lines.push(t), err: (t) => lines.push(t) });
  return { status, text: lines.join("\n") };
}

Deno.test("deno task distill: help lists the flags of the options spec; bad flags and values are one-line errors", async () => {
  const help = await run(["distill", "--help"]);
  assert.equal(help.status, 0);
  for (const flag of ["--teacher-hidden", "--embedding", "--augment", "--shard i/N", "--merge", "--preset"]) {
    assert.ok(help.text.includes(flag), flag);
  }
  assert.ok(help.text.includes("(default 1,2,3,4)"));
  const typo = await run(["distill", "--data", "x.csv", "--out", "y", "--hiden", "1"]);
  assert.equal(typo.status, 1);
  assert.match(typo.text, /did you mean --hidden\?/);
  const noOut = await run(["distill", "--data", "x.csv"]);
  assert.equal(noOut.status, 1);
  assert.match(noOut.text, /--out DIR is required/);
  const shard = await run(["distill", "--data", "x.csv", "--out", "y", "--shard", "3/2"]);
  assert.equal(shard.status, 1);
  assert.match(shard.text, /--shard must be i\/N/);
});
