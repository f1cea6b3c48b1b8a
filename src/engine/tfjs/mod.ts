/**
 * The tfjs engine's public face (`@tinyrnn/tinyrnn/tfjs`): define a cell with tfjs ops (forward only; tfjs'
 * autodiff gives the gradients), choose the backend, or ask which engine `"auto"` would pick. `fit` and
 * `crossValidate` train on the engine with `engine: "tfjs"` or `"auto"`; this entry point is kept apart from
 * the main one so that using tinyrnn without tfjs never loads it.
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
 * // then: await fit(data, { cell: "tanh_rnn_no_bias", hidden: 2, engine: "tfjs" })
 * ```
 *
 * @module
 */

export { defineTfjsCell } from "./define.ts";
export type { TfjsCellOptions, TfjsParameterOptions } from "./define.ts";
export { affine, linear, times, withBias } from "./cell.ts";
export type { PassInputs, Tensor, Tensor3D, TfjsCell, TfjsParams, TfjsStep } from "./cell.ts";
export { hardwareGpu, useTfjsBackend } from "./backend.ts";
export type { TfjsBackendChoice, TfjsBackendName, TfjsBackendReport } from "./backend.ts";
export { chooseEngine } from "./auto.ts";
export type { EngineChoice, EngineDecision, MachineSummary, StackSummary } from "./auto.ts";
export type { InputEncoding, ParameterInit, ParameterSpec } from "../../rnn/cell.ts";
