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

import type { Trial } from "../agents/agent.ts";
import { type TaskKind, trialTypeCount } from "../data/dataset.ts";
import { logitChanges } from "../analysis/logits.ts";
import { type AgentLike, resolveAgent } from "../analysis/resolve_agent.ts";
import { trialOfType, trialTypeLabels } from "../analysis/trial_types.ts";
import type { Dataset } from "../data/dataset.ts";
import {
  checkChoice,
  checkList,
  checkNumber,
  type DefaultedOption,
  option,
  type OptionSpec,
  type ResolvedOptions,
  resolveOptions,
  TinyRnnInputError,
} from "../options.ts";
import { RandomState } from "../random.ts";
import {
  escapeHtml,
  formatCoefficient,
  formatRightHandSide,
  formatRule,
  latexLabel,
  latexRightHandSide,
  latexRule,
} from "./format.ts";
import {
  buildLibrary,
  type EquationTerm,
  evaluateTerm,
  LIBRARY_FUNCTIONS,
  type LibraryFunction,
  termName,
} from "./library.ts";
import { stlsq } from "./least_squares.ts";

/** Where the rule is written: the logit L, or the agent's state vector. */
export type EquationSpace = "logit" | "state";

/**
 * The default threshold grid, relative to the standard deviation of the target (the next value of the
 * output variable in that trial type): from "keep everything" to "drop terms worth less than 30% of the
 * target's spread".
 */
export const DEFAULT_RELATIVE_THRESHOLDS: readonly number[] = [
  0,
  1e-10,
  1e-8,
  1e-6,
  1e-5,
  1e-4,
  3e-4,
  1e-3,
  3e-3,
  0.01,
  0.03,
  0.1,
  0.3,
];

/** Held-out errors closer than (TIE_SCALE · target scale)² are equal: double-precision rounding noise. */
const TIE_SCALE = 1e-8;

/** The declarations of {@link DISCOVER_OPTIONS} (spelled out so that the published types need no inference). */
export type DiscoverOptionSpecs = {
  readonly space: DefaultedOption<"auto" | EquationSpace>;
  readonly order: DefaultedOption<number>;
  readonly functions: DefaultedOption<LibraryFunction[]>;
  readonly folds: DefaultedOption<number>;
  readonly seed: DefaultedOption<number>;
  readonly thresholds: OptionSpec<number[]>;
  readonly selection: DefaultedOption<"1se" | "best">;
  readonly ridge: DefaultedOption<number>;
  readonly maxIterations: DefaultedOption<number>;
};

/** Options of `discoverEquations`, one entry per option (key, default, check, help). */
export const DISCOVER_OPTIONS: DiscoverOptionSpecs = {
  space: option<"auto" | EquationSpace>({
    help:
      "auto: the logit L for d = 1, the state for d = 2; logit or state to choose (logit works for any d, state for up to 4 state entries)",
    default: "auto",
    placeholder: "SPACE",
    check: (where, name, v) => checkChoice(where, name, v, ["auto", "logit", "state"] as const),
  }),
  order: option<number>({
    help: "highest total degree of the polynomial terms",
    default: 2,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, max: 6, integer: true }),
  }),
  functions: option<LibraryFunction[]>({
    help: "nonlinear terms of each variable to add to the library: sigmoid, tanh",
    default: [],
    placeholder: "LIST",
    check: (where, name, v) =>
      checkList(
        where,
        name,
        v,
        (entry, entryName) => checkChoice(where, entryName, entry, LIBRARY_FUNCTIONS),
      ),
  }),
  folds: option<number>({
    help: "cross-validation folds over blocks for choosing the threshold",
    default: 5,
    placeholder: "K",
    check: (where, name, v) => checkNumber(where, name, v, { min: 2, integer: true }),
  }),
  seed: option<number>({
    help: "seed of the fold assignment (numpy RandomState permutation of the blocks)",
    default: 0,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, max: 0xffffffff, integer: true }),
  }),
  thresholds: option<number[]>({
    help:
      "threshold grid in target units (absolute); default: 0 and 1e-10 to 0.3 times the target's standard deviation",
    placeholder: "LIST",
    check: (where, name, v) =>
      checkList(where, name, v, (entry, entryName) => checkNumber(where, entryName, entry, { min: 0 }), {
        nonEmpty: true,
      }),
  }),
  selection: option<"1se" | "best">({
    help:
      "1se: the largest threshold within one standard error of the best held-out error; best: the lowest held-out error",
    default: "1se",
    placeholder: "RULE",
    check: (where, name, v) => checkChoice(where, name, v, ["1se", "best"] as const),
  }),
  ridge: option<number>({
    help: "ridge penalty on each term's typical size, per sample (0 = plain least squares)",
    default: 0,
    placeholder: "X",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0 }),
  }),
  maxIterations: option<number>({
    help: "most threshold-and-refit rounds of STLSQ",
    default: 20,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 1, integer: true }),
  }),
};

