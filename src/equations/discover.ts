/**
 * `discoverEquations(model, data)`: the update rule of a network (or any agent) with one or two dynamical
 * variables, as a sparse equation per trial type.
 *
 * The one-step map is read off the agent's own trajectories on the data: with one dynamical variable in
 * logit space, L(t) -> L(t + 1); with two in the agent's state, h(t) -> h(t + 1) plus the linear readout of
 * the logit from the state. For every trial type (an action/second-stage state/reward combination, which is
 * what the indicator variables of a rule would select) and every output variable, a sparse combination of
 * library terms is chosen by sequentially thresholded least squares (SINDy's STLSQ), with the threshold
 * chosen by K-fold cross-validation over blocks.
 *
 * Selection rule: the largest threshold whose held-out mean squared error is within one standard error of
 * the best threshold's (the "one-standard-error rule"), so that the sparsest rule that predicts as well as the
 * best, up to the noise of the estimate, wins; `selection: "best"` takes the lowest held-out error instead.
 * Errors that differ by less than (1e-8 · target scale)² count as equal, because on exact data the held-out
 * errors are rounding noise and their standard errors mean nothing.
 *
 * @module
 */

import { trialTypeCount } from "../data/dataset.ts";
import { logitChanges } from "../analysis/logits.ts";
import { type AgentLike, resolveAgent } from "../analysis/resolve_agent.ts";
import { trialOfType, trialTypeLabels } from "../analysis/trial_types.ts";
import type { Dataset } from "../data/dataset.ts";
import { type ResolvedOptions, resolveOptions, TinyRnnInputError } from "../options.ts";
import { RandomState } from "../random.ts";
import { buildLibrary, type EquationTerm, evaluateTerm } from "./library.ts";
import { stlsq } from "./least_squares.ts";
import {
  DEFAULT_RELATIVE_THRESHOLDS,
  DISCOVER_OPTIONS,
  type DiscoverEquationsOptions,
  type EquationSpace,
} from "./discover_options.ts";
import {
  DiscoveredEquation,
  DiscoveredEquations,
  type EquationReadout,
  TrialTypeEquations,
} from "./discovered.ts";

/** Held-out errors closer than (TIE_SCALE · target scale)² are equal: double-precision rounding noise. */
const TIE_SCALE = 1e-8;

/** Samples of the one-step map: inputs x (one row per trial), targets y (next values), trial types, blocks. */
interface MapSamples {
  x: Float64Array[];
  y: Float64Array[];
  trialType: Int32Array;
  block: Int32Array;
}

/** Mean and standard error of per-fold errors. */
function meanAndSe(values: readonly number[]): { mean: number; se: number } {
  const k = values.length;
  if (k === 0) return { mean: NaN, se: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / k;
  if (k === 1) return { mean, se: 0 };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1);
  return { mean, se: Math.sqrt(variance / k) };
}

function sumSquares(values: ArrayLike<number>, center: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - center) ** 2;
  return sum;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length > 0 ? sum / values.length : 0;
}

/** 1 − SSE/SST, with SST = 0 read as 1 when the fit is exact too (to rounding) and NaN otherwise. */
function rSquared(sse: number, sst: number, scale2: number, n: number): number {
  if (sst > 1e-24 * scale2 * n) return 1 - sse / sst;
  return sse <= 1e-20 * Math.max(scale2, 1e-300) * n ? 1 : NaN;
}

/**
 * Discover the update rule of a fitted network or any agent with one or two dynamical variables, as one
 * sparse equation per trial type and output variable (see the module notes for the method and the
 * selection rule).
 *
 * In logit space the variable is `L = scores[0] − scores[1]` (log P(action 0)/P(action 1), the logit of the
 * phase portraits), read before and after every scored trial. In state space it is the agent's state vector,
 * with the logit's linear readout fitted alongside. Trial types absent from the data get the identity rule
 * (every variable unchanged) and `samples` 0.
 *
 * @example
 * ```ts
 * import { cognitive, discoverEquations, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const agent = cognitive("MB0s", { alpha: 0.3, iTemp: 2 });
 * const data = simulate(agent, tasks.bandit(), { blocks: 40, trials: 50, seed: 1 });
 * const rule = discoverEquations(agent, data);
 * console.log(rule.toString()); // A1 R=1: L' = 0.7 L + 1.2 ...
 * ```
 */
