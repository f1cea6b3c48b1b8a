/**
 * The tfjs engine's public face (`@tinyrnn/tinyrnn/tfjs`): define a cell with tfjs ops, choose the backend, or
 * train jobs on tfjs directly. `fit` and `trainMany` reach the engine with `engine: "tfjs"` or `"auto"`; this
 * entry point is kept apart from the main one so that using tinyrnn without tfjs never loads it.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { defineTfjsCell, linear } from "@tinyrnn/tinyrnn/tfjs";
 *
 * defineTfjsCell({
 *   name: "tanh_rnn_no_bias",
 *   params: (d, inputs) => [{ name: "rnn.weight_ih", shape: [d, inputs] }, { name: "rnn.weight_hh", shape: [d, d] }],
 *   step: (p, x, h) => tf.tanh(tf.add(linear(x, p["rnn.weight_ih"]), linear(h, p["rnn.weight_hh"]))),
 * });
 * ```
 *
 * @module
 */

export { defineTfjsCell } from "./define.ts";
export type { TfjsCellOptions, TfjsParameterOptions } from "./define.ts";
export { affine, linear, times, withBias } from "./cell.ts";
export type { PassInputs, TfjsCell, TfjsParams, TfjsStep } from "./cell.ts";
export { hardwareGpu, useTfjsBackend } from "./backend.ts";
export type { TfjsBackendChoice, TfjsBackendName, TfjsBackendReport } from "./backend.ts";
export { trainTfjs } from "./train.ts";
export type { TfjsTrainOptions } from "./train.ts";
export { chooseEngine } from "./auto.ts";
export type { EngineChoice, EngineDecision, MachineSummary, StackSummary } from "./auto.ts";
export type { InputEncoding, ParameterInit, ParameterSpec } from "../../rnn/cell.ts";
export type { EngineReport, TrainJob, TrainResult } from "../job.ts";
