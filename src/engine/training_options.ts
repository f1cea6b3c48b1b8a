/**
 * The training settings shared by `fit`, `trainMany` jobs, `crossValidate` and `deno task fit`: each one's key,
 * default, check and help text live here once. The defaults are the original code's (AdamW at 0.005, at most
 * 10,000 iterations, early stopping after 200 evaluations without improvement).
 *
 * @module
 */

import { checkChoice, checkNumber, type DefaultedOption, option, type OptionValues } from "../options.ts";

/** Which engine trains the networks. */
export type EngineName = "native" | "tfjs" | "auto";

/** The engine names `engine` accepts. */
export const ENGINE_NAMES: readonly EngineName[] = ["native", "tfjs", "auto"];

/** The declarations of {@link TRAINING_OPTIONS}: every training setting has a default. */
export type TrainingOptionSpecs = {
  readonly lr: DefaultedOption<number>;
  readonly maxEpochs: DefaultedOption<number>;
  readonly patience: DefaultedOption<number>;
  readonly weightDecay: DefaultedOption<number>;
  readonly engine: DefaultedOption<EngineName>;
};

/** Training settings, one entry per option (see `OptionSpec`). */
export const TRAINING_OPTIONS: TrainingOptionSpecs = {
  lr: option<number>({
    help: "AdamW learning rate",
    default: 0.005,
    placeholder: "X",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, exclusiveMin: true, finite: true }),
  }),
  maxEpochs: option<number>({
    help: "training runs at most maxEpochs + 1 iterations (the paper's real-data runs use 2000)",
    default: 10000,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, integer: true }),
  }),
  patience: option<number>({
    help: "early stopping: stop once the validation loss failed to improve patience + 1 times in a row",
    default: 200,
    placeholder: "N",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0, integer: true }),
  }),
  weightDecay: option<number>({
    help: "AdamW weight decay",
    default: 0,
    placeholder: "X",
    check: (where, name, v) => checkNumber(where, name, v, { min: 0 }),
  }),
  engine: option<EngineName>({
    help:
      "training engine: native (float64, worker threads), tfjs (float32, WebGPU when there is one) or auto",
    default: "native",
    placeholder: "NAME",
    check: (where, name, v) => checkChoice(where, name, v, ENGINE_NAMES),
  }),
};

/** The validated training settings. */
export type TrainingSettings = OptionValues<typeof TRAINING_OPTIONS>;
