/**
 * What `discoverEquations` returns: the discovered rule (`DiscoveredEquations`), its equations per trial type,
 * their cross-validation paths, and the plain-data JSON form they are saved and rebuilt from.
 *
 * @module
 */

import type { Trial } from "../agents/agent.ts";
import type { TaskKind } from "../data/dataset.ts";
import { trialOfType } from "../analysis/trial_types.ts";
import { TinyRnnInputError } from "../options.ts";
import {
  escapeHtml,
  formatCoefficient,
  formatRightHandSide,
  formatRule,
  latexLabel,
  latexRightHandSide,
  latexRule,
} from "./format.ts";
import { buildLibrary, type EquationTerm, termName } from "./library.ts";
import type { DiscoverSettings, EquationSpace } from "./discover_options.ts";

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
