/**
 * `tinyrnn simulate`: simulate a cognitive model on a task and write the data set as CSV or JSON.
 *
 * Model parameters are flags named after the parameter in kebab case (`--alpha 0.5 --i-temp 2`; the
 * parameter's own spelling `--iTemp` is accepted too), as are task options (`--block-length 30 --probs 0.3,0.7`). The set of valid flags therefore depends on `--agent`
 * and `--task`, which are read first.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import {
  type FlagSpecs,
  formatFlags,
  kebabCase,
  numberFlag,
  numberListFlag,
  parseFlags,
  peekFlags,
  UsageError,
} from "./args.ts";
import { cognitive, type CognitiveModel, listCognitiveModels } from "../src/agents/cognitive.ts";
import { findCognitiveModel } from "../src/agents/registry.ts";
import { simulate } from "../src/simulate.ts";
import { tasks } from "../src/tasks/mod.ts";
import type { Task } from "../src/tasks/task.ts";
import { saveCsv, toCsv } from "../src/data/csv.ts";
import { withRecordedColumns } from "../src/data/recorded.ts";
import { saveJson, toJson } from "../src/data/json.ts";
import { suggest } from "../src/options.ts";
import { checkOutputFile, outputError } from "../src/cv/store.ts";

type TaskName = keyof typeof tasks;

const BASE_FLAGS: FlagSpecs = {
  agent: {
    type: "string",
    value: "MODEL",
    description: "cognitive model, e.g. MB0 (alias MF), MB1, LS0, RC",
  },
  task: {
    type: "string",
    value: "TASK",
    description: `task: ${Object.keys(tasks).join(", ")}`,
    default: "bandit",
  },
  blocks: { type: "string", value: "N", description: "number of blocks (episodes)", default: "100" },
  trials: { type: "string", value: "N", description: "trials per block", default: "100" },
  seed: { type: "string", value: "N", description: "random seed, an integer in [0, 2^32)", default: "0" },
  out: {
    type: "string",
    short: "o",
    value: "FILE",
    description: "output file; .json writes JSON, anything else CSV; - or absent: CSV on stdout",
  },
  format: { type: "string", value: "csv|json", description: "output format, overriding the file extension" },
  "no-probs": {
    type: "boolean",
    description:
      "leave out the recorded columns p0, p1, ... (reward probabilities) and p_action0 (choice probability)",
  },
  "p-transit": {
    type: "string",
    value: "P",
    description: "P(common transition) assumed by the MB models",
    default: "1 on bandit tasks, 0.8 on two-stage tasks",
  },
  "good-prob": {
    type: "string",
    value: "P",
    description: "good-state reward probability assumed by LS0/LS1",
    default: "0.7 on bandit tasks, 0.8 on two-stage tasks",
  },
  quiet: { type: "boolean", short: "q", description: "no summary line" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** `two-stage`, `two_stage` and `twoStage` all name `tasks.twoStage`. */
function resolveTaskName(text: string): TaskName {
  const names = Object.keys(tasks) as TaskName[];
  const normal = (s: string) => s.replace(/[-_]/g, "").toLowerCase();
  const found = names.find((name) => normal(name) === normal(text));
  if (found) return found;
  const hint = suggest(text, names);
  throw new UsageError(
    `unknown task ${JSON.stringify(text)}${hint ? ` (did you mean "${hint}"?)` : ""}; tasks: ${
      names.join(", ")
    }`,
  );
}

/** The options a task factory accepts, with their defaults (a default task's `params`). */
function taskOptionDefaults(name: TaskName): Record<string, unknown> {
  return { ...(tasks[name] as () => Task)().params };
}

function taskFlags(name: TaskName): FlagSpecs {
  const flags: FlagSpecs = {};
  for (const [option, fallback] of Object.entries(taskOptionDefaults(name))) {
    const flag = kebabCase(option);
    const list = Array.isArray(fallback);
    flags[flag] = {
      type: "string",
      value: list ? "P,P" : "X",
      description: `task option ${option}${list ? " (comma-separated)" : ""}`,
      default: list ? (fallback as unknown[]).join(",") : String(fallback),
    };
    if (option !== flag) flags[option] = { ...flags[flag], hidden: true };
  }
  return flags;
}

