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
  { min, max, integer = false, exclusiveMin = false }: {
    min?: number;
    max?: number;
    integer?: boolean;
    exclusiveMin?: boolean;
  } = {},
): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TinyRnnInputError(`${where}: ${name} must be a number, got ${JSON.stringify(value)}`);
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
