import assert from "node:assert/strict";
import { toYaml } from "../../src/cluster/yaml.ts";
import { parseYamlSubset } from "./yaml_subset.ts";

Deno.test("toYaml round-trips nested mappings, sequences and awkward strings", () => {
  const value = {
    kind: "Job",
    count: 4,
    ratio: 0.25,
    on: true,
    nothing: null,
    empty: [],
    none: {},
    "dotted.key/name": "x",
    "key with space": "y",
    strings: [
      "yes",
      "0123",
      "a: b",
      "# not a comment",
      'quote " and \\ back',
      "$(JOB_COMPLETION_INDEX)/4",
      "",
    ],
    items: [{ name: "a", list: [1, 2], inner: { deep: [{ x: 1 }] } }, { name: "b" }],
    nested: [[1, 2], ["c"]],
  };
  assert.deepEqual(parseYamlSubset(toYaml(value)), value);
});

Deno.test("toYaml leaves out undefined members and quotes every string", () => {
  const text = toYaml({ a: undefined, b: "no", c: 1 });
  assert.equal(text, 'b: "no"\nc: 1\n');
});

Deno.test("toYaml refuses non-finite numbers", () => {
  assert.throws(() => toYaml({ a: Number.NaN }), /cannot write the number NaN/);
});