/** The settings a discovery ran with (every option resolved). */
export interface DiscoverSettings {
  /** The space used. */
  space: EquationSpace;
  /** Highest total degree of the polynomial terms. */
  order: number;
  /** Nonlinear library terms. */
  functions: LibraryFunction[];
  /** Cross-validation folds. */
  folds: number;
  /** Seed of the fold assignment. */
  seed: number;
  /** The absolute threshold grid, or undefined when the relative default grid was used. */
  thresholds?: number[];
  /** Threshold selection rule. */
  selection: "1se" | "best";
  /** Ridge penalty. */
  ridge: number;
  /** Most STLSQ rounds. */
  maxIterations: number;
}

/** Options of {@linkcode discoverEquations}; see `DISCOVER_OPTIONS` for each one's help. */
export interface DiscoverEquationsOptions {
  /** `"auto"` (default): the logit for d = 1, the state for d = 2. `"logit"` or `"state"` to choose. */
  space?: "auto" | EquationSpace;
  /** Highest total degree of the polynomial terms. Default 2. */
  order?: number;
  /** Nonlinear terms of each variable to add: `"sigmoid"`, `"tanh"`. Default none. */
  functions?: readonly LibraryFunction[];
  /** Cross-validation folds over blocks. Default 5. */
  folds?: number;
  /** Seed of the fold assignment. Default 0. */
  seed?: number;
  /** Absolute threshold grid. Default: 0 and 1e-10 to 0.3 times the target's standard deviation. */
  thresholds?: readonly number[];
  /** `"1se"` (default): sparsest within one standard error of the best; `"best"`: lowest held-out error. */
  selection?: "1se" | "best";
  /** Ridge penalty on each term's typical size, per sample. Default 0. */
  ridge?: number;
  /** Most STLSQ rounds. Default 20. */
  maxIterations?: number;
}

/** The cross-validation path of one equation: held-out error per threshold. */
export interface ThresholdPath {
  /** The thresholds tried, in target units, increasing. */
  thresholds: number[];
  /** Mean held-out squared error per threshold (NaN without cross-validation). */
  meanMse: number[];
  /** Standard error of that mean over folds. */
  seMse: number[];
  /** Terms kept by the fit on all samples at each threshold. */
  terms: number[];
  /** Folds that had held-out samples (0: too few samples to cross-validate). */
  folds: number;
  /** Index of the chosen threshold. */
  chosen: number;
}

/** One discovered equation: the next value of one output variable in one trial type. */
export class DiscoveredEquation {
  /** Name of the variable this equation updates (`"L"`, or a state name). */
  readonly output: string;
  /** Its index among the variables. */
  readonly outputIndex: number;
  /** Names of all variables, for printing. */
  readonly variables: readonly string[];
  /** The kept terms, in library order. */
  readonly terms: readonly EquationTerm[];
  /** Their plain-text names (`"L"`, `"L^2"`, `"sigmoid(L)"`, `"1"`). */
  readonly termNames: readonly string[];
  /** Their coefficients. */
  readonly coefficients: readonly number[];
  /** R² of the next value against the agent's map over the trial type's samples. */
  readonly r2: number;
  /** R² of the change (next minus current value), the stricter measure when the map is near identity. */
  readonly r2Change: number;
  /** Mean squared error against the agent's map. */
  readonly mse: number;
  /** The threshold used. */
  readonly threshold: number;
  /** The cross-validation path that chose it. */
  readonly cv: ThresholdPath;

