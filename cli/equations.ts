/**
 * `tinyrnn equations`: the update rule of the networks a cross-validation kept, as sparse equations per trial
 * type (`discoverEquations`), one rule per outer fold, read from the selected network on the blocks it was
 * trained on. Prints them and writes each as JSON (the `toJSON` form, which `equationModel` takes back) and
 * Markdown (the rule as text and as LaTeX) into the results folder.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import {
  choiceFlag,
  type FlagSpecs,
  formatFlags,
  listFlag,
  numberFlag,
  optionFlag,
  parseFlags,
  UsageError,
} from "./args.ts";
import { DATA_FLAGS, loadRunFromFlags } from "./data_flags.ts";
import type { Block, Dataset } from "../src/data/dataset.ts";
import { discoverEquations } from "../src/equations/discover.ts";
import { DISCOVER_OPTIONS, type DiscoverEquationsOptions } from "../src/equations/discover_options.ts";
import { LIBRARY_FUNCTIONS, type LibraryFunction } from "../src/equations/library.ts";
import { equationModel } from "../src/equations/equation_model.ts";
import type { InstanceRecord } from "../src/cv/store.ts";
import { checkOutputFolder, writeAtomic } from "../src/cv/store.ts";
import { modelOfRecord } from "../src/cv/model_of_record.ts";
import { RUN_DATA_FILES } from "../src/report/results.ts";
import { TinyRnnInputError } from "../src/options.ts";

const FLAGS: FlagSpecs = {
  results: {
    type: "string",
    value: "DIR",
    description: "results folder of `deno task fit` (with summary.json)",
  },
  model: {
    type: "string",
    short: "m",
    value: "LIST",
    description: "networks to read, e.g. gru-1,gru-2",
    default: "every network with d <= 2",
  },
  out: {
    type: "string",
    short: "o",
    value: "DIR",
    description: "folder for the files",
    default: "<results>/equations",
  },
  order: optionFlag(DISCOVER_OPTIONS.order),
  functions: optionFlag(DISCOVER_OPTIONS.functions),
  space: optionFlag(DISCOVER_OPTIONS.space),
  selection: optionFlag(DISCOVER_OPTIONS.selection),
  ...DATA_FLAGS,
  quiet: { type: "boolean", short: "q", description: "no equations on stdout, only the files written" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

function help(): string {
  return [
    "Usage: deno task equations --results DIR [--model gru-1] [--order 2] [--functions sigmoid,tanh] [--out DIR]",
    "",
    "Discover the update rule of each network a cross-validation kept (one per outer fold): per trial type,",
    "a sparse polynomial equation for the next logit L (d = 1) or the next state (d = 2), chosen by",
    "thresholded least squares with the threshold cross-validated over the blocks the network was trained on.",
    "Prints the rules and writes, per model and outer fold k:",
    "  <out>/<model>/equations_outer<k>.json   the rule (equationModel() reads it back)",
    "  <out>/<model>/equations_outer<k>.md     the rule as text and as LaTeX",
    "",
    `The networks run on the run's data: ${
      RUN_DATA_FILES.join(" or ")
    } in the results folder, or --data FILE.`,
    "`deno task fit` with equations (crossValidate's equations option) also scores the rules on the test blocks.",
    "",
    "Example:",
    "  deno task equations --results results/tutorial --model gru-1 --order 2",
    "",
    "Flags:",
    formatFlags(FLAGS),
  ].join("\n");
}

/** The blocks a record was trained on, with the training masks of a trial-level split. */
function trainingData(data: Dataset, record: InstanceRecord): Dataset {
  const { train, trainMask } = record.folds;
  const blocks: Block[] = train.map((b, i) => {
    const block = data.blocks[b];
    if (block === undefined) {
      throw new TinyRnnInputError(
        `instance ${record.id}: training block ${b} is not in the data (${data.blocks.length} blocks)`,
      );
    }
    if (!trainMask) return block;
    const own = block.mask;
    return { ...block, mask: trainMask[i].map((m, t) => m * (own ? own[t] : 1)) };
  });
  return { ...data, blocks };
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const flags = parseFlags(args, FLAGS);
  const options: DiscoverEquationsOptions = {};
  if (flags.order !== undefined) {
    options.order = numberFlag("order", flags.order as string, { integer: true, min: 0, max: 6 });
  }
  if (flags.functions !== undefined) {
    options.functions = listFlag("functions", flags.functions as string).map((f) =>
      choiceFlag("functions", f, LIBRARY_FUNCTIONS)
    ) as LibraryFunction[];
  }
  if (flags.space !== undefined) {
    options.space = choiceFlag("space", flags.space as string, ["auto", "logit", "state"] as const);
  }
  if (flags.selection !== undefined) {
    options.selection = choiceFlag("selection", flags.selection as string, ["1se", "best"] as const);
  }
  const results = await loadRunFromFlags(flags);
  const data = results.data;
  if (!data) {
    throw new UsageError(
      `${results.dir}: no data set for the run (${RUN_DATA_FILES.join(" or ")}); pass --data FILE`,
    );
  }
  const networks = results.models.filter((m) => m.aggregate.kind === "rnn");
  let chosen = networks.filter((m) => m.aggregate.hidden <= 2);
  if (flags.model !== undefined) {
    const wanted = listFlag("model", flags.model as string);
    chosen = wanted.map((id) => {
      const found = networks.find((m) => m.aggregate.model === id);
      if (!found) {
        throw new UsageError(
          `--model: no network "${id}" in ${results.dir} (networks: ${
            networks.map((m) => m.aggregate.model).join(", ") || "none"
          })`,
        );
      }
      return found;
    });
  }
  if (chosen.length === 0) {
    throw new UsageError(
      `${results.dir}: no network with d <= 2 (networks: ${
        networks.map((m) => m.aggregate.model).join(", ") || "none"
      }); name one with --model and --space logit`,
    );
  }
  const out = ((flags.out as string | undefined) ?? `${results.dir}/equations`).replace(/(.)\/+$/, "$1");
  await checkOutputFolder(out, "--out");
  let written = 0;
  for (const model of chosen) {
    const id = model.aggregate.model;
    for (const { row, record } of model.selected) {
      const network = modelOfRecord(record, { kind: data.kind, nActions: data.nActions });
      const rule = discoverEquations(network, trainingData(data, record), options);
      const text = rule.toString();
      if (!flags.quiet) {
        io.out(`${id}, outer fold ${row.outer} (inner ${row.inner}, seed ${row.seed}):\n${text}\n`);
      }
      const stem = `${out}/${id}/equations_outer${row.outer}`;
      await writeAtomic(`${stem}.json`, JSON.stringify(rule, null, 1) + "\n");
      const parameters = equationModel(rule).paramNames.length;
      const markdown = [
        `# Equations of ${id}, outer fold ${row.outer}`,
        "",
        `Selected instance ${record.id}; read on its ${record.folds.train.length} training blocks; ` +
        `${parameters} coefficients.`,
        "",
        "```text",
        text,
        "```",
        "",
        "$$",
        rule.toLatex(),
        "$$",
        "",
      ].join("\n");
      await writeAtomic(`${stem}.md`, markdown);
      written += 2;
    }
  }
  io.out(`${written} file(s) written to ${out}/`);
}

/** The `equations` subcommand. */
export const command: Command = {
  name: "equations",
  summary: "discover the update rule of the selected networks as equations per trial type",
  help,
  run,
};
