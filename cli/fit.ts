/**
 * `tinyrnn fit`: nested cross-validation of tiny RNNs and cognitive models on a data file (or the embedded
 * tutorial example), with a progress bar, resumable results, shards for clusters (`--shard i/N`, `--merge`),
 * and a single-split mode (`--single`). The flags map onto the options of `crossValidate`, `mergeResults` and
 * `fitSingle`, whose help texts and defaults they show.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import {
  choiceFlag,
  type FlagSpec,
  type FlagSpecs,
  type FlagValues,
  formatFlags,
  jsonFileFlag,
  listFlag,
  numberFlag,
  numberListFlag,
  optionFlag,
  parseFlags,
  UsageError,
} from "./args.ts";
import { DATA_FLAGS, loadDataFromFlags } from "./data_flags.ts";
import { createProgress, cvProgress, formatDuration, type Progress } from "./progress.ts";
import { crossValidate, mergeResults } from "../src/cv/cross_validate.ts";
import {
  CROSS_VALIDATE_OPTIONS as CV,
  type CrossValidateOptions,
  CV_SPLIT_OPTIONS,
  MAX_HIDDEN,
} from "../src/cv/options.ts";
import { DIMENSIONALITY_OPTIONS } from "../src/cv/dimensionality.ts";
import { FIT_SINGLE_OPTIONS, fitSingle, type FitSingleOptions } from "../src/cv/single.ts";
import { TUTORIAL_CV_OPTIONS as TUTORIAL, tutorialData } from "../src/cv/tutorial.ts";
import type { GivenOuterFold, GivenSplit } from "../src/cv/splits.ts";
import { SUBJECT_FOLD_MODES, subjectFolds } from "../src/cv/subject_folds.ts";
import type { Dataset } from "../src/data/dataset.ts";
import { ENGINE_NAMES, TRAINING_OPTIONS } from "../src/engine/training_options.ts";
import { formatL1, formatSingleFit, formatSummary } from "../src/report/format.ts";
import { loadResults } from "../src/report/results.ts";
import { writeRunFigures } from "../src/report/figures.ts";
import { checkOutputFolder, outputError } from "../src/cv/store.ts";

const fraction = FIT_SINGLE_OPTIONS.fractions.default;
const fractionFlag = (i: number, what: string): FlagSpec => ({
  type: "string",
  value: "F",
  description: `--single: ${what}`,
  default: `${fraction[i]}`,
});

const FLAGS: FlagSpecs = {
  ...DATA_FLAGS,
  cell: optionFlag(CV.cells),
  hidden: optionFlag(CV.hidden),
  cognitive: optionFlag(CV.cognitive),
  "no-rnn": { type: "boolean", description: "fit only the --cognitive models" },
  l1: optionFlag(CV.l1, { default: CV.l1.default.map(formatL1).join(",") }),
  outer: optionFlag(CV.outer),
  inner: optionFlag(CV.inner),
  seeds: optionFlag(CV.seeds),
  lr: optionFlag(CV.lr),
  "max-epochs": optionFlag(CV.maxEpochs),
  patience: optionFlag(CV.patience),
  engine: optionFlag(TRAINING_OPTIONS.engine, { value: ENGINE_NAMES.join("|") }),
  level: optionFlag(CV_SPLIT_OPTIONS.level),
  folds: {
    type: "string",
    value: "FILE",
    description: "JSON file of user-given folds: [{test, inner: [{train, val}]}] or {train, val, test}",
  },
  "subject-folds": {
    type: "string",
    value: SUBJECT_FOLD_MODES.join("|"),
    description:
      "folds for many subjects (every block needs a subject): within = each subject's blocks split within the subject, together = whole subjects held out (--outer/--inner folds)",
  },
  init: {
    type: "string",
    value: "FILE",
    description: 'initial weights: JSON {"weights": {"gru-2-seed0": state dict, ...}} (or the map itself)',
  },
  "dim-test": optionFlag(DIMENSIONALITY_OPTIONS.test),
  equations: {
    type: "boolean",
    description:
      "also score the equations of each outer fold's selected network with d <= 2 (discovered and refitted on its training blocks)",
  },
  out: optionFlag(CV.resultsDir, { short: "o" }),
  workers: optionFlag(CV.workers, { description: "worker threads", default: "one per core" }),
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
  train: fractionFlag(0, "fraction of blocks to train on"),
  val: fractionFlag(1, "fraction for validation"),
  test: fractionFlag(2, "fraction for testing"),
  "split-seed": optionFlag(FIT_SINGLE_OPTIONS.splitSeed, {
    description: `--single: ${FIT_SINGLE_OPTIONS.splitSeed.help}`,
  }),
  quiet: { type: "boolean", short: "q", description: "plain progress lines instead of a bar" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

function help(): string {
  const single = FIT_SINGLE_OPTIONS;
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
    `500 blocks x 20 trials, seed 42; GRU d = ${
      TUTORIAL.hidden.join(",")
    }; ${TUTORIAL.outer} outer x ${TUTORIAL.inner} inner folds x ${TUTORIAL.seeds} seeds; l1 ${
      TUTORIAL.l1.map(formatL1).join(",")
    }; ${TUTORIAL.maxEpochs}`,
    "epochs (any flag overrides these). The defaults under Flags are those of a run with --data; --single has",
    "its own (below).",
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
    `fitted once (defaults here: --hidden ${single.hidden.default.join(",")}, --l1 ${
      single.l1.default.map(formatL1).join(",")
    }, --seeds ${single.seeds.default}); with --out DIR each model is saved`,
    "as DIR/<model>.json (FittedModel JSON).",
    "",
    "Exit status: 0 success, 1 bad input (one line naming the problem; CSV errors name file, line",
    "and column), 2 internal error.",
    "",
    "Flags:",
    formatFlags(FLAGS),
  ].join("\n");
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

/** The options that cross-validation and `--single` share. */
type ModelOptions = FitSingleOptions & CrossValidateOptions;

