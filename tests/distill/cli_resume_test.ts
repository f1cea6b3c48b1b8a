import assert from "node:assert/strict";
import { saveCsv } from "../../src/data/csv.ts";
import { simulatePopulation } from "../../src/distill/population.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;

function command(data: string, out: string): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      MAIN,
      "distill",
      "--data",
      data,
      "--out",
      out,
      "--hidden",
      "1,2",
      "--outer",
      "2",
      "--inner",
      "2",
      "--seeds",
      "1",
      "--max-epochs",
      "40",
      "--patience",
      "10",
      "--teacher-hidden",
      "4",
      "--embedding",
      "2",
      "--augment",
      "1",
      "--cognitive",
      "MB0",
      "--workers",
      "1",
      "-q",
    ],
    stdout: "piped",
    stderr: "piped",
  });
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  const walk = async (d: string) => {
    try {
      for await (const entry of Deno.readDir(d)) {
        if (entry.isDirectory) await walk(`${d}/${entry.name}`);
        else if (entry.name.endsWith(".json") && !entry.name.startsWith(".")) n++;
      }
    } catch { /* not there yet */ }
  };
  await walk(dir);
  return n;
}

Deno.test("deno task distill: killed with SIGKILL mid-run, the same command resumes to the summary of an uninterrupted run", async () => {
  const dir = await Deno.makeTempDir();
  const data = `${dir}/population.csv`;
  await saveCsv(simulatePopulation({ subjects: 3, blocks: 4, trials: 12, seed: 5 }).data, data);

  const whole = await command(data, `${dir}/whole`).output();
  assert.equal(whole.code, 0, new TextDecoder().decode(whole.stderr));

  const child = command(data, `${dir}/killed`).spawn();
  const deadline = Date.now() + 60_000;
  while ((await countFiles(`${dir}/killed/instances`)) < 6 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGKILL");
  const status = await child.output();
  const killedAt = await countFiles(`${dir}/killed/instances`);
  // It was killed before the end: no summary yet (or, on a very fast machine, finished anyway).
  const finishedAnyway = await Deno.stat(`${dir}/killed/summary.json`).then(() => true, () => false);
  assert.ok(status.signal === "SIGKILL" || finishedAnyway);
  assert.ok(killedAt >= 6);

  const resumed = await command(data, `${dir}/killed`).output();
  assert.equal(resumed.code, 0, new TextDecoder().decode(resumed.stderr));
  const a = JSON.parse(await Deno.readTextFile(`${dir}/whole/summary.json`));
  const b = JSON.parse(await Deno.readTextFile(`${dir}/killed/summary.json`));
  assert.deepStrictEqual(b, a);
  assert.ok(a.rows.some((r: { kind: string }) => r.kind === "student"));
  assert.ok(a.rows.some((r: { kind: string }) => r.kind === "teacher"));
  await Deno.remove(dir, { recursive: true });
});
