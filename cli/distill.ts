/**
 * `tinyrnn distill`: knowledge distillation for many subjects with few trials each. A teacher GRU with a
 * subject embedding is trained on every subject's training blocks; per subject, tiny students learn its
 * choice probabilities, and are compared in per-subject nested cross-validation with solo tiny networks, the
 * teacher and cognitive models fitted to that subject alone. The flags map onto `distill`'s options
 * (`DISTILL_OPTIONS`), whose help texts and defaults they show.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import {
  choiceFlag,
  type FlagSpecs,
  type FlagValues,
  formatFlags,
  listFlag,
  numberFlag,
  optionFlag,
  parseFlags,
  UsageError,
} from "./args.ts";
import { DATA_FLAGS, loadDataFromFlags } from "./data_flags.ts";
import { createProgress, formatDuration, type Progress } from "./progress.ts";
import { parseShard } from "./fit.ts";
import { distill, mergeDistill } from "../src/distill/distill.ts";
import { DISTILL_OPTIONS as D, type DistillOptions } from "../src/distill/options.ts";
import type { DistillResult } from "../src/distill/result.ts";
import { checkOutputFolder } from "../src/cv/store.ts";
import { ENGINE_NAMES } from "../src/engine/training_options.ts";

const FLAGS: FlagSpecs = {
  ...DATA_FLAGS,
  out: optionFlag(D.resultsDir, {
    short: "o",
    description:
      "results folder (required): one JSON file per finished unit, then summary.json; the same command resumes",
  }),
  "teacher-hidden": optionFlag(D.teacherHidden),
  embedding: optionFlag(D.embedding),
  "teacher-seeds": optionFlag(D.teacherSeeds),
  "teacher-l1": optionFlag(D.teacherL1),
  cell: optionFlag(D.cell),
  hidden: optionFlag(D.hidden),
  cognitive: optionFlag(D.cognitive, { description: `${D.cognitive.help}; none: no cognitive models` }),
  "cognitive-restarts": optionFlag(D.cognitiveRestarts),
  outer: optionFlag(D.outer),
  inner: optionFlag(D.inner),
  "single-inner-fold": { type: "boolean", description: D.singleInnerFold.help },
  seeds: optionFlag(D.seeds),
  augment: optionFlag(D.augment),
  task: optionFlag(D.task),
  "teacher-prop": optionFlag(D.teacherProp),
  l1: optionFlag(D.l1),
  lr: optionFlag(D.lr),
  "max-epochs": optionFlag(D.maxEpochs),
  patience: optionFlag(D.patience),
  engine: optionFlag(D.engine, { value: ENGINE_NAMES.join("|") }),
  workers: optionFlag(D.workers),
  shard: {
    type: "string",
    value: "i/N",
    description:
      "train only shard i of N (0-based) of the subject units into --out; then run once with --merge",
  },
  merge: { type: "boolean", description: "build summary.json in --out from the finished units" },
  "allow-partial": {
    type: "boolean",
    description: "with --merge: write a summary although units are missing",
  },
  quiet: { type: "boolean", short: "q", description: "plain progress lines instead of a bar" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

function help(): string {
  return [
    "Usage: deno task distill --data FILE --out DIR [--teacher-hidden 20] [--embedding 4] [--cell gru]",
    "                         [--hidden 1,2,3,4] [--cognitive MB0,...] [--outer K] [--inner K] [--seeds N]",
    "                         [--augment N] [--shard i/N | --merge] [...]",
    "",
    "Knowledge distillation for many subjects with few trials each (every block needs a subject: the",
    "tidy CSV's subject column, or a --preset that fills it). Folds run over each subject's own blocks.",
    "Per outer fold a teacher GRU with a subject embedding trains on every subject's outer-train blocks",
    "(early stopping on inner fold 0); it never sees a test block. Per subject: solo tiny networks train",
    "on that subject alone; students train on the teacher's choice probabilities for the subject's",
    "training blocks plus --augment sequences the teacher simulated as that subject, early-stopped on the",
    "subject's own validation blocks (real choices); the teacher and each cognitive model fitted to the",
    "subject alone are scored on the same test blocks. Printed: test NLL per model pooled over subjects",
    "with the SEM across subjects, and the per-subject dimensionality.",
    "",
    "Results: every finished unit (a teacher, one network, one cognitive fit) is written at once to",
    "DIR/instances/, so a killed run loses only the units in flight and the same command resumes.",
    "DIR/summary.json holds per-subject rows { subject, model, kind, cell, hidden, testLoss, testTrials },",
    "pooled rows per model, teachers and dimensionality. `deno task report --results DIR` renders it.",
    "",
    "Clusters: the same command with --shard i/N for i = 0..N-1 (each trains the teachers it needs), then",
    "once with --merge.",
    "",
    "Exit status: 0 success, 1 bad input, 2 internal error.",
    "",
    "Flags:",
    formatFlags(FLAGS),
  ].join("\n");
}

/** The options the flags give, checked by `distill` itself. */
function optionsOf(flags: FlagValues): DistillOptions {
  const get = (name: string) => flags[name] as string | undefined;
  const o: DistillOptions = {};
  const int = (flag: string, min: number) => numberFlag(flag, get(flag)!, { integer: true, min });
  const sizes = (flag: string, min: number) => {
    const list = listFlag(flag, get(flag)!).map((p) => numberFlag(flag, p, { integer: true, min }));
    return list.length === 1 ? list[0] : list;
  };
  if (get("teacher-hidden") !== undefined) o.teacherHidden = sizes("teacher-hidden", 1);
  if (get("embedding") !== undefined) o.embedding = sizes("embedding", 0);
  if (get("teacher-seeds") !== undefined) o.teacherSeeds = int("teacher-seeds", 1);
  if (get("teacher-l1") !== undefined) o.teacherL1 = numberFlag("teacher-l1", get("teacher-l1")!, { min: 0 });
  if (get("cell") !== undefined) o.cell = get("cell");
  if (get("hidden") !== undefined) {
    o.hidden = listFlag("hidden", get("hidden")!).map((p) =>
      numberFlag("hidden", p, { integer: true, min: 1 })
    );
  }
  if (get("cognitive") !== undefined) {
    o.cognitive = get("cognitive") === "none" ? [] : listFlag("cognitive", get("cognitive")!);
  }
  if (get("cognitive-restarts") !== undefined) o.cognitiveRestarts = int("cognitive-restarts", 0);
  if (get("outer") !== undefined) o.outer = int("outer", 2);
  if (get("inner") !== undefined) o.inner = int("inner", 2);
  if (flags["single-inner-fold"]) o.singleInnerFold = true;
  if (get("seeds") !== undefined) o.seeds = int("seeds", 1);
  if (get("augment") !== undefined) o.augment = int("augment", 0);
  if (get("task") !== undefined) o.task = get("task");
  if (get("teacher-prop") !== undefined) {
    o.teacherProp = numberFlag("teacher-prop", get("teacher-prop")!, { min: 0, max: 1 });
  }
  if (get("l1") !== undefined) o.l1 = numberFlag("l1", get("l1")!, { min: 0 });
  if (get("lr") !== undefined) o.lr = numberFlag("lr", get("lr")!, { min: 0 });
  if (get("max-epochs") !== undefined) o.maxEpochs = int("max-epochs", 0);
  if (get("patience") !== undefined) o.patience = int("patience", 0);
  if (get("workers") !== undefined) o.workers = int("workers", 0);
  if (get("engine") !== undefined) o.engine = choiceFlag("engine", get("engine")!, ENGINE_NAMES);
  return o;
}