export function discoverEquations(
  model: AgentLike,
  data: Dataset,
  options: DiscoverEquationsOptions = {},
): DiscoveredEquations {
  const where = "discoverEquations";
  const resolved = resolveOptions(where, options, DISCOVER_OPTIONS);
  const agent = resolveAgent(model, where);
  if (agent.nActions !== 2) {
    throw new TinyRnnInputError(`${where}: the agent must have 2 actions, got ${agent.nActions}`);
  }
  if (!data || !Array.isArray(data.blocks) || data.blocks.length === 0) {
    throw new TinyRnnInputError(`${where}: data must be a Dataset with at least one block`);
  }
  const d = agent.dynamicalVariables;
  let space: EquationSpace;
  if (resolved.space === "auto") {
    if (d === 1) space = "logit";
    else if (d === 2) space = "state";
    else {
      throw new TinyRnnInputError(
        `${where}: the agent ${agent.name} has d = ${d} dynamical variables; equations are discovered for d = 1 (logit) or 2 (state). Pass space: "logit" to fit the logit map anyway`,
      );
    }
  } else space = resolved.space;
  if (space === "state" && (agent.stateNames.length < 1 || agent.stateNames.length > 4)) {
    throw new TinyRnnInputError(
      `${where}: space "state" needs a state of 1 to 4 entries; ${agent.name} has ${agent.stateNames.length}`,
    );
  }

  const changes = logitChanges(agent, data);
  const n = changes.logit.length;
  if (n === 0) throw new TinyRnnInputError(`${where}: the data have no scored trials`);
  const variables = space === "logit" ? ["L"] : [...agent.stateNames];
  const samples: MapSamples = {
    x: space === "logit"
      ? Array.from(changes.logit, (l) => Float64Array.of(l))
      : changes.state.map((s) => Float64Array.from(s)),
    y: space === "logit"
      ? Array.from(changes.logit, (l, i) => Float64Array.of(l + changes.change[i]))
      : changes.nextState.map((s) => Float64Array.from(s)),
    trialType: changes.trialType,
    block: changes.block,
  };
  const typeCount = trialTypeCount(data.kind);
  for (let i = 0; i < n; i++) {
    const type = samples.trialType[i];
    if (!Number.isInteger(type) || type < 0 || type >= typeCount) {
      throw new TinyRnnInputError(
        `${where}: block ${changes.block[i]}, trial ${
          changes.trial[i]
        }, column trialType: must be in [0, ${typeCount}) for ${data.kind} tasks, got ${type} (rewards must be 0 or 1)`,
      );
    }
  }

  const library = buildLibrary(variables.length, resolved.order, resolved.functions);
  // Blocks to folds: a seeded permutation dealt round-robin, so every fold gets whole blocks.
  const nBlocks = data.blocks.length;
  const permutation = new RandomState(resolved.seed).permutation(nBlocks);
  const foldOfBlock = new Int32Array(nBlocks);
  permutation.forEach((block, i) => (foldOfBlock[block] = i % resolved.folds));

  const labels = trialTypeLabels(data.kind);
  const trialTypes: TrialTypeEquations[] = [];
  for (let type = 0; type < typeCount; type++) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (samples.trialType[i] === type) rows.push(i);
    const equations = variables.map((output, k) =>
      discoverOne(samples, rows, k, output, variables, library, foldOfBlock, resolved)
    );
    let sse = 0;
    let sst = 0;
    let sstChange = 0;
    let scale2 = 0;
    for (const [k, e] of equations.entries()) {
      const y = rows.map((i) => samples.y[i][k]);
      const change = rows.map((i) => samples.y[i][k] - samples.x[i][k]);
      sse += e.mse * rows.length;
      sst += sumSquares(y, mean(y));
      sstChange += sumSquares(change, mean(change));
      scale2 += sumSquares(y, 0) / Math.max(rows.length, 1);
    }
    trialTypes.push(
      new TrialTypeEquations({
        trialType: type,
        label: labels[type],
        trial: trialOfType(data.kind, type),
        samples: rows.length,
        equations,
        r2: rows.length > 0 ? rSquared(sse, sst, scale2, rows.length) : NaN,
        r2Change: rows.length > 0 ? rSquared(sse, sstChange, scale2, rows.length) : NaN,
      }),
    );
  }

  const initial = agent.initialState();
  let readout: EquationReadout | undefined;
  let initialState: number[];
  if (space === "logit") {
    const scores = agent.scores(initial);
    initialState = [scores[0] - scores[1]];
  } else {
    initialState = Array.from(initial);
    readout = fitReadout(changes.state, changes.nextState, changes.logit, changes.change);
  }
  const { thresholds: _thresholds, space: _space, ...rest } = resolved;
  return new DiscoveredEquations({
    source: agent.name,
    kind: data.kind,
    space,
    variables,
    library,
    trialTypes,
    initialState,
    ranges: variables.map((_, k) => {
      let min = Infinity;
      let max = -Infinity;
      for (const rows of [samples.x, samples.y]) {
        for (const row of rows) {
          if (row[k] < min) min = row[k];
          if (row[k] > max) max = row[k];
        }
      }
      return { min, max };
    }),
    ...(readout ? { readout } : {}),
    settings: { ...rest, space, ...(resolved.thresholds ? { thresholds: [...resolved.thresholds] } : {}) },
  });
}

