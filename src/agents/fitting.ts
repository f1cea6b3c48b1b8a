/**
 * Maximum-likelihood fits of cognitive models, as the original's `CogAgentTrainer` (spec 2.8), made
 * reproducible and a little more thorough.
 *
 * The objective is the mean negative log-likelihood per scored training trial as a function of
 * unconstrained parameters. Like the original, a model with at most three parameters starts Nelder-Mead
 * from the optimum of a 20-point grid over [-5, 5]^n, so its fit is the original's fit; unlike the
 * original, seeded random starts are added (and replace the original's unseeded single start for larger
 * models), and the best of all runs wins. The result is therefore never worse than the original's.
 *
 * @module
 */

import type { Block, Dataset } from "../data/dataset.ts";
import { brute } from "../optim/brute.ts";
import { nelderMead, type NelderMeadOptions } from "../optim/nelder_mead.ts";
import { constrain, type ParamRange } from "../optim/transforms.ts";
import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { RandomState } from "../random.ts";

/**
 * What fitting needs from a cognitive model (the `CognitiveModel` of `cognitive()` provides it); `Self` is
 * the type `withParams` returns.
 */
export interface FittableModel<Self> {
  /** Model name; `"BAS"` is fitted in closed form. */
  readonly name: string;
  /** Parameter names, aligned with `paramRanges`. */
  readonly paramNames: readonly string[];
  /** Range of each parameter. */
  readonly paramRanges: readonly ParamRange[];
  /** The same model with other (constrained) parameter values. */
  withParams(params: readonly number[]): Self;
  /**
   * Mean negative log-likelihood per scored trial of the given blocks, at the model's parameters or at
   * `params` (constrained, in `paramNames` order) when given.
   */
  negLogLikelihoodPerTrial(blocks: readonly Block[], params?: ArrayLike<number>): number;
}

/** Options of {@linkcode fitCognitive}. */
export interface FitCognitiveOptions {
  /** Indices of the blocks to fit on. Default: every block. */
  trainBlocks?: readonly number[];
  /** Seed of the random starts (numpy `RandomState`). Default 0. */
  seed?: number;
  /** Random starts x0 ~ N(0, startScale²) per coordinate, in addition to the grid start. Default 5. */
  restarts?: number;
  /** Standard deviation of the random starts in unconstrained space. Default 3 (the original's). */
  startScale?: number;
  /**
   * Whether to start from the grid optimum: `"auto"` (default) for models with at most 3 parameters, as
   * the original; `true` or `false` to force it.
   */
  grid?: "auto" | boolean;
  /** Grid points per parameter. Default 20. */
  gridPoints?: number;
  /** Options passed to Nelder-Mead. Default: scipy's. */
  nelderMead?: NelderMeadOptions;
}

/** One optimiser run of a fit. */
export interface FitStart {
  /** Where the start came from. */
  kind: "grid" | "random";
  /** Starting point, unconstrained. */
  x0: number[];
  /** Objective at the start. */
  startValue: number;
  /** Final point, unconstrained. */
  x: number[];
  /** Objective at `x` (mean NLL per training trial). */
  fun: number;
  /** Nelder-Mead iterations and function evaluations (scipy's counting). */
  nit: number;
  nfev: number;
  /** Whether Nelder-Mead met its tolerances. */
  success: boolean;
}

/** Outcome of {@linkcode fitCognitive}. */
export interface CognitiveFit<M> {
  /** The model with the fitted parameters. */
  model: M;
  /** Fitted parameters, constrained (the values the model uses), in `paramNames` order. */
  params: number[];
  /** Parameter names, for reading `params`. */
  paramNames: string[];
  /** The fitted point in unconstrained space (empty for a closed-form fit). */
  x: number[];
  /** Mean NLL per scored training trial at the fitted parameters. */
  trainNll: number;
  /** Number of scored training trials. */
  trainTrials: number;
  /** `"closed-form"` (BAS) or `"nelder-mead"`. */
  method: "closed-form" | "nelder-mead";
  /** Every optimiser run, grid start first; `best` indexes the winner (-1 for a closed-form fit). */
  starts: FitStart[];
  best: number;
  /** Grid search diagnostics when a grid start was used. */
  grid?: { x0: number[]; value: number; evaluations: number };
  /** Total objective evaluations. */
  evaluations: number;
}

const OPTION_KEYS = [
  "trainBlocks",
  "seed",
  "restarts",
  "startScale",
  "grid",
  "gridPoints",
  "nelderMead",
] as const;

/** Above this many parameters the grid start is skipped by default (the original's rule). */
const MAX_GRID_PARAMS = 3;

/**
 * Fit a cognitive model by maximum likelihood on the training blocks of a data set.
 *
 * @example
 * ```ts
 * const fit = fitCognitive(cognitive("MB0"), data, { trainBlocks: [0, 1, 2, 3], seed: 1 });
 * console.log(fit.params, fit.trainNll);
 * ```
 */
