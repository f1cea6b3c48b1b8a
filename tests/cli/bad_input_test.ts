/**
 * Issue #16, table-driven: every bad input to the command line is one line on stderr naming the problem,
 * exit status 1, before any work; never an internal error (exit 2), a crash, a path outside `--out`, or a
 * silent acceptance. Each row runs `main` in process with a fake console; rows that need files make them in a
 * temporary folder. No row trains more than the shared tiny results folder (`tiny_results.ts`) did.
 */

import assert from "node:assert/strict";
import { main } from "../../cli/main.ts";
import { copyTree, tinyResults } from "./tiny_results.ts";

interface Context {
  /** A fresh temporary folder for this row. */
  dir: string;
  /** Write a tidy CSV built from {@link baseLines} after `edit` (1-based file lines: lines[0] is the header). */
  csv: (name: string, edit?: (lines: string[]) => void) => Promise<string>;
  /** Write raw bytes. */
  bytes: (name: string, data: Uint8Array) => Promise<string>;
  /** A copy of the tiny results folder, altered by `edit`. */
  results: (edit?: (dir: string) => Promise<void>) => Promise<string>;
}

interface Case {
  name: string;
  args: (ctx: Context) => string[] | Promise<string[]>;
  /** Patterns the one-line message must match. */
  message: RegExp[];
  /** Default 1. */
  code?: number;
  /** Called after the run, e.g. to check that nothing escaped. */
  after?: (ctx: Context) => Promise<void>;
}

/** Four bandit blocks of ten trials: block, trial, action, state (= action), reward. */
function baseLines(): string[] {
  const lines = ["block,trial,action,state,reward"];
  for (let b = 0; b < 4; b++) {
    for (let t = 0; t < 10; t++) {
      const action = (b + t * 7) % 3 === 0 ? 1 : 0;
      lines.push(`${b},${t},${action},${action},${(b * 3 + t) % 2}`);
    }
  }
  return lines;
}

/** Set field `column` (0-based) of file line `line` (1-based). */
function setField(lines: string[], line: number, column: number, value: string): void {
  const fields = lines[line - 1].split(",");
  fields[column] = value;
  lines[line - 1] = fields.join(",");
}

const FIT = ["fit", "--hidden", "1", "--l1", "1e-5", "--max-epochs", "1", "--seeds", "1", "--quiet"];
const fitData = (path: string, ...more: string[]) => [...FIT, "--data", path, ...more];

async function editJson(path: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await Deno.readTextFile(path));
  edit(value);
  await Deno.writeTextFile(path, JSON.stringify(value));
}

async function firstInstance(dir: string): Promise<string> {
  const folder = `${dir}/instances/gru-1/l1-1e-05`;
  for await (const entry of Deno.readDir(folder)) {
    if (entry.isFile && entry.name.endsWith(".json") && entry.name.startsWith("outer0")) {
      return `${folder}/${entry.name}`;
    }
  }
  throw new Error("no instance file");
}

