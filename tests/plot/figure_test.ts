import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { plotFigure } from "../../src/plot/figure.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { all, parseSvg, texts } from "./svg_helpers.ts";

const data = [{ x: 1, y: 2, c: "a" }, { x: 2, y: 1, c: "b" }];

Deno.test("Figure: a plain Plot svg becomes a standalone SVG with the namespace; Jupyter gets image/svg+xml", () => {
  const figure = plotFigure({ marks: [Plot.dot(data, { x: "x", y: "y" })] });
  const svg = figure.svg();
  assert.match(svg, /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(parseSvg(svg).tagName.toLowerCase(), "svg");
  const display = (figure as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")];
  assert.deepEqual(display.call(figure), { "image/svg+xml": svg });
});

Deno.test("Figure: a <figure> with title and swatch legend becomes one SVG holding the legend and the plot", () => {
  const figure = plotFigure({
    title: "Two dots",
    color: { legend: true, domain: ["a", "b"], range: ["tomato", "mediumblue"] },
    marks: [Plot.dot(data, { x: "x", y: "y", fill: "c" })],
  });
  const root = parseSvg(figure.svg());
  assert.equal(root.tagName.toLowerCase(), "svg");
  assert.equal(root.getAttribute("xmlns"), "http://www.w3.org/2000/svg");
  assert.ok(!figure.svg().includes("<div") && !figure.svg().includes("<span"), "no HTML left");
  const labels = texts(root);
  for (const label of ["Two dots", "a", "b"]) assert.ok(labels.includes(label), `text ${label}`);
  const swatches = all(root, "rect").map((r) => r.getAttribute("fill"));
  assert.ok(swatches.includes("tomato") && swatches.includes("mediumblue"));
  assert.equal(all(root, "circle").length, 2);
});

Deno.test("Figure: PNG through resvg, save by extension", async () => {
  // In a subprocess: see png_in_subprocess.ts for why the native renderer stays out of this process.
  const dir = Deno.makeTempDirSync();
  const script = new URL("./png_in_subprocess.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", "--allow-sys", "--allow-ffi", script, dir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const png = Deno.readFileSync(`${dir}/png.png`);
  assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
  assert.equal(width, 640);
  assert.equal(Deno.readTextFileSync(`${dir}/f.svg`), Deno.readTextFileSync(`${dir}/figure.svg`));
  assert.ok(Deno.statSync(`${dir}/f.png`).size > 1000);
  const figure = plotFigure({ marks: [Plot.dot(data, { x: "x", y: "y" })] });
  await assert.rejects(() => figure.save(`${dir}/f.pdf`), TinyRnnInputError);
  Deno.removeSync(dir, { recursive: true });
});
