/**
 * The minimum permissions of each use of the package, as the README documents them: simulating and fitting
 * one model need none, fitting several at once `--allow-read` (the worker threads load their module), writing
 * an SVG only write access, and a PNG (the native resvg renderer, loaded on first use) `--allow-ffi
 * --allow-sys --allow-read` besides.
 */
import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);
const config = new URL("deno.json", root).pathname;
const mod = new URL("mod.ts", root).href;

const script = `
import { cognitive, fit, portrait, simulate, tasks } from "${mod}";
const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 10, trials: 10, seed: 1 });
const [what, out] = Deno.args;
if (what === "fitMany") {
  await fit(data, [{ hidden: 1, maxEpochs: 5 }, { hidden: 2, maxEpochs: 5 }]);
} else if (what !== "simulate") {
  const model = await fit(data, { hidden: 1, maxEpochs: 5 });
  const figure = portrait(model, data);
  if (out) await figure.save(out);
}
console.log("ok");
`;

async function runWith(flags: string[], args: string[]): Promise<{ ok: boolean; text: string }> {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/use.ts`;
  await Deno.writeTextFile(file, script);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--config",
      config,
      ...flags,
      file,
      ...args.map((a) => a.replace("DIR", dir)),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  await Deno.remove(dir, { recursive: true });
  return { ok: out.success && text.includes("ok"), text };
}

Deno.test("simulate and fit one model need no permission; several models in workers need read access", async () => {
  const sim = await runWith([], ["simulate"]);
  assert.ok(sim.ok, sim.text);
  const fitted = await runWith([], ["fit"]);
  assert.ok(fitted.ok, fitted.text);
  const manyWithout = await runWith([], ["fitMany"]);
  assert.ok(!manyWithout.ok);
  assert.match(manyWithout.text, /--allow-read/);
  const many = await runWith(["--allow-read"], ["fitMany"]);
  assert.ok(many.ok, many.text);
});

Deno.test("an SVG figure needs write access only; a PNG needs ffi, sys and read besides", async () => {
  const svg = await runWith(["--allow-write"], ["figure", "DIR/p.svg"]);
  assert.ok(svg.ok, svg.text);
  const pngWithout = await runWith(["--allow-write"], ["figure", "DIR/p.png"]);
  assert.ok(!pngWithout.ok);
  assert.match(pngWithout.text, /--allow-(sys|ffi|read)/);
  const png = await runWith(["--allow-write", "--allow-ffi", "--allow-sys", "--allow-read"], [
    "figure",
    "DIR/p.png",
  ]);
  assert.ok(png.ok, png.text);
});
