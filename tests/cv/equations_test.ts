/**
 * crossValidate's `equations` option: the equations row appears beside the networks (which it leaves
 * unchanged), each outer fold's rule is computed from the selected network's training blocks only (so the
 * test blocks can change without changing it), the results folder keeps the rules and a rerun reuses them,
 * the report's loaders rebuild them, and bad options fail before any training.
 */

import assert from "node:assert/strict";
import { crossValidate, type CrossValidateOptions } from "../../src/cv/cross_validate.ts";
import { readInstance } from "../../src/cv/store.ts";
import { type Dataset, selectBlocks } from "../../src/data/dataset.ts";
import { discoverEquations } from "../../src/equations/discover.ts";
import { equationModel, refitEquationModel } from "../../src/equations/equation_model.ts";
import { TinyRnnInputError } from "../../src/options.ts";
import { modelOfRecord } from "../../src/cv/model_of_record.ts";
import { loadResults } from "../../src/report/results.ts";
import { selectedModels } from "../../src/report/selected_models.ts";
import { EquationModel } from "../../src/equations/equation_model.ts";
import { tutorialDataset } from "../engine/fixtures.ts";

const data = selectBlocks(tutorialDataset(), Array.from({ length: 36 }, (_, b) => b));
const SMALL: CrossValidateOptions = {
  hidden: [1, 2],
  l1: [1e-5],
  cognitive: ["MB0"],
  outer: 3,
  inner: 2,
  seeds: 1,
  maxEpochs: 30,
  patience: 10,
  workers: 2,
};

Deno.test("crossValidate equations: rows for every network with d <= 2, networks unchanged, pooled like the others", async () => {
  const plain = await crossValidate(data, SMALL);
  const withEquations = await crossValidate(data, { ...SMALL, equations: {} });
  const ids = withEquations.aggregate.map((r) => r.model);
  assert.deepEqual(ids, ["gru-1", "gru-2", "equations(gru-1)", "equations(gru-2)", "MB0"]);
  // Everything that is not an equations row is what the run without the option gives.
  const others = (rows: readonly { kind: string }[]) => rows.filter((r) => r.kind !== "equations");
  assert.deepEqual(others(withEquations.aggregate), plain.aggregate);
  assert.deepEqual(others(withEquations.best), plain.best);
  assert.deepEqual(others(withEquations.models), plain.models);
  assert.deepEqual(withEquations.dimensionality, plain.dimensionality);
  for (const from of ["gru-1", "gru-2"]) {
    const row = withEquations.aggregate.find((r) => r.model === `equations(${from})`)!;
    const network = withEquations.aggregate.find((r) => r.model === from)!;
    assert.equal(row.kind, "equations");
    assert.equal(row.hidden, network.hidden);
    assert.equal(row.testTrials, network.testTrials); // every block tested once, as for the network
    assert.ok(Number.isFinite(row.testLoss) && Number.isFinite(row.sem));
    // The equations of each outer fold come from that fold's selected network.
    assert.deepEqual(
      row.selected.map(({ outer, inner, seed, l1 }) => ({ outer, inner, seed, l1 })),
      network.selected.map(({ outer, inner, seed, l1 }) => ({ outer, inner, seed, l1 })),
    );
    // The rule predicts held-out choices better than a coin (these short trainings leave the networks rough).
    assert.ok(row.testLoss < Math.LN2, `${row.testLoss} (network ${network.testLoss})`);
  }
});

