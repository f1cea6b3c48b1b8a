/**
 * `deno task bench [name] [-- options]`: runs every benchmark in `bench/` (the files named `*_bench.ts`), one
 * after another in their own processes, or only the one named (`engine`, `engine_bench` or
 * `engine_bench.ts`). Options after the name go to that benchmark.
 *
 * @module
 */

const folder = new URL("./", import.meta.url);

/** Benchmark files of the folder, sorted. */
function benchFiles(): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    if (entry.isFile && entry.name.endsWith("_bench.ts")) names.push(entry.name);
  }
  return names.sort();
}

/** The file a name on the command line means, or undefined. */
function resolveName(name: string, files: string[]): string | undefined {
  const base = name.replace(/^bench\//, "").replace(/\.ts$/, "").replace(/_bench$/, "");
  return files.find((f) => f === `${base}_bench.ts`);
}

if (import.meta.main) {
  const files = benchFiles();
  const [first, ...rest] = Deno.args;
  let selected = files;
  let passThrough: string[] = [];
  if (first !== undefined && !first.startsWith("-")) {
    const file = resolveName(first, files);
    if (!file) {
      console.error(
        `no benchmark "${first}"; available: ${files.map((f) => f.replace(/_bench\.ts$/, "")).join(", ")}`,
      );
      Deno.exit(2);
    }
    selected = [file];
    passThrough = rest;
  }
  let failed = 0;
  for (const file of selected) {
    console.log(`\n=== bench/${file} ===`);
    const status = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(file, folder).pathname, ...passThrough],
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    if (!status.success) {
      console.error(`bench/${file} exited with ${status.code}`);
      failed++;
    }
  }
  Deno.exit(failed > 0 ? 1 : 0);
}