/**
 * The logit as a linear function of the state, fitted over the states before and after every trial (so the
 * last state of each block counts too), as the analyses' readout direction but by QR. Terms at rounding
 * level (below 1e-10 of the logit's spread) are dropped, so an exact readout prints without a 1e-14 bias.
 */
function fitReadout(
  before: readonly Float64Array[],
  after: readonly Float64Array[],
  logit: Float64Array,
  change: Float64Array,
): EquationReadout {
  const states = [...before, ...after];
  const y = Float64Array.from([...logit, ...logit.map((l, i) => l + change[i])]);
  const d = states[0].length;
  const columns = Array.from({ length: d }, (_, k) => Float64Array.from(states, (s) => s[k]));
  columns.push(new Float64Array(states.length).fill(1));
  const n = y.length;
  const yMean = mean(y);
  const spread = Math.sqrt(sumSquares(y, yMean) / n);
  const { coefficients } = stlsq(columns, y, 1e-10 * (spread > 0 ? spread : 1));
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let prediction = 0;
    for (let j = 0; j <= d; j++) prediction += coefficients[j] * columns[j][i];
    sse += (y[i] - prediction) ** 2;
  }
  const rms2 = sumSquares(y, 0) / n;
  return {
    weights: Array.from(coefficients.subarray(0, d)),
    bias: coefficients[d],
    r2: rSquared(sse, sumSquares(y, yMean), rms2, n),
  };
}

/** The design matrix columns (one per library term) of the given sample rows. */
function designColumns(
  samples: MapSamples,
  rows: readonly number[],
  library: readonly EquationTerm[],
): Float64Array[] {
  return library.map((term) => Float64Array.from(rows, (i) => evaluateTerm(term, samples.x[i])));
}

