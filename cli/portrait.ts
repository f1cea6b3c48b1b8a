/**
 * `tinyrnn portrait`: every figure of a cross-validation results folder, as SVG (and PNG): loss and accuracy
 * versus d, and per model the logit portrait, the vector field (2-D models) and the training curves of the
 * instance selected for each outer fold.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import { type FlagSpecs, type FlagValues, formatFlags, optionFlag, parseFlags, UsageError } from "./args.ts";
import { DATA_FLAGS, loadRunFromFlags } from "./data_flags.ts";
import { RUN_DATA_FILES } from "../src/report/results.ts";
import { RUN_FIGURES_OPTIONS, writeRunFigures } from "../src/report/figures.ts";
import { checkOutputFolder } from "../src/cv/store.ts";

/**
 * `--outer-folds all|first`, the one flag of `portrait` and `report` for which outer folds' selected instances
 * are drawn, with the older switches `--first-fold` and `--all-folds` as hidden aliases. `fallback` is the
 * command's default, the same as its library function's.
 */
export function outerFoldsFlags(fallback: "all" | "first"): FlagSpecs {
  return {
    "outer-folds": optionFlag(RUN_FIGURES_OPTIONS.outerFolds, {
      description: "per model, figures of the instance selected in every outer fold (all) or the first only",
      default: fallback,
    }),
    "first-fold": { type: "boolean", hidden: true, description: "= --outer-folds first" },
    "all-folds": { type: "boolean", hidden: true, description: "= --outer-folds all" },
  };
}

/** The value of {@link outerFoldsFlags}: `--outer-folds`, or an alias, or `fallback`. */
export function outerFoldsFromFlags(flags: FlagValues, fallback: "all" | "first"): "all" | "first" {
  const given = flags["outer-folds"] as string | undefined;
  if (given !== undefined && given !== "all" && given !== "first") {
    throw new UsageError(`--outer-folds must be all or first, got ${JSON.stringify(given)}`);
  }
  const aliases = [flags["first-fold"] ? "first" : undefined, flags["all-folds"] ? "all" : undefined]
    .filter((v) => v !== undefined);
  const all = [...new Set([given, ...aliases].filter((v) => v !== undefined))];
  if (all.length > 1) {
    throw new UsageError("--outer-folds, --first-fold and --all-folds disagree; give --outer-folds only");
  }
  return (all[0] as "all" | "first" | undefined) ?? fallback;
}

const FLAGS: FlagSpecs = {
  results: {
    type: "string",
    value: "DIR",
    description: "results folder of `deno task fit` (with summary.json)",
  },
  out: {
    type: "string",
    short: "o",
    value: "DIR",
    description: "folder for the figures",
    default: "figures",
  },
  png: { type: "boolean", description: "also write a PNG beside every SVG" },
  ...outerFoldsFlags("all"),
  ...DATA_FLAGS,
  quiet: { type: "boolean", short: "q", description: "no line per figure, only the final count" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

function help(): string {
  return [
    "Usage: deno task portrait --results DIR [--out DIR] [--png] [--outer-folds all|first] [--data FILE]",
    "",
    "Draw every figure of a cross-validation run:",
    "  loss_vs_d.svg, accuracy_vs_d.svg         pooled test NLL / accuracy versus d (SEM bars)",
    "  <model>/portrait_outer<k>.svg            logit versus logit change, one colour per trial type",
    "  <model>/vector_field_outer<k>.svg        2-D models: one-trial flow per input, fixed points",
    "  <model>/training_outer<k>.svg            train/validation loss per epoch, kept epoch marked",
    "for the instance selected in each outer fold k.",
    "",
    `Portraits run the models on the run's data: ${
      RUN_DATA_FILES.join(" or ")
    } in the results folder, or --data FILE.`,
    "",
    "Example:",
    "  deno task portrait --results results/tutorial --out figures/ --png",
    "",
    "Flags:",
    formatFlags(FLAGS),
  ].join("\n");
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  const out = ((flags.out as string | undefined) ?? "figures").replace(/(.)\/+$/, "$1");
  const results = await loadRunFromFlags(flags);
  await checkOutputFolder(out, "--out");
  let skipped = 0;
  let skipReason = "";
  const written = await writeRunFigures(results, out, {
    png: flags.png === true,
    outerFolds: outerFoldsFromFlags(flags, "all"),
    onSkip: (s) => {
      skipped++;
      skipReason = s.reason;
    },
    onWrite: (_figure, paths) => {
      if (!flags.quiet) io.out(paths.join("  "));
    },
  });
  if (skipped > 0) {
    io.err(`tinyrnn portrait: ${skipped} portrait(s) not drawn: ${skipReason}`);
  }
  io.out(`${written.length} file(s) written to ${out}/`);
}

/** The `portrait` subcommand. */
export const command: Command = {
  name: "portrait",
  summary: "draw phase portraits and vector fields of fitted models",
  help,
  run,
};
