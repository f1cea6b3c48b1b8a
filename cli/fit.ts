/**
 * `tinyrnn fit`: nested cross-validation of tiny RNNs and cognitive models on a data file (or the embedded
 * tutorial example), with a progress bar, resumable results, shards for clusters (`--shard i/N`, `--merge`),
 * and a single-split mode (`--single`).
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import {
  type FlagSpecs,
  type FlagValues,
  formatFlags,
  numberFlag,
  numberListFlag,
  parseFlags,
  UsageError,
} from "./args.ts";
import { DATA_FLAGS, loadDataFromFlags } from "./data_flags.ts";
import { createProgress, formatDuration, type Progress } from "./progress.ts";
import { cognitive } from "../src/agents/cognitive.ts";
import { fitCognitive } from "../src/agents/fitting.ts";
import type { Dataset } from "../src/data/dataset.ts";
import { fit, randomSplit } from "../src/engine/fit.ts";
import type { TrainProgress } from "../src/engine/many.ts";
import type { FittedModel } from "../src/engine/fitted_model.ts";
import {
  crossValidate,
  type CrossValidateOptions,
  type CvProgress,
  mergeResults,
} from "../src/cv/cross_validate.ts";
import { blocksOf, evaluateCognitive } from "../src/cv/instances.ts";
import { pythonFloat } from "../src/cv/plan.ts";
import { writeAtomic } from "../src/cv/store.ts";
import type { Summary } from "../src/cv/summary.ts";
import type { GivenOuterFold, GivenSplit } from "../src/cv/splits.ts";
import { loadResults, saveRunData } from "../src/report/results.ts";
import { writeRunFigures } from "../src/report/figures.ts";
import { simulate } from "../src/simulate.ts";
import { tasks } from "../src/tasks/mod.ts";

const FLAGS: FlagSpecs = {
  ...DATA_FLAGS,
  cell: {
    type: "string",
    value: "LIST",
    description: "recurrent cells, e.g. gru or gru,sgru",
    default: "gru",
  },
  hidden: {
    type: "string",
    value: "LIST",
    description: "hidden sizes d, e.g. 1,2,3",
    default: "1,2,3,4,5,10,20 (tutorial: 1,2)",
  },
  cognitive: {
    type: "string",
    value: "LIST",
    description: "cognitive models fitted in the same folds, e.g. MB0,MB1,LS0",
  },
  "no-rnn": { type: "boolean", description: "fit only the --cognitive models" },
  l1: {
    type: "string",
    value: "LIST",
    description: "L1 strengths, best per fold by validation loss",
    default: "1e-5,1e-4,1e-3 (tutorial: 1e-5)",
  },
  outer: { type: "string", value: "N", description: "outer folds", default: "10 (tutorial: 3)" },
  inner: { type: "string", value: "N", description: "inner folds", default: "9 (tutorial: 2)" },
  seeds: { type: "string", value: "N", description: "seeds per model and fold", default: "3 (tutorial: 2)" },
  lr: { type: "string", value: "X", description: "learning rate (AdamW)", default: "0.005" },
  "max-epochs": {
    type: "string",
    value: "N",
    description: "at most N+1 training iterations (the paper's real-data runs use 2000)",
    default: "10000",
  },
  patience: { type: "string", value: "N", description: "early-stopping patience", default: "200" },
  level: {
    type: "string",
    value: "block|trial",
    description: "split whole blocks or single trials",
    default: "block",
  },
  folds: {
    type: "string",
    value: "FILE",
    description: "JSON file of user-given folds: [{test, inner: [{train, val}]}] or {train, val, test}",
  },
  init: {
    type: "string",
    value: "FILE",
    description: 'initial weights: JSON {"weights": {"gru-2-seed0": state dict, ...}} (or the map itself)',
  },
  "dim-test": {
    type: "string",
    value: "ttest|mean",
    description: "dimensionality comparison: paired one-sided t-test, or mean per-fold loss",
    default: "ttest",
  },
  out: {
    type: "string",
    short: "o",
    value: "DIR",
    description: "results folder (instance files, summary.json, summary.csv); a rerun resumes it",
  },
  workers: { type: "string", value: "N", description: "worker threads", default: "one per core" },
  shard: {
    type: "string",
    value: "i/N",
    description: "train only shard i of N (0-based) into --out; then run once with --merge",
  },
  merge: { type: "boolean", description: "build summary.json/csv in --out from the finished instances" },
  "allow-partial": {
    type: "boolean",
    description: "with --merge: write a summary although instances are missing",
  },
  single: {
    type: "boolean",
    description: "no cross-validation: one random train/val/test split of the blocks (see below)",
  },
  train: {
    type: "string",
    value: "F",
    description: "--single: fraction of blocks to train on",
    default: "0.6",
  },
  val: { type: "string", value: "F", description: "--single: fraction for validation", default: "0.2" },
  test: { type: "string", value: "F", description: "--single: fraction for testing", default: "0.2" },
  "split-seed": {
    type: "string",
    value: "N",
    description: "--single: seed of the block permutation",
    default: "0",
  },
  quiet: { type: "boolean", short: "q", description: "plain progress lines instead of a bar" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** The embedded tutorial: the seed notebook's data set and CV settings (used when --data is absent). */
