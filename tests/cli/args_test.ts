import assert from "node:assert/strict";
import {
  choiceFlag,
  type FlagSpecs,
  formatFlags,
  jsonFileFlag,
  kebabCase,
  listFlag,
  numberFlag,
  numberListFlag,
  optionFlag,
  parseFlags,
  peekFlags,
  UsageError,
} from "../../cli/args.ts";
import { parseColumnMap } from "../../cli/data_flags.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { CROSS_VALIDATE_OPTIONS } from "../../src/cv/options.ts";

const SPECS: FlagSpecs = {
  blocks: { type: "string", value: "N", description: "blocks", default: "100" },
  out: { type: "string", short: "o", value: "FILE", description: "output" },
  quiet: { type: "boolean", short: "q", description: "quiet" },
  "block-length": { type: "string", value: "X", description: "length" },
  blockLength: { type: "string", value: "X", description: "length", hidden: true },
};

function usage(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UsageError && error instanceof TinyRnnInputError);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("parseFlags reads values, switches, short and = forms", () => {
  assert.deepEqual(parseFlags(["--blocks", "5", "-o", "x.csv", "-q", "--block-length=3"], SPECS), {
    blocks: "5",
    out: "x.csv",
    quiet: true,
    "block-length": "3",
  });
});

Deno.test("parseFlags errors are one line and suggest the nearest flag", () => {
  usage(
    () => parseFlags(["--blcoks", "5"], SPECS),
    /^unknown flag --blcoks \(did you mean --blocks\?\); see --help$/,
  );
  usage(() => parseFlags(["--zzz"], SPECS), /^unknown flag --zzz; see --help$/);
  usage(() => parseFlags(["--blocks"], SPECS), /^--blocks needs a value \(--blocks N\)$/);
  usage(() => parseFlags(["--quiet=1"], SPECS), /^--quiet is a switch and takes no value$/);
  usage(
    () => parseFlags(["stray"], SPECS),
    /^unexpected argument "stray": every input is a --flag \(valid: --blocks, --out, --quiet, --block-length\)$/,
  );
});

Deno.test("peekFlags finds values without rejecting other flags", () => {
  assert.deepEqual(peekFlags(["--x", "1", "--agent", "MB0", "--task=reversal"], ["agent", "task"]), {
    agent: "MB0",
    task: "reversal",
  });
  assert.deepEqual(peekFlags(["--agent", "--task", "x"], ["agent", "task"]), { task: "x" });
});

Deno.test("number flags name the flag in errors", () => {
  assert.equal(numberFlag("alpha", "0.5"), 0.5);
  assert.equal(numberFlag("seed", "42", { integer: true, min: 0 }), 42);
  usage(() => numberFlag("seed", "4.2", { integer: true }), /^--seed must be an integer, got "4.2"$/);
  usage(() => numberFlag("alpha", ""), /^--alpha must be a number, got ""$/);
  usage(() => numberFlag("alpha", "0x10"), /must be a number/);
  usage(() => numberFlag("blocks", "0", { integer: true, min: 1 }), /^--blocks must be >= 1, got 0$/);
  assert.deepEqual(numberListFlag("probs", "0.2, 0.8"), [0.2, 0.8]);
  usage(() => numberListFlag("probs", "0.2,"), /^--probs must be comma-separated numbers/);
});

Deno.test("kebabCase, help formatting and column maps", () => {
  assert.equal(kebabCase("blockLength"), "block-length");
  assert.equal(kebabCase("alpha_pers"), "alpha-pers");
  assert.equal(kebabCase("iTemp"), "i-temp");
  const help = formatFlags(SPECS);
  assert.match(help, /^ {6}--blocks N +blocks \(default 100\)$/m);
  assert.match(help, /^ {2}-o, --out FILE/m);
  assert.ok(!help.includes("blockLength"), "hidden flags stay out of help");
  assert.deepEqual(parseColumnMap("block=session, action=choice"), { block: "session", action: "choice" });
  usage(() => parseColumnMap("acton=choice"), /unknown column "acton" \(did you mean "action"\?\)/);
  usage(() => parseColumnMap("action"), /expected entries like action=choice, got "action"/);
});

Deno.test("option flags take help, placeholder and default from the schema; choice, list and JSON file flags", async () => {
  assert.deepEqual(optionFlag(CROSS_VALIDATE_OPTIONS.outer), {
    type: "string",
    value: "N",
    description: CROSS_VALIDATE_OPTIONS.outer.help,
    default: "10",
  });
  assert.equal(optionFlag(CROSS_VALIDATE_OPTIONS.cognitive).default, undefined);
  assert.equal(
    optionFlag(CROSS_VALIDATE_OPTIONS.outer, { default: "10 (tutorial: 3)" }).default,
    "10 (tutorial: 3)",
  );
  assert.equal(choiceFlag("level", "trial", ["block", "trial"]), "trial");
  assert.throws(
    () => choiceFlag("level", "x", ["block", "trial"]),
    /^UsageError: --level must be block or trial, got "x"$/,
  );
  assert.throws(
    () => choiceFlag("engine", "x", ["native", "tfjs", "auto"]),
    /--engine must be one of native, tfjs, auto/,
  );
  assert.deepEqual(listFlag("cell", "gru, sgru"), ["gru", "sgru"]);
  assert.throws(() => listFlag("cell", "gru,,sgru"), /--cell must be a comma-separated list/);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ok.json`, '{"a": 1}');
    await Deno.writeTextFile(`${dir}/bad.json`, "{");
    assert.deepEqual(jsonFileFlag("folds", `${dir}/ok.json`), { a: 1 });
    assert.throws(() => jsonFileFlag("folds", `${dir}/bad.json`), /--folds: .*bad\.json is not valid JSON/);
    assert.throws(() => jsonFileFlag("folds", `${dir}/none.json`), /--folds: no file .*none\.json/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