function agentFlags(model: CognitiveModel): FlagSpecs {
  const flags: FlagSpecs = {};
  // Dashed like every other flag (--i-temp); the parameter's own spelling (--iTemp) is a hidden alias.
  model.paramNames.forEach((param, i) => {
    const kebab = kebabCase(param);
    flags[kebab] = {
      type: "string",
      value: "X",
      description: `model parameter ${param} (range ${model.paramRanges[i]})`,
      default: String(model.paramVector[i]),
    };
    if (kebab !== param) flags[param] = { ...flags[kebab], hidden: true };
  });
  return flags;
}

function modelsOverview(): string {
  return listCognitiveModels().map((name) => {
    const definition = findCognitiveModel(name);
    const aliases = definition.aliases?.length ? ` (alias ${definition.aliases.join(", ")})` : "";
    return `  ${name}${aliases}: ${
      definition.paramNames.map((p) => `--${kebabCase(p)}`).join(" ")
    }  ${definition.description}`;
  }).join("\n");
}

function tasksOverview(): string {
  return (Object.keys(tasks) as TaskName[]).map((name) => {
    const options = Object.entries(taskFlags(name)).filter(([, s]) => !s.hidden)
      .map(([flag, spec]) => `--${flag} ${spec.default}`);
    return `  ${name}${options.length ? `: ${options.join(" ")}` : " (no options)"}`;
  }).join("\n");
}

function help(args: readonly string[]): string {
  const peeked = peekFlags(args, ["agent", "task"]);
  const lines = [
    "Usage: deno task simulate --agent MODEL [--<param> X ...] [--task TASK [--<task-option> X ...]]",
    "                          [--blocks N] [--trials N] [--seed N] [--out FILE]",
    "",
    "Simulate a cognitive model on a task and write one row per trial (block, trial, action, state, reward,",
    "plus the recorded p0, p1, ... and p_action0 columns) as CSV, or the complete data set as JSON.",
    "",
    "Example (the tutorial's data set):",
    "  deno task simulate --agent MB0 --alpha 0.5 --i-temp 2 --task bandit --blocks 500 --trials 20 --seed 42 --out data.csv",
    "",
    "Flags:",
    formatFlags(BASE_FLAGS),
  ];
  let agentKnown = false;
  if (peeked.agent) {
    try {
      const model = cognitive(peeked.agent);
      lines.push("", `Parameters of ${model.name}:`, formatFlags(agentFlags(model)));
      agentKnown = true;
    } catch { /* an unknown model: fall back to the overview */ }
  }
  if (!agentKnown) {
    lines.push("", "Models and their parameter flags (defaults: the original's):", modelsOverview());
  }
  let taskKnown = false;
  if (peeked.task) {
    try {
      const name = resolveTaskName(peeked.task);
      const flags = taskFlags(name);
      lines.push("", `Options of task ${name}:`, Object.keys(flags).length ? formatFlags(flags) : "  (none)");
      taskKnown = true;
    } catch { /* an unknown task: fall back to the overview */ }
  }
  if (!taskKnown) lines.push("", "Tasks and their option flags (with defaults):", tasksOverview());
  return lines.join("\n");
}