const TUTORIAL = {
  hidden: [1, 2],
  l1: [1e-5],
  outer: 3,
  inner: 2,
  seeds: 2,
  maxEpochs: 10000,
} as const;

/** The tutorial data set: a model-free agent (alpha 0.5, iTemp 2) on the two-armed bandit, 500 x 20 trials. */
export function tutorialData(): Dataset {
  return simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), {
    blocks: 500,
    trials: 20,
    seed: 42,
  });
}

function help(): string {
  return [
    "Usage: deno task fit [--data FILE] [--cell LIST] [--hidden LIST] [--cognitive LIST] [--l1 LIST]",
    "                     [--outer N] [--inner N] [--seeds N] [--out DIR] [--shard i/N | --merge] [...]",
    "",
    "Nested cross-validation as the original tinyRNN: per outer fold and inner fold every network",
    "(cell x hidden size x L1 x seed) trains on the inner training blocks with early stopping on the",
    "validation blocks; cognitive models are fitted by maximum likelihood in the same folds. The best",
    "instance per inner fold (validation loss) and per outer fold (train+validation loss) is tested on",
    "the outer test blocks; the pooled test NLL per trial, its SEM over outer folds and the",
    "dimensionality (largest d whose best network beats every smaller one) are printed.",
    "",
    "Without --data it runs the embedded tutorial: MF agent (alpha 0.5, iTemp 2) on a 2-armed bandit,",
    "500 blocks x 20 trials, seed 42; GRU d = 1,2; 3 outer x 2 inner folds x 2 seeds; l1 1e-5; 10000",
    "epochs (any flag overrides these).",
    "",
    "Results: with --out DIR every finished instance is written at once to DIR/instances/ (atomically), so",
    "Ctrl-C or a killed job loses no finished work and the same command resumes. At the end DIR holds",
    "summary.json (models, best, aggregate, dimensionality) and summary.csv (the aggregate table).",
    "",
    "Clusters: run the same command with --shard i/N for i = 0..N-1 (in any order, at the same time, on",
    "a shared folder), then once with --merge; the merged summary equals a single-machine run's.",
    "`deno task cluster slurm ...` writes the job array and the merge job for you.",
    "",
    "--single: no cross-validation. The blocks are permuted with --split-seed and cut into",
    "--train/--val/--test fractions; each network (cell x hidden x L1 x seed) and cognitive model is",
    "fitted once (defaults here: --hidden 2, --l1 1e-5, --seeds 1); with --out DIR each model is saved",
    "as DIR/<model>.json (FittedModel JSON).",
    "",
    "Exit status: 0 success, 1 bad input (one line naming the problem; CSV errors name file, line",
    "and column), 2 internal error.",
    "",
    "Flags:",
    formatFlags(FLAGS),
  ].join("\n");
}

