/** CLI consistency (issue 17, item 7): help formats, dashed parameter flags, one default per flag, typed names. */

import assert from "node:assert/strict";
import { cognitive, type CognitiveModelName, listCognitiveModels } from "../../mod.ts";
import { COGNITIVE_MODEL_NAMES, COGNITIVE_MODELS } from "../../src/agents/registry.ts";
import { runCli } from "./tiny_results.ts";

Deno.test("CognitiveModelName lists every registered name and alias; any string still compiles", () => {
  const registered = [...listCognitiveModels(), ...COGNITIVE_MODELS.flatMap((m) => m.aliases ?? [])];
  assert.deepEqual([...COGNITIVE_MODEL_NAMES].sort(), registered.sort());
  const typed: CognitiveModelName = "MB1";
  // @ts-expect-error: not a registered name
  const wrong: CognitiveModelName = "MB9";
  assert.equal(typeof wrong, "string");
  const fromUser: string = "MF";
  assert.equal(cognitive(typed).name, "MB1");
  assert.equal(cognitive(fromUser).name, "MB0");
});

Deno.test("simulate: parameter flags are dashed (--i-temp), the parameter's spelling (--iTemp) is an alias", async () => {
  const base = ["simulate", "--agent", "MB0", "--alpha", "0.4", "--blocks", "2", "--trials", "5", "-q"];
  const dashed = await runCli(...base, "--i-temp", "3");
  assert.equal(dashed.code, 0, dashed.stderr);
  const camel = await runCli(...base, "--iTemp", "3");
  assert.equal(camel.code, 0, camel.stderr);
  assert.equal(camel.stdout, dashed.stdout);
  const defaults = await runCli(...base);
  assert.notEqual(defaults.stdout, dashed.stdout, "the flag was used");
  const both = await runCli(...base, "--iTemp", "3", "--i-temp", "3");
  assert.equal(both.code, 1);
  assert.match(both.stderr, /--i-temp and --iTemp are the same parameter/);
  const help = await runCli("simulate", "--agent", "MB0", "--help");
  assert.match(help.stdout, /--i-temp X/);
  assert.doesNotMatch(help.stdout, /--iTemp/);
});

Deno.test("cluster --help has the format of the other commands", async () => {
  const help = await runCli("cluster", "--help");
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: deno task cluster slurm /);
  assert.match(help.stdout, /\nExample:\n {2}deno task cluster slurm /);
  assert.match(help.stdout, /\nSlurm flags:\n {6}--shards N {2,}array tasks/);
  assert.match(help.stdout, /\nKubernetes flags:\n {6}--shards N {2,}/);
  assert.match(help.stdout, /--job-name NAME {2,}job name \(default tinyrnn-fit\)/);
});

Deno.test("fit --help: one default per flag (the tutorial's and --single's are in the text)", async () => {
  const help = await runCli("fit", "--help");
  assert.equal(help.code, 0, help.stderr);
  const line = help.stdout.split("\n").find((l) => l.trimStart().startsWith("--hidden"))!;
  assert.match(line, /\(default 1,2,3,4,5,10,20\)$/);
  for (const flag of help.stdout.split("\n").filter((l) => /^\s+(-\w, )?--/.test(l))) {
    assert.ok((flag.match(/default/g) ?? []).length <= 1, flag);
    assert.doesNotMatch(flag, /tutorial:/);
  }
});