/** Select and fit the equation of output `k` over the sample rows of one trial type. */
function discoverOne(
  samples: MapSamples,
  rows: readonly number[],
  k: number,
  output: string,
  variables: readonly string[],
  library: readonly EquationTerm[],
  foldOfBlock: Int32Array,
  options: ResolvedOptions<typeof DISCOVER_OPTIONS>,
): DiscoveredEquation {
  const n = rows.length;
  if (n === 0) {
    // Nothing observed: keep the variable unchanged, the neutral rule for an unseen observation.
    const identity: EquationTerm = { kind: "monomial", powers: variables.map((_, j) => (j === k ? 1 : 0)) };
    return new DiscoveredEquation({
      output,
      outputIndex: k,
      variables,
      terms: [identity],
      coefficients: [1],
      r2: NaN,
      r2Change: NaN,
      mse: NaN,
      threshold: 0,
      cv: { thresholds: [], meanMse: [], seMse: [], terms: [], folds: 0, chosen: -1 },
    });
  }
  const y = Float64Array.from(rows, (i) => samples.y[i][k]);
  const current = Float64Array.from(rows, (i) => samples.x[i][k]);
  const yMean = mean(y);
  const spread = Math.sqrt(sumSquares(y, yMean) / n);
  const rms = Math.sqrt(sumSquares(y, 0) / n);
  const scale = spread > 0 ? spread : rms > 0 ? rms : 1;
  const thresholds = (options.thresholds ?? DEFAULT_RELATIVE_THRESHOLDS.map((t) => t * scale))
    .slice().sort((a, b) => a - b);
  const stlsqOptions = { ridge: options.ridge, maxIterations: options.maxIterations };

  // Folds: by block when at least two folds hold samples of this type, else by sample (seeded the same way).
  const foldOf = new Int32Array(n);
  for (let r = 0; r < n; r++) foldOf[r] = foldOfBlock[samples.block[rows[r]]];
  let used = new Set(foldOf);
  if (used.size < 2 && n >= 2) {
    const permutation = new RandomState(options.seed).permutation(n);
    permutation.forEach((r, i) => (foldOf[r] = i % Math.min(options.folds, n)));
    used = new Set(foldOf);
  }
  const folds = n >= 2 ? [...used].sort((a, b) => a - b) : [];

  const allColumns = designColumns(samples, rows, library);
  const perFold: number[][] = thresholds.map(() => []);
  for (const fold of folds) {
    const train: number[] = [];
    const test: number[] = [];
    for (let r = 0; r < n; r++) (foldOf[r] === fold ? test : train).push(r);
    const trainColumns = allColumns.map((column) => Float64Array.from(train, (r) => column[r]));
    const trainY = Float64Array.from(train, (r) => y[r]);
    thresholds.forEach((threshold, t) => {
      const { coefficients } = stlsq(trainColumns, trainY, threshold, stlsqOptions);
      let sse = 0;
      for (const r of test) {
        let prediction = 0;
        for (let j = 0; j < library.length; j++) {
          if (coefficients[j] !== 0) prediction += coefficients[j] * allColumns[j][r];
        }
        sse += (y[r] - prediction) ** 2;
      }
      perFold[t].push(sse / test.length);
    });
  }
  const fullFits = thresholds.map((threshold) => stlsq(allColumns, y, threshold, stlsqOptions));
  const stats = perFold.map(meanAndSe);
  let chosen = 0;
  if (folds.length >= 2) {
    let best = 0;
    for (let t = 1; t < thresholds.length; t++) if (stats[t].mean < stats[best].mean) best = t;
    chosen = best;
    if (options.selection === "1se") {
      const limit = stats[best].mean + Math.max(stats[best].se, (TIE_SCALE * scale) ** 2);
      for (let t = thresholds.length - 1; t >= 0; t--) {
        if (stats[t].mean <= limit) {
          chosen = t;
          break;
        }
      }
    }
  }
  const fit = fullFits[chosen];
  const kept = library.flatMap((_, j) => (fit.support[j] ? [j] : []));
  const predictions = new Float64Array(n);
  for (const j of kept) for (let r = 0; r < n; r++) predictions[r] += fit.coefficients[j] * allColumns[j][r];
  let sse = 0;
  for (let r = 0; r < n; r++) sse += (y[r] - predictions[r]) ** 2;
  const change = current.map((c, r) => y[r] - c);
  return new DiscoveredEquation({
    output,
    outputIndex: k,
    variables,
    terms: kept.map((j) => library[j]),
    coefficients: kept.map((j) => fit.coefficients[j]),
    r2: rSquared(sse, sumSquares(y, yMean), rms * rms, n),
    r2Change: rSquared(sse, sumSquares(change, mean(change)), rms * rms, n),
    mse: sse / n,
    threshold: thresholds[chosen],
    cv: {
      thresholds,
      meanMse: stats.map((s) => s.mean),
      seMse: stats.map((s) => s.se),
      terms: fullFits.map((f) => f.support.filter(Boolean).length),
      folds: folds.length,
      chosen,
    },
  });
}