function unknownFlagHint(
  error: UsageError,
  model: CognitiveModel,
  taskName: TaskName,
  taskFlagSpecs: FlagSpecs,
): Error {
  const flag = /unknown flag --([^ =;(]+)/.exec(error.message)?.[1];
  if (!flag) return error;
  const otherModels = listCognitiveModels().filter((name) =>
    findCognitiveModel(name).paramNames.some((p) => p === flag || kebabCase(p) === flag)
  );
  if (otherModels.length > 0) {
    return new UsageError(
      `--${flag} is not a parameter of ${model.name} (its parameters: ${
        model.paramNames.join(", ")
      }; ${flag} belongs to ${otherModels.join(", ")})`,
    );
  }
  const taskWithOption = (Object.keys(tasks) as TaskName[]).find((name) => flag in taskFlags(name));
  if (taskWithOption) {
    const own = Object.keys(taskFlagSpecs).filter((f) => !taskFlagSpecs[f].hidden);
    return new UsageError(
      `--${flag} is not an option of task ${taskName} (${
        own.length ? `its options: ${own.join(", ")}` : "it has none"
      }; it is an option of ${taskWithOption})`,
    );
  }
  return error;
}

async function run(args: readonly string[], io: Console): Promise<void> {
  const peeked = peekFlags(args, ["agent", "task"]);
  if (!peeked.agent) {
    if (args.some((a) => a === "--agent" || a.startsWith("--agent="))) {
      throw new UsageError("--agent needs a value (--agent MODEL)");
    }
    throw new UsageError(`--agent is required (one of ${listCognitiveModels().join(", ")}); see --help`);
  }
  const defaultModel = cognitive(peeked.agent);
  const taskName = resolveTaskName(peeked.task ?? "bandit");
  const modelFlagSpecs = agentFlags(defaultModel);
  const taskFlagSpecs = taskFlags(taskName);
  let flags;
  try {
    flags = parseFlags(args, { ...BASE_FLAGS, ...modelFlagSpecs, ...taskFlagSpecs });
  } catch (error) {
    throw error instanceof UsageError ? unknownFlagHint(error, defaultModel, taskName, taskFlagSpecs) : error;
  }
  const text = (name: string) => flags[name] as string | undefined;

  const params: Record<string, number> = {};
  for (const [flag, spec] of Object.entries(modelFlagSpecs)) {
    const value = text(flag);
    if (value === undefined) continue;
    const param = spec.hidden ? flag : defaultModel.paramNames.find((p) => kebabCase(p) === flag)!;
    if (param in params) {
      throw new UsageError(`--${kebabCase(param)} and --${param} are the same parameter; give it once`);
    }
    params[param] = numberFlag(flag, value);
  }
  // Two-stage tasks get the constants of the original's two-stage (RTS) model family unless told otherwise.
  const twoStage = (tasks[taskName] as () => Task)().kind === "twoStage";
  const cognitiveOptions: Record<string, number> = twoStage ? { pTransit: 0.8, goodProb: 0.8 } : {};
  if (text("p-transit") !== undefined) {
    cognitiveOptions.pTransit = numberFlag("p-transit", text("p-transit")!);
  }
  if (text("good-prob") !== undefined) {
    cognitiveOptions.goodProb = numberFlag("good-prob", text("good-prob")!);
  }
  const agent = cognitive(defaultModel.name, params, cognitiveOptions);

  const defaults = taskOptionDefaults(taskName);
  const taskOptions: Record<string, unknown> = {};
  for (const option of Object.keys(defaults)) {
    const flag = [kebabCase(option), option].find((f) => text(f) !== undefined);
    if (flag === undefined) continue;
    taskOptions[option] = Array.isArray(defaults[option])
      ? numberListFlag(flag, text(flag)!)
      : numberFlag(flag, text(flag)!);
  }
  const task = (tasks[taskName] as (options: Record<string, unknown>) => Task)(taskOptions);

  const blocks = numberFlag("blocks", text("blocks") ?? "100", { integer: true, min: 1 });
  const trials = numberFlag("trials", text("trials") ?? "100", { integer: true, min: 1 });
  const seed = numberFlag("seed", text("seed") ?? "0", { integer: true, min: 0, max: 2 ** 32 - 1 });
  const out = text("out");
  const format = text("format") ?? (out?.toLowerCase().endsWith(".json") ? "json" : "csv");
  if (format !== "csv" && format !== "json") {
    throw new UsageError(`--format must be csv or json, got ${JSON.stringify(format)}`);
  }

  if (out !== undefined && out !== "-") await checkOutputFile(out, "--out");

  const simulated = simulate(agent, task, { blocks, trials, seed });
  const recorded = flags["no-probs"] ? simulated : withRecordedColumns(simulated);
  const data = { ...recorded, meta: { ...recorded.meta, agentSettings: { ...agent.settings } } };
  if (out === undefined || out === "-") {
    const body = format === "json" ? toJson(data) : toCsv(data, { recorded: !flags["no-probs"] });
    await writeAll(Deno.stdout, body);
  } else {
    try {
      if (format === "json") saveJson(data, out);
      else saveCsv(data, out, { recorded: !flags["no-probs"] });
    } catch (error) {
      throw outputError(out, error);
    }
  }
  if (!flags.quiet) {
    const paramText = Object.entries(agent.params).map(([k, v]) => `${k}=${v}`).join(", ");
    io.err(
      `wrote ${
        out && out !== "-" ? out : "stdout"
      }: ${blocks} blocks x ${trials} trials of ${agent.name} (${paramText}) on ${task.name}, seed ${seed}`,
    );
  }
}

async function writeAll(stream: { write(bytes: Uint8Array): Promise<number> }, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  while (offset < bytes.length) offset += await stream.write(bytes.subarray(offset));
}

/** The `simulate` subcommand. */
export const command: Command = {
  name: "simulate",
  summary: "simulate choice data from a cognitive model on a task, write CSV/JSON",
  help,
  run,
};
