/**
 * Validation of typed option objects at the public boundary, with actionable messages.
 *
 * @module
 */

/** An error in user-supplied options or data. The CLI maps it to exit code 1. */
export class TinyRnnInputError extends Error {
  /** Always `"TinyRnnInputError"`, so that the name survives structured cloning and `toString`. */
  override name = "TinyRnnInputError";
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest of `candidates` to `name`, if it is close enough to be a likely typo. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Reject keys that are not in `allowed`, suggesting the nearest valid key. */
export function rejectUnknownKeys(where: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const hint = suggest(key, allowed);
      throw new TinyRnnInputError(
        `${where}: unknown option "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}; valid options: ${
          allowed.join(", ")
        }`,
      );
    }
  }
}

/** Check a number option. */
export function checkNumber(
  where: string,
  name: string,
  value: unknown,
  { min, max, integer = false, exclusiveMin = false, finite = false }: {
    min?: number;
    max?: number;
    integer?: boolean;
    exclusiveMin?: boolean;
    /** Reject ±Infinity too (NaN is always rejected). */
    finite?: boolean;
  } = {},
): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TinyRnnInputError(`${where}: ${name} must be a number, got ${showValue(value)}`);
  }
  if (finite && !Number.isFinite(value)) {
    throw new TinyRnnInputError(`${where}: ${name} must be a finite number, got ${value}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new TinyRnnInputError(`${where}: ${name} must be an integer, got ${value}`);
  }
  if (min !== undefined && (exclusiveMin ? value <= min : value < min)) {
    throw new TinyRnnInputError(
      `${where}: ${name} must be ${exclusiveMin ? ">" : ">="} ${min}, got ${value}`,
    );
  }
  if (max !== undefined && value > max) {
    throw new TinyRnnInputError(`${where}: ${name} must be <= ${max}, got ${value}`);
  }
  return value;
}

/** A value as a message shows it: JSON, except the numbers JSON cannot spell (NaN, Infinity) and undefined. */
export function showValue(value: unknown): string {
  if (typeof value === "number" || value === undefined || typeof value === "bigint") return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return value.toString();
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** Check that a string option is one of `choices`, suggesting the nearest one. */
export function checkChoice<T extends string>(
  where: string,
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== "string" || !choices.includes(value as T)) {
    const hint = typeof value === "string" ? suggest(value, choices) : undefined;
    throw new TinyRnnInputError(
      `${where}: ${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}${
        hint ? ` (did you mean "${hint}"?)` : ""
      }`,
    );
  }
  return value as T;
}

/** Check a `true`/`false` option. */
export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TinyRnnInputError(`${where}: ${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Check a callback option. */
// deno-lint-ignore ban-types -- any function is accepted; the option's declaration gives its signature
export function checkFunction<T extends Function>(where: string, name: string, value: unknown): T {
  if (typeof value !== "function") {
    throw new TinyRnnInputError(`${where}: ${name} must be a function, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/**
 * Check a list option whose entries `check` validates one by one (it gets the entry and `name[i]`); with
 * `unique` (the default) a value listed twice is an error, as it would train or report the same thing twice.
 */
export function checkList<T>(
  where: string,
  name: string,
  value: unknown,
  check: (entry: unknown, entryName: string) => T,
  { unique = true, nonEmpty = false }: { unique?: boolean; nonEmpty?: boolean } = {},
): T[] {
  if (!Array.isArray(value)) {
    throw new TinyRnnInputError(`${where}: ${name} must be an array, got ${JSON.stringify(value)}`);
  }
  const list = value.map((entry, i) => check(entry, `${name}[${i}]`));
  if (unique && new Set(list).size !== list.length) {
    throw new TinyRnnInputError(`${where}: ${name} lists a value twice (${list.join(", ")})`);
  }
  if (nonEmpty && list.length === 0) {
    throw new TinyRnnInputError(`${where}: ${name} must list at least one value`);
  }
  return list;
}

/** Check a list of names (strings); duplicates are left to the caller, who knows the canonical spelling. */
export function checkNameList(where: string, name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TinyRnnInputError(`${where}: ${name} must be an array of names, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

/**
 * One option of a typed options object, described once: its default, its check and its help text. The API
 * validates with it, the CLI builds its flags' help from it and the docs quote it, so the three cannot drift.
 */
export interface OptionSpec<T> {
  /** One line for help and docs (no trailing period, no default: that is added from `default`). */
  readonly help: string;
  /** The value used when the option is left out; absent = no default (the option stays undefined). */
  readonly default?: T;
  /** Validate a given value and return it typed; throws `TinyRnnInputError` naming `where` and `name`. */
  readonly check: (where: string, name: string, value: unknown) => T;
  /** Placeholder of the option's value in command-line help, e.g. `"N"` or `"LIST"`. */
  readonly placeholder?: string;
}

/** An option with a default (what {@link option} returns for a spec with one). */
export type DefaultedOption<T> = OptionSpec<T> & { readonly default: T };

/** A set of options by key. */
export type OptionSchema = Readonly<Record<string, OptionSpec<unknown>>>;

/** The type of the values a schema's checks return, by key. */
export type OptionValues<S extends OptionSchema> = { [K in keyof S]: ReturnType<S[K]["check"]> };

/** Keys of a schema whose options have a default. */
type DefaultedKeys<S extends OptionSchema> = {
  [K in keyof S]: S[K] extends { readonly default: unknown } ? K : never;
}[keyof S];

/** What {@link resolveOptions} returns: every defaulted option filled in, the others possibly undefined. */
export type ResolvedOptions<S extends OptionSchema> =
  & { [K in DefaultedKeys<S>]: ReturnType<S[K]["check"]> }
  & { [K in Exclude<keyof S, DefaultedKeys<S>>]?: ReturnType<S[K]["check"]> };

/**
 * Declare an option (a typed identity, so that `default` and `check` agree on `T`). An option declared with a
 * default keeps it in its type, so that {@link resolveOptions} types it as always present.
 */
export function option<T>(
  spec: OptionSpec<T> & { readonly default: T },
): OptionSpec<T> & { readonly default: T };
export function option<T>(spec: OptionSpec<T>): OptionSpec<T>;
export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** The keys of a schema, in declaration order (the list `rejectUnknownKeys` checks against). */
export function optionKeys(schema: OptionSchema): string[] {
  return Object.keys(schema);
}

/**
 * Validate `given` against `schema`: reject unknown keys (with a "did you mean"; `extraKeys` are accepted and
 * left to the caller), fill in defaults, run every check. An option given as `undefined` counts as left out.
 */
export function resolveOptions<S extends OptionSchema>(
  where: string,
  given: object | undefined,
  schema: S,
  extraKeys: readonly string[] = [],
): ResolvedOptions<S> {
  if (given !== undefined && (given === null || typeof given !== "object" || Array.isArray(given))) {
    throw new TinyRnnInputError(`${where}: options must be an object, got ${JSON.stringify(given)}`);
  }
  const values = (given ?? {}) as Record<string, unknown>;
  rejectUnknownKeys(where, values, [...optionKeys(schema), ...extraKeys]);
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = values[key] !== undefined ? values[key] : spec.default;
    if (value !== undefined) out[key] = spec.check(where, key, value);
  }
  return out as ResolvedOptions<S>;
}

/** An option's default as help text shows it (`"0.005"`, `"1,2,3"`, `"true"`), or undefined without one. */
export function formatDefault(spec: OptionSpec<unknown>): string | undefined {
  const value = spec.default;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(",");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
