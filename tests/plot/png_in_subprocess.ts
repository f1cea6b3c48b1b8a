/**
 * Makes the PNGs of `figure_test.ts` in a process of its own (`deno run`, arguments: an output folder).
 *
 * resvg is a native (Node-API) module whose buffers are freed by finalizers; Deno can run those finalizers
 * after the runtime is torn down at exit, which has aborted a whole test run once ("corrupted size vs.
 * prev_size"), after every test had passed. Loaded here, it never enters the test runner's process.
 */

import * as Plot from "@observablehq/plot";
import { plotFigure } from "../../src/plot/figure.ts";

const [dir] = Deno.args;
const figure = plotFigure({ marks: [Plot.dot([{ x: 1, y: 2 }, { x: 2, y: 1 }], { x: "x", y: "y" })] });
await Deno.writeFile(`${dir}/png.png`, await figure.png({ scale: 1 }));
await figure.save(`${dir}/f.svg`);
await figure.save(`${dir}/f.png`);
await Deno.writeTextFile(`${dir}/figure.svg`, figure.svg());
Deno.exit(0);
