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
export type { CsvColumn, CsvReadOptions, CsvWriteOptions } from "./src/data/csv.ts";
export { withRecordedColumns } from "./src/data/recorded.ts";
export { fromJson, loadJson, saveJson, toJson } from "./src/data/json.ts";
export type { JsonReadOptions } from "./src/data/json.ts";
export { validateDataset } from "./src/data/validate.ts";
export { subjectsOf } from "./src/data/subjects.ts";
export type { Subjects } from "./src/data/subjects.ts";
export { withSoftTargets } from "./src/data/soft_targets.ts";
export { Teacher, TEACHER_OPTIONS, trainTeacher } from "./src/distill/teacher.ts";
export type {
  TeacherCandidate,
  TeacherConfig,
  TeacherOptions,
  TeacherSplit,
  WithSubjectOptions,
} from "./src/distill/teacher.ts";
export { DEFAULT_TEACHER, distill, mergeDistill } from "./src/distill/distill.ts";
export type { MergeDistillOptions } from "./src/distill/distill.ts";
export { defaultCognitiveModels, DISTILL_OPTIONS } from "./src/distill/options.ts";
export type {
  DistillOptions,
  DistillOptionSpecs,
  DistillProgress,
  TeacherFactory,
  TeacherLike,
} from "./src/distill/options.ts";
export { DistillResult } from "./src/distill/result.ts";
export type {
  DistillKind,
  DistillPooledRow,
  DistillRow,
  DistillSummary,
  SubjectDimensionality,
  TeacherRow,
} from "./src/distill/summary.ts";
export { generatingLoss, simulatePopulation } from "./src/distill/population.ts";
export type { Population, PopulationOptions } from "./src/distill/population.ts";
export { population } from "./src/plot/population.ts";
export type { PopulationOptions as PopulationFigureOptions, PopulationRow } from "./src/plot/population.ts";
export { distillFigure, distillReport, loadDistill } from "./src/report/distill.ts";
export type { SubjectPortrait } from "./src/report/distill.ts";
export type { CsvOrigin, TrialField, ValidateOptions } from "./src/data/validate.ts";
export { loadBartolo } from "./src/data/bartolo.ts";
export type { BartoloBlockType, BartoloOptions } from "./src/data/bartolo.ts";
export { loadPreset } from "./src/data/presets.ts";
export type {
  CsvPreset,
  MissingPolicy,
  PresetName,
  PresetOptions,
  PresetRow,
  PresetTrial,
} from "./src/data/presets.ts";

// Tasks, agents, simulation
export { tasks } from "./src/tasks/mod.ts";
export type {
  BanditOptions,
  DriftOptions,
  ReversalOptions,
  Task,
  TaskRandom,
  TransitionReversalOptions,
  TrialOutcome,
  TwoStageOptions,
} from "./src/tasks/mod.ts";
export type { Rng } from "./src/random.ts";
export type { Agent, LogLikelihood, Trial } from "./src/agents/agent.ts";
export { cognitive, listCognitiveModels } from "./src/agents/cognitive.ts";
export type { CanonicalCognitiveModelName, CognitiveModelName } from "./src/agents/registry.ts";
export type {
  CognitiveModel,
  CognitiveOptions,
  CognitiveParams,
  CognitiveSettings,
  ParamRange,
} from "./src/agents/cognitive.ts";
export { fitCognitive } from "./src/agents/fitting.ts";
export type { CognitiveFit, FitCognitiveOptions, FitStart, FittableModel } from "./src/agents/fitting.ts";
export type { NelderMeadOptions } from "./src/optim/nelder_mead.ts";
export { simulate } from "./src/simulate.ts";
export type { SimulateOptions } from "./src/simulate.ts";

// RNN fitting
export { fit } from "./src/engine/fit.ts";
export type { FitOptions, SplitOption } from "./src/engine/fit.ts";
export { FittedModel } from "./src/engine/fitted_model.ts";
export type { FitConfig, RunOutput } from "./src/engine/fitted_model.ts";
export type { Curves, EngineReport, TrainJob, TrainResult } from "./src/engine/job.ts";
export type { SubjectEmbeddingJob } from "./src/engine/subject_embedding.ts";
export { trainMany } from "./src/engine/many.ts";
export type { TrainManyOptions, TrainProgress } from "./src/engine/many.ts";
export { adamW } from "./src/engine/optimizer.ts";
export type { Optimizer, OptimizerFactory, OptimizerSettings } from "./src/engine/optimizer.ts";
export { ENGINE_NAMES, TRAINING_OPTIONS } from "./src/engine/training_options.ts";
export type { EngineName, TrainingOptionSpecs, TrainingSettings } from "./src/engine/training_options.ts";
export type { ReadoutKind, StateDict } from "./src/rnn/network.ts";
export { rewardScaleOf, scaledForNetwork } from "./src/rnn/encoding.ts";