export function fitCognitive<M extends FittableModel<M>>(
  model: M,
  data: Dataset,
  options: FitCognitiveOptions = {},
): CognitiveFit<M> {
  const where = "fitCognitive";
  rejectUnknownKeys(where, options, OPTION_KEYS);
  const seed = checkNumber(where, "seed", options.seed ?? 0, { min: 0, max: 0xffffffff, integer: true });
  const restarts = checkNumber(where, "restarts", options.restarts ?? 5, { min: 0, integer: true });
  const startScale = checkNumber(where, "startScale", options.startScale ?? 3, { min: 0 });
  const gridPoints = checkNumber(where, "gridPoints", options.gridPoints ?? 20, { min: 1, integer: true });
  const gridOption = options.grid ?? "auto";
  if (gridOption !== "auto" && typeof gridOption !== "boolean") {
    throw new TinyRnnInputError(
      `${where}: grid must be "auto", true or false, got ${JSON.stringify(gridOption)}`,
    );
  }
  const blocks = trainingBlocks(where, data, options.trainBlocks);
  const trainTrials = scoredTrials(blocks);
  if (trainTrials === 0) throw new TinyRnnInputError(`${where}: the training blocks have no scored trials`);

  const ranges = model.paramRanges;
  const n = ranges.length;
  if (model.name === "BAS") return closedFormBaseline(model, blocks, trainTrials);

  let evaluations = 0;
  const objective = (x: Float64Array): number => {
    evaluations++;
    return model.negLogLikelihoodPerTrial(blocks, constrain(x, ranges));
  };
  if (n === 0) {
    const fitted = model.withParams([]);
    return {
      model: fitted,
      params: [],
      paramNames: [],
      x: [],
      trainNll: objective(new Float64Array(0)),
      trainTrials,
      method: "nelder-mead",
      starts: [],
      best: -1,
      evaluations,
    };
  }

  const useGrid = gridOption === "auto" ? n <= MAX_GRID_PARAMS : gridOption;
  if (!useGrid && restarts === 0) {
    throw new TinyRnnInputError(`${where}: with grid off, restarts must be at least 1`);
  }
  const starts: { kind: FitStart["kind"]; x0: Float64Array; value?: number }[] = [];
  let grid: CognitiveFit<M>["grid"];
  if (useGrid) {
    const found = brute(objective, n, { points: gridPoints });
    grid = { x0: Array.from(found.x), value: found.fun, evaluations: found.nfev };
    starts.push({ kind: "grid", x0: found.x, value: found.fun });
  }
  const rng = new RandomState(seed);
  for (let r = 0; r < restarts; r++) {
    // numpy's normal(0, scale, size=(restarts, n)): row by row, loc + scale * gauss.
    starts.push({
      kind: "random",
      x0: Float64Array.from({ length: n }, () => 0 + startScale * rng.normal()),
    });
  }

  const runs: FitStart[] = [];
  let best = 0;
  for (const start of starts) {
    const startValue = start.value ?? objective(start.x0);
    const result = nelderMead(objective, start.x0, options.nelderMead);
    runs.push({
      kind: start.kind,
      x0: Array.from(start.x0),
      startValue,
      x: Array.from(result.x),
      fun: result.fun,
      nit: result.nit,
      nfev: result.nfev,
      success: result.success,
    });
    // Strictly better only, so the grid start (the original's fit) wins ties.
    if (runs.length > 1 && result.fun < runs[best].fun) best = runs.length - 1;
  }
  const winner = runs[best];
  const params = constrain(winner.x, ranges);
  const fitted = model.withParams(params);
  return {
    model: fitted,
    params,
    paramNames: [...model.paramNames],
    x: winner.x,
    trainNll: winner.fun,
    trainTrials,
    method: "nelder-mead",
    starts: runs,
    best,
    grid,
    evaluations,
  };
}

/** BAS's maximum-likelihood bias is the fraction of action-1 choices among the scored trials. */
function closedFormBaseline<M extends FittableModel<M>>(
  model: M,
  blocks: readonly Block[],
  trainTrials: number,
): CognitiveFit<M> {
  let ones = 0;
  for (const block of blocks) {
    for (let t = 0; t < block.action.length; t++) ones += (block.mask ? block.mask[t] : 1) * block.action[t];
  }
  const params = [ones / trainTrials];
  const fitted = model.withParams(params);
  return {
    model: fitted,
    params,
    paramNames: [...model.paramNames],
    x: [],
    trainNll: fitted.negLogLikelihoodPerTrial(blocks),
    trainTrials,
    method: "closed-form",
    starts: [],
    best: -1,
    evaluations: 1,
  };
}

function trainingBlocks(where: string, data: Dataset, indices: readonly number[] | undefined): Block[] {
  if (!data || !Array.isArray(data.blocks)) {
    throw new TinyRnnInputError(`${where}: data must be a Dataset with a blocks array`);
  }
  if (indices === undefined) return data.blocks;
  if (!Array.isArray(indices)) {
    throw new TinyRnnInputError(`${where}: trainBlocks must be an array of block indices`);
  }
  return indices.map((b, i) => {
    if (!Number.isInteger(b) || b < 0 || b >= data.blocks.length) {
      throw new TinyRnnInputError(
        `${where}: trainBlocks[${i}] = ${b} is not a block index (the data set has ${data.blocks.length} blocks)`,
      );
    }
    return data.blocks[b];
  });
}

function scoredTrials(blocks: readonly Block[]): number {
  let total = 0;
  for (const block of blocks) {
    if (block.mask) { for (const m of block.mask) total += m; }
    else total += block.action.length;
  }
  return total;
}