function list(flag: string, text: string): string[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) {
    throw new UsageError(`--${flag} must be a comma-separated list, got "${text}"`);
  }
  return items;
}

function integerList(flag: string, text: string): number[] {
  return list(flag, text).map((part) => numberFlag(flag, part, { integer: true, min: 1 }));
}

function readJsonFile(flag: string, path: string): unknown {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new UsageError(`--${flag}: no file ${path}`);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${flag}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}

/** `i/N` with 0 <= i < N. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) {
    throw new UsageError(`--shard must be i/N with 0 <= i < N (e.g. 0/4), got "${text}"`);
  }
  return { index, count };
}

/** The cross-validation options the flags describe (tutorial defaults when there is no --data). */
function cvOptions(flags: FlagValues, tutorial: boolean): CrossValidateOptions {
  const get = (name: string) => flags[name] as string | undefined;
  const options: CrossValidateOptions = {};
  if (tutorial) {
    Object.assign(options, { ...TUTORIAL, hidden: [...TUTORIAL.hidden], l1: [...TUTORIAL.l1] });
  }
  if (flags["no-rnn"]) options.cells = [];
  else if (get("cell") !== undefined) options.cells = list("cell", get("cell")!);
  if (get("hidden") !== undefined) options.hidden = integerList("hidden", get("hidden")!);
  if (get("cognitive") !== undefined) options.cognitive = list("cognitive", get("cognitive")!);
  if (get("l1") !== undefined) options.l1 = numberListFlag("l1", get("l1")!);
  if (get("outer") !== undefined) {
    options.outer = numberFlag("outer", get("outer")!, { integer: true, min: 2 });
  }
  if (get("inner") !== undefined) {
    options.inner = numberFlag("inner", get("inner")!, { integer: true, min: 2 });
  }
  if (get("seeds") !== undefined) {
    options.seeds = numberFlag("seeds", get("seeds")!, { integer: true, min: 1 });
  }
  if (get("lr") !== undefined) options.lr = numberFlag("lr", get("lr")!, { min: 0 });
  if (get("max-epochs") !== undefined) {
    options.maxEpochs = numberFlag("max-epochs", get("max-epochs")!, { integer: true, min: 0 });
  }
  if (get("patience") !== undefined) {
    options.patience = numberFlag("patience", get("patience")!, { integer: true, min: 0 });
  }
  const split: NonNullable<CrossValidateOptions["split"]> = {};
  if (get("level") !== undefined) {
    const level = get("level")!;
    if (level !== "block" && level !== "trial") {
      throw new UsageError(`--level must be block or trial, got "${level}"`);
    }
    split.level = level;
  }
  if (get("folds") !== undefined) {
    split.folds = readJsonFile("folds", get("folds")!) as GivenOuterFold[] | GivenSplit;
    if (tutorial) {
      delete options.outer;
      delete options.inner;
    }
  }
  if (Object.keys(split).length > 0) options.split = split;
  if (get("init") !== undefined) {
    const json = readJsonFile("init", get("init")!) as Record<string, unknown>;
    const weights = json && typeof json === "object" && "weights" in json ? json.weights : json;
    if (!weights || typeof weights !== "object" || Array.isArray(weights)) {
      throw new UsageError(
        `--init: ${get("init")} must hold {"weights": {"<cell>-<hidden>-seed<seed>": ...}}`,
      );
    }
    options.init = weights as CrossValidateOptions["init"];
  }
  if (get("dim-test") !== undefined) {
    const test = get("dim-test")!;
    if (test !== "ttest" && test !== "mean") {
      throw new UsageError(`--dim-test must be ttest or mean, got "${test}"`);
    }
    options.dimensionality = { test };
  }
  return options;
}

