/**
 * A small YAML writer for Kubernetes manifests: block mappings and sequences of plain JSON values.
 *
 * Strings are written as JSON strings, which are valid YAML double-quoted scalars; that way no string (a
 * command line, "yes", "0123", a value with ": ") is ever re-typed by a YAML reader.
 *
 * @module
 */

/** A JSON-like value that the writer accepts. `undefined` members of objects are left out. */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue | undefined };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;

function scalar(value: string | number | boolean | null): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`YAML: cannot write the number ${value}`);
  }
  return JSON.stringify(value);
}

function key(name: string): string {
  return PLAIN_KEY.test(name) ? name : JSON.stringify(name);
}

function isEmptyCollection(value: YamlValue): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && value !== null &&
    Object.values(value).every((v) => v === undefined);
}

function emptyCollection(value: YamlValue): string {
  return Array.isArray(value) ? "[]" : "{}";
}

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value as YamlValue[]) {
      if (typeof item !== "object" || item === null || isEmptyCollection(item)) {
        out.push(
          `${indent}- ${item !== null && typeof item === "object" ? emptyCollection(item) : scalar(item)}`,
        );
        continue;
      }
      // The first line of a nested collection shares the "- " with the dash; the rest align under it.
      const nested = lines(item, indent + "  ");
      out.push(`${indent}- ${nested[0].slice(indent.length + 2)}`, ...nested.slice(1));
    }
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out: string[] = [];
    for (const [name, member] of Object.entries(value)) {
      if (member === undefined) continue;
      if (typeof member !== "object" || member === null || isEmptyCollection(member)) {
        out.push(
          `${indent}${key(name)}: ${
            member !== null && typeof member === "object" ? emptyCollection(member) : scalar(member)
          }`,
        );
      } else {
        out.push(`${indent}${key(name)}:`, ...lines(member, indent + "  "));
      }
    }
    return out;
  }
  return [`${indent}${scalar(value)}`];
}

/**
 * Write one YAML document (without the `---` separator), ending with a newline.
 *
 * @example
 * ```ts
 * toYaml({ kind: "Job", spec: { completions: 4 } });
 * // kind: "Job"\nspec:\n  completions: 4\n
 * ```
 */
export function toYaml(value: YamlValue): string {
  if (typeof value !== "object" || value === null || isEmptyCollection(value)) {
    return `${value !== null && typeof value === "object" ? emptyCollection(value) : scalar(value)}\n`;
  }
  return lines(value, "").join("\n") + "\n";
}
