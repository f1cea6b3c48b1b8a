/**
 * The `tinyrnn` command line: `deno run cli/main.ts <subcommand> [flags]` (or `deno task <subcommand>`).
 *
 * Each subcommand is one file in `cli/` exporting `command` (a {@link Command}) and one row in the
 * `SUBCOMMANDS` table below. Exit status: 0 success, 1 bad input (one line naming the problem), 2 internal
 * error.
 *
 * @example Run from the published package
 * ```sh
 * deno run -A jsr:@tinyrnn/tinyrnn/cli fit --data data.csv --hidden 1,2 --out results/
 * ```
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import { suggest, TinyRnnInputError } from "../src/options.ts";

export type { Command, Console } from "./command.ts";

/** A subcommand's module loader and its one-line summary for the main help. */
interface SubcommandEntry {
  /** Imports the subcommand's file. A literal `import()` so that type checking and publishing see every file. */
  load: () => Promise<{ command?: Command }>;
  summary: string;
}

/** Every subcommand: adding one is a file in `cli/` plus a row here. */
const SUBCOMMANDS: Readonly<Record<string, SubcommandEntry>> = {
  simulate: {
    load: () => import("./simulate.ts"),
    summary: "simulate choice data from a cognitive model on a task, write CSV/JSON",
  },
  fit: {
    load: () => import("./fit.ts"),
    summary: "fit tiny RNNs and cognitive models to choice data, with nested cross-validation",
  },
  distill: {
    load: () => import("./distill.ts"),
    summary:
      "distil a teacher network with subject embeddings into tiny per-subject students, per-subject CV",
  },
  portrait: {
    load: () => import("./portrait.ts"),
    summary: "draw phase portraits and vector fields of fitted models",
  },
  report: {
    load: () => import("./report.ts"),
    summary: "write a self-contained HTML report of a results folder",
  },
  cluster: {
    load: () => import("./cluster.ts"),
    summary: "run a cross-validation as shards on Slurm (job array + merge job) or Kubernetes (Indexed Job)",
  },
  equations: {
    load: () => import("./equations.ts"),
    summary: "discover the update rule of the selected networks as equations per trial type",
  },
  inspect: {
    load: () => import("./inspect.ts"),
    summary: "read, validate and summarise a data file (CSV or JSON)",
  },
};

/** Exit statuses of the command line. */
const EXIT = { ok: 0, badInput: 1, internal: 2 } as const;

/** The main help text. */
function mainHelp(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  return [
    "tinyrnn - tiny recurrent networks and cognitive models of reward learning",
    "(Ji-An, Benna & Mattar, Nature 2025)",
    "",
    "Usage: deno task <command> [flags]     or     deno run -A cli/main.ts <command> [flags]",
    "",
    "Commands:",
    ...Object.entries(SUBCOMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
    "",
    "Run `<command> --help` for the flags of a command.",
    "Exit status: 0 success, 1 bad input, 2 internal error.",
  ].join("\n");
}

/** Load a subcommand's module; an unknown name is bad input (exit 1) with a "did you mean". */
async function loadCommand(name: string): Promise<Command> {
  const entry = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!entry) {
    const hint = suggest(name, Object.keys(SUBCOMMANDS));
    throw new TinyRnnInputError(
      `unknown command ${JSON.stringify(name)}${hint ? ` (did you mean "${hint}"?)` : ""}; commands: ${
        Object.keys(SUBCOMMANDS).join(", ")
      }`,
    );
  }
  const module = await entry.load();
  if (!module.command || typeof module.command.run !== "function") {
    throw new Error(`cli/${name}.ts does not export a command`);
  }
  return module.command;
}

const realConsole: Console = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

/**
 * Run the command line on `args` and return the exit status (it does not exit).
 *
 * @example
 * ```ts
 * const status = await main(["simulate", "--agent", "MB0", "--out", "data.csv"]);
 * ```
 */
export async function main(args: readonly string[], io: Console = realConsole): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === "--help" || first === "-h" || first === "help" && rest.length === 0) {
    io.out(mainHelp());
    return first === undefined ? EXIT.badInput : EXIT.ok;
  }
  const name = first === "help" ? rest[0] : first;
  const commandArgs = first === "help" ? ["--help"] : rest;
  try {
    if (name.startsWith("-")) {
      throw new TinyRnnInputError(
        `expected a command before flags, got ${name}; commands: ${Object.keys(SUBCOMMANDS).join(", ")}`,
      );
    }
    const command = await loadCommand(name);
    const dashDash = commandArgs.indexOf("--");
    const flags = dashDash < 0 ? commandArgs : commandArgs.slice(0, dashDash);
    if (flags.includes("--help") || flags.includes("-h")) {
      io.out(command.help(commandArgs));
      return EXIT.ok;
    }
    await command.run(commandArgs, io);
    return EXIT.ok;
  } catch (error) {
    const prefix = `tinyrnn ${name}`;
    if (error instanceof TinyRnnInputError) {
      io.err(`${prefix}: ${oneLine(error.message)}`);
      return EXIT.badInput;
    }
    const debug = debugEnabled();
    io.err(
      `${prefix}: internal error: ${oneLine((error as Error)?.message ?? String(error))}${
        debug ? "" : " (set TINYRNN_DEBUG=1 for the stack trace)"
      }`,
    );
    if (debug && error instanceof Error && error.stack) io.err(error.stack);
    return EXIT.internal;
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, " ").trim();
}

function debugEnabled(): boolean {
  try {
    return Boolean(Deno.env.get("TINYRNN_DEBUG"));
  } catch {
    return false;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
