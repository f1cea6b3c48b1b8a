/**
 * Flag parsing for the subcommands: `node:util` `parseArgs` in strict mode, with its errors turned into one
 * line that names the flag (and suggests the nearest valid one), plus typed conversions of flag values.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { formatDefault, type OptionSpec, suggest, TinyRnnInputError } from "../src/options.ts";
import { parseNumberText } from "../src/data/number_text.ts";

/** A command-line mistake; the CLI prints its message on one line and exits with status 1. */
export class UsageError extends TinyRnnInputError {
  override name = "UsageError";
}

/** One flag: a value-taking string flag or a boolean switch, with a short description for help. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** One-letter alias, e.g. `"o"` for `--out`. */
  short?: string;
  /** Placeholder shown in help, e.g. `"N"` or `"FILE"`. */
  value?: string;
  /** One line for help. */
  description: string;
  /** Shown as "(default ...)" in help. */
  default?: string;
  /** Keep out of help (e.g. alternative spellings). */
  hidden?: boolean;
}

/** Flags by their long name (without the dashes). */
export type FlagSpecs = Record<string, FlagSpec>;

/**
 * A value flag for an option of a library schema: its placeholder, help text and default come from the option
 * (so that the flag's help cannot drift from the API's); `overrides` replace any of them, e.g. a default that
 * adds the tutorial's value. An empty default (an empty list) is not shown.
 */
export function optionFlag(spec: OptionSpec<unknown>, overrides: Partial<FlagSpec> = {}): FlagSpec {
  const shown = formatDefault(spec);
  return {
    type: "string",
    ...(spec.placeholder === undefined ? {} : { value: spec.placeholder }),
    description: spec.help,
    ...(shown === undefined || shown === "" ? {} : { default: shown }),
    ...overrides,
  };
}

/** Parsed flag values by long name: strings for value flags, `true` for switches that were given. */
export type FlagValues = Record<string, string | boolean | undefined>;

/**
 * Parse `args` strictly against `specs`. Unknown flags, a missing value and stray positional arguments are
 * `UsageError`s, e.g. `unknown flag --blcoks (did you mean --blocks?)`. A value flag given twice is an error
 * (`--data given twice`), as only one of the values could be used. A value that looks like a negative number
 * (`--seed -1`, `--l1 -1e-5`) is the flag's value, not another flag, so that its range check can answer.
 */
export function parseFlags(args: readonly string[], specs: FlagSpecs): FlagValues {
  const options = Object.fromEntries(
    Object.entries(specs).map((
      [name, spec],
    ) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
  );
  let parsed: { values: Record<string, unknown>; tokens?: { kind: string; name?: string }[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, specs),
      options,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    throw translateParseError(error, args, specs);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option" || token.name === undefined || specs[token.name]?.type !== "string") continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} given twice; give it once (lists are comma-separated: 1,2)`);
    }
    seen.add(token.name);
  }
  return { ...parsed.values } as FlagValues;
}

/** Whether a command-line word is a negative number (or a list starting with one), e.g. `-1`, `-1e-5,2`. */
function looksNegativeNumber(word: string): boolean {
  return /^-(\d|\.\d|inf(inity)?\b|nan\b)/i.test(word);
}