/** The pooled table and the dimensionality as text. */
export function formatDistill(result: DistillResult): string {
  const lines = ["model                 kind       test NLL   mean ± SEM over subjects   subjects"];
  for (const r of result.pooled) {
    lines.push(
      `${r.model.padEnd(22)}${r.kind.padEnd(11)}${r.testLoss.toFixed(4).padStart(8)}   ${
        r.meanLoss.toFixed(4)
      } ± ${Number.isFinite(r.sem) ? r.sem.toFixed(4) : "-"}${" ".repeat(12)}${r.subjects}`,
    );
  }
  const counts = new Map<number, number>();
  for (const d of result.dimensionality) counts.set(d.student, (counts.get(d.student) ?? 0) + 1);
  lines.push(
    "",
    `student dimensionality (subjects per d): ${
      [...counts].sort((a, b) => a[0] - b[0]).map(([d, n]) => `d=${d}: ${n}`).join(", ")
    }`,
  );
  if (result.bestCognitive) lines.push(`best cognitive model (pooled test NLL): ${result.bestCognitive}`);
  return lines.join("\n");
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  const out = flags.out as string | undefined;
  if (out === undefined) throw new UsageError("--out DIR is required (the results folder; a rerun resumes)");
  const options = optionsOf(flags);
  if (flags.merge && flags.shard !== undefined) {
    throw new UsageError("--merge and --shard exclude each other");
  }
  if (!flags.merge && flags["allow-partial"]) {
    throw new UsageError("--allow-partial only applies with --merge");
  }
  if (flags.shard !== undefined) options.shard = parseShard(flags.shard as string);
  const data = loadDataFromFlags(flags);
  if (flags.merge) {
    const result = await mergeDistill(out, data, {
      ...options,
      allowPartial: flags["allow-partial"] === true,
    });
    if (result.missing.length > 0) {
      io.err(`merge: ${result.missing.length} units missing (a partial summary)`);
    }
    io.out(formatDistill(result));
    io.out(`wrote ${out}/summary.json`);
    return;
  }
  await checkOutputFolder(out, "--out");
  const label = options.shard ? `distill ${options.shard.index}/${options.shard.count}` : "distill";
  let progress: Progress | undefined;
  const started = performance.now();
  const result = await distill(data, {
    ...options,
    resultsDir: out,
    onProgress: (p) => {
      if (p.total === 0) return;
      progress ??= createProgress({
        total: p.total,
        label,
        quiet: flags.quiet === true,
        stream: Deno.stderr,
      });
      progress.update(p.done, p.current);
    },
  });
  progress?.finish();
  const elapsed = formatDuration(performance.now() - started);
  if (options.shard) {
    io.out(
      `shard ${options.shard.index}/${options.shard.count} done in ${elapsed}; ${result.missing.length} units of the run are still missing. When every shard is done, run the same command with --merge instead of --shard.`,
    );
    return;
  }
  io.out(formatDistill(result));
  io.out(`done in ${elapsed}; wrote ${out}/summary.json`);
}

/** The `distill` subcommand. */
export const command: Command = {
  name: "distill",
  summary: "distil a teacher network with subject embeddings into tiny per-subject students, per-subject CV",
  help,
  run,
};