const CASES: Case[] = [
  // ---- flags -----------------------------------------------------------------------------------------
  {
    name: "unknown command",
    args: () => ["fti"],
    message: [/unknown command "fti" \(did you mean "fit"\?\)/],
  },
  {
    name: "flags before the command",
    args: () => ["--data", "x"],
    message: [/expected a command before flags/],
  },
  { name: "unknown flag", args: () => ["fit", "--hiden", "1"], message: [/unknown flag --hiden.*--hidden/] },
  { name: "stray positional", args: () => ["fit", "data.csv"], message: [/unexpected argument "data.csv"/] },
  { name: "switch given a value", args: () => ["fit", "--quiet=yes"], message: [/--quiet is a switch/] },
  { name: "value missing at the end", args: () => ["fit", "--data"], message: [/--data needs a value/] },
  { name: "--hidden -1", args: () => ["fit", "--hidden", "-1"], message: [/--hidden must be >= 1, got -1/] },
  { name: "--hidden 0", args: () => ["fit", "--hidden", "0"], message: [/--hidden must be >= 1/] },
  { name: "--hidden 1.5", args: () => ["fit", "--hidden", "1.5"], message: [/--hidden must be an integer/] },
  {
    name: "--hidden 100000",
    args: () => ["fit", "--hidden", "100000"],
    message: [/--hidden must be <= 1024/],
  },
  {
    name: "--hidden 1,,2",
    args: () => ["fit", "--hidden", "1,,2"],
    message: [/--hidden must be a comma-separated list/],
  },
  {
    name: "--hidden -1,2",
    args: () => ["fit", "--hidden", "-1,2"],
    message: [/--hidden must be >= 1, got -1/],
  },
  { name: "--l1 -1", args: () => ["fit", "--l1", "-1"], message: [/l1\[0\] must be >= 0, got -1/] },
  { name: "--l1 x", args: () => ["fit", "--l1", "x"], message: [/--l1 must be comma-separated numbers/] },
  { name: "--l1 -1e-5", args: () => ["fit", "--l1", "-1e-5"], message: [/l1\[0\] must be >= 0/] },
  { name: "--lr 0", args: () => ["fit", "--lr", "0"], message: [/lr must be > 0/] },
  { name: "--lr -1", args: () => ["fit", "--lr", "-1"], message: [/--lr must be >= 0, got -1/] },
  { name: "--lr inf", args: () => ["fit", "--lr", "inf"], message: [/--lr must be a number, got "inf"/] },
  {
    name: "--max-epochs -1",
    args: () => ["fit", "--max-epochs", "-1"],
    message: [/--max-epochs must be >= 0/],
  },
  {
    name: "--max-epochs 2.5",
    args: () => ["fit", "--max-epochs", "2.5"],
    message: [/--max-epochs must be an integer/],
  },
  { name: "--patience -1", args: () => ["fit", "--patience", "-1"], message: [/--patience must be >= 0/] },
  { name: "--workers -1", args: () => ["fit", "--workers", "-1"], message: [/--workers must be >= 0/] },
  { name: "--seeds 0", args: () => ["fit", "--seeds", "0"], message: [/--seeds must be >= 1/] },
  { name: "--outer 1", args: () => ["fit", "--outer", "1"], message: [/--outer must be >= 2/] },
  { name: "--inner -3", args: () => ["fit", "--inner", "-3"], message: [/--inner must be >= 2, got -3/] },
  {
    name: "--shard 2/2",
    args: () => ["fit", "--shard", "2/2", "--out", "x"],
    message: [/--shard must be i\/N/],
  },
  { name: "--shard without --out", args: () => ["fit", "--shard", "0/2"], message: [/--shard needs --out/] },
  { name: "--merge without --out", args: () => ["fit", "--merge"], message: [/--merge needs --out/] },
  {
    name: "--merge with --shard",
    args: () => ["fit", "--merge", "--shard", "0/2", "--out", "x"],
    message: [/--merge and --shard exclude each other/],
  },
  {
    name: "--allow-partial alone",
    args: () => ["fit", "--allow-partial"],
    message: [/only applies with --merge/],
  },
  {
    name: "--data given twice",
    args: () => ["fit", "--data", "a", "--data", "b"],
    message: [/--data given twice/],
  },
  {
    name: "--hidden given twice",
    args: () => ["fit", "--hidden", "1", "--hidden", "2"],
    message: [/--hidden given twice/],
  },
  {
    name: "--no-rnn with --cell",
    args: () => ["fit", "--no-rnn", "--cell", "gru"],
    message: [/--no-rnn excludes --cell/],
  },
  {
    name: "--no-rnn with --hidden",
    args: () => ["fit", "--no-rnn", "--hidden", "2"],
    message: [/--no-rnn excludes --hidden/],
  },
  {
    name: "unknown cell",
    args: () => ["fit", "--cell", "gur"],
    message: [/unknown cell "gur" \(did you mean "gru"\?\)/],
  },
  {
    name: "unknown cognitive model",
    args: () => ["fit", "--cognitive", "MBX"],
    message: [/unknown cognitive model "MBX"/],
  },
  {
    name: "--engine gpu",
    args: () => ["fit", "--engine", "gpu"],
    message: [/--engine must be one of native, tfjs, auto/],
  },
  {
    name: "--level sample",
    args: () => ["fit", "--level", "sample"],
    message: [/--level must be block or trial/],
  },
  {
    name: "--dim-test foo",
    args: () => ["fit", "--dim-test", "foo"],
    message: [/--dim-test must be ttest or mean/],
  },
  {
    name: "--single with --outer",
    args: () => ["fit", "--single", "--outer", "3"],
    message: [/--outer does not apply with --single/],
  },
  {
    name: "--kind bogus",
    args: () => ["fit", "--data", "x.csv", "--kind", "bogus"],
    message: [/--kind must be bandit or twoStage/],
  },
  {
    name: "--columns bad",
    args: () => ["fit", "--data", "x.csv", "--columns", "acton=choice"],
    message: [/--columns: unknown column "acton"/],
  },
  {
    name: "--init missing file",
    args: () => ["fit", "--init", "/nonexistent/init.json"],
    message: [/--init: no file/],
  },
  {
    name: "simulate --seed -1",
    args: () => ["simulate", "--agent", "MB0", "--seed", "-1"],
    message: [/--seed must be >= 0, got -1/],
  },
  {
    name: "simulate --seed 1.5",
    args: () => ["simulate", "--agent", "MB0", "--seed", "1.5"],
    message: [/--seed must be an integer/],
  },
  {
    name: "simulate --blocks 0",
    args: () => ["simulate", "--agent", "MB0", "--blocks", "0"],
    message: [/--blocks must be >= 1/],
  },
  {
    name: "simulate --trials -5",
    args: () => ["simulate", "--agent", "MB0", "--trials", "-5"],
    message: [/--trials must be >= 1, got -5/],
  },
  { name: "simulate no --agent", args: () => ["simulate"], message: [/--agent is required/] },
  {
    name: "simulate --format xml",
    args: () => ["simulate", "--agent", "MB0", "--format", "xml"],
    message: [/--format must be csv or json/],
  },

  // ---- output locations ------------------------------------------------------------------------------
  { name: "fit --out /proc/x", args: () => ["fit", "--out", "/proc/x/y"], message: [/--out.*\/proc\/x/] },
  {
    name: "fit --out /dev/null",
    args: () => ["fit", "--out", "/dev/null"],
    message: [/\/dev\/null is a device/],
  },
  {
    name: "fit --out an existing file",
    args: async ({ dir }) => {
      await Deno.writeTextFile(`${dir}/file`, "x");
      return ["fit", "--out", `${dir}/file`];
    },
    message: [/\/file is a file, not a folder/],
  },
  {
    name: "simulate --out /proc/x/data.csv",
    args: () => ["simulate", "--agent", "MB0", "--out", "/proc/x/data.csv"],
    message: [/cannot write \/proc\/x/],
  },
  {
    name: "simulate --out a folder",
    args: ({ dir }) => ["simulate", "--agent", "MB0", "--out", dir],
    message: [/--out .* is a folder/],
  },

  // ---- CSV contents ----------------------------------------------------------------------------------
  {
    name: "no such data file",
    args: () => fitData("/nonexistent/data.csv"),
    message: [/\/nonexistent\/data\.csv/],
  },
  {
    name: "data is a folder",
    args: ({ dir }) => fitData(dir),
    message: [/holds none of the Bartolo session files/],
  },
  {
    name: "CSV without an action column",
    args: ({ csv }) =>
      csv("a.csv", (l) => {
        for (let i = 0; i < l.length; i++) l[i] = l[i].split(",").filter((_, c) => c !== 2).join(",");
      }).then((p) => fitData(p)),
    message: [/a\.csv line 1: no column "action"/],
  },
  {
    name: "CSV with a misspelt reward column",
    args: ({ csv }) => csv("a.csv", (l) => (l[0] = l[0].replace("reward", "rewrd"))).then((p) => fitData(p)),
    message: [/no column "reward" \(did you mean "rewrd"\?\)/],
  },
  {
    name: "CSV action not a number",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 5, 2, "x")).then((p) => fitData(p)),
    message: [/a\.csv line 5, column "action": expected a number, got "x"/],
  },
  {
    name: "CSV action out of range",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 6, 2, "3")).then((p) => fitData(p)),
    message: [/a\.csv line 6, column "action"/, /3/],
  },
  {
    name: "CSV reward 0.5",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 7, 4, "0.5")).then((p) => fitData(p)),
    message: [/line 7, column "reward": expected 0 or 1, got "0\.5"/],
  },
  {
    name: "CSV reward -1",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 7, 4, "-1")).then((p) => fitData(p)),
    message: [/line 7, column "reward".*recode -1\/\+1/],
  },
  {
    name: "CSV reward inf",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 8, 4, "inf")).then((p) => fitData(p)),
    message: [/line 8, column "reward"/],
  },
  {
    name: "CSV empty cell",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 4, 2, "")).then((p) => fitData(p)),
    message: [/line 4, column "action": missing value/],
  },
  {
    name: "CSV row with too few fields",
    args: ({ csv }) => csv("a.csv", (l) => (l[9] = "0,8,1")).then((p) => fitData(p)),
    message: [/a\.csv line 10: expected 5 fields \(as in the header\), got 3/],
  },
  {
    name: "CSV bad last line",
    args: ({ csv }) => csv("a.csv", (l) => l.push("3,10,1,1")).then((p) => fitData(p)),
    message: [/a\.csv line 42: expected 5 fields/],
  },
  {
    name: "CSV unclosed quote",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 3, 0, '"0')).then((p) => fitData(p)),
    message: [/line 3: a quoted field is never closed/],
  },
  {
    name: "CSV text after a closing quote",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 3, 0, '"0"x')).then((p) => fitData(p)),
    message: [/line 3: unexpected text after a closing quote/],
  },
  {
    name: "CSV block not contiguous",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 15, 0, "0")).then((p) => fitData(p)),
    message: [/line 15, column "block": block 0 appears again/],
  },
  {
    name: "CSV trial twice in a block",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 4, 1, "0")).then((p) => fitData(p)),
    message: [/column "trial": trial 0 appears twice/],
  },
  {
    name: "CSV fractional trial",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 4, 1, "1.5")).then((p) => fitData(p)),
    message: [/line 4, column "trial": expected an integer/],
  },
  {
    name: "CSV NaN block label",
    args: ({ csv }) => csv("a.csv", (l) => setField(l, 2, 0, "nan")).then((p) => fitData(p)),
    message: [/line 2, column "block": a block label cannot be NaN/],
  },
  {
    name: "CSV duplicate column",
    args: ({ csv }) =>
      csv("a.csv", (l) => (l[0] = "block,trial,action,action,reward")).then((p) => fitData(p)),
    message: [/line 1: column "action" appears twice/],
  },
  {
    name: "CSV header column without a name",
    args: ({ csv }) => csv("a.csv", (l) => (l[0] = "block,trial,action,,reward")).then((p) => fitData(p)),
    message: [/line 1: column 4 of the header has no name/],
  },
  {
    name: "CSV header only",
    args: ({ csv }) => csv("a.csv", (l) => l.splice(1)).then((p) => fitData(p)),
    message: [/a\.csv has a header but no rows/],
  },
  {
    name: "CSV empty file",
    args: ({ bytes }) => bytes("a.csv", new Uint8Array()).then((p) => fitData(p)),
    message: [/a\.csv is empty/],
  },
  {
    name: "binary file",
    args: ({ bytes }) =>
      bytes("a.csv", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x0a, 0, 0, 0, 0x08, 0x00, 0x21, 0x00]))
        .then((p) => fitData(p)),
    message: [/a\.csv line \d+: holds a NUL byte: not a text CSV/],
  },
  {
    name: "binary file with non-UTF-8 bytes",
    args: ({ bytes }) =>
      bytes("a.bin", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff])).then((p) => fitData(p)),
    message: [/a\.bin: not UTF-8 text \(line 1.*binary file, not a text CSV/],
  },
  {
    name: "Latin-1 header",
    args: ({ bytes }) =>
      bytes(
        "a.csv",
        new Uint8Array([
          ...new TextEncoder().encode("block,trial,action,r"),
          0xe9,
          ...new TextEncoder().encode("ward\n0,0,0,1\n"),
        ]),
      )
        .then((p) => fitData(p)),
    message: [/a\.csv: not UTF-8 text \(line 1, byte 21 is 0xe9\); save the file as UTF-8/],
  },
  {
    name: "Latin-1 in a data row",
    args: ({ bytes }) =>
      bytes(
        "a.csv",
        new Uint8Array([...new TextEncoder().encode("block,action,reward,note\n0,0,1,caf"), 0xe9, 0x0a]),
      )
        .then((p) => fitData(p)),
    message: [/not UTF-8 text \(line 2/],
  },
  {
    name: "UTF-16 file",
    args: ({ bytes }) => {
      const text = "block,action,reward\n0,0,1\n";
      const data = new Uint8Array(2 + text.length * 2);
      data.set([0xff, 0xfe]);
      for (let i = 0; i < text.length; i++) data[2 + 2 * i] = text.charCodeAt(i);
      return bytes("a.csv", data).then((p) => fitData(p));
    },
    message: [/a\.csv: not UTF-8 text/],
  },
  {
    name: "CSV larger than the reader allows",
    args: async ({ dir }) => {
      // A sparse file: its size is refused before a byte is read.
      await Deno.writeTextFile(`${dir}/huge.csv`, "block,action,reward\n");
      await Deno.truncate(`${dir}/huge.csv`, 600 * 2 ** 20);
      return fitData(`${dir}/huge.csv`);
    },
    message: [/huge\.csv: the file is 629 MB, more than the 524 MB a CSV file may have/],
  },
  {
    name: "fractional mask",
    args: ({ csv }) =>
      csv("a.csv", (l) => {
        l[0] += ",mask";
        for (let i = 1; i < l.length; i++) l[i] += i === 11 ? ",0.5" : ",1";
      }).then((p) => fitData(p)),
    message: [/a\.csv line 12, column "mask": expected 0 or 1 .*got "0\.5"/],
  },
  {
    name: "mask 2",
    args: ({ csv }) =>
      csv("a.csv", (l) => {
        l[0] += ",mask";
        for (let i = 1; i < l.length; i++) l[i] += i === 2 ? ",2" : ",1";
      }).then((p) => fitData(p)),
    message: [/line 3, column "mask": expected 0 or 1/],
  },
  {
    name: "one state != action row in a bandit file",
    args: ({ csv }) =>
      csv("a.csv", (l) => setField(l, 20, 3, l[19].split(",")[2] === "1" ? "0" : "1")).then((p) =>
        fitData(p)
      ),
    message: [/a\.csv line 20, column "state": .*only 1 of 40 trials/, /kind/],
  },
  {
    name: "two blocks for 10 x 9 folds",
    args: ({ csv }) => csv("a.csv", (l) => l.splice(21)).then((p) => fitData(p)),
    message: [/the data has 2 blocks; outer=10 x inner=9 folds need at least 10 blocks/],
  },
  {
    name: "four blocks for 3 x 3 folds",
    args: ({ csv }) => csv("a.csv").then((p) => fitData(p, "--outer", "3", "--inner", "3")),
    message: [/the data has 4 blocks; outer=3 x inner=3 folds need at least 5 blocks/],
  },

  // ---- results folders read back ---------------------------------------------------------------------
  { name: "portrait without --results", args: () => ["portrait"], message: [/--results is required/] },
  {
    name: "portrait --results a missing folder",
    args: ({ dir }) => ["portrait", "--results", `${dir}/none`],
    message: [/none: no such results folder/],
  },
  {
    name: "portrait --results a file",
    args: async ({ dir }) => {
      await Deno.writeTextFile(`${dir}/summary.json`, "{}");
      return ["portrait", "--results", `${dir}/summary.json`];
    },
    message: [/summary\.json is a file, not a results folder/],
  },
  {
    name: "summary.json without models",
    args: async ({ results }) => [
      "report",
      "--results",
      await results((dir) => editJson(`${dir}/summary.json`, (s) => delete s.models)),
    ],
    message: [/summary\.json: models must be a list of rows/],
  },
  {
    name: "summary.json without dimensionality (portrait)",
    args: async ({ results }) => [
      "portrait",
      "--results",
      await results((dir) => editJson(`${dir}/summary.json`, (s) => delete s.dimensionality)),
    ],
    message: [/summary\.json: dimensionality must be an object/],
  },
  {
    name: "summary.json not JSON",
    args: async ({ results }) => [
      "report",
      "--results",
      await results((dir) => Deno.writeTextFile(`${dir}/summary.json`, "{{")),
    ],
    message: [/summary\.json: invalid JSON/],
  },
  {
    name: "model name with ../ in summary.json",
    args: async ({ results, dir }) => [
      "portrait",
      "--out",
      `${dir}/figures`,
      "--results",
      await results((r) =>
        editJson(`${r}/summary.json`, (s) => {
          for (const key of ["models", "best", "aggregate"]) {
            for (const row of s[key] as { model: string }[]) {
              if (row.model === "gru-1") row.model = `../../../../${dir.slice(1)}/ESCAPED`;
            }
          }
        })
      ),
    ],
    message: [/summary\.json: models\[0\]\.model must be a model id/],
    after: async ({ dir }) => {
      assert.equal(await Deno.stat(`${dir}/ESCAPED`).then(() => true, () => false), false, "escaped");
    },
  },
  {
    name: "outer fold 0/../../x in summary.json",
    args: async ({ results, dir }) => [
      "portrait",
      "--out",
      `${dir}/figures`,
      "--results",
      await results((r) =>
        editJson(`${r}/summary.json`, (s) => {
          (s.best as { outer: unknown }[])[0].outer = "0/../../x";
        })
      ),
    ],
    message: [/summary\.json: best\[0\]\.outer must be a (number|non-negative integer)/],
  },
  {
    name: "instance file edited by hand",
    args: async ({ results }) => [
      "portrait",
      "--out",
      "/nonexistent-not-reached",
      "--results",
      await results(async (r) => {
        const path = await firstInstance(r);
        await Deno.writeTextFile(
          path,
          (await Deno.readTextFile(path)).replace(/"testLoss":[^,]+/, '"testLoss":0.01'),
        );
      }),
    ],
    message: [/outer0.*\.json: its content does not match its checksum/, /delete the file and rerun/],
  },
  {
    name: "instance file truncated",
    args: async ({ results }) => [
      "report",
      "--results",
      await results(async (r) => {
        const path = await firstInstance(r);
        await Deno.writeTextFile(path, (await Deno.readTextFile(path)).slice(0, 100));
      }),
    ],
    message: [/\.json: invalid JSON/, /delete the file and rerun/],
  },
  {
    name: "report --out /proc/r.html",
    args: async ({ results }) => ["report", "--quiet", "--out", "/proc/r.html", "--results", await results()],
    message: [/--out's folder: cannot write|--out.*\/proc/],
  },
  {
    name: "report --out a folder",
    args: async ({ results, dir }) => ["report", "--quiet", "--out", dir, "--results", await results()],
    message: [/--out .* is a folder/],
  },
  {
    name: "portrait --out an existing file",
    args: async ({ results, dir }) => {
      await Deno.writeTextFile(`${dir}/f`, "x");
      return ["portrait", "--out", `${dir}/f`, "--results", await results()];
    },
    message: [/--out .*\/f is a file, not a folder/],
  },
  {
    name: "fit rerun over an instance with NaN weights",
    args: async ({ results }) => {
      const dir = await results(async (r) => {
        const path = await firstInstance(r);
        const record = JSON.parse(await Deno.readTextFile(path));
        delete record.checksum;
        const [name] = Object.keys(record.weights);
        record.weights[name] = (record.weights[name] as unknown[]).map(() => null);
        await Deno.writeTextFile(path, JSON.stringify(record));
      });
      return [
        "fit",
        ...["--data", `${dir}/data.json`, "--hidden", "1,2", "--l1", "1e-5", "--cognitive", "MB0"],
        ...["--outer", "3", "--inner", "2", "--seeds", "1", "--max-epochs", "20", "--out", dir, "--quiet"],
      ];
    },
    message: [/\.json: weights\..* is not a finite number/, /delete the file and rerun/],
  },
];

/** The row's context; its temporary folder is removed afterwards. */
async function context(): Promise<Context> {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-bad-" });
  return {
    dir,
    csv: async (name, edit) => {
      const lines = baseLines();
      edit?.(lines);
      await Deno.writeTextFile(`${dir}/${name}`, lines.join("\n") + "\n");
      return `${dir}/${name}`;
    },
    bytes: async (name, data) => {
      await Deno.writeFile(`${dir}/${name}`, data);
      return `${dir}/${name}`;
    },
    results: async (edit) => {
      const copy = `${dir}/results`;
      await copyTree((await tinyResults()).dir, copy);
      await edit?.(copy);
      return copy;
    },
  };
}

for (const row of CASES) {
  Deno.test(`bad input: ${row.name}`, async () => {
    const ctx = await context();
    try {
      const args = await row.args(ctx);
      let stdout = "";
      let stderr = "";
      const code = await main(args, { out: (t) => (stdout += t + "\n"), err: (t) => (stderr += t + "\n") });
      assert.equal(
        code,
        row.code ?? 1,
        `exit status of ${args.join(" ")}\nstderr: ${stderr}\nstdout: ${stdout}`,
      );
      assert.doesNotMatch(stderr, /internal error/);
      const lines = stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, `one line expected, got: ${stderr}`);
      for (const pattern of row.message) assert.match(lines[0], pattern);
      await row.after?.(ctx);
    } finally {
      await Deno.remove(ctx.dir, { recursive: true });
    }
  });
}

Deno.test("bad input: the table has a row for every case of issue #16 and 40 more", () => {
  assert.ok(CASES.length >= 70, `${CASES.length} rows`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, "row names are unique");
});
