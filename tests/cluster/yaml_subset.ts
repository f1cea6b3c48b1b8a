/**
 * A reader for exactly the YAML subset that src/cluster/yaml.ts writes (block mappings and sequences,
 * JSON scalars), so tests can check manifests field by field without a YAML dependency.
 *
 * @module
 */

type Value = unknown;

const KEY = /^("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.\/-]*):(?: (.*))?$/;

interface Line {
  indent: number;
  text: string;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Parse one document written by `toYaml`. Throws on anything outside the subset. */
export function parseYamlSubset(text: string): Value {
  const lines: Line[] = text.split("\n").filter((l) => l.trim() !== "").map((l) => ({
    indent: indentOf(l),
    text: l.trim(),
  }));
  const [value, next] = parseBlock(lines, 0, lines[0]?.indent ?? 0);
  if (next !== lines.length) throw new Error(`YAML subset: unexpected line ${next + 1}: ${lines[next].text}`);
  return value;
}

function parseBlock(lines: Line[], i: number, indent: number): [Value, number] {
  if (lines[i].text.startsWith("- ")) return parseSequence(lines, i, indent);
  if (KEY.test(lines[i].text)) return parseMapping(lines, i, indent);
  if (lines.length !== 1) throw new Error(`YAML subset: bad line ${i + 1}: ${lines[i].text}`);
  return [JSON.parse(lines[i].text), i + 1];
}

function parseSequence(lines: Line[], i: number, indent: number): [Value, number] {
  const out: Value[] = [];
  while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith("- ")) {
    const rest = lines[i].text.slice(2);
    if (KEY.test(rest) || rest.startsWith("- ")) {
      // "- key: value" opens a mapping whose keys align two columns to the right of the dash.
      const inner = [...lines];
      inner[i] = { indent: indent + 2, text: rest };
      const [value, next] = parseBlock(inner, i, indent + 2);
      out.push(value);
      i = next;
    } else {
      out.push(JSON.parse(rest));
      i++;
    }
  }
  return [out, i];
}

function parseMapping(lines: Line[], i: number, indent: number): [Value, number] {
  const out: Record<string, Value> = {};
  while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith("- ")) {
    const match = KEY.exec(lines[i].text);
    if (!match) throw new Error(`YAML subset: expected "key: value" on line ${i + 1}: ${lines[i].text}`);
    const key = match[1].startsWith('"') ? JSON.parse(match[1]) : match[1];
    if (match[2] !== undefined && match[2] !== "") {
      out[key] = JSON.parse(match[2]);
      i++;
    } else {
      const child = lines[i + 1];
      if (child === undefined || child.indent <= indent) {
        throw new Error(`YAML subset: "${key}" has no value`);
      }
      const [value, next] = parseBlock(lines, i + 1, child.indent);
      out[key] = value;
      i = next;
    }
  }
  return [out, i];
}
