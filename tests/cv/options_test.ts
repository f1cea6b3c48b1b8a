/**
 * The options of crossValidate and mergeResults, declared once: defaults and checks from the schema, the
 * training settings shared with the engine, the instance settings (engine only when not native), and the
 * init key.
 */

import assert from "node:assert/strict";
import {
  CROSS_VALIDATE_OPTIONS,
  CV_SPLIT_OPTIONS,
  initKey,
  MERGE_OPTIONS,
  runSettings,
} from "../../src/cv/options.ts";
import { unitSettings } from "../../src/cv/resume.ts";
import { makePlan } from "../../src/cv/plan.ts";
import { TRAINING_OPTIONS } from "../../src/engine/training_options.ts";
import { optionKeys, resolveOptions, TinyRnnInputError } from "../../src/options.ts";

const resolve = (given: object) => resolveOptions("crossValidate", given, CROSS_VALIDATE_OPTIONS);

Deno.test("cv options: the paper's defaults, the engine's training settings, and one key list per schema", () => {
  const o = resolve({});
  assert.deepEqual(o.cells, ["gru"]);
  assert.deepEqual(o.hidden, [1, 2, 3, 4, 5, 10, 20]);
  assert.deepEqual(o.l1, [1e-5, 1e-4, 1e-3]);
  assert.deepEqual(o.cognitive, []);
  assert.equal(o.outer, 10);
  assert.equal(o.inner, 9);
  assert.equal(o.seeds, 3);
  assert.equal(o.cognitiveRestarts, 5);
  assert.equal(o.lr, 0.005);
  assert.equal(o.maxEpochs, 10000);
  assert.equal(o.patience, 200);
  assert.equal(o.weightDecay, 0);
  assert.equal(o.engine, "native");
  for (const key of ["lr", "maxEpochs", "patience", "weightDecay", "engine"] as const) {
    assert.equal(CROSS_VALIDATE_OPTIONS[key], TRAINING_OPTIONS[key], key);
    assert.equal(MERGE_OPTIONS[key], TRAINING_OPTIONS[key], key);
  }
  assert.deepEqual(optionKeys(CV_SPLIT_OPTIONS), ["level", "folds", "singleInnerFold", "trainvalFlip"]);
  assert.ok(optionKeys(MERGE_OPTIONS).includes("allowPartial"));
  assert.ok(!optionKeys(MERGE_OPTIONS).includes("resultsDir"));
  for (const spec of Object.values(CROSS_VALIDATE_OPTIONS)) assert.ok(spec.help.length > 0);
});

Deno.test("cv options: the messages of the checks", () => {
  const fails = (given: object, pattern: RegExp) =>
    assert.throws(
      () => resolve(given),
      (e: Error) => e instanceof TinyRnnInputError && pattern.test(e.message),
    );
  fails({ engine: "tpu" }, /crossValidate: engine must be one of native, tfjs, auto, got "tpu"/);
  fails({ l1: [] }, /crossValidate: l1 must list at least one strength/);
  fails({ l1: [1e-5, 1e-5] }, /crossValidate: l1 lists a value twice/);
  fails({ hidden: [0] }, /crossValidate: hidden\[0\] must be >= 1/);
  fails({ cells: "gru" }, /crossValidate: cells must be an array of names/);
  fails({ resultsDir: "" }, /crossValidate: resultsDir must be a folder path, got ""/);
  fails(
    { split: { levle: "trial" } },
    /crossValidate: split: unknown option "levle" \(did you mean "level"\?\)/,
  );
  fails({ shard: { index: 0 } }, /crossValidate: shard.count must be a number/);
  fails({ init: [] }, /crossValidate: init must map "<cell>-<hidden>-seed<seed>" to state dicts/);
  fails({ workers: -1 }, /crossValidate: workers must be >= 0/);
  const o = resolve({ cognitive: ["MB0", "MF"] }); // MF is an alias of MB0
  assert.throws(() => runSettings("crossValidate", o, {}), /cognitive lists a model twice/);
  assert.throws(
    () => runSettings("crossValidate", resolve({ split: { trainvalFlip: 1 } }), {}),
    /crossValidate: split.trainvalFlip must be true or false, got 1/,
  );
});

Deno.test("instance settings: the engine is recorded only when it is not native; the init key", () => {
  const plan = (o: object) => {
    const run = runSettings("crossValidate", resolve(o), o);
    return {
      run,
      units: makePlan({ models: run.models, folds: { outer: 2, inner: 2 }, seeds: 1, l1: run.l1 }).units,
    };
  };
  const native = plan({ hidden: [1], l1: [1e-5], cognitive: ["MB0"] });
  for (const unit of native.units) assert.ok(!("engine" in unitSettings(unit, native.run)), unit.id);
  const explicit = plan({ hidden: [1], l1: [1e-5], cognitive: ["MB0"], engine: "native" });
  assert.deepEqual(
    explicit.units.map((u) => unitSettings(u, explicit.run)),
    native.units.map((u) => unitSettings(u, native.run)),
  );
  const tfjs = plan({ hidden: [1], l1: [1e-5], cognitive: ["MB0"], engine: "tfjs" });
  for (const unit of tfjs.units) {
    const settings = unitSettings(unit, tfjs.run);
    assert.equal(settings.engine, unit.spec.kind === "rnn" ? "tfjs" : undefined, unit.id);
  }
  assert.equal(initKey("gru", 2, 1), "gru-2-seed1");
});