/** Number flags shared by cross-validation and `--single`: option key and bounds. */
const NUMBER_FLAGS = {
  seeds: ["seeds", { integer: true, min: 1 }],
  lr: ["lr", { min: 0 }],
  "max-epochs": ["maxEpochs", { integer: true, min: 0 }],
  patience: ["patience", { integer: true, min: 0 }],
  workers: ["workers", { integer: true, min: 0 }],
} as const;

/** The options that cross-validation and `--single` share: models and training, by flag. */
function modelOptions(flags: FlagValues): Omit<ModelOptions, "onProgress"> {
  const get = (name: string) => flags[name] as string | undefined;
  const o: Omit<ModelOptions, "onProgress"> = {};
  if (flags["no-rnn"]) {
    for (const flag of ["cell", "hidden", "l1", "init"]) {
      if (get(flag) !== undefined) {
        throw new UsageError(`--no-rnn excludes --${flag} (no network is trained); leave out one of them`);
      }
    }
    o.cells = [];
  } else if (get("cell") !== undefined) o.cells = listFlag("cell", get("cell")!);
  const hidden = get("hidden");
  if (hidden !== undefined) {
    o.hidden = listFlag("hidden", hidden).map((part) =>
      numberFlag("hidden", part, { integer: true, min: 1, max: MAX_HIDDEN })
    );
  }
  if (get("cognitive") !== undefined) o.cognitive = listFlag("cognitive", get("cognitive")!);
  if (get("l1") !== undefined) o.l1 = numberListFlag("l1", get("l1")!);
  for (const [flag, [key, bounds]] of Object.entries(NUMBER_FLAGS)) {
    if (get(flag) !== undefined) o[key] = numberFlag(flag, get(flag)!, bounds);
  }
  if (get("engine") !== undefined) o.engine = choiceFlag("engine", get("engine")!, ENGINE_NAMES);
  if (get("init") !== undefined) {
    const json = jsonFileFlag("init", get("init")!) as Record<string, unknown>;
    const weights = json && typeof json === "object" && "weights" in json ? json.weights : json;
    if (!weights || typeof weights !== "object" || Array.isArray(weights)) {
      throw new UsageError(
        `--init: ${get("init")} must hold {"weights": {"<cell>-<hidden>-seed<seed>": ...}}`,
      );
    }
    o.init = weights as CrossValidateOptions["init"];
  }
  return o;
}

