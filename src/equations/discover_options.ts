/**
 * The options of `discoverEquations` (one declaration each: key, default, check, help), the settings a
 * discovery ran with, and the default threshold grid.
 *
 * @module
 */

import {
  checkChoice,
  checkList,
  checkNumber,
  type DefaultedOption,
  option,
  type OptionSpec,
} from "../options.ts";
import { LIBRARY_FUNCTIONS, type LibraryFunction } from "./library.ts";

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