function fixed(x: number, digits = 6): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "-";
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")
  )
    .join("\n");
}

/** The aggregate table and the dimensionality, as printed after a run. */
export function formatSummary(summary: Summary): string {
  const rows = [["model", "cell", "d", "test NLL", "SEM", "test acc", "folds"]];
  for (const r of summary.aggregate) {
    rows.push([
      r.model,
      r.cell,
      String(r.hidden),
      fixed(r.testLoss),
      fixed(r.sem),
      fixed(r.testAccuracy, 4),
      String(r.outerFolds.length),
    ]);
  }
  const lines = [table(rows)];
  const d = summary.dimensionality;
  if (d.estimate !== null) {
    const how = d.test === "ttest"
      ? `one-sided paired t-test across outer folds, alpha ${d.alpha}`
      : `mean per-fold test loss`;
    lines.push(`dimensionality: ${d.estimate} (${how})`);
    for (let i = 1; i < d.rows.length; i++) {
      const p = d.pValues[i].slice(0, i).map((v, j) =>
        `p(d=${d.rows[i].hidden} < d=${d.rows[j].hidden}) = ${pText(v)}`
      );
      lines.push(`  d=${d.rows[i].hidden}: ${p.join(", ")}${d.lessThanFormer[i] ? "" : " (not better)"}`);
    }
    if (d.nanComparisons.length > 0) {
      lines.push(
        "  (NaN p-values, from identical per-fold losses, count as significant, as in the original)",
      );
    }
  }
  for (const c of d.cognitive) {
    lines.push(
      `${c.model} (d=${c.hidden}, test NLL ${fixed(c.testLoss)}): ${
        c.beatenByHidden === null
          ? "no network has a lower test NLL"
          : `networks beat it from d=${c.beatenByHidden} (p = ${pText(c.pValue)})`
      }`,
    );
  }
  if (summary.missing.length > 0) lines.push(`missing instances: ${summary.missing.length}`);
  return lines.join("\n");
}

