/**
 * A discovered rule as a model: `equationModel(discovered)` is an `Agent` whose parameters are the rule's
 * coefficients, so it simulates, scores data, draws portraits and refits by maximum likelihood like a
 * cognitive model.
 *
 * @module
 */

import { type Agent, type LogLikelihood, protectedLog, type Trial } from "../agents/agent.ts";
import type { FittableModel } from "../agents/fitting.ts";
import { type Block, type Dataset, type TaskKind, trialTypeCount, trialTypeOf } from "../data/dataset.ts";
import { trialTypeLabels } from "../analysis/trial_types.ts";
import { bfgs, type BfgsOptions } from "../optim/bfgs.ts";
import { nelderMead, type NelderMeadOptions } from "../optim/nelder_mead.ts";
import type { ParamRange } from "../optim/transforms.ts";
import { checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import type { EquationSpace } from "./discover_options.ts";
import type { DiscoveredEquations, DiscoveredEquationsJson } from "./discovered.ts";
import { escapeHtml, formatRule, latexLabel, latexRightHandSide, latexRule } from "./format.ts";
import { type EquationTerm, evaluateTerm, termName } from "./library.ts";

/** The rule of one output variable in one trial type. */
export interface EquationRule {
  /** The variable it updates. */
  output: string;
  /** Its terms. */
  terms: readonly EquationTerm[];
  /** Their coefficients. */
  coefficients: readonly number[];
}

/** The rules of one trial type, one per variable. */
export interface TrialTypeRules {
  /** Trial type index. */
  trialType: number;
  /** Its label, e.g. `"A1 R=1"`. */
  label: string;
  /** One rule per variable. */
  outputs: readonly EquationRule[];
}

/** Options of {@linkcode equationModel}. */
export interface EquationModelOptions {
  /**
   * State space only: `"fixed"` (default) keeps the readout of the logit from the state as discovered;
   * `"free"` makes its weights and bias parameters too (appended after the coefficients).
   */
  readout?: "fixed" | "free";
  /** Model name. Default `equations(<source agent>)`. */
  name?: string;
  /**
   * Keep every variable within its discovered range widened by this fraction of the range's span on each
   * side, or `false` for no bounds. Default 0.5. Polynomial rules are fitted where the network went and can
   * run away outside it (a quadratic map diverges once the state passes its repelling fixed point); a clamp
   * well outside the data changes nothing on data like the training data and keeps refits and simulations
   * finite.
   */
  clamp?: number | false;
}

/** Everything an equation model is built from (the rule, its readout and initial state). */
interface EquationSpec {
  name: string;
  kind: TaskKind;
  space: EquationSpace;
  variables: readonly string[];
  initialState: readonly number[];
  readout?: { weights: readonly number[]; bias: number };
  readoutMode: "fixed" | "free";
  /** Lower and upper bound per variable (±Infinity without a clamp). */
  bounds: readonly (readonly [number, number])[];
  /** Indexed by trial type; every type of the kind present. */
  rules: readonly TrialTypeRules[];
}

/** A discovered update rule as an `Agent` with its coefficients as parameters. Made by `equationModel`. */
export class EquationModel implements Agent, FittableModel<EquationModel> {
  /** Model name, `equations(<source>)` by default. */
  readonly name: string;
  /** Always 2. */
  readonly nActions = 2;
  /** `["L"]` in logit space, the state names in state space. */
  readonly stateNames: readonly string[];
  /** Number of variables. */
  readonly dynamicalVariables: number;
  /** Task kind whose trial types index the rules. */
  readonly kind: TaskKind;
  /** Logit or state space. */
  readonly space: EquationSpace;
  /** `"<label> <output>': <term>"` for every coefficient, then `"readout: <term>"` with a free readout. */
  readonly paramNames: readonly string[];
  /** `"unc"` for every parameter: coefficients can take any sign. */
  readonly paramRanges: readonly ParamRange[];
  /** Current parameter values in `paramNames` order. */
  readonly paramVector: readonly number[];
  /** Current parameter values by name. */
  readonly params: Readonly<Record<string, number>>;
  /** The rules with the current coefficients, by trial type. */
  readonly rules: readonly TrialTypeRules[];
  /** State space: the readout `L = weights · state + bias` with the current values. */
  readonly readout?: { readonly weights: readonly number[]; readonly bias: number };
  /** The `[lower, upper]` bound each variable is clamped to (±Infinity when not clamped). */
  readonly bounds: readonly (readonly [number, number])[];
  readonly #spec: EquationSpec;
  /** Per trial type, per output: [first parameter index, number of terms]. */
  readonly #offsets: [number, number][][];
  readonly #readoutOffset: number;
  readonly #values: Float64Array;

  /** @internal Use `equationModel`. */
  constructor(spec: EquationSpec, params?: readonly number[]) {
    this.#spec = spec;
    this.name = spec.name;
    this.kind = spec.kind;
    this.space = spec.space;
    this.stateNames = [...spec.variables];
    this.dynamicalVariables = spec.variables.length;
    this.bounds = spec.bounds;
    const names: string[] = [];
    const values: number[] = [];
    this.#offsets = spec.rules.map((type) =>
      type.outputs.map((rule) => {
        const start = names.length;
        rule.terms.forEach((term, j) => {
          names.push(`${type.label} ${rule.output}': ${termName(term, spec.variables)}`);
          values.push(rule.coefficients[j]);
        });
        return [start, rule.terms.length] as [number, number];
      })
    );
    this.#readoutOffset = names.length;
    if (spec.space === "state" && spec.readoutMode === "free") {
      spec.variables.forEach((v, k) => {
        names.push(`readout: ${v}`);
        values.push(spec.readout!.weights[k]);
      });
      names.push("readout: 1");
      values.push(spec.readout!.bias);
    }
    if (params) {
      if (params.length !== names.length) {
        throw new TinyRnnInputError(
          `${spec.name}: expected ${names.length} parameters, got ${params.length}`,
        );
      }
      params.forEach((v, i) => {
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new TinyRnnInputError(
            `${spec.name}: parameter ${names[i]} must be a finite number, got ${v}`,
          );
        }
      });
    }
    const vector = params ? [...params] : values;
    this.#values = Float64Array.from(vector);
    this.paramNames = Object.freeze(names);
    this.paramRanges = Object.freeze(names.map(() => "unc" as const));
    this.paramVector = Object.freeze(vector);
    this.params = Object.freeze(Object.fromEntries(names.map((name, i) => [name, vector[i]])));
    this.rules = spec.rules.map((type, t) => ({
      trialType: type.trialType,
      label: type.label,
      outputs: type.outputs.map((rule, k) => {
        const [start, count] = this.#offsets[t][k];
        return { output: rule.output, terms: rule.terms, coefficients: vector.slice(start, start + count) };
      }),
    }));
    if (spec.space === "state") {
      const d = spec.variables.length;
      this.readout = spec.readoutMode === "free"
        ? {
          weights: vector.slice(this.#readoutOffset, this.#readoutOffset + d),
          bias: vector[this.#readoutOffset + d],
        }
        : { weights: [...spec.readout!.weights], bias: spec.readout!.bias };
    }
  }

  /** The initial logit, or the initial state (a fresh array). */
  initialState(): Float64Array {
    return Float64Array.from(this.#spec.initialState);
  }

  /** `[L, 0]`: the logit of action 0 over action 1, so P(action 0) = sigmoid(L) as the portraits read it. */
  scores(state: Float64Array): Float64Array {
    return Float64Array.of(this.#logit(state, this.#values), 0);
  }

  /** The state after one trial, by the rule of the trial's type (a new array). */
  step(state: Float64Array, trial: Trial): Float64Array {
    const next = new Float64Array(state.length);
    this.#step(state, this.#typeOf(trial.action, trial.state, trial.reward), this.#values, next);
    return next;
  }

  /** The same model with other parameter values (a full vector in `paramNames` order, or some by name). */
  withParams(params: readonly number[] | Readonly<Record<string, number>>): EquationModel {
    if (Array.isArray(params)) return new EquationModel(this.#spec, params as readonly number[]);
    const vector = [...this.paramVector];
    for (const [name, value] of Object.entries(params)) {
      const i = this.paramNames.indexOf(name);
      if (i < 0) {
        throw new TinyRnnInputError(
          `${this.name}: no parameter ${JSON.stringify(name)}; parameters: ${this.paramNames.join(", ")}`,
        );
      }
      vector[i] = value;
    }
    return new EquationModel(this.#spec, vector);
  }

  /** Log-likelihood of observed blocks: total over scored trials, per trial (unmasked) and the trial count. */
  logLikelihood(data: Dataset | readonly Block[]): LogLikelihood {
    const blocks = Array.isArray(data) ? data as readonly Block[] : (data as Dataset).blocks;
    const perTrial: number[][] = [];
    let total = 0;
    let scoredTrials = 0;
    for (const block of blocks) {
      const row = new Array<number>(block.action.length);
      const result = this.#runBlock(block, this.#values, row);
      total += result.total;
      scoredTrials += result.scored;
      perTrial.push(row);
    }
    return { total, perTrial, scoredTrials };
  }

  /**
   * Mean negative log-likelihood per scored trial, at the model's parameters or at `params` (in `paramNames`
   * order): the objective of `fitCognitive` and `refitEquationModel`.
   */
  negLogLikelihoodPerTrial(blocks: readonly Block[], params?: ArrayLike<number>): number {
    let values = this.#values;
    if (params) {
      if (params.length !== values.length) {
        throw new TinyRnnInputError(
          `${this.name}: expected ${values.length} parameters, got ${params.length}`,
        );
      }
      values = Float64Array.from(params);
    }
    let total = 0;
    let scored = 0;
    for (const block of blocks) {
      const result = this.#runBlock(block, values);
      total += result.total;
      scored += result.scored;
    }
    if (scored === 0) throw new TinyRnnInputError(`${this.name}: no scored trials (every mask is 0)`);
    return -total / scored;
  }

  /** One line per trial type and output with the current coefficients, then the readout. */
  toString(digits = 4): string {
    const lines = [`${this.name} (${this.space} space, ${this.paramNames.length} parameters)`];
    for (const type of this.rules) {
      for (const rule of type.outputs) {
        lines.push(
          `  ${type.label}: ${
            formatRule(rule.output, rule.terms, rule.coefficients, this.stateNames, digits)
          }`,
        );
      }
    }
    if (this.readout) {
      const { terms, coefficients } = readoutTerms(this.stateNames, this.readout);
      lines.push(
        `  readout: ${formatRule("L", terms, coefficients, this.stateNames, digits).replace("L' =", "L =")}`,
      );
    }
    return lines.join("\n");
  }

  /** An `aligned` LaTeX block of the current rule. */
  toLatex(digits = 4): string {
    const rows = this.rules.flatMap((type) =>
      type.outputs.map((rule) =>
        `${latexLabel(type.label)}:\\quad ${
          latexRule(rule.output, rule.terms, rule.coefficients, this.stateNames, digits, true)
        }`
      )
    );
    if (this.readout) {
      const { terms, coefficients } = readoutTerms(this.stateNames, this.readout);
      rows.push(
        `${latexLabel("readout")}:\\quad L &= ${
          latexRightHandSide(terms, coefficients, this.stateNames, digits)
        }`,
      );
    }
    return `\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}`;
  }

  /** Deno's Jupyter kernel calls this: the rule as text in HTML, and typeset for Markdown. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return {
      "text/html": `<pre>${escapeHtml(this.toString())}</pre>`,
      "text/markdown": `$$\n${this.toLatex()}\n$$`,
    };
  }

  #typeOf(action: number, state: number, reward: number): number {
    // Positive point rewards count as rewarded, as `simulate` codes their trial types.
    const type = trialTypeOf(this.kind, action, state, reward > 0 ? 1 : reward === 0 ? 0 : NaN);
    if (!Number.isInteger(type) || type < 0 || type >= this.#spec.rules.length) {
      throw new TinyRnnInputError(
        `${this.name}: trial (action ${action}, state ${state}, reward ${reward}) has no trial type in a ${this.kind} task (actions, states and rewards must be 0 or 1)`,
      );
    }
    return type;
  }

  #logit(state: ArrayLike<number>, values: Float64Array): number {
    if (this.space === "logit") return state[0];
    const d = this.dynamicalVariables;
    if (this.#spec.readoutMode === "free") {
      let logit = values[this.#readoutOffset + d];
      for (let k = 0; k < d; k++) logit += values[this.#readoutOffset + k] * state[k];
      return logit;
    }
    const readout = this.#spec.readout!;
    let logit = readout.bias;
    for (let k = 0; k < d; k++) logit += readout.weights[k] * state[k];
    return logit;
  }

  #step(state: ArrayLike<number>, type: number, values: Float64Array, out: Float64Array): void {
    const rules = this.#spec.rules[type].outputs;
    const offsets = this.#offsets[type];
    for (let k = 0; k < rules.length; k++) {
      const [start, count] = offsets[k];
      let value = 0;
      for (let j = 0; j < count; j++) value += values[start + j] * evaluateTerm(rules[k].terms[j], state);
      const [lower, upper] = this.bounds[k];
      out[k] = value < lower ? lower : value > upper ? upper : value;
    }
  }

  #runBlock(block: Block, values: Float64Array, row?: number[]): { total: number; scored: number } {
    let state = Float64Array.from(this.#spec.initialState);
    let next = new Float64Array(state.length);
    let total = 0;
    let scored = 0;
    const T = block.action.length;
    for (let t = 0; t < T; t++) {
      const action = block.action[t];
      if (action !== 0 && action !== 1) {
        throw new TinyRnnInputError(`${this.name}: trial ${t}, column action: must be 0 or 1, got ${action}`);
      }
      // log softmax([L, 0]) with the larger score subtracted, as every likelihood in tinyrnn.
      const logit = this.#logit(state, values);
      const max = logit > 0 ? logit : 0;
      const e0 = Math.exp(logit - max);
      const e1 = Math.exp(-max);
      const ll = protectedLog((action === 0 ? e0 : e1) / (e0 + e1));
      if (row) row[t] = ll;
      const m = block.mask ? block.mask[t] : 1;
      total += m * ll;
      scored += m;
      this.#step(state, this.#typeOf(action, block.state[t], block.reward[t]), values, next);
      [state, next] = [next, state];
    }
    return { total, scored };
  }
}

function readoutTerms(
  variables: readonly string[],
  readout: { weights: readonly number[]; bias: number },
): { terms: EquationTerm[]; coefficients: number[] } {
  const all: EquationTerm[] = variables.map((_, k) => ({
    kind: "monomial",
    powers: variables.map((_, j) => (j === k ? 1 : 0)),
  }));
  all.push({ kind: "constant" });
  const values = [...readout.weights, readout.bias];
  const kept = all.flatMap((_, j) => (values[j] !== 0 ? [j] : []));
  return { terms: kept.map((j) => all[j]), coefficients: kept.map((j) => values[j]) };
}

/**
 * The discovered rule as a model (`Agent`) with the coefficients as parameters. In logit space the state is
 * the logit L itself, starting at the source agent's initial logit; in state space it is the state, starting
 * at the agent's initial state, with the discovered linear readout of L (fixed, or free parameters with
 * `readout: "free"`). Either way the action scores are `[L, 0]`, which give the same choice probabilities as
 * any two scores whose difference is L. Each variable is clamped to its discovered range widened by half
 * its span on each side (option `clamp`), where a polynomial rule is still trustworthy. Accepts the
 * `toJSON()` form of a discovery too.
 *
 * The model works with `simulate`, `logitChanges`, `portrait`, and `fitCognitive` (which searches from its own
 * starts); `refitEquationModel` refits starting from the discovered values.
 *
 * @example
 * ```ts
 * import { cognitive, discoverEquations, equationModel, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const agent = cognitive("MB0s", { alpha: 0.3, iTemp: 2 });
 * const data = simulate(agent, tasks.bandit(), { blocks: 40, trials: 50, seed: 1 });
 * const model = equationModel(discoverEquations(agent, data));
 * console.log(model.negLogLikelihoodPerTrial(data.blocks), agent.negLogLikelihoodPerTrial(data.blocks));
 * ```
 */
export function equationModel(
  discovered: DiscoveredEquations | DiscoveredEquationsJson,
  options: EquationModelOptions = {},
): EquationModel {
  const where = "equationModel";
  rejectUnknownKeys(where, options, ["readout", "name", "clamp"]);
  const clamp = options.clamp ?? 0.5;
  if (clamp !== false) checkNumber(where, "clamp", clamp, { min: 0 });
  const readoutMode = checkChoice(where, "readout", options.readout ?? "fixed", ["fixed", "free"] as const);
  if (!discovered || !Array.isArray(discovered.trialTypes) || !Array.isArray(discovered.variables)) {
    throw new TinyRnnInputError(`${where}: expected the result of discoverEquations (or its toJSON form)`);
  }
  const kind = discovered.kind;
  const count = trialTypeCount(kind);
  const labels = trialTypeLabels(kind);
  const variables = [...discovered.variables];
  if (discovered.space === "state" && !discovered.readout) {
    throw new TinyRnnInputError(`${where}: a state-space rule needs its readout`);
  }
  if (discovered.initialState.length !== variables.length) {
    throw new TinyRnnInputError(
      `${where}: initialState has ${discovered.initialState.length} entries for ${variables.length} variables`,
    );
  }
  const byType = new Map(discovered.trialTypes.map((t) => [t.trialType, t]));
  const rules: TrialTypeRules[] = [];
  for (let type = 0; type < count; type++) {
    const found = byType.get(type);
    const outputs: EquationRule[] = variables.map((output, k) => {
      const e = found?.equations[k];
      if (!e) {
        // A type the rule does not mention keeps every variable unchanged.
        return {
          output,
          terms: [{ kind: "monomial", powers: variables.map((_, j) => (j === k ? 1 : 0)) }],
          coefficients: [1],
        };
      }
      if (e.terms.length !== e.coefficients.length) {
        throw new TinyRnnInputError(
          `${where}: trial type ${type}, output ${output}: ${e.terms.length} terms but ${e.coefficients.length} coefficients`,
        );
      }
      return { output, terms: [...e.terms], coefficients: [...e.coefficients] };
    });
    rules.push({ trialType: type, label: found?.label ?? labels[type], outputs });
  }
  const ranges = (discovered as { ranges?: readonly { min: number; max: number }[] }).ranges;
  const bounds = variables.map((_, k): [number, number] => {
    const range = ranges?.[k];
    if (clamp === false || !range || !(range.max >= range.min)) return [-Infinity, Infinity];
    // A variable that never moved gets a margin on the scale of its value instead of its zero span.
    const span = range.max > range.min ? range.max - range.min : Math.max(1, Math.abs(range.min));
    return [range.min - clamp * span, range.max + clamp * span];
  });
  const name = options.name ?? `equations(${discovered.source})`;
  return new EquationModel({
    name,
    kind,
    space: discovered.space,
    variables,
    initialState: [...discovered.initialState],
    ...(discovered.readout
      ? { readout: { weights: [...discovered.readout.weights], bias: discovered.readout.bias } }
      : {}),
    readoutMode,
    bounds,
    rules,
  });
}

/** Options of {@linkcode refitEquationModel}. */
export interface RefitEquationOptions {
  /** Indices of the blocks to fit on. Default: every block. */
  trainBlocks?: readonly number[];
  /**
   * `"bfgs"` (default): quasi-Newton from the discovered values (the likelihood is smooth in the
   * coefficients); `"nelder-mead"`: simplex search from them; `"both"`: BFGS, then Nelder-Mead from its point.
   */
  method?: "bfgs" | "nelder-mead" | "both";
  /** Options passed to BFGS. */
  bfgs?: BfgsOptions;
  /** Options passed to Nelder-Mead. */
  nelderMead?: NelderMeadOptions;
}

/** Outcome of {@linkcode refitEquationModel}. */
export interface EquationRefit {
  /** The model with the refitted coefficients. */
  model: EquationModel;
  /** Mean NLL per scored training trial at the start (the discovered coefficients). */
  startNll: number;
  /** Mean NLL per scored training trial after the refit (never above `startNll`). */
  trainNll: number;
  /** Objective evaluations. */
  evaluations: number;
  /** The method run. */
  method: "bfgs" | "nelder-mead" | "both";
}

/**
 * Refit an equation model's coefficients by maximum likelihood on choice data, starting from its current
 * (discovered) values, so that the refit stays in the basin of the discovered rule. The sparsity pattern is
 * kept: only the discovered terms are refitted.
 *
 * @example
 * ```ts
 * import { cognitive, discoverEquations, equationModel, refitEquationModel, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const agent = cognitive("MB0s", { alpha: 0.3, iTemp: 2 });
 * const data = simulate(agent, tasks.bandit(), { blocks: 40, trials: 50, seed: 1 });
 * const { model, startNll, trainNll } = refitEquationModel(equationModel(discoverEquations(agent, data)), data);
 * console.log(startNll, trainNll, model.paramVector);
 * ```
 */
export function refitEquationModel(
  model: EquationModel,
  data: Dataset,
  options: RefitEquationOptions = {},
): EquationRefit {
  const where = "refitEquationModel";
  rejectUnknownKeys(where, options, ["trainBlocks", "method", "bfgs", "nelderMead"]);
  const method = checkChoice(
    where,
    "method",
    options.method ?? "bfgs",
    ["bfgs", "nelder-mead", "both"] as const,
  );
  if (!data || !Array.isArray(data.blocks)) {
    throw new TinyRnnInputError(`${where}: data must be a Dataset with a blocks array`);
  }
  const blocks = options.trainBlocks === undefined ? data.blocks : options.trainBlocks.map((b, i) => {
    checkNumber(where, `trainBlocks[${i}]`, b, { min: 0, max: data.blocks.length - 1, integer: true });
    return data.blocks[b];
  });
  let evaluations = 0;
  // Coefficients that make the state blow up give NaN; count them as worse than anything finite.
  const objective = (x: Float64Array): number => {
    evaluations++;
    const value = model.negLogLikelihoodPerTrial(blocks, x);
    return Number.isFinite(value) ? value : Infinity;
  };
  const x0 = Float64Array.from(model.paramVector);
  const startNll = objective(x0);
  if (x0.length === 0) return { model, startNll, trainNll: startNll, evaluations, method };
  let x: Float64Array = x0;
  let fun = startNll;
  if (method === "bfgs" || method === "both") {
    const result = bfgs(objective, x, options.bfgs);
    if (result.fun < fun) {
      x = result.x;
      fun = result.fun;
    }
  }
  if (method === "nelder-mead" || method === "both") {
    const result = nelderMead(objective, x, { adaptive: x.length > 3, ...options.nelderMead });
    if (result.fun < fun) {
      x = result.x;
      fun = result.fun;
    }
  }
  return { model: model.withParams(Array.from(x)), startNll, trainNll: fun, evaluations, method };
}
