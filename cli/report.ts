/**
 * `tinyrnn report`: one self-contained HTML page (tables and inline SVG figures) for a results folder.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import { type FlagSpecs, formatFlags, optionFlag, parseFlags } from "./args.ts";
import { DATA_FLAGS } from "./data_flags.ts";
import { loadDataFromFlags, loadRunFromFlags } from "./data_flags.ts";
import { outerFoldsFlags, outerFoldsFromFlags } from "./portrait.ts";
import { buildReport, type FoldEquations, REPORT_OPTIONS } from "../src/report/html.ts";
import type { ResultsRun } from "../src/report/results.ts";
import { DiscoveredEquations } from "../src/equations/discovered.ts";
import { TinyRnnInputError } from "../src/options.ts";
import { RUN_DATA_FILES } from "../src/report/results.ts";
import { checkOutputFile, outputError } from "../src/cv/store.ts";
import { distillPortraits, distillReport, isDistillFolder, loadDistill } from "../src/report/distill.ts";
import { findRunData } from "../src/report/results.ts";

const FLAGS: FlagSpecs = {
  results: {
    type: "string",
    value: "DIR",
    description: "results folder of `deno task fit` or `deno task distill` (with summary.json)",
  },
  out: {
    type: "string",
    short: "o",
    value: "FILE",
    description: "the HTML file to write",
    default: "<results>/report.html",
  },
  title: optionFlag(REPORT_OPTIONS.title),
  ...outerFoldsFlags("first"),
  ...DATA_FLAGS,
  quiet: { type: "boolean", short: "q", description: "no progress line per figure" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

function help(): string {
  return [
    "Usage: deno task report --results DIR [--out FILE] [--title TEXT] [--outer-folds all|first]",
    "                        [--data FILE]",
    "",
    "Write one self-contained HTML page (no other files, no scripts): the model table (pooled test NLL,",
    "SEM, accuracy, per-fold losses), the dimensionality estimate with its p-values, the cognitive models",
    "against the RNN curve, the selected instances, and the figures of `deno task portrait` inline: per model",
    "those of the first outer fold's selected instance, or of every fold with --outer-folds all (portraits of large",
    "data sets make the page a few MB).",
    "",
    `Portraits need the run's data: ${RUN_DATA_FILES.join(" or ")} in the results folder, or --data FILE.`,
    "Equations that `deno task equations` wrote into <results>/equations/ are shown after their model's figures.",
    "",
    "Example:",
    "  deno task report --results results/tutorial --out report.html",
    "",
    "Flags:",
    formatFlags(FLAGS),
  ].join("\n");
}

/** The rules `deno task equations` wrote (`<dir>/equations/<model>/equations_outer<k>.json`), by model. */
async function writtenEquations(run: ResultsRun): Promise<Record<string, FoldEquations[]>> {
  const found: Record<string, FoldEquations[]> = {};
  for (const model of run.models) {
    const id = model.aggregate.model;
    for (const { row } of model.selected) {
      const path = `${run.dir}/equations/${id}/equations_outer${row.outer}.json`;
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        throw new TinyRnnInputError(`cannot read ${path}: ${(error as Error).message}`);
      }
      try {
        (found[id] ??= []).push({ outer: row.outer, equations: DiscoveredEquations.fromJSON(text) });
      } catch (error) {
        throw new TinyRnnInputError(
          `${path}: ${(error as Error).message}; rerun \`deno task equations --results ${run.dir}\``,
        );
      }
    }
  }
  return found;
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  const dir = flags.results as string | undefined;
  if (dir !== undefined && await isDistillFolder(dir)) {
    // A folder of `deno task distill`: its own page (pooled table, population figure, subjects).
    const out = (flags.out as string | undefined) ?? `${dir}/report.html`;
    await checkOutputFile(out, "--out");
    const result = await loadDistill(dir);
    const data = flags.data !== undefined ? loadDataFromFlags(flags) : (await findRunData(dir))?.data;
    const portraits = data ? await distillPortraits(dir, result, data) : [];
    const html = distillReport(result, { title: flags.title as string | undefined, portraits });
    try {
      await Deno.writeTextFile(out, html);
    } catch (error) {
      throw outputError(out, error);
    }
    io.out(`wrote ${out} (${Math.round(html.length / 1024)} KiB)`);
    return;
  }
  const results = await loadRunFromFlags(flags);
  const out = (flags.out as string | undefined) ?? `${results.dir}/report.html`;
  // Before drawing every figure: a place the page cannot be written to is reported now.
  await checkOutputFile(out, "--out");
  // `deno task fit --out` records its command beside the results; a folder made otherwise has none.
  const command = await Deno.readTextFile(`${results.dir}/command.txt`).then(
    (t) => t.trim(),
    () => undefined,
  );
  const html = buildReport(results, {
    title: flags.title as string | undefined,
    ...(command ? { command } : {}),
    outerFolds: outerFoldsFromFlags(flags, "first"),
    equations: await writtenEquations(results),
    onFigure: (figure) => {
      if (!flags.quiet) io.err(`drawn ${figure.name}`);
    },
  });
  try {
    await Deno.writeTextFile(out, html);
  } catch (error) {
    throw outputError(out, error);
  }
  io.out(`wrote ${out} (${Math.round(html.length / 1024)} KiB)`);
}

/** The `report` subcommand. */
export const command: Command = {
  name: "report",
  summary: "write a self-contained HTML report of a results folder",
  help,
  run,
};