function pText(p: number): string {
  return Number.isNaN(p) ? "NaN" : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** A progress display fed by crossValidate's reports; created at the first report (when the work is known). */
function progressOf(
  io: Console,
  quiet: boolean,
  label: string,
  note: string,
): { onProgress: (p: CvProgress) => void; finish(): void } {
  let bar: Progress | undefined;
  let started = false;
  let skipped = 0;
  return {
    onProgress(p) {
      if (!started) {
        started = true;
        if (note) io.err(note);
        skipped = p.skipped;
        if (skipped > 0) io.err(`${label}: ${skipped} of ${p.total} instances already finished, resuming`);
        if (p.total > skipped) {
          bar = createProgress({ total: p.total - skipped, label, quiet, stream: Deno.stderr });
        }
      }
      bar?.update(p.done - skipped, p.current.replace(/ done$/, ""));
    },
    finish() {
      bar?.finish("");
    },
  };
}

async function runCrossValidation(flags: FlagValues, io: Console): Promise<void> {
  const tutorial = flags.data === undefined;
  const out = flags.out as string | undefined;
  const options = cvOptions(flags, tutorial);
  if (flags.merge) {
    if (flags.shard !== undefined) throw new UsageError("--merge and --shard exclude each other");
    if (out === undefined) throw new UsageError("--merge needs --out DIR (the folder the shards wrote)");
    const summary = await mergeResults(out, { ...options, allowPartial: flags["allow-partial"] === true });
    if (summary.missing.length > 0) {
      io.err(
        `merge: ${summary.missing.length} instances missing (written as a partial summary): ${
          summary.missing.slice(0, 5).join(", ")
        }${summary.missing.length > 5 ? ", ..." : ""}`,
      );
    }
    io.out(formatSummary(summary));
    io.out(`wrote ${out}/summary.json and ${out}/summary.csv`);
    return;
  }
  if (flags["allow-partial"]) throw new UsageError("--allow-partial only applies with --merge");
  if (flags.shard !== undefined) {
    if (out === undefined) throw new UsageError("--shard needs --out DIR (a folder every shard writes into)");
    options.shard = parseShard(flags.shard as string);
  }
  if (flags.workers !== undefined) {
    options.workers = numberFlag("workers", flags.workers as string, { integer: true, min: 0 });
  }
  const data = tutorial ? tutorialData() : loadDataFromFlags(flags);
  const label = options.shard ? `fit ${options.shard.index}/${options.shard.count}` : "fit";
  // Said at the first report, once the options are known to be valid, so a bad flag stays a one-line error.
  const note = tutorial
    ? "no --data: running the embedded tutorial (MF agent, 2-armed bandit, 500 x 20 trials)"
    : "";
  const progress = progressOf(io, flags.quiet === true, label, note);
  const started = performance.now();
  const summary = await crossValidate(data, {
    ...options,
    ...(out === undefined ? {} : { resultsDir: out }),
    onProgress: progress.onProgress,
  });
  progress.finish();
  const elapsed = formatDuration(performance.now() - started);
  // The data stays beside the results so that `portrait` and `report` can run the kept models on it.
  // Written once: shards and resumed runs leave an existing copy untouched (their files must not change).
  if (out !== undefined && !(await Deno.stat(`${out}/data.json`).then(() => true, () => false))) {
    await saveRunData(out, data);
  }
  if (options.shard) {
    io.out(
      `shard ${options.shard.index}/${options.shard.count} done in ${elapsed}; ${summary.missing.length} instances of the run are still missing. When every shard is done, run the same command with --merge instead of --shard.`,
    );
    return;
  }
  io.out(formatSummary(summary));
  io.out(
    out === undefined
      ? `done in ${elapsed}`
      : `done in ${elapsed}; wrote ${out}/summary.json and ${out}/summary.csv`,
  );
  if (out !== undefined) {
    const figures = await writeRunFigures(await loadResults(out, { data }), `${out}/figures`, {
      outerFolds: "first",
    });
    io.out(
      `wrote ${figures.length} figures to ${out}/figures/ (every outer fold: deno task portrait --results ${out}; an HTML page: deno task report --results ${out})`,
    );
  }
}

async function runSingle(flags: FlagValues, io: Console): Promise<void> {
  for (const flag of ["shard", "merge", "allow-partial", "outer", "inner", "folds", "level", "dim-test"]) {
    if (flags[flag] !== undefined) throw new UsageError(`--${flag} does not apply with --single`);
  }
  const tutorial = flags.data === undefined;
  const options = cvOptions(flags, tutorial);
  const data = tutorial ? tutorialData() : loadDataFromFlags(flags);
  const fractions: [number, number, number] = [
    numberFlag("train", (flags.train as string | undefined) ?? "0.6", { min: 0 }),
    numberFlag("val", (flags.val as string | undefined) ?? "0.2", { min: 0 }),
    numberFlag("test", (flags.test as string | undefined) ?? "0.2", { min: 0 }),
  ];
  const splitSeed = numberFlag("split-seed", (flags["split-seed"] as string | undefined) ?? "0", {
    integer: true,
    min: 0,
  });
  const split = randomSplit(data.blocks.length, splitSeed, fractions);
  if (split.train.length === 0 || split.val.length === 0) {
    throw new UsageError(
      `--train/--val fractions leave no training or validation block of ${data.blocks.length}`,
    );
  }
  const cells = options.cells ?? ["gru"];
  const hidden = flags.hidden === undefined ? [2] : options.hidden!;
  const l1 = flags.l1 === undefined ? [1e-5] : options.l1!;
  const seeds = flags.seeds === undefined ? 1 : options.seeds!;
  const specs = cells.flatMap((cell) =>
    hidden.flatMap((h) =>
      l1.flatMap((strength) => Array.from({ length: seeds }, (_, seed) => ({ cell, h, strength, seed })))
    )
  );
  const out = flags.out as string | undefined;
  const rows = [["model", "l1", "seed", "epochs", "best", "train NLL", "val NLL", "test NLL", "test acc"]];
  const saved: string[] = [];
  if (specs.length > 0) {
    const progress = createProgress({
      total: specs.length,
      label: "fit",
      quiet: flags.quiet === true,
      stream: Deno.stderr,
    });
    const models: FittedModel[] = await fit(
      data,
      specs.map((s) => ({
        cell: s.cell,
        hidden: s.h,
        l1: s.strength,
        seed: s.seed,
        ...(options.lr === undefined ? {} : { lr: options.lr }),
        ...(options.maxEpochs === undefined ? {} : { maxEpochs: options.maxEpochs }),
        ...(options.patience === undefined ? {} : { patience: options.patience }),
        ...(options.init?.[`${s.cell}-${s.h}-seed${s.seed}`]
          ? { init: options.init[`${s.cell}-${s.h}-seed${s.seed}`] }
          : {}),
        split,
        ...(flags.workers === undefined
          ? {}
          : { workers: numberFlag("workers", flags.workers as string, { integer: true, min: 0 }) }),
        onProgress: (p: TrainProgress) => {
          if (p.done) progress.update(p.finished);
        },
      })),
    );
    progress.finish();
    for (const [i, model] of models.entries()) {
      const s = specs[i];
      const name = `${s.cell}-${s.h}-l1-${pythonFloat(s.strength)}-seed${s.seed}`;
      rows.push([
        `${s.cell}-${s.h}`,
        pythonFloat(s.strength),
        String(s.seed),
        String(model.epochs),
        String(model.bestEpoch),
        fixed(model.trainLoss),
        fixed(model.valLoss),
        fixed(model.testLoss),
        fixed(model.testAccuracy, 4),
      ]);
      if (out !== undefined) {
        await writeAtomic(`${out}/${name}.json`, JSON.stringify(model.toJSON()) + "\n");
        saved.push(`${name}.json`);
      }
    }
  }
  for (const name of options.cognitive ?? []) {
    for (let seed = 0; seed < seeds; seed++) {
      const result = fitCognitive(cognitive(name), data, { trainBlocks: split.train, seed });
      const val = evaluateCognitive(result.model, blocksOf(data, split.val));
      const test = evaluateCognitive(result.model, blocksOf(data, split.test));
      rows.push([
        result.model.name,
        "-",
        String(seed),
        "-",
        "-",
        fixed(result.trainNll),
        fixed(val.loss),
        fixed(test.loss),
        fixed(test.accuracy, 4),
      ]);
      if (out !== undefined) {
        const file = `${result.model.name}-seed${seed}.json`;
        await writeAtomic(
          `${out}/${file}`,
          JSON.stringify({
            model: result.model.name,
            params: result.model.params,
            trainLoss: result.trainNll,
            valLoss: val.loss,
            testLoss: test.loss,
            split,
          }, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)) + "\n",
        );
        saved.push(file);
      }
    }
  }
  if (rows.length === 1) throw new UsageError("nothing to fit: give --cell/--hidden or --cognitive");
  io.out(
    `single split (seed ${splitSeed}): ${split.train.length} train, ${split.val.length} validation, ${split.test.length} test blocks`,
  );
  io.out(table(rows));
  if (out !== undefined) io.out(`wrote ${saved.length} model files to ${out}/`);
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (flags.single) await runSingle(flags, io);
  else await runCrossValidation(flags, io);
}

/** The `fit` subcommand. */
export const command: Command = {
  name: "fit",
  summary: "fit tiny RNNs and cognitive models to choice data, with nested cross-validation",
  help,
  run,
};