/** The cross-validation options the flags describe (tutorial defaults when there is no --data). */
function cvOptions(flags: FlagValues, tutorial: boolean): CrossValidateOptions {
  const get = (name: string) => flags[name] as string | undefined;
  const options: CrossValidateOptions = { ...(tutorial ? TUTORIAL : {}), ...modelOptions(flags) };
  for (const key of ["outer", "inner"] as const) {
    if (get(key) !== undefined) options[key] = numberFlag(key, get(key)!, { integer: true, min: 2 });
  }
  const split: NonNullable<CrossValidateOptions["split"]> = {};
  if (get("level") !== undefined) {
    split.level = choiceFlag("level", get("level")!, ["block", "trial"] as const);
  }
  if (get("folds") !== undefined) {
    split.folds = jsonFileFlag("folds", get("folds")!) as GivenOuterFold[] | GivenSplit;
    if (tutorial) {
      delete options.outer;
      delete options.inner;
    }
  }
  if (Object.keys(split).length > 0) options.split = split;
  if (get("dim-test") !== undefined) {
    options.dimensionality = { test: choiceFlag("dim-test", get("dim-test")!, ["ttest", "mean"] as const) };
  }
  if (flags.equations) options.equations = {};
  return options;
}

/** The file beside the results that records the command that made them (shown by `deno task report`). */
export const COMMAND_FILE = "command.txt";

/** The command line as a user would retype it: each argument quoted when it holds a space or a quote. */
export function commandLine(args: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  return ["deno task fit", ...args.map(quote)].join(" ");
}

/**
 * With --subject-folds: the folds over the data's subjects (`subjectFolds`) as user-given folds, in place of
 * --outer and --inner, which they carry. Checked before any work: it needs --data, and excludes --folds and
 * --level trial.
 */
function subjectFoldsFlag(flags: FlagValues, options: CrossValidateOptions, tutorial: boolean) {
  const text = flags["subject-folds"] as string | undefined;
  if (text === undefined) return undefined;
  const mode = choiceFlag("subject-folds", text, SUBJECT_FOLD_MODES);
  if (tutorial) throw new UsageError("--subject-folds needs --data (a file whose blocks carry a subject)");
  if (flags.folds !== undefined) throw new UsageError("--subject-folds and --folds exclude each other");
  if (options.split?.level === "trial") {
    throw new UsageError("--subject-folds splits whole blocks: drop --level trial");
  }
  return (data: Dataset) => {
    const folds = subjectFolds(data, mode, {
      outer: options.outer ?? CV.outer.default,
      inner: options.inner ?? CV.inner.default,
    });
    delete options.outer;
    delete options.inner;
    options.split = { ...options.split, folds };
  };
}