Deno.test("crossValidate equations: only the selected network's training blocks are used; the folder keeps and reuses the rules", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cv-eq-" });
  try {
    const options: CrossValidateOptions = { ...SMALL, equations: { from: ["gru-1"] }, resultsDir: dir };
    const summary = await crossValidate(data, options);
    const rows = summary.best.filter((r) => r.kind === "equations");
    assert.equal(rows.length, 3);
    const record = await readInstance(dir, rows[0].id!);
    assert.equal(record.id, "equations(gru-1)/outer0");
    const network = summary.best.find((r) => r.model === "gru-1" && r.outer === 0)!;
    const source = await readInstance(dir, network.id!);
    assert.deepEqual(record.folds.train, source.folds.train);

    // Recomputed from the training blocks alone (the refit kept or not by the validation blocks), the rule
    // and its coefficients are the same numbers: the test blocks played no part.
    const fitted = modelOfRecord(source, { kind: data.kind, nActions: data.nActions });
    const train = selectBlocks(data, source.folds.train);
    const val = source.folds.val.map((b) => data.blocks[b]);
    const discovered = equationModel(discoverEquations(fitted, train), { name: "equations(gru-1)" });
    const refitted = refitEquationModel(discovered, data, { trainBlocks: source.folds.train }).model;
    const kept = refitted.negLogLikelihoodPerTrial(val) > discovered.negLogLikelihoodPerTrial(val)
      ? discovered
      : refitted;
    const refit = kept;
    assert.deepEqual(Object.values(record.weights!), kept.paramVector);
    const diagnostics = record.extra!.refit as {
      kept: string;
      valNllDiscovered: number;
      valNllRefitted: number;
    };
    assert.equal(diagnostics.kept, kept === refitted ? "refitted" : "discovered");
    assert.equal(diagnostics.valNllRefitted, refitted.negLogLikelihoodPerTrial(val));
    assert.equal(record.row.testLoss, rows[0].testLoss);

    // The report's loaders rebuild the equations as a model.
    const run = await loadResults(dir);
    const rebuilt = selectedModels(run, "equations(gru-1)");
    assert.equal(rebuilt.length, 3);
    assert.ok(rebuilt[0].fitted instanceof EquationModel);
    assert.deepEqual((rebuilt[0].fitted as EquationModel).paramVector, refit.paramVector);

    // A rerun computes nothing: same files, same summary bytes.
    const path = `${dir}/instances/equations(gru-1)/outer1.json`;
    const before = { text: await Deno.readTextFile(path), mtime: (await Deno.stat(path)).mtime?.getTime() };
    const summaryBytes = await Deno.readTextFile(`${dir}/summary.json`);
    await crossValidate(data, options);
    assert.equal(await Deno.readTextFile(path), before.text);
    assert.equal((await Deno.stat(path)).mtime?.getTime(), before.mtime);
    assert.equal(await Deno.readTextFile(`${dir}/summary.json`), summaryBytes);

    // A removed (or stale) rule is recomputed to the same bytes.
    await Deno.remove(path);
    await crossValidate(data, options);
    assert.equal(await Deno.readTextFile(`${dir}/summary.json`), summaryBytes);
    assert.equal((await readInstance(dir, "equations(gru-1)/outer1")).row.testLoss, rows[1].testLoss);
    const other = await crossValidate(data, { ...options, equations: { from: ["gru-1"], refit: false } });
    assert.notEqual(
      other.best.find((r) => r.model === "equations(gru-1)")!.trainLoss,
      rows[0].trainLoss,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crossValidate equations: changing the test blocks of an outer fold leaves its rule unchanged", async () => {
  const options: CrossValidateOptions = {
    ...SMALL,
    cognitive: [],
    hidden: [1],
    equations: { from: ["gru-1"] },
  };
  const first = await crossValidate(data, options);
  const dir = await Deno.makeTempDir({ prefix: "tinyrnn-cv-eq-" });
  try {
    // Find outer fold 0's test blocks from a folder run, then flip every choice in them.
    await crossValidate(data, { ...options, resultsDir: dir });
    const record = await readInstance(dir, "equations(gru-1)/outer0");
    const test = new Set(record.folds.test);
    const flipped: Dataset = {
      ...data,
      blocks: data.blocks.map((block, b) =>
        test.has(b)
          ? {
            ...block,
            action: block.action.map((a) => 1 - a),
            state: block.state.map((x) => 1 - x),
            ...(block.trialType
              ? { trialType: block.trialType.map((_, t) => 2 * (1 - block.action[t]) + block.reward[t]) }
              : {}),
          }
          : block
      ),
    };
    const second = await crossValidate(flipped, { ...options, resultsDir: `${dir}/flipped` });
    const flippedRecord = await readInstance(`${dir}/flipped`, "equations(gru-1)/outer0");
    assert.deepEqual(flippedRecord.weights, record.weights);
    assert.deepEqual(flippedRecord.row.trainLoss, record.row.trainLoss);
    assert.deepEqual(flippedRecord.row.valLoss, record.row.valLoss);
    assert.notEqual(flippedRecord.row.testLoss, record.row.testLoss);
    const eq = (s: typeof first) => s.best.filter((r) => r.kind === "equations" && r.outer === 0);
    assert.equal(eq(first)[0].testLoss, record.row.testLoss); // memory run = folder run
    assert.equal(eq(second)[0].testLoss, flippedRecord.row.testLoss);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crossValidate equations: bad options fail before training, naming the option", async () => {
  const quick = { ...SMALL, maxEpochs: 1 };
  await assert.rejects(
    () => crossValidate(data, { ...quick, equations: { from: ["gru-7"] } }),
    (e: Error) => e instanceof TinyRnnInputError && /equations\.from: no network "gru-7"/.test(e.message),
  );
  await assert.rejects(
    () => crossValidate(data, { ...quick, hidden: [3], equations: { from: ["gru-3"] } }),
    (e: Error) => e instanceof TinyRnnInputError && /d = 3/.test(e.message),
  );
  await assert.rejects(
    () => crossValidate(data, { ...quick, equations: { ordr: 2 } as never }),
    (e: Error) => e instanceof TinyRnnInputError && /ordr/.test(e.message),
  );
  await assert.rejects(
    () => crossValidate(data, { ...quick, equations: {}, shard: { index: 0, count: 2 } }),
    (e: Error) => e instanceof TinyRnnInputError && /whole run/.test(e.message),
  );
});