  /** @internal Built by `discoverEquations`. */
  constructor(fields: Omit<DiscoveredEquation, "toString" | "toLatex" | "termNames">) {
    this.output = fields.output;
    this.outputIndex = fields.outputIndex;
    this.variables = fields.variables;
    this.terms = fields.terms;
    this.termNames = fields.terms.map((t) => termName(t, fields.variables));
    this.coefficients = fields.coefficients;
    this.r2 = fields.r2;
    this.r2Change = fields.r2Change;
    this.mse = fields.mse;
    this.threshold = fields.threshold;
    this.cv = fields.cv;
  }

  /** `L' = 0.7 L + 1`, coefficients with `digits` significant digits. */
  toString(digits = 4): string {
    return formatRule(this.output, this.terms, this.coefficients, this.variables, digits);
  }

  /** `L' = 0.7\,L + 1` as LaTeX. */
  toLatex(digits = 4): string {
    return latexRule(this.output, this.terms, this.coefficients, this.variables, digits);
  }
}

/** The equations of one trial type: one per output variable. */
export class TrialTypeEquations {
  /** Trial type index (`2a + r` for bandits, `4a + 2s + r` for two-stage tasks). */
  readonly trialType: number;
  /** Its label, e.g. `"A1 R=1"`. */
  readonly label: string;
  /** The observation it stands for. */
  readonly trial: Trial;
  /** Samples (scored trials of this type) the equations were fitted on. */
  readonly samples: number;
  /** One equation per output variable. */
  readonly equations: readonly DiscoveredEquation[];
  /** R² of the next state over all outputs (1 − ΣSSE/ΣSST). */
  readonly r2: number;
  /** The same for the change of state. */
  readonly r2Change: number;

  /** @internal Built by `discoverEquations`. */
  constructor(fields: Omit<TrialTypeEquations, "toString" | "toLatex">) {
    this.trialType = fields.trialType;
    this.label = fields.label;
    this.trial = fields.trial;
    this.samples = fields.samples;
    this.equations = fields.equations;
    this.r2 = fields.r2;
    this.r2Change = fields.r2Change;
  }

  /** `A1 R=1: L' = 0.7 L + 1`, one line per output. */
  toString(digits = 4): string {
    return this.equations.map((e) => `${this.label}: ${e.toString(digits)}`).join("\n");
  }

  /** LaTeX lines for an `aligned` block, one per output: `\text{A1 R=1}:\quad L' &= 0.7\,L + 1`. */
  toLatex(digits = 4): string {
    return this.equations.map((e) =>
      `${latexLabel(this.label)}:\\quad ${
        latexRule(e.output, e.terms, e.coefficients, e.variables, digits, true)
      }`
    ).join(" \\\\\n");
  }
}

/** The linear readout of the logit from the state: `L = weights · h + bias`. */
export interface EquationReadout {
  /** One weight per state entry. */
  weights: number[];
  /** Intercept. */
  bias: number;
  /** R² of the readout against the agent's logits (1 for a linear readout). */
  r2: number;
}

/** The smallest and largest value a variable took in the samples. */
export interface VariableRange {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
}

/** One equation in the JSON form of a discovery. */
export interface DiscoveredEquationJson {
  /** The variable it updates. */
  output: string;
  /** The kept terms. */
  terms: EquationTerm[];
  /** Their names. */
  termNames: string[];
  /** Their coefficients. */
  coefficients: number[];
  /** R² of the next value (null when undefined). */
  r2: number | null;
  /** R² of the change (null when undefined). */
  r2Change: number | null;
  /** Mean squared error against the agent's map (null without samples). */
  mse: number | null;
  /** The threshold chosen. */
  threshold: number;
}