async function runCrossValidation(flags: FlagValues, io: Console, args: readonly string[]): Promise<void> {
  const tutorial = flags.data === undefined;
  const out = flags.out as string | undefined;
  const options = cvOptions(flags, tutorial);
  const applySubjectFolds = subjectFoldsFlag(flags, options, tutorial);
  if (flags.equations && (flags.merge || flags.shard !== undefined)) {
    // Equations are read from the networks selection keeps, so they need every instance of the run.
    throw new UsageError(
      `--equations does not apply with --${
        flags.merge ? "merge" : "shard"
      }; once the shards are merged, run the same command with --equations and neither flag`,
    );
  }
  if (flags.merge) {
    if (flags.shard !== undefined) throw new UsageError("--merge and --shard exclude each other");
    if (out === undefined) throw new UsageError("--merge needs --out DIR (the folder the shards wrote)");
    // The shards' folds came from the data's subjects: the merge rebuilds them from the same data.
    applySubjectFolds?.(loadDataFromFlags(flags));
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
  if (out !== undefined) await checkOutputFolder(out, "--out");
  const data = tutorial ? tutorialData() : loadDataFromFlags(flags);
  applySubjectFolds?.(data);
  const label = options.shard ? `fit ${options.shard.index}/${options.shard.count}` : "fit";
  // Said at the first report, once the options are known to be valid, so a bad flag stays a one-line error.
  const note = tutorial
    ? "no --data: running the embedded tutorial (MF agent, 2-armed bandit, 500 x 20 trials)"
    : "";
  const progress = cvProgress(io, flags.quiet === true, label, note);
  const started = performance.now();
  // With --out, crossValidate also keeps the data beside the results (data.json) for portrait and report.
  const summary = await crossValidate(data, {
    ...options,
    ...(out === undefined ? {} : { resultsDir: out }),
    onProgress: progress.onProgress,
  });
  progress.finish();
  const elapsed = formatDuration(performance.now() - started);
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
    try {
      await Deno.writeTextFile(`${out}/${COMMAND_FILE}`, `${commandLine(args)}\n`);
    } catch (error) {
      throw outputError(`${out}/${COMMAND_FILE}`, error);
    }
    const figures = await writeRunFigures(await loadResults(out, { data }), `${out}/figures`, {
      outerFolds: "first",
    });
    io.out(
      `wrote ${figures.length} figures to ${out}/figures/ (every outer fold: deno task portrait --results ${out}; an HTML page: deno task report --results ${out})`,
    );
  }
}

async function runSingle(flags: FlagValues, io: Console): Promise<void> {
  for (
    const flag of [
      "shard",
      "merge",
      "allow-partial",
      "outer",
      "inner",
      "folds",
      "subject-folds",
      "level",
      "dim-test",
      "equations",
    ]
  ) {
    if (flags[flag] !== undefined) throw new UsageError(`--${flag} does not apply with --single`);
  }
  const options: FitSingleOptions = modelOptions(flags);
  if (options.cells?.length === 0 && options.cognitive === undefined) {
    throw new UsageError("nothing to fit: give --cell/--hidden or --cognitive");
  }
  const fractionFlag = (name: string, i: number) =>
    flags[name] === undefined ? fraction[i] : numberFlag(name, flags[name] as string, { min: 0 });
  options.fractions = [fractionFlag("train", 0), fractionFlag("val", 1), fractionFlag("test", 2)];
  const splitSeed = flags["split-seed"] === undefined
    ? FIT_SINGLE_OPTIONS.splitSeed.default
    : numberFlag("split-seed", flags["split-seed"] as string, { integer: true, min: 0 });
  options.splitSeed = splitSeed;
  const out = flags.out as string | undefined;
  if (out !== undefined) options.resultsDir = out;
  const data = flags.data === undefined ? tutorialData() : loadDataFromFlags(flags);
  let bar: Progress | undefined;
  options.onProgress = (p) => {
    bar ??= createProgress({
      total: p.total,
      label: "fit",
      quiet: flags.quiet === true,
      stream: Deno.stderr,
    });
    if (p.done) bar.update(p.finished);
  };
  const result = await fitSingle(data, options);
  bar?.finish();
  const { train, val, test } = result.split;
  io.out(
    `single split (seed ${splitSeed}): ${train.length} train, ${val.length} validation, ${test.length} test blocks`,
  );
  io.out(formatSingleFit(result));
  if (out !== undefined) io.out(`wrote ${result.files.length} model files to ${out}/`);
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  if (flags.single) await runSingle(flags, io);
  else await runCrossValidation(flags, io, args);
}

/** The `fit` subcommand. */
export const command: Command = {
  name: "fit",
  summary: "fit tiny RNNs and cognitive models to choice data, with nested cross-validation",
  help,
  run,
};
