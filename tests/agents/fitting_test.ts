import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Block, Dataset } from "../../src/data/dataset.ts";
import { cognitive } from "../../src/agents/cognitive.ts";
import { fitCognitive } from "../../src/agents/fitting.ts";
import { brute } from "../../src/optim/brute.ts";
import { nelderMead } from "../../src/optim/nelder_mead.ts";
import { constrain } from "../../src/optim/transforms.ts";

const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);

/** The tutorial data set from its CSV (columns block, trial, action, reward, ...; bandit: state = action). */
function loadTutorial(): Dataset {
  const lines = readFileSync(new URL("tutorial_bandit.csv", FIXTURES), "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const col = (name: string) => header.indexOf(name);
  const [iBlock, iAction, iReward] = [col("block"), col("action"), col("reward")];
  const blocks: Block[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    const b = Number(cells[iBlock]);
    blocks[b] ??= { action: [], state: [], reward: [], trialType: [] };
    const a = Number(cells[iAction]);
    const r = Number(cells[iReward]);
    blocks[b].action.push(a);
    blocks[b].state.push(a);
    blocks[b].reward.push(r);
    blocks[b].trialType.push(2 * a + r);
  }
  return { kind: "bandit", nActions: 2, blocks };
}

interface CogFitEntry {
  cog_type: string;
  param_names: string[];
  param_ranges: string[];
  params: number[];
  train_nll: number;
  val_nll: number;
  test_nll: number;
  train_trials: number;
  brute_start: { x0: number[]; fval: number };
  nelder_mead: { x0: number[]; x: number[]; fun: number; nit: number; nfev: number };
}

const data = loadTutorial();
interface CvModelEntry {
  outer_fold: number;
  inner_fold: number;
  seed: number;
  params: number[];
  train_nll: number;
  val_nll: number;
  test_nll: number;
  train_trials: number;
}

const cogFit = JSON.parse(readFileSync(new URL("cog_fit.json", FIXTURES), "utf8")) as {
  fits: CogFitEntry[];
  cv_MB0: { per_model: CvModelEntry[] };
};
const splits = JSON.parse(readFileSync(new URL("kfold_splits.json", FIXTURES), "utf8"));
const setting = splits.settings.find((s: { n_blocks: number }) => s.n_blocks === 500);
const outer0 = setting.outer_folds[0];
const foldA = {
  train: outer0.inner_folds[0].train as number[],
  val: outer0.inner_folds[0].val as number[],
  test: outer0.test as number[],
};
const pick = (indices: number[]) => indices.map((b) => data.blocks[b]);
const [trainBlocks, valBlocks, testBlocks] = [pick(foldA.train), pick(foldA.val), pick(foldA.test)];

Deno.test("fold A of the tutorial has the fixture's sizes", () => {
  strictEqual(data.blocks.length, 500);
  deepStrictEqual([foldA.train.length, foldA.val.length, foldA.test.length], [166, 167, 167]);
});

for (const entry of cogFit.fits) {
  const name = entry.cog_type;
  const model = cognitive(name);
  const ranges = model.paramRanges;
  const objective = (x: Float64Array) => model.negLogLikelihoodPerTrial(trainBlocks, constrain(x, ranges));

  Deno.test(`${name}: parameter layout equals the original's`, () => {
    deepStrictEqual([...model.paramNames], entry.param_names);
    deepStrictEqual([...ranges], entry.param_ranges);
  });

  Deno.test(`${name}: the grid start equals the original's brute start`, () => {
    const r = brute(objective, ranges.length);
    deepStrictEqual(Array.from(r.x), entry.brute_start.x0);
    ok(Math.abs(r.fun - entry.brute_start.fval) <= 1e-12, `fval ${r.fun} vs ${entry.brute_start.fval}`);
  });

  Deno.test(`${name}: Nelder-Mead from the brute start retraces the original's run`, () => {
    const r = nelderMead(objective, entry.nelder_mead.x0);
    strictEqual(r.nit, entry.nelder_mead.nit);
    strictEqual(r.nfev, entry.nelder_mead.nfev);
    ok(Math.abs(r.fun - entry.nelder_mead.fun) <= 1e-10, `fun ${r.fun} vs ${entry.nelder_mead.fun}`);
    r.x.forEach((v, i) =>
      ok(Math.abs(v - entry.nelder_mead.x[i]) <= 1e-9, `x[${i}] ${v} vs ${entry.nelder_mead.x[i]}`)
    );
  });

  Deno.test(`${name}: fitCognitive is at least as good as the original and generalises the same`, () => {
    const fit = fitCognitive(model, data, { trainBlocks: foldA.train, seed: 0 });
    strictEqual(fit.trainTrials, entry.train_trials);
    strictEqual(fit.method, "nelder-mead");
    strictEqual(fit.starts[0].kind, "grid");
    ok(fit.trainNll <= entry.train_nll + 1e-12, `train ${fit.trainNll} vs ${entry.train_nll}`);
    strictEqual(fit.model.negLogLikelihoodPerTrial(trainBlocks), fit.trainNll);

    // The grid-start run is the original's fit: same point, same validation and test loss.
    const gridRun = fit.starts[0];
    gridRun.x.forEach((v, i) => ok(Math.abs(v - entry.nelder_mead.x[i]) <= 1e-9, `grid run x[${i}] ${v}`));
    const original = model.withParams(constrain(gridRun.x, ranges));
    ok(Math.abs(original.negLogLikelihoodPerTrial(valBlocks) - entry.val_nll) <= 1e-12);
    ok(Math.abs(original.negLogLikelihoodPerTrial(testBlocks) - entry.test_nll) <= 1e-12);

    // A random start may end elsewhere in the optimum's Nelder-Mead tolerance (xatol 1e-4), or at another
    // optimum, which must then be strictly better.
    const sameOptimum = fit.params.every((p, i) => Math.abs(p - entry.params[i]) <= 1e-3);
    if (sameOptimum) {
      ok(Math.abs(fit.model.negLogLikelihoodPerTrial(valBlocks) - entry.val_nll) <= 1e-6);
      ok(Math.abs(fit.model.negLogLikelihoodPerTrial(testBlocks) - entry.test_nll) <= 1e-6);
    } else {
      ok(fit.trainNll < entry.train_nll - 1e-12, `params ${fit.params} differ without a better fit`);
    }
  });
}

Deno.test("MB0 in every fold of the original's cross-validation: as good as the original's fit", () => {
  const model = cognitive("MB0");
  const rows = cogFit.cv_MB0.per_model.filter((row) => row.seed === 0);
  strictEqual(rows.length, 6);
  for (const row of rows) {
    const outer = setting.outer_folds[row.outer_fold];
    const inner = outer.inner_folds[row.inner_fold];
    const where = `outer ${row.outer_fold} inner ${row.inner_fold}`;
    const fit = fitCognitive(model, data, { trainBlocks: inner.train, seed: 0, restarts: 1 });
    strictEqual(fit.trainTrials, row.train_trials, where);
    ok(fit.trainNll <= row.train_nll + 1e-12, `${where}: train ${fit.trainNll} vs ${row.train_nll}`);
    // The grid-start run is the original's fit.
    const original = model.withParams(constrain(fit.starts[0].x, model.paramRanges));
    original.paramVector.forEach((p, i) =>
      ok(Math.abs(p - row.params[i]) <= 1e-9, `${where}: param ${i} ${p}`)
    );
    ok(Math.abs(original.negLogLikelihoodPerTrial(pick(inner.val)) - row.val_nll) <= 1e-12, where);
    ok(Math.abs(original.negLogLikelihoodPerTrial(pick(outer.test)) - row.test_nll) <= 1e-12, where);
  }
});

Deno.test("fitCognitive is reproducible for a seed and uses only random starts above 3 parameters", () => {
  const blocks = foldA.train.slice(0, 40);
  const model = cognitive("MB1p");
  ok(model.paramNames.length > 3);
  const a = fitCognitive(model, data, { trainBlocks: blocks, seed: 7, restarts: 2 });
  const b = fitCognitive(model, data, { trainBlocks: blocks, seed: 7, restarts: 2 });
  strictEqual(a.grid, undefined);
  deepStrictEqual(a.starts.map((s) => s.kind), ["random", "random"]);
  deepStrictEqual(a.params, b.params);
  strictEqual(a.trainNll, b.trainNll);
  strictEqual(a.trainNll, Math.min(...a.starts.map((s) => s.fun)));
  const c = fitCognitive(model, data, { trainBlocks: blocks, seed: 8, restarts: 2 });
  ok(c.starts[0].x0[0] !== a.starts[0].x0[0]);
});

Deno.test("random starts are numpy's RandomState(seed).normal(0, 3, (restarts, n))", () => {
  const fit = fitCognitive(cognitive("MB0"), data, {
    trainBlocks: [0, 1],
    seed: 0,
    restarts: 2,
    grid: false,
  });
  // np.random.RandomState(0).normal(0, 3, size=(2, 2))
  deepStrictEqual(fit.starts.map((s) => s.x0), [
    [5.292157037902992, 1.2004716251016698],
    [2.9362139523172175, 6.722679597604373],
  ]);
});

Deno.test("above 3 parameters the robust strategy draws box starts: numpy's uniform(low, high, (restarts, n))", () => {
  const fit = fitCognitive(cognitive("MB1p"), data, { trainBlocks: [0, 1], seed: 7, restarts: 2, refine: 0 });
  deepStrictEqual(fit.strategy, { name: "robust", startDistribution: "box", adaptive: true, refine: 0 });
  // ranges unit, unit, unit, unc, pos; np.random.RandomState(7).uniform(lo, hi, size=(2, 5)) with
  // lo = [-3, -3, -3, -1, -1], hi = [3, 3, 3, 1, 2.5]
  deepStrictEqual(fit.starts.map((s) => s.x0), [
    [-2.542150263756257, 1.6795127534406875, -0.36954461135463923, 0.44693035566188244, 2.4229632919881094],
    [
      0.23097522246260205,
      0.006722781959627611,
      -2.5676931998414307,
      -0.46312203979625766,
      0.7495887528894598,
    ],
  ]);
});

Deno.test("up to 3 parameters the default is the original strategy, bit for bit", () => {
  const options = { trainBlocks: foldA.train.slice(0, 60), seed: 3, restarts: 2 };
  const auto = fitCognitive(cognitive("MB1"), data, options);
  const original = fitCognitive(cognitive("MB1"), data, { ...options, strategy: "original" });
  deepStrictEqual(auto.strategy, {
    name: "original",
    startDistribution: "normal",
    adaptive: false,
    refine: 0,
  });
  deepStrictEqual(auto.starts, original.starts);
  deepStrictEqual(auto.params, original.params);
  ok(auto.starts.every((s) => s.refinements === 0));
});

Deno.test("restarts from the converged point never end worse than the single Nelder-Mead run", () => {
  const options = { trainBlocks: foldA.train.slice(0, 60), seed: 1, restarts: 2 };
  const single = fitCognitive(cognitive("MB1p"), data, { ...options, refine: 0 });
  const refined = fitCognitive(cognitive("MB1p"), data, options);
  refined.starts.forEach((run, i) => {
    deepStrictEqual(run.x0, single.starts[i].x0);
    ok(run.refinements >= 1 && run.refinements <= 10, `refinements ${run.refinements}`);
    ok(run.nfev > single.starts[i].nfev);
    ok(run.fun <= single.starts[i].fun, `run ${i}: ${run.fun} vs ${single.starts[i].fun}`);
  });
  strictEqual(refined.trainNll, Math.min(...refined.starts.map((s) => s.fun)));
});

Deno.test("the BFGS polish is kept only when it lowers the objective, and the model matches trainNll", () => {
  const blocks = foldA.train.slice(0, 60);
  const options = { trainBlocks: blocks, seed: 1, restarts: 1, refine: 0, polish: true };
  const fit = fitCognitive(cognitive("MB1p"), data, options);
  ok(fit.polish !== undefined && fit.polish.nfev > 0);
  ok(fit.trainNll <= fit.starts[fit.best].fun);
  strictEqual(fit.trainNll, Math.min(fit.polish.fun, fit.starts[fit.best].fun));
  strictEqual(fit.model.negLogLikelihoodPerTrial(blocks.map((b) => data.blocks[b])), fit.trainNll);
});

Deno.test("BAS is fitted in closed form: p = fraction of action-1 choices", () => {
  const fit = fitCognitive(cognitive("BAS"), data, { trainBlocks: foldA.train });
  let ones = 0;
  for (const block of trainBlocks) for (const a of block.action) ones += a;
  deepStrictEqual(fit.params, [ones / 3320]);
  strictEqual(fit.method, "closed-form");
  const p = ones / 3320;
  const expected = -(ones * Math.log(p) + (3320 - ones) * Math.log(1 - p)) / 3320;
  ok(Math.abs(fit.trainNll - expected) < 1e-12);
});

Deno.test("fitCognitive validates options and block indices", () => {
  const model = cognitive("MB0");
  throws(() => fitCognitive(model, data, { restart: 2 } as never), /did you mean "restarts"/);
  throws(() => fitCognitive(model, data, { trainBlocks: [0, 500] }), /trainBlocks\[1\] = 500/);
  throws(() => fitCognitive(model, data, { seed: -1 }), /seed must be >= 0/);
  throws(() => fitCognitive(model, data, { grid: false, restarts: 0 }), /restarts must be at least 1/);
  throws(() => fitCognitive(model, data, { strategy: "robst" } as never), /did you mean "robust"/);
  throws(() => fitCognitive(model, data, { startDistribution: "uniform" } as never), /normal, box/);
  throws(() => fitCognitive(model, data, { refine: -1 }), /refine must be >= 0/);
  throws(() => fitCognitive(model, data, { polish: "yes" } as never), /polish must be true or false/);
});