/** One trial type in the JSON form of a discovery. */
export interface TrialTypeEquationsJson {
  /** Trial type index. */
  trialType: number;
  /** Its label. */
  label: string;
  /** Samples fitted on. */
  samples: number;
  /** R² of the next state (null when undefined). */
  r2: number | null;
  /** R² of the change of state (null when undefined). */
  r2Change: number | null;
  /** One equation per variable. */
  equations: DiscoveredEquationJson[];
}

/** The plain-data form of a discovered rule (`toJSON`), enough to rebuild the equation model. */
export interface DiscoveredEquationsJson {
  /** Always `"tinyrnn.equations"`. */
  format: "tinyrnn.equations";
  /** Format version, 1. */
  version: 1;
  /** Name of the agent the rule was read from. */
  source: string;
  /** Task kind of the data. */
  kind: TaskKind;
  /** Logit or state space. */
  space: EquationSpace;
  /** Variable names. */
  variables: string[];
  /** State before the first trial. */
  initialState: number[];
  /** Range of each variable over the samples (before and after every trial). */
  ranges: VariableRange[];
  /** State space: the readout of the logit. */
  readout?: EquationReadout;
  /** The resolved options. */
  settings: DiscoverSettings;
  /** Every trial type, in order. */
  trialTypes: TrialTypeEquationsJson[];
}

/**
 * The discovered update rule of an agent: per trial type, one sparse equation per output variable. Prints as
 * text (`toString`), LaTeX (`toLatex`) and, in a Jupyter notebook, as a table with the equations typeset.
 */
export class DiscoveredEquations {
  /** Name of the agent the rule was read from. */
  readonly source: string;
  /** Task kind of the data (fixes the trial types). */
  readonly kind: TaskKind;
  /** Number of actions (always 2). */
  readonly nActions = 2;
  /** `"logit"` (the variable is L = score of action 0 − score of action 1) or `"state"`. */
  readonly space: EquationSpace;
  /** Names of the variables: `["L"]` in logit space, the agent's state names in state space. */
  readonly variables: readonly string[];
  /** The candidate terms. */
  readonly library: readonly EquationTerm[];
  /** Every trial type of the task kind, in order (types absent from the data keep the variables unchanged). */
  readonly trialTypes: readonly TrialTypeEquations[];
  /** State before the first trial: the agent's initial logit, or its initial state. */
  readonly initialState: readonly number[];
  /**
   * Range of each variable over the samples, before and after every trial: where the equations were fitted,
   * and so where they can be trusted (the equation model keeps its state near it).
   */
  readonly ranges: readonly VariableRange[];
  /** State space only: the logit as a linear function of the state. */
  readonly readout?: EquationReadout;
  /** The resolved options. */
  readonly settings: Readonly<DiscoverSettings>;

  /** @internal Built by `discoverEquations`. */
  constructor(
    fields: Omit<DiscoveredEquations, "nActions" | "toString" | "toLatex" | "toJSON" | "equation">,
  ) {
    this.source = fields.source;
    this.kind = fields.kind;
    this.space = fields.space;
    this.variables = fields.variables;
    this.library = fields.library;
    this.trialTypes = fields.trialTypes;
    this.initialState = fields.initialState;
    this.ranges = fields.ranges;
    if (fields.readout) this.readout = fields.readout;
    this.settings = fields.settings;
  }

  /** The equation of `output` (a variable name or index; default the first) in a trial type. */
  equation(trialType: number, output: number | string = 0): DiscoveredEquation {
    const type = this.trialTypes[trialType];
    if (!type) {
      throw new TinyRnnInputError(
        `equation: trial type must be in [0, ${this.trialTypes.length}), got ${trialType}`,
      );
    }
    const index = typeof output === "number" ? output : this.variables.indexOf(output);
    const found = type.equations[index];
    if (!found) {
      throw new TinyRnnInputError(
        `equation: no output ${JSON.stringify(output)}; outputs: ${this.variables.join(", ")}`,
      );
    }
    return found;
  }

