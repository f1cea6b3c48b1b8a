/**
 * A stand-in for `deno task fit` with the sharding contract (`--shard i/N`, `--merge`, `--allow-partial`,
 * `--out`), used by the Slurm integration test while the real command cannot shard, and to exercise the
 * Slurm mechanics in seconds. Each "instance" is a deterministic number written atomically to its own file.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string" },
    shard: { type: "string" },
    merge: { type: "boolean" },
    "allow-partial": { type: "boolean" },
    units: { type: "string", default: "12" },
    "delay-ms": { type: "string", default: "0" },
  },
  strict: true,
});

const out = values.out!;
const units = Number(values.units);
const delay = Number(values["delay-ms"]);
const unitsDir = join(out, "instances");
await Deno.mkdir(unitsDir, { recursive: true });
const unitPath = (j: number) => join(unitsDir, `unit-${j}.json`);

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function train(j: number): Promise<void> {
  if (await exists(unitPath(j))) return;
  await new Promise((resolve) => setTimeout(resolve, delay));
  const loss = 0.5 + 0.1 * Math.sin(j + 1);
  const tmp = `${unitPath(j)}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, JSON.stringify({ id: `unit-${j}`, loss }));
  await Deno.rename(tmp, unitPath(j));
}

async function merge(allowPartial: boolean): Promise<number> {
  const rows: { id: string; loss: number }[] = [];
  const missing: string[] = [];
  for (let j = 0; j < units; j++) {
    if (await exists(unitPath(j))) rows.push(JSON.parse(await Deno.readTextFile(unitPath(j))));
    else missing.push(`unit-${j}`);
  }
  if (missing.length > 0) console.error(`missing ${missing.length} of ${units}: ${missing.join(", ")}`);
  if (missing.length > 0 && !allowPartial) return 1;
  await Deno.writeTextFile(join(out, "summary.json"), JSON.stringify({ rows }, null, 2) + "\n");
  await Deno.writeTextFile(
    join(out, "summary.csv"),
    ["id,loss", ...rows.map((r) => `${r.id},${r.loss}`)].join("\n") + "\n",
  );
  return 0;
}

if (values.merge) Deno.exit(await merge(values["allow-partial"] ?? false));
const [i, n] = values.shard ? values.shard.split("/").map(Number) : [0, 1];
for (let j = 0; j < units; j++) if (j % n === i) await train(j);
if (!values.shard) Deno.exit(await merge(false));
