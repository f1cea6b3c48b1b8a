/**
 * `cognitive(name, params?, options?)`: a cognitive model as an `Agent`, with its likelihood.
 *
 * @module
 */

import type { Block, Dataset, TaskKind } from "../data/dataset.ts";
import { checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { describeMarkup, JUPYTER_DISPLAY } from "../display_table.ts";
import { type Agent, type LogLikelihood, protectedLog, type Trial } from "./agent.ts";
import type { CognitiveModelDefinition, CognitiveSettings, ParamRange } from "./cognitive_definition.ts";
import { type CognitiveModelName, findCognitiveModel } from "./registry.ts";
import { settingsForTask } from "./two_step.ts";

export type { CognitiveModelDefinition, CognitiveSettings, ParamRange } from "./cognitive_definition.ts";
export { listCognitiveModels } from "./registry.ts";

/** Parameter values: by name (missing names keep their current/default value) or a full vector in order. */
export type CognitiveParams = Readonly<Record<string, number>> | readonly number[];

/** Task-dependent constants of the model family. */
export interface CognitiveOptions {
  /**
   * Kind of task the model is meant for, which sets the family defaults of `pTransit` and `goodProb`:
   * `"bandit"` (default) the reversal-learning (PRL) constants 1 and 0.7, `"twoStage"` the reduced
   * two-stage (RTS) constants 0.8 and 0.8. Explicit `pTransit`/`goodProb` override them.
   */
  task?: TaskKind;
  /**
   * P(common transition) assumed by the `MB…` models. Default 1 (0.8 with `task: "twoStage"`): with 1 (the
   * PRL family) they are model-free learners over the two arms.
   */
  pTransit?: number;
  /** Reward probability of the good state assumed by `LS0`/`LS1`. Default 0.7 (0.8 with `task: "twoStage"`). */
  goodProb?: number;
  /**
   * Number of options, for the models defined for any number (`QFP`, `QFPb`, `QFCK`, `LSk`). Default: the
   * model's own (2 for every two-option model).
   */
  nActions?: number;
}

const OPTION_KEYS = ["task", "pTransit", "goodProb", "nActions"] as const;

const RANGE_LIMITS: Record<ParamRange, { min?: number; max?: number }> = {
  unit: { min: 0, max: 1 },
  half: { min: 0, max: 0.5 },
  pos: { min: 0 },
  unc: {},
};

/** Log-probability of `action` under the logits, by the original's max-subtracted softmax. */
function logProbability(scores: Float64Array, action: number): number {
  if (scores.length !== 2) {
    let top = -Infinity;
    for (let i = 0; i < scores.length; i++) if (scores[i] > top) top = scores[i];
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum += Math.exp(scores[i] - top);
    return protectedLog(Math.exp(scores[action] - top) / sum);
  }
  const max = scores[0] > scores[1] ? scores[0] : scores[1];
  const e0 = Math.exp(scores[0] - max);
  const e1 = Math.exp(scores[1] - max);
  return protectedLog((action === 0 ? e0 : e1) / (e0 + e1));
}

/**
 * Reject a trial the models cannot index: action and state 0 or 1 for two-option models; for k-option
 * models an action in 0..k-1 with the state equal to it.
 */
function checkTrial(block: Block, b: number, t: number, nActions = 2): void {
  const a = block.action[t];
  const s = block.state[t];
  if (nActions > 2) {
    // k-option bandit models: the state is the action.
    if (!Number.isInteger(a) || a < 0 || a >= nActions || s !== a) {
      throw new TinyRnnInputError(
        `block ${b}, trial ${t}, column action: must be an integer in 0..${
          nActions - 1
        } (state = action), got ${a} (state ${s})`,
      );
    }
  } else if (a !== 0 && a !== 1) {
    throw new TinyRnnInputError(`block ${b}, trial ${t}, column action: must be 0 or 1, got ${a}`);
  }
  if (nActions <= 2 && s !== 0 && s !== 1) {
    throw new TinyRnnInputError(`block ${b}, trial ${t}, column state: must be 0 or 1, got ${s}`);
  }
  if (typeof block.reward[t] !== "number" || !Number.isFinite(block.reward[t])) {
    throw new TinyRnnInputError(
      `block ${b}, trial ${t}, column reward: must be a finite number, got ${block.reward[t]}`,
    );
  }
}

/**
 * A cognitive model with fixed parameters. Implements `Agent`; immutable (use `withParams`). Made by
 * `cognitive(name, params?, options?)`.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const mb1 = cognitive("MB1", { alpha: 0.4, iTemp: 5 });
 * const { total, scoredTrials } = mb1.logLikelihood(data);
 * console.log(mb1.paramNames, -total / scoredTrials, mb1.withParams({ alpha: 0.2 }).params);
 * ```
 */
export class CognitiveModel implements Agent {
  /** Canonical model name (aliases resolve to it, e.g. `MF` → `MB0`). */
  readonly name: string;
  readonly nActions: number;
  readonly stateNames: readonly string[];
  readonly dynamicalVariables: number;
  /** Parameter names in vector order. */
  readonly paramNames: readonly string[];
  /** Range of each parameter (`unit`, `half`, `pos`, `unc`). */
  readonly paramRanges: readonly ParamRange[];
  /** Current parameter values by name. */
  readonly params: Readonly<Record<string, number>>;
  /** Current parameter values in `paramNames` order. */
  readonly paramVector: readonly number[];
  /** Family constants (pTransit, goodProb). */
  readonly settings: Readonly<CognitiveSettings>;
  /**
   * The model's definition in the registry.
   *
   * @internal
   */
  readonly definition: CognitiveModelDefinition;
  readonly #params: Float64Array;
  // Scratch buffers reused by the likelihood loops (a model is not used re-entrantly).
  readonly #state: Float64Array;
  readonly #scores: Float64Array;

  /**
   * Use `cognitive(name, params, options)` instead. Parameters must already be validated.
   *
   * @internal
   */
  constructor(definition: CognitiveModelDefinition, params: readonly number[], settings: CognitiveSettings) {
    this.definition = definition;
    this.name = definition.name;
    this.stateNames = definition.stateNames;
    this.dynamicalVariables = definition.dynamicalVariables;
    this.paramNames = definition.paramNames;
    this.paramRanges = definition.paramRanges;
    this.#params = Float64Array.from(params);
    this.paramVector = Object.freeze([...params]);
    this.params = Object.freeze(Object.fromEntries(definition.paramNames.map((n, i) => [n, params[i]])));
    this.settings = Object.freeze({ ...settings });
    this.#state = new Float64Array(definition.stateNames.length);
    this.nActions = definition.nActions ?? 2;
    this.#scores = new Float64Array(this.nActions);
  }

  /** Deno's Jupyter kernel calls this to show the model inline: name, parameters with values, d. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return describeMarkup(`cognitive model ${this.name}`, [
      ...this.paramNames.map((n): [string, unknown] => [n, this.params[n]]),
      ["d (dynamical variables)", this.dynamicalVariables],
      ["actions", this.nActions],
    ]);
  }

  /** State before the first trial of a block (a fresh array). */
  initialState(): Float64Array {
    const state = new Float64Array(this.stateNames.length);
    this.definition.initialState(state, this.#params, this.settings);
    return state;
  }

  /** Action logits of a state. */
  scores(state: Float64Array): Float64Array {
    const out = new Float64Array(this.nActions);
    this.definition.scores(state, this.#params, this.settings, out);
    return out;
  }

  /** State after one trial (a new array; `state` is left unchanged). */
  step(state: Float64Array, trial: Trial): Float64Array {
    const next = Float64Array.from(state);
    this.definition.update(next, this.#params, this.settings, trial.action, trial.state, trial.reward);
    return next;
  }

  /** The same model with other parameter values (by name, merged onto the current ones, or a full vector). */
  withParams(params: CognitiveParams): CognitiveModel {
    return new CognitiveModel(
      this.definition,
      resolveParams(this.definition, params, this.paramVector),
      this.settings,
    );
  }

  /**
   * Log-likelihood of observed blocks: total over scored trials (Σ mask·log P), per trial (one array per
   * block, unmasked) and the number of scored trials. Uses the original's protected log.
   */
  logLikelihood(data: Dataset | readonly Block[]): LogLikelihood {
    const blocks = Array.isArray(data) ? data as readonly Block[] : (data as Dataset).blocks;
    const perTrial: number[][] = [];
    let total = 0;
    let scoredTrials = 0;
    blocks.forEach((block, b) => {
      const row = new Array<number>(block.action.length);
      const blockTotal = this.#runBlock(block, b, row);
      total += blockTotal.total;
      scoredTrials += blockTotal.scored;
      perTrial.push(row);
    });
    return { total, perTrial, scoredTrials };
  }

  /**
   * Mean negative log-likelihood per scored trial, −Σ mask·log P / Σ mask: the fitting objective. Allocates
   * nothing per trial. `params` (a vector in `paramNames` order) overrides the model's own values without
   * range checks, for optimisers that already map into the ranges.
   */
  negLogLikelihoodPerTrial(blocks: readonly Block[], params?: ArrayLike<number>): number {
    let values = this.#params;
    if (params) {
      if (params.length !== values.length) {
        throw new TinyRnnInputError(
          `${this.name}: expected ${values.length} parameters (${
            this.paramNames.join(", ")
          }), got ${params.length}`,
        );
      }
      values = Float64Array.from(params);
    }
    let total = 0;
    let scored = 0;
    for (let b = 0; b < blocks.length; b++) {
      const result = this.#runBlock(blocks[b], b, undefined, values);
      total += result.total;
      scored += result.scored;
    }
    if (scored === 0) throw new TinyRnnInputError(`${this.name}: no scored trials (every mask is 0)`);
    return -total / scored;
  }

  #runBlock(
    block: Block,
    b: number,
    row: number[] | undefined,
    params: Float64Array = this.#params,
  ): { total: number; scored: number } {
    const definition = this.definition;
    const settings = this.settings;
    const state = this.#state;
    const scores = this.#scores;
    const mask = block.mask;
    definition.initialState(state, params, settings);
    let total = 0;
    let scored = 0;
    const T = block.action.length;
    for (let t = 0; t < T; t++) {
      checkTrial(block, b, t, scores.length);
      const action = block.action[t];
      definition.scores(state, params, settings, scores);
      const ll = logProbability(scores, action);
      if (row) row[t] = ll;
      const m = mask ? mask[t] : 1;
      total += m * ll;
      scored += m;
      definition.update(state, params, settings, action, block.state[t], block.reward[t]);
    }
    return { total, scored };
  }
}

/** Turn user parameters into a validated vector, starting from `base`. */
function resolveParams(
  definition: CognitiveModelDefinition,
  params: CognitiveParams | undefined,
  base: readonly number[],
): number[] {
  const where = `cognitive model ${definition.name}`;
  const values = [...base];
  if (Array.isArray(params)) {
    if (params.length !== definition.paramNames.length) {
      throw new TinyRnnInputError(
        `${where}: expected ${definition.paramNames.length} parameters (${
          definition.paramNames.join(", ")
        }), got ${params.length}`,
      );
    }
    params.forEach((v, i) => (values[i] = v));
  } else if (params !== undefined) {
    rejectUnknownKeys(where, params, definition.paramNames);
    definition.paramNames.forEach((name, i) => {
      const v = (params as Record<string, number>)[name];
      if (v !== undefined) values[i] = v;
    });
  }
  definition.paramNames.forEach((name, i) => {
    const limits = RANGE_LIMITS[definition.paramRanges[i]];
    checkNumber(where, `parameter ${name} (${definition.paramRanges[i]})`, values[i], limits);
    if (!Number.isFinite(values[i])) {
      throw new TinyRnnInputError(`${where}: parameter ${name} must be finite, got ${values[i]}`);
    }
  });
  return values;
}

/**
 * A cognitive model by name (see `listCognitiveModels()`), with parameters by name or as a vector in the
 * model's order; missing parameters take the original's defaults. Unknown names and parameters are rejected
 * with a "did you mean" hint.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const mf = cognitive("MF", { alpha: 0.5, iTemp: 2 });
 * const { total, perTrial } = mf.logLikelihood(data);
 * const mb = cognitive("MB0", { alpha: 0.3, iTemp: 4 }, { task: "twoStage" }); // pTransit 0.8, goodProb 0.8
 * ```
 */
export function cognitive(
  // Any string compiles (checked at run time, with a "did you mean"); the names complete in editors.
  name: CognitiveModelName | (string & Record<never, never>),
  params?: CognitiveParams,
  options: CognitiveOptions = {},
): CognitiveModel {
  let definition = findCognitiveModel(name);
  rejectUnknownKeys(`cognitive model ${definition.name} options`, options, OPTION_KEYS);
  if (options.nActions !== undefined && options.nActions !== (definition.nActions ?? 2)) {
    const k = checkNumber("cognitive options", "nActions", options.nActions, { min: 2, integer: true });
    if (!definition.forActions) {
      throw new TinyRnnInputError(
        `cognitive model ${definition.name} has ${
          definition.nActions ?? 2
        } actions and cannot take nActions ${k}`,
      );
    }
    definition = definition.forActions(k);
  }
  const family = settingsForTask(
    checkChoice("cognitive options", "task", options.task ?? "bandit", ["bandit", "twoStage"] as const),
  );
  const settings: CognitiveSettings = {
    pTransit: checkNumber("cognitive options", "pTransit", options.pTransit ?? family.pTransit, {
      min: 0,
      max: 1,
    }),
    goodProb: checkNumber("cognitive options", "goodProb", options.goodProb ?? family.goodProb, {
      min: 0,
      max: 1,
    }),
  };
  return new CognitiveModel(
    definition,
    resolveParams(definition, params, definition.defaultParams),
    settings,
  );
}