  /** One line per trial type and output, with R², then the readout in state space. */
  toString(digits = 4): string {
    const lines = [`equations of ${this.source} (${this.space} space, ${this.kind})`];
    for (const type of this.trialTypes) {
      for (const e of type.equations) {
        lines.push(
          `  ${type.label}: ${e.toString(digits)}    (R² ${formatR2(e.r2)}, change R² ${
            formatR2(e.r2Change)
          }, n = ${type.samples})`,
        );
      }
    }
    if (this.readout) lines.push(`  readout: ${this.#readoutText(digits)}`);
    return lines.join("\n");
  }

  /** An `aligned` LaTeX block: one row per trial type and output, then the readout in state space. */
  toLatex(digits = 4): string {
    const rows = this.trialTypes.map((type) => type.toLatex(digits));
    if (this.readout) {
      const { terms, coefficients } = this.#readoutTerms();
      rows.push(
        `${latexLabel("readout")}:\\quad L &= ${
          latexRightHandSide(terms, coefficients, this.variables, digits)
        }`,
      );
    }
    return `\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}`;
  }

  /**
   * Read a discovery back from its `toJSON` form (an object or JSON text), for printing or for
   * `equationModel`. The cross-validation paths are not saved, so each equation's `cv` comes back empty
   * apart from the chosen threshold.
   *
   * @example
   * ```ts
   * import { cognitive, DiscoveredEquations, discoverEquations, simulate, tasks } from "@tinyrnn/tinyrnn";
   *
   * const agent = cognitive("MB0s", { alpha: 0.3, iTemp: 2 });
   * const data = simulate(agent, tasks.bandit(), { blocks: 20, trials: 50, seed: 1 });
   * const text = JSON.stringify(discoverEquations(agent, data));
   * console.log(DiscoveredEquations.fromJSON(text).toString());
   * ```
   */
  static fromJSON(json: string | DiscoveredEquationsJson): DiscoveredEquations {
    const o = (typeof json === "string" ? JSON.parse(json) : json) as DiscoveredEquationsJson;
    if (!o || typeof o !== "object" || o.format !== "tinyrnn.equations") {
      throw new TinyRnnInputError(`not a tinyrnn equations file (expected format "tinyrnn.equations")`);
    }
    if (o.version !== 1) throw new TinyRnnInputError(`equations JSON: unknown version ${o.version}`);
    if (!Array.isArray(o.variables) || !Array.isArray(o.trialTypes) || !Array.isArray(o.initialState)) {
      throw new TinyRnnInputError(`equations JSON: variables, initialState and trialTypes must be arrays`);
    }
    const number = (v: number | null) => (v === null ? NaN : v);
    const variables = [...o.variables];
    const trialTypes = o.trialTypes.map((type) => {
      if (!Array.isArray(type.equations) || type.equations.length !== variables.length) {
        throw new TinyRnnInputError(
          `equations JSON: trial type ${type.trialType} needs one equation per variable (${variables.length})`,
        );
      }
      return new TrialTypeEquations({
        trialType: type.trialType,
        label: type.label,
        trial: trialOfType(o.kind, type.trialType),
        samples: type.samples,
        r2: number(type.r2),
        r2Change: number(type.r2Change),
        equations: type.equations.map((e, k) => {
          if (
            !Array.isArray(e.terms) || !Array.isArray(e.coefficients) ||
            e.terms.length !== e.coefficients.length
          ) {
            throw new TinyRnnInputError(
              `equations JSON: trial type ${type.trialType}, output ${e.output}: terms and coefficients must be arrays of the same length`,
            );
          }
          return new DiscoveredEquation({
            output: e.output,
            outputIndex: k,
            variables,
            terms: e.terms,
            coefficients: e.coefficients,
            r2: number(e.r2),
            r2Change: number(e.r2Change),
            mse: number(e.mse),
            threshold: e.threshold,
            cv: {
              thresholds: [e.threshold],
              meanMse: [NaN],
              seMse: [NaN],
              terms: [e.terms.length],
              folds: 0,
              chosen: 0,
            },
          });
        }),
      });
    });
    const settings = o.settings;
    return new DiscoveredEquations({
      source: o.source,
      kind: o.kind,
      space: o.space,
      variables,
      library: buildLibrary(variables.length, settings.order, settings.functions),
      trialTypes,
      initialState: [...o.initialState],
      ranges: (o.ranges ?? []).map((r) => ({ ...r })),
      ...(o.readout ? { readout: { ...o.readout, weights: [...o.readout.weights] } } : {}),
      settings: { ...settings },
    });
  }

