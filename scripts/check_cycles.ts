/**
 * Import-cycle check for the project's own modules (`deno task lint:cycles`).
 *
 * Reads every `.ts` file under the given folders (default `src cli mod.ts`), follows their relative imports
 * (static `import`/`export ... from`, type-only imports included, and dynamic `import("./...")`, since a
 * cycle through a lazy import is still a tangle a reader must untangle), and prints every strongly connected
 * group of more than one module, or a module that imports itself. It then does the same for the folders of
 * `src/` (a subfolder counts as its top folder, so `engine/gru` is part of `engine`; a file directly in
 * `src/` is its own layer): the folders must form layers, each importing only folders below it, so a cycle
 * among folders (e.g. `analysis` -> `cv` -> `analysis`) is reported too. Exits 1 on any cycle, 0 otherwise.
 *
 * Usage: `deno run --allow-read scripts/check_cycles.ts [folder or file ...]`
 *
 * @module
 */

import { dirname, join, normalize, relative, resolve } from "node:path";

/** The relative module specifiers a TypeScript source imports, statically or dynamically. */
export function relativeImports(source: string): string[] {
  // Drop comments first so that an import in a doc example does not count.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;"'`]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
    /\bnew\s+URL\(\s*["'](\.{1,2}\/[^"']+\.ts)["']\s*,\s*import\.meta\.url/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]);
  return found;
}

/** All `.ts` files under `paths` (files are taken as they are). */
function listSources(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    const info = Deno.statSync(path);
    if (info.isFile) {
      if (path.endsWith(".ts")) out.push(normalize(path));
      return;
    }
    for (const entry of Deno.readDirSync(path)) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      walk(join(path, entry.name));
    }
  };
  for (const p of paths) walk(p);
  return out.sort();
}

/** The import graph of `files`: each file to the files (of the set) it imports. */
export function importGraph(files: string[], read: (file: string) => string): Map<string, string[]> {
  const known = new Set(files.map((f) => resolve(f)));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const from = resolve(file);
    const targets = relativeImports(read(file))
      .map((spec) => resolve(dirname(from), spec))
      .filter((target) => known.has(target));
    graph.set(from, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected groups with a cycle (Tarjan's algorithm, iterative), each sorted. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        const selfLoop = group.length === 1 && (graph.get(group[0]) ?? []).includes(group[0]);
        if (group.length > 1 || selfLoop) groups.push(group.sort());
      }
    }
  }
  return groups;
}

/**
 * The layer of a module: its top folder under `src/` (`src/engine/gru/fused.ts` -> `src/engine`), a file
 * directly in `src/` by itself, anything else (cli, mod.ts) by its own top folder or file.
 */
export function layerOf(file: string, cwd: string): string {
  const parts = relative(cwd, file).split("/");
  if (parts[0] === "src" && parts.length > 2) return `src/${parts[1]}`;
  if (parts.length > 1 && parts[0] !== "src") return parts[0];
  return parts.join("/");
}

/** The module graph folded onto layers (edges within a layer dropped). */
export function layerGraph(graph: Map<string, string[]>, cwd: string): Map<string, string[]> {
  const layers = new Map<string, Set<string>>();
  for (const [from, targets] of graph) {
    const a = layerOf(from, cwd);
    if (!layers.has(a)) layers.set(a, new Set());
    for (const to of targets) {
      const b = layerOf(to, cwd);
      if (b !== a) layers.get(a)!.add(b);
    }
  }
  return new Map([...layers].map(([k, v]) => [k, [...v].sort()]));
}

if (import.meta.main) {
  const roots = Deno.args.length > 0 ? Deno.args : ["src", "cli", "mod.ts"];
  const files = listSources(roots);
  const graph = importGraph(files, (f) => Deno.readTextFileSync(f));
  const found = cycles(graph);
  const cwd = Deno.cwd();
  let failed = false;
  if (found.length === 0) {
    console.log(`no import cycle among ${files.length} modules (${roots.join(", ")})`);
  } else {
    console.log(`${found.length} import cycle(s) among ${files.length} modules:`);
    for (const group of found) console.log(`  ${group.map((f) => relative(cwd, f)).join(" <-> ")}`);
    failed = true;
  }
  const layers = layerGraph(graph, cwd);
  const layerCycles = cycles(layers);
  if (layerCycles.length === 0) {
    console.log(`no cycle among ${layers.size} folders: they form layers`);
  } else {
    console.log(`${layerCycles.length} cycle(s) among folders (a folder imports one that imports it back):`);
    for (const group of layerCycles) {
      const edges = group.flatMap((a) =>
        (layers.get(a) ?? []).filter((b) => group.includes(b)).map((b) => `${a} -> ${b}`)
      );
      console.log(`  ${edges.join(", ")}`);
    }
    failed = true;
  }
  if (failed) Deno.exit(1);
}