// Cross-validation
export { crossValidate, mergeResults } from "./src/cv/cross_validate.ts";
export { SUBJECT_FOLD_MODES, subjectFolds } from "./src/cv/subject_folds.ts";
export type { SubjectFoldMode, SubjectFoldOptions } from "./src/cv/subject_folds.ts";
export { CROSS_VALIDATE_OPTIONS, CV_SPLIT_OPTIONS, initKey, MERGE_OPTIONS } from "./src/cv/options.ts";
export type {
  CrossValidateOptions,
  CrossValidateOptionSpecs,
  CvProgress,
  CvSplitOptions,
  CvSplitOptionSpecs,
  MergeOptions,
  MergeOptionSpecs,
  RunOptionSpecs,
} from "./src/cv/options.ts";
export { CV_EQUATIONS_OPTIONS } from "./src/cv/equations.ts";
export type { CvEquationsOptions, CvEquationsOptionSpecs } from "./src/cv/equations.ts";
export { FIT_SINGLE_OPTIONS, fitSingle } from "./src/cv/single.ts";
export type {
  FitSingleOptions,
  FitSingleOptionSpecs,
  SingleFit,
  SingleFitCognitive,
  SingleFitNetwork,
} from "./src/cv/single.ts";
export { TUTORIAL_CV_OPTIONS, tutorialData } from "./src/cv/tutorial.ts";
export type { GivenOuterFold, GivenSplit, SplitLevel } from "./src/cv/splits.ts";
export type { Summary } from "./src/cv/summary.ts";
export type { AggregateRow, InstanceRow, ModelKind, SelectedInstance, SelectedRow } from "./src/cv/rows.ts";
export { DIMENSIONALITY_OPTIONS } from "./src/cv/dimensionality.ts";
export type { DimensionalityOptionSpecs } from "./src/cv/dimensionality.ts";
export type {
  CognitivePlacement,
  Dimensionality,
  DimensionalityOptions,
  DimensionalityRow,
  DimensionalityTest,
} from "./src/cv/dimensionality.ts";

// Reading a results folder back, figures and text of a run
export { loadResults } from "./src/report/results.ts";
export { RUN_FIGURES_OPTIONS, runFigures, writeRunFigures } from "./src/report/figures.ts";
export type { RunFiguresOptionSpecs } from "./src/report/figures.ts";
export type {
  RunFigure,
  RunFigureKind,
  RunFiguresOptions,
  SkippedFigure,
  WriteFiguresOptions,
} from "./src/report/figures.ts";
export { formatSingleFit, formatSummary } from "./src/report/format.ts";
export { preview, show, summaryTable, table } from "./src/report/display.ts";
export type { Displayable, PreviewOptions } from "./src/report/display.ts";
export type { LoadResultsOptions, ResultsModel, ResultsRun } from "./src/report/results.ts";
export { selectedModels } from "./src/report/selected_models.ts";
export type { SelectedModel } from "./src/report/selected_models.ts";
export type { InstanceRecord } from "./src/cv/store.ts";

// Analysis and figures
export { logitChanges } from "./src/analysis/logits.ts";
export type { LogitChanges } from "./src/analysis/logits.ts";
export { logitDynamics, summariseDynamics } from "./src/analysis/logit_dynamics.ts";
export type {
  FixedPointMethod,
  LogitDynamicsOptions,
  Spread,
  TrialTypeDynamics,
  TrialTypeSummary,
} from "./src/analysis/logit_dynamics.ts";
export type { AgentLike, HasAgent } from "./src/analysis/resolve_agent.ts";
export { portrait } from "./src/plot/portrait.ts";
export type { PortraitOptions } from "./src/plot/portrait.ts";
export type { VectorFieldOptions } from "./src/plot/vector_field.ts";
export { modelComparison } from "./src/plot/model_comparison.ts";
export type { ComparisonRow, ModelComparisonOptions } from "./src/plot/model_comparison.ts";
export { trainingCurves } from "./src/plot/training_curves.ts";
export type { LossCurves, TrainingCurvesOptions } from "./src/plot/training_curves.ts";
export { sessionRaster } from "./src/plot/session_raster.ts";
export type { SessionRasterOptions } from "./src/plot/session_raster.ts";
export type { Figure, PngOptions } from "./src/plot/figure.ts";

// Version
export { TINYRNN_VERSION } from "./src/version.ts";

// Errors
export { TinyRnnInputError } from "./src/options.ts";
export type { DefaultedOption, OptionSchema, OptionSpec, OptionValues } from "./src/options.ts";
export { JUPYTER_DISPLAY } from "./src/display_table.ts";

// Equation discovery
export {
  buildLibrary,
  DiscoveredEquation,
  DiscoveredEquations,
  discoverEquations,
  EquationModel,
  equationModel,
  evaluateTerm,
  leastSquares,
  refitEquationModel,
  stlsq,
  termName,
  TrialTypeEquations,
} from "./src/equations/mod.ts";
export type {
  BfgsOptions,
  DiscoveredEquationJson,
  DiscoveredEquationsJson,
  DiscoverEquationsOptions,
  DiscoverOptionSpecs,
  DiscoverSettings,
  EquationModelOptions,
  EquationReadout,
  EquationRefit,
  EquationRule,
  EquationSpace,
  EquationTerm,
  LeastSquaresSolution,
  LibraryFunction,
  RefitEquationOptions,
  StlsqOptions,
  StlsqResult,
  ThresholdPath,
  TrialTypeEquationsJson,
  TrialTypeRules,
  VariableRange,
} from "./src/equations/mod.ts";

// k-option tasks and importers
export type { KArmedBanditOptions, KReversalOptions } from "./src/tasks/mod.ts";
export type { LoadPresetName } from "./src/data/presets.ts";
export { FILE_PRESETS } from "./src/data/file_presets.ts";
export type { FilePreset, FilePresetName, FilePresetOptions } from "./src/data/file_presets.ts";
export { loadJsPsych } from "./src/data/jspsych.ts";
export type { JsPsychOptions } from "./src/data/jspsych.ts";
