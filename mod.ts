/**
 * tinyrnn: discover cognitive strategies with tiny recurrent neural networks (Ji-An, Benna & Mattar, Nature 2025).
 *
 * Simulate choice data from cognitive models on reward-learning tasks, fit tiny RNNs and cognitive models, compare
 * them by nested cross-validation, and read the learned strategy from phase portraits.
 *
 * @example Simulate a model-free agent on a two-armed bandit and score it
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const agent = cognitive("MF", { alpha: 0.5, iTemp: 2 });
 * const data = simulate(agent, tasks.bandit(), { blocks: 500, trials: 20, seed: 42 });
 * const { total } = agent.logLikelihood(data);
 * console.log(-total / 10_000); // NLL per trial
 * ```
 *
 * @module
 */

// Data sets
export type { Block, BlockSchedule, Dataset, TaskKind } from "./src/data/dataset.ts";
export { loadCsv, parseCsv, saveCsv, toCsv } from "./src/data/csv.ts";
export type { CsvReadOptions, CsvWriteOptions } from "./src/data/csv.ts";
export { fromJson, loadJson, saveJson, toJson } from "./src/data/json.ts";
export { validateDataset } from "./src/data/validate.ts";
export { loadBartolo } from "./src/data/bartolo.ts";
export type { BartoloOptions } from "./src/data/bartolo.ts";
export { loadPreset, PRESETS } from "./src/data/presets.ts";
export type { PresetName, PresetOptions } from "./src/data/presets.ts";

// Tasks, agents, simulation
export { tasks } from "./src/tasks/mod.ts";
export type { Task } from "./src/tasks/mod.ts";
export type { Agent, Trial } from "./src/agents/agent.ts";
export { cognitive, CognitiveModel, listCognitiveModels } from "./src/agents/cognitive.ts";
export type { CognitiveOptions, CognitiveParams } from "./src/agents/cognitive.ts";
export { fitCognitive } from "./src/agents/fitting.ts";
export type { CognitiveFit, FitCognitiveOptions } from "./src/agents/fitting.ts";
export { simulate } from "./src/simulate.ts";
export type { SimulateOptions } from "./src/simulate.ts";

// RNN fitting
export { fit } from "./src/engine/fit.ts";
export type { FitOptions } from "./src/engine/fit.ts";
export { FittedModel } from "./src/engine/fitted_model.ts";

// Cross-validation
export { crossValidate, mergeResults } from "./src/cv/cross_validate.ts";
export type {
  CrossValidateOptions,
  CvProgress,
  CvSplitOptions,
  MergeOptions,
} from "./src/cv/cross_validate.ts";
export type { Summary } from "./src/cv/summary.ts";

// Results folders: read back, rebuild the kept models, figures and the HTML report
export { loadResults, saveRunData } from "./src/report/results.ts";
export type { LoadResultsOptions, ResultsModel, ResultsRun } from "./src/report/results.ts";
export { selectedModels } from "./src/report/selected_models.ts";
export type { SelectedModel } from "./src/report/selected_models.ts";
export { runFigures, writeRunFigures } from "./src/report/figures.ts";
export type { RunFigure, RunFiguresOptions, WriteFiguresOptions } from "./src/report/figures.ts";
export { buildReport } from "./src/report/html.ts";
export type { ReportOptions } from "./src/report/html.ts";

// Analysis and figures
export { logitChanges } from "./src/analysis/logits.ts";
export { logitDynamics, summariseDynamics } from "./src/analysis/logitDynamics.ts";
export { portrait } from "./src/plot/portrait.ts";
export type { PortraitOptions } from "./src/plot/portrait.ts";
export { modelComparison } from "./src/plot/modelComparison.ts";
export { trainingCurves } from "./src/plot/trainingCurves.ts";
export { sessionRaster } from "./src/plot/sessionRaster.ts";
export { Figure } from "./src/plot/figure.ts";

// Errors
export { TinyRnnInputError } from "./src/options.ts";