/** `--flag -1` as `--flag=-1` for value flags, so that parseArgs takes the number as the value. */
function joinNegativeValues(args: readonly string[], specs: FlagSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    const short = /^-([A-Za-z])$/.exec(arg)?.[1];
    const name = long ??
      (short === undefined ? undefined : Object.keys(specs).find((n) => specs[n].short === short));
    if (
      name !== undefined && Object.hasOwn(specs, name) && specs[name].type === "string" &&
      i + 1 < args.length &&
      looksNegativeNumber(args[i + 1])
    ) {
      out.push(`--${name}=${args[i + 1]}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * Pick out the values of a few flags without rejecting anything else: used to learn e.g. which model was
 * chosen before the full, strict set of flags (which depends on it) is known.
 */
export function peekFlags(
  args: readonly string[],
  names: readonly string[],
): Record<string, string | undefined> {
  const found: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    for (const name of names) {
      if (arg === `--${name}` && i + 1 < args.length && !args[i + 1].startsWith("--")) {
        found[name] = args[i + 1];
      } else if (arg.startsWith(`--${name}=`)) found[name] = arg.slice(name.length + 3);
    }
  }
  return found;
}

function translateParseError(error: unknown, args: readonly string[], specs: FlagSpecs): Error {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  const visible = Object.entries(specs).filter(([, s]) => !s.hidden).map(([name]) => name);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? "?";
    const bare = flag.replace(/^-+/, "").replace(/=.*$/, "");
    const hint = suggest(bare, Object.keys(specs));
    return new UsageError(`unknown flag ${flag}${hint ? ` (did you mean --${hint}?)` : ""}; see --help`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1] ?? "a flag";
    const bare = flag.replace(/^-+/, "");
    const spec = specs[bare] ?? Object.values(specs).find((s) => s.short === bare);
    if (spec?.type === "boolean") return new UsageError(`${flag} is a switch and takes no value`);
    return new UsageError(`${flag} needs a value${spec?.value ? ` (${flag} ${spec.value})` : ""}`);
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const positional = /'([^']*)'/.exec(message)?.[1] ?? args.find((a) => !a.startsWith("-")) ?? "";
    return new UsageError(
      `unexpected argument ${JSON.stringify(positional)}: every input is a --flag (valid: ${
        visible.map((n) => `--${n}`).join(", ")
      })`,
    );
  }
  return new UsageError(message.split("\n")[0]);
}

/** A flag's value as a number (optionally an integer within bounds); the message names the flag. */
export function numberFlag(
  flag: string,
  text: string,
  { integer = false, min, max }: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const value = parseNumberText(text) ?? NaN;
  const kind = integer ? "an integer" : "a number";
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag} must be ${kind}, got ${JSON.stringify(text)}`);
  }
  if (min !== undefined && value < min) throw new UsageError(`--${flag} must be >= ${min}, got ${text}`);
  if (max !== undefined && value > max) throw new UsageError(`--${flag} must be <= ${max}, got ${text}`);
  return value;
}

/** A flag's value that must be one of `choices`, e.g. `--level block`; the message lists them. */
export function choiceFlag<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    const allowed = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(", ")}`;
    throw new UsageError(`--${flag} must be ${allowed}, got "${text}"`);
  }
  return text as T;
}

/** A flag's value as a comma-separated list of numbers, e.g. `--probs 0.2,0.8`. */
export function numberListFlag(flag: string, text: string): number[] {
  return text.split(",").map((part) => {
    const value = parseNumberText(part) ?? NaN;
    if (!Number.isFinite(value)) {
      throw new UsageError(
        `--${flag} must be comma-separated numbers (e.g. 0.2,0.8), got ${JSON.stringify(text)}`,
      );
    }
    return value;
  });
}

/** A flag's value as a comma-separated list of names, e.g. `--cell gru,sgru`; empty entries are an error. */
export function listFlag(flag: string, text: string): string[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) {
    throw new UsageError(`--${flag} must be a comma-separated list, got "${text}"`);
  }
  return items;
}

/** The JSON file a flag names, parsed; a missing file or bad JSON is a one-line error naming the flag. */
export function jsonFileFlag(flag: string, path: string): unknown {
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

/** `blockLength` -> `block-length`, `alpha_pers` -> `alpha-pers`: the usual spelling of a flag. */
export function kebabCase(name: string): string {
  return name.replace(/_/g, "-").replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Help text for a set of flags: one aligned line each. */
export function formatFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).filter(([, s]) => !s.hidden).map(([name, spec]) => {
    const left = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`;
    const right = `${spec.description}${spec.default !== undefined ? ` (default ${spec.default})` : ""}`;
    return [left, right] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join("\n");
}
