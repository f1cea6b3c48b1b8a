/**
 * Parameter recovery of the two-stage cognitive models: simulate each model with known parameters, refit
 * it with `fitCognitive`, and print true versus recovered parameters as a Markdown table (for the README).
 *
 * The RTS models run on `tasks.twoStage()` (100 blocks × 100 trials, the original's Miller-rat matched
 * simulations), the NTS models on `tasks.transitionReversal()` (100 blocks × 150 trials). Each row also gives
 * the NLL per trial at the true and at the recovered parameters: a recovered NLL at or below the true one
 * means the optimiser did its job and any parameter gap is the data's (finite-sample) uncertainty, not a
 * fitting failure.
 *
 * Run: `deno run --allow-all bench/recovery_bench.ts [--models MB0,MXs] [--seeds 1] [--blocks 100]
 * [--restarts 5]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { cognitive } from "../src/agents/cognitive.ts";
import { fitCognitive } from "../src/agents/fitting.ts";
import { simulate } from "../src/simulate.ts";
import { tasks } from "../src/tasks/mod.ts";
import type { Task } from "../src/tasks/task.ts";

/** A model, its true parameters and the task it is simulated on. */
export interface RecoveryCase {
  model: string;
  params: Record<string, number>;
  task: "twoStage" | "transitionReversal";
}

/**
 * The bench's cases: every reduced two-step (RTS, Miller rats) model and the required novel two-step (NTS,
 * Akam mice) models of the paper.
 */
export const RECOVERY_CASES: readonly RecoveryCase[] = [
  { model: "BAS", params: { p: 0.35 }, task: "twoStage" },
  { model: "RC", params: { alpha: 0.3, iTemp: 4 }, task: "twoStage" },
  { model: "MFs", params: { alpha: 0.3, iTemp: 3 }, task: "twoStage" },
  { model: "MB0", params: { alpha: 0.4, iTemp: 5 }, task: "twoStage" },
  { model: "MB1", params: { alpha: 0.4, beta: 0.6, iTemp: 5 }, task: "twoStage" },
  { model: "MB0s", params: { alpha: 0.3, iTemp: 3 }, task: "twoStage" },
  { model: "MXs", params: { alpha_mf: 0.3, alpha_mb: 0.5, w: 0.6, iTemp: 4 }, task: "twoStage" },
  { model: "MB0md", params: { alpha1: 0.6, alpha2: 0.3, b: 0.4, iTemp: 3 }, task: "twoStage" },
  { model: "MB0m", params: { alpha1: 0.5, alpha2: 0.2, iTemp: 5 }, task: "twoStage" },
  { model: "LS0", params: { p_r: 0.05, iTemp: 4 }, task: "twoStage" },
  { model: "LS1", params: { p_r: 0.05, bias1: 0.8, bias2: 1.2, iTemp: 4 }, task: "twoStage" },
  { model: "Q(1)", params: { alpha: 0.4, iTemp: 4 }, task: "twoStage" },
  { model: "Q(0)", params: { alpha: 0.4, iTemp: 5 }, task: "twoStage" },
  {
    model: "MF_bs_rb_ck",
    params: { alp: 0.4, iTemp: 4, lbd: 0.6, bs: 0.2, rb: -0.2, ck: 0.3 },
    task: "transitionReversal",
  },
  {
    model: "MB_bs_rb_ck",
    params: { alpV: 0.4, iTemp: 5, alpT: 0.3, bs: 0.2, rb: -0.2, ck: 0.3 },
    task: "transitionReversal",
  },
  {
    model: "MF_MB_dec_bs_rb_ck",
    params: {
      alpQ: 0.4,
      decQ: 0.1,
      lbd: 0.5,
      alpT: 0.3,
      decT: 0.1,
      G_td: 2,
      G_mb: 4,
      bs: 0.2,
      rb: -0.2,
      ck: 0.3,
    },
    task: "transitionReversal",
  },
];

/** The outcome of one recovery run. */
export interface RecoveryResult {
  model: string;
  paramNames: string[];
  truth: number[];
  recovered: number[];
  /** NLL per trial of the simulated data at the true and at the recovered parameters. */
  trueNll: number;
  fittedNll: number;
  seconds: number;
}

function taskOf(name: RecoveryCase["task"]): Task {
  return name === "twoStage" ? tasks.twoStage() : tasks.transitionReversal();
}

/** Simulate one case with a seed and refit it. `trials` defaults to 100 (two-stage) or 150 (trans-rev). */
export function recover(
  c: RecoveryCase,
  options: { seed: number; blocks: number; trials?: number; restarts?: number },
): RecoveryResult {
  const start = performance.now();
  const truthModel = cognitive(c.model, c.params, { task: "twoStage" });
  const trials = options.trials ?? (c.task === "twoStage" ? 100 : 150);
  const data = simulate(truthModel, taskOf(c.task), { blocks: options.blocks, trials, seed: options.seed });
  // fitCognitive's default strategy (robust above 3 parameters: box starts, adaptive Nelder-Mead restarted
  // from its converged point) is what is measured; only the number of random starts may be changed.
  const fit = fitCognitive(truthModel, data, { seed: options.seed, restarts: options.restarts });
  return {
    model: truthModel.name,
    paramNames: [...truthModel.paramNames],
    truth: [...truthModel.paramVector],
    recovered: fit.params,
    trueNll: truthModel.negLogLikelihoodPerTrial(data.blocks),
    fittedNll: fit.trainNll,
    seconds: (performance.now() - start) / 1000,
  };
}

function format(x: number): string {
  return Math.abs(x) >= 100 ? x.toExponential(2) : x.toFixed(3);
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      models: { type: "string" },
      seeds: { type: "string", default: "1" },
      blocks: { type: "string", default: "100" },
      restarts: { type: "string" },
    },
  });
  const wanted = values.models?.split(",");
  const cases = RECOVERY_CASES.filter((c) => !wanted || wanted.includes(c.model));
  const seeds = Number(values.seeds);
  const blocks = Number(values.blocks);
  console.log(
    `| model | parameter | true | recovered (seed 0${
      seeds > 1 ? `..${seeds - 1}` : ""
    }) | NLL true → fitted | s |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const c of cases) {
    const restarts = values.restarts === undefined ? undefined : Number(values.restarts);
    const runs = Array.from({ length: seeds }, (_, seed) => recover(c, { seed, blocks, restarts }));
    runs[0].paramNames.forEach((name, i) => {
      const first = i === 0;
      console.log(
        `| ${first ? c.model : ""} | ${name} | ${format(runs[0].truth[i])} | ${
          runs.map((r) => format(r.recovered[i])).join(", ")
        } | ${
          first ? runs.map((r) => `${r.trueNll.toFixed(4)} → ${r.fittedNll.toFixed(4)}`).join(", ") : ""
        } | ${first ? runs.reduce((s, r) => s + r.seconds, 0).toFixed(1) : ""} |`,
      );
    });
  }
}
