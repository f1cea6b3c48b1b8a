/**
 * Equation discovery: the update rule of a tiny network (or any agent with one or two dynamical variables) as
 * sparse equations per trial type, and those equations as a fittable model.
 *
 * @module
 */

export { DEFAULT_RELATIVE_THRESHOLDS, DISCOVER_OPTIONS } from "./discover_options.ts";
export { discoverEquations } from "./discover.ts";
export { DiscoveredEquation, DiscoveredEquations, TrialTypeEquations } from "./discovered.ts";
export type {
  DiscoverEquationsOptions,
  DiscoverOptionSpecs,
  DiscoverSettings,
  EquationSpace,
} from "./discover_options.ts";
export type {
  DiscoveredEquationJson,
  DiscoveredEquationsJson,
  EquationReadout,
  ThresholdPath,
  TrialTypeEquationsJson,
  VariableRange,
} from "./discovered.ts";
export { EquationModel, equationModel, refitEquationModel } from "./equation_model.ts";
export type {
  EquationModelOptions,
  EquationRefit,
  EquationRule,
  RefitEquationOptions,
  TrialTypeRules,
} from "./equation_model.ts";
export { buildLibrary, evaluateTerm, LIBRARY_FUNCTIONS, termName } from "./library.ts";
export type { EquationTerm, LibraryFunction } from "./library.ts";
export { leastSquares, stlsq } from "./least_squares.ts";
export type { LeastSquaresSolution, StlsqOptions, StlsqResult } from "./least_squares.ts";
// The optimiser options a refit passes through.
export type { BfgsOptions } from "../optim/bfgs.ts";