  /** Plain data: the rule and its diagnostics (no cross-validation paths). */
  toJSON(): DiscoveredEquationsJson {
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    return {
      format: "tinyrnn.equations",
      version: 1,
      source: this.source,
      kind: this.kind,
      space: this.space,
      variables: [...this.variables],
      initialState: [...this.initialState],
      ranges: this.ranges.map((r) => ({ ...r })),
      ...(this.readout ? { readout: this.readout } : {}),
      settings: { ...this.settings },
      trialTypes: this.trialTypes.map((type) => ({
        trialType: type.trialType,
        label: type.label,
        samples: type.samples,
        r2: finite(type.r2),
        r2Change: finite(type.r2Change),
        equations: type.equations.map((e) => ({
          output: e.output,
          terms: [...e.terms],
          termNames: [...e.termNames],
          coefficients: [...e.coefficients],
          r2: finite(e.r2),
          r2Change: finite(e.r2Change),
          mse: finite(e.mse),
          threshold: e.threshold,
        })),
      })),
    };
  }

  /** Deno's Jupyter kernel calls this: an HTML table, and the equations as display math for Markdown. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const rows = this.trialTypes.flatMap((type) =>
      type.equations.map((e) =>
        `<tr><td>${escapeHtml(type.label)}</td><td><code>${escapeHtml(e.toString())}</code></td><td>${
          formatR2(e.r2)
        }</td><td>${formatR2(e.r2Change)}</td><td>${type.samples}</td></tr>`
      )
    );
    if (this.readout) {
      rows.push(
        `<tr><td>readout</td><td><code>${escapeHtml(this.#readoutText(4))}</code></td><td>${
          formatR2(this.readout.r2)
        }</td><td></td><td></td></tr>`,
      );
    }
    const html = `<table><caption>equations of ${escapeHtml(this.source)} (${this.space} space)</caption>` +
      `<thead><tr><th>trial type</th><th>equation</th><th>R²</th><th>change R²</th><th>n</th></tr></thead>` +
      `<tbody>${rows.join("")}</tbody></table>`;
    return { "text/html": html, "text/markdown": `$$\n${this.toLatex()}\n$$` };
  }

  #readoutText(digits: number): string {
    const { terms, coefficients } = this.#readoutTerms();
    return `L = ${formatRightHandSide(terms, coefficients, this.variables, digits)}`;
  }

  /** The readout as terms (each state entry, then the constant), leaving out zero weights. */
  #readoutTerms(): { terms: EquationTerm[]; coefficients: number[] } {
    const readout = this.readout!;
    const all: EquationTerm[] = this.variables.map((_, k) => ({
      kind: "monomial",
      powers: this.variables.map((_, j) => (j === k ? 1 : 0)),
    }));
    all.push({ kind: "constant" });
    const values = [...readout.weights, readout.bias];
    const kept = all.flatMap((_, j) => (values[j] !== 0 ? [j] : []));
    return { terms: kept.map((j) => all[j]), coefficients: kept.map((j) => values[j]) };
  }
}

function formatR2(r2: number): string {
  return Number.isFinite(r2) ? formatCoefficient(r2, 6) : "n/a";
}

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
