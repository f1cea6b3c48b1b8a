/**
 * Folder-level import graph of `src/` and `cli/`, checked against the layers of DEVELOPERS.md: a module may
 * import from its own folder and from lower layers, never from a higher one. Prints the graph (one line per
 * folder: the folders it imports) and each upward import found; exits 1 when there is one, or when a folder
 * or top-level file is in no layer (add it to `LAYERS` below and to the picture in DEVELOPERS.md).
 *
 * Run: `deno task lint:layers` (`deno run --allow-read scripts/layers.ts`).
 */

/** Bottom to top; the names on one row are one layer (none of them may import another of the row). */
const LAYERS: readonly (readonly string[])[] = [
  ["options.ts", "random.ts", "fast_math.ts", "special_functions.ts", "display_table.ts", "version.ts"],
  ["data"],
  ["tasks", "optim"],
  ["agents"],
  ["simulate.ts"],
  ["rnn"],
  ["engine"],
  ["analysis"],
  ["equations"],
  ["cv"],
  ["distill"],
  ["cluster", "plot"],
  ["report"],
  ["cli"],
];

const layerOf = new Map<string, number>();
LAYERS.forEach((row, i) => row.forEach((name) => layerOf.set(name, i)));

/** The folder (or top-level file) of `src/` a path belongs to; `cli` for the command line. */
function unit(path: string): string {
  const parts = path.split("/");
  if (parts[0] === "cli") return "cli";
  return parts[1];
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* tsFiles(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

/** `a/b/../c.ts` -> `a/c.ts`. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") out.pop();
    else if (part !== ".") out.push(part);
  }
  return out.join("/");
}

const IMPORT = /(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;
const graph = new Map<string, Set<string>>();
const problems: string[] = [];
for (const root of ["src", "cli"]) {
  for await (const file of tsFiles(root)) {
    const text = await Deno.readTextFile(file);
    const dir = file.slice(0, file.lastIndexOf("/"));
    for (const match of text.matchAll(IMPORT)) {
      const target = normalise(`${dir}/${match[1] ?? match[2]}`);
      const from = unit(file);
      const to = target === "mod.ts" ? "mod.ts" : unit(target);
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
      const lf = layerOf.get(from), lt = layerOf.get(to);
      if (lf === undefined || lt === undefined) {
        problems.push(`${file} -> ${target}: ${lf === undefined ? from : to} is in no layer`);
      } else if (lt >= lf) problems.push(`${file} -> ${target}: upward import (${from} -> ${to})`);
    }
  }
}
for (const [from, tos] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${from} -> ${[...tos].sort().join(" ")}`);
}
if (problems.length) {
  console.error(problems.join("\n"));
  Deno.exit(1);
}
console.log("no upward import between folders (src, cli)");
