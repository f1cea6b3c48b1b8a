/**
 * The contract between `cli/main.ts` and a subcommand file: each file exports `command`, a {@link Command}.
 *
 * @module
 */

/** Where a command writes its messages (a fake one in tests). Bulk data may go to `Deno.stdout` directly. */
export interface Console {
  /** One message for stdout (a newline is added). */
  out(text: string): void;
  /** One message for stderr (a newline is added). */
  err(text: string): void;
}

/** A subcommand of the `tinyrnn` command line. */
export interface Command {
  /** The word that selects it, e.g. `"simulate"`. */
  readonly name: string;
  /** One line for the main help. */
  readonly summary: string;
  /** Full help text; `args` lets it specialise (e.g. `simulate --agent MB1 --help` lists MB1's parameters). */
  help(args: readonly string[]): string;
  /**
   * Run with the arguments after the subcommand. Throw a `TinyRnnInputError` (exit 1) for bad input; any other
   * error is an internal error (exit 2). `--help` is handled before `run` is called.
   */
  run(args: readonly string[], io: Console): Promise<void> | void;
}
