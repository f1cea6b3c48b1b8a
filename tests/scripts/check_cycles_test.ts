import assert from "node:assert/strict";
import { cycles, importGraph, layerGraph, relativeImports } from "../../scripts/check_cycles.ts";

Deno.test("relativeImports: static, type-only, re-exports, dynamic and worker URLs; not comments", () => {
  const source = `
import { a } from "./a.ts";
import type { B } from "../b.ts";
export { c } from "./c.ts";
import "./side.ts";
const d = await import("./d.ts");
new Worker(new URL("./worker.ts", import.meta.url).href);
import { x } from "npm:thing";
// import { e } from "./e.ts";
/** @example import { f } from "./f.ts"; */
`;
  assert.deepEqual(relativeImports(source).sort(), [
    "../b.ts",
    "./a.ts",
    "./c.ts",
    "./d.ts",
    "./side.ts",
    "./worker.ts",
  ]);
});

Deno.test("a cycle of modules and a cycle of folders are found; a layered tree has none", () => {
  const cwd = "/p";
  const files: Record<string, string> = {
    "/p/src/a/one.ts": `import { t } from "./two.ts";`,
    "/p/src/a/two.ts": `import type { O } from "./one.ts"; import { x } from "../b/x.ts";`,
    "/p/src/b/x.ts": `export const x = 1;`,
  };
  const graph = importGraph(Object.keys(files), (f) => files[f]);
  assert.deepEqual(cycles(graph), [["/p/src/a/one.ts", "/p/src/a/two.ts"]]);
  assert.deepEqual(cycles(layerGraph(graph, cwd)), []);

  files["/p/src/b/x.ts"] = `import { o } from "../a/one.ts";`;
  files["/p/src/a/two.ts"] = `import { x } from "../b/x.ts";`;
  files["/p/src/a/one.ts"] = `export const o = 1;`;
  const folders = importGraph(Object.keys(files), (f) => files[f]);
  assert.deepEqual(cycles(folders), []); // no module cycle...
  assert.deepEqual(cycles(layerGraph(folders, cwd)), [["src/a", "src/b"]]); // ...but the folders import each other
});
