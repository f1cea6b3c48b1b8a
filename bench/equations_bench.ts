/**
 * Equation discovery end to end: simulate a known agent, fit a tiny GRU to its choices, discover the GRU's
 * update rule (`discoverEquations`), refit the rule's coefficients by likelihood (`refitEquationModel`), and
 * compare held-out NLL per trial of the network, the discovered equations, the refitted equations and the
 * generating model. A rule that reads the network well scores within a few thousandths of it; one that
 * captures the strategy scores close to the generating model.
 *
 * Cases: MB0s (1-D, linear logit dynamics) and LS0 (1-D, Bayesian, nonlinear in the logit) with a GRU of
 * 1 unit; MF (MB0, 2-D) with a GRU of 2 units in state space. Each case runs with the default library
 * (polynomials to order 2) and with sigmoid and tanh terms added.
 *
 * Run: `deno run --allow-all bench/equations_bench.ts [--blocks 200] [--trials 100] [--epochs 2000]
 * [--cases MB0s,LS0,MF] [--seed 0]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type Agent, logLikelihood } from "../src/agents/agent.ts";
import { cognitive } from "../src/agents/cognitive.ts";
import { type Dataset, selectBlocks } from "../src/data/dataset.ts";
import { fit } from "../src/engine/fit.ts";
import { discoverEquations } from "../src/equations/discover.ts";
import type { DiscoverEquationsOptions } from "../src/equations/discover_options.ts";
import { equationModel, refitEquationModel } from "../src/equations/equation_model.ts";
import { simulate } from "../src/simulate.ts";
import { tasks } from "../src/tasks/mod.ts";

/** One bench case: a generating model and the network size fitted to it. */
interface EquationCase {
  name: string;
  agent: Agent;
  hidden: number;
}

const CASES: readonly EquationCase[] = [
  { name: "MB0s", agent: cognitive("MB0s", { alpha: 0.3, iTemp: 3 }), hidden: 1 },
  { name: "LS0", agent: cognitive("LS0", { p_r: 0.1, iTemp: 5 }), hidden: 1 },
  { name: "MF", agent: cognitive("MF", { alpha: 0.4, iTemp: 4 }), hidden: 2 },
];

const LIBRARIES: readonly { label: string; options: DiscoverEquationsOptions }[] = [
  { label: "poly2", options: {} },
  { label: "poly2+σ+tanh", options: { functions: ["sigmoid", "tanh"] } },
];

function nllPerTrial(agent: Agent, data: Dataset): number {
  const { total, scoredTrials } = logLikelihood(agent, data);
  return -total / scoredTrials;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      blocks: { type: "string", default: "200" },
      trials: { type: "string", default: "100" },
      epochs: { type: "string", default: "2000" },
      cases: { type: "string", default: CASES.map((c) => c.name).join(",") },
      seed: { type: "string", default: "0" },
    },
  });
  const wanted = new Set(values.cases.split(","));
  const seed = Number(values.seed);
  console.log(
    "| agent | GRU d | library | terms | GRU test NLL | equations | refitted | generating | min map R² | seconds |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const c of CASES.filter((c) => wanted.has(c.name))) {
    const data = simulate(c.agent, tasks.bandit(), {
      blocks: Number(values.blocks),
      trials: Number(values.trials),
      seed,
    });
    const network = await fit(data, {
      cell: "gru",
      hidden: c.hidden,
      maxEpochs: Number(values.epochs),
      seed,
    });
    const { train, test } = network.config;
    const trainData = selectBlocks(data, train);
    const testData = selectBlocks(data, test);
    const networkNll = nllPerTrial(network.agent(), testData);
    const generatingNll = nllPerTrial(c.agent, testData);
    for (const library of LIBRARIES) {
      const started = performance.now();
      // The rule is read from the network on the training blocks only, so the test blocks stay unseen.
      const rule = discoverEquations(network, trainData, { ...library.options, seed });
      const model = equationModel(rule);
      const refit = refitEquationModel(model, trainData);
      const seconds = (performance.now() - started) / 1000;
      const minR2 = Math.min(...rule.trialTypes.map((t) => t.r2));
      console.log(
        `| ${c.name} | ${c.hidden} | ${library.label} | ${model.paramNames.length} | ${
          networkNll.toFixed(4)
        } | ${nllPerTrial(model, testData).toFixed(4)} | ${nllPerTrial(refit.model, testData).toFixed(4)} | ${
          generatingNll.toFixed(4)
        } | ${minR2.toFixed(5)} | ${seconds.toFixed(1)} |`,
      );
      if (library === LIBRARIES[0]) console.log(`\n${rule.toString(3)}\n`);
    }
  }
}
