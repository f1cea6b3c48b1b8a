/**
 * The `tinyrnn` command line: `deno run cli/main.ts <subcommand> [flags]` (or `deno task <subcommand>`).
 *
 * Each subcommand is one file in `cli/` exporting `command` (see `cli/command.ts`) and one row in
 * {@link SUBCOMMANDS}. Exit status: 0 success, 1 bad input (one line naming the problem), 2 internal error.
 *
 * @module
 */

import type { Command, Console } from "./command.ts";
import { suggest, TinyRnnInputError } from "../src/options.ts";

/** A subcommand's file (relative to this one) and its one-line summary for the main help. */
export interface SubcommandEntry {
  file: string;
  summary: string;
}

/** Every subcommand: adding one is a file in `cli/` plus a row here. */
export const SUBCOMMANDS: Readonly<Record<string, SubcommandEntry>> = {
  simulate: {
    file: "./simulate.ts",
    summary: "simulate choice data from a cognitive model on a task, write CSV/JSON",
  },
  fit: {
    file: "./fit.ts",
    summary: "fit tiny RNNs and cognitive models to choice data, with nested cross-validation",
  },
  portrait: { file: "./portrait.ts", summary: "draw phase portraits and vector fields of fitted models" },
  report: { file: "./report.ts", summary: "write a self-contained HTML report of a results folder" },
  cluster: {
    file: "./cluster.ts",
    summary: "run a cross-validation as shards on Slurm (job array + merge job) or Kubernetes (Indexed Job)",
  },
  inspect: { file: "./inspect.ts", summary: "read, validate and summarise a data file (CSV or JSON)" },
};

/** Exit statuses of the command line. */
export const EXIT = { ok: 0, badInput: 1, internal: 2 } as const;

/** The main help text. */
export function mainHelp(): string {
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

/** Load a subcommand's module; a file that does not exist yet is reported as such (bad input, exit 1). */
export async function loadCommand(name: string): Promise<Command> {
  const entry = SUBCOMMANDS[name];
  if (!entry) {
    const hint = suggest(name, Object.keys(SUBCOMMANDS));
    throw new TinyRnnInputError(
      `unknown command ${JSON.stringify(name)}${hint ? ` (did you mean "${hint}"?)` : ""}; commands: ${
        Object.keys(SUBCOMMANDS).join(", ")
      }`,
    );
  }
  const url = new URL(entry.file, import.meta.url);
  if (url.protocol === "file:" && !fileExists(url)) {
    throw new TinyRnnInputError(`the "${name}" command is not available yet in this version of tinyrnn`);
  }
  const module = await import(url.href) as { command?: Command };
  if (!module.command || typeof module.command.run !== "function") {
    throw new Error(`cli/${entry.file.slice(2)} does not export a command`);
  }
  return module.command;
}

function fileExists(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch (error) {
    // Without read permission we cannot tell; let the import decide.
    return !(error instanceof Deno.errors.NotFound);
  }
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
