/**
 * `defineTfjsCell`: a user-defined recurrent cell written only with tfjs ops (forward only) that trains through
 * the tfjs engine, with autodiff for its gradients.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { checkChoice, rejectUnknownKeys, TinyRnnInputError } from "../../options.ts";
import type {
  CellDefinition,
  CellKernel,
  InputEncoding,
  ParameterInit,
  ParameterSpec,
} from "../../rnn/cell.ts";
import { shapeSize } from "../../rnn/cell.ts";
import { cellNames, registerCell } from "../../rnn/registry.ts";
import { registerTfjsCell, type Tensor3D, type TfjsCell, type TfjsParams } from "./cell.ts";
import { isTfjsOnlyCell, markTfjsOnly } from "./only.ts";

/** One parameter tensor of a user-defined cell. */
export interface TfjsParameterOptions {
  /** State-dict name, e.g. `"rnn.weight_hh"`. */
  name: string;
  /** Shape per model, e.g. `[hidden, hidden]`. */
  shape: number[];
  /** Whether the L1 penalty covers it. Default: whether the name contains "weight" (as the original selects). */
  penalized?: boolean;
  /** Initialisation. Default U(-1/√hidden, 1/√hidden), as PyTorch initialises its recurrent layers. */
  init?: ParameterInit;
}

/** The definition of a tfjs cell. */
export interface TfjsCellOptions {
  /** Name to train it by (`fit(data, { cell: name, engine: "tfjs" })`); must not clash with a built-in cell. */
  name: string;
  /** Its parameters for a hidden size and input size (in state-dict order). */
  params: (hidden: number, inputSize: number) => TfjsParameterOptions[];
  /**
   * One step of M stacked models: `p[name]` is `[M, ...shape]`, `x` is the trial's input `[1, B, I]` (shared by
   * the models: broadcast it), `h` the state `[M, B, S]`; return the next state `[M, B, S]`. Use `linear` for
   * the per-model products `x W^T`.
   */
  step: (p: TfjsParams, x: Tensor3D, h: Tensor3D, hidden: number) => Tensor3D;
  /** State size for a hidden size. Default: the hidden size. */
  stateSize?: (hidden: number) => number;
  /** Input encoding. Default `"asr"` (`[a, s, r]`). */
  encoding?: InputEncoding;
}

const KEYS = ["name", "params", "step", "stateSize", "encoding"];

/**
 * Define a recurrent cell with tfjs ops. It then trains like any other cell with `engine: "tfjs"` (or `"auto"`,
 * which picks tfjs for it), and a fitted model runs, acts and draws portraits through the same step.
 *
 * @example A leaky tanh unit with a learned time constant per unit
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { cognitive, fit, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import { defineTfjsCell, linear } from "@tinyrnn/tinyrnn/tfjs";
 *
 * defineTfjsCell({
 *   name: "leaky",
 *   params: (d, inputs) => [
 *     { name: "rnn.weight_ih", shape: [d, inputs] },
 *     { name: "rnn.weight_hh", shape: [d, d] },
 *     { name: "rnn.bias", shape: [d] },
 *     { name: "rnn.leak", shape: [d], init: { kind: "constant", value: 0 } },
 *   ],
 *   step: (p, x, h) => {
 *     const drive = tf.tanh(tf.add(linear(x, p["rnn.weight_ih"], p["rnn.bias"]), linear(h, p["rnn.weight_hh"])));
 *     const rate = tf.sigmoid(tf.expandDims(p["rnn.leak"], 1));
 *     return tf.add(h, tf.mul(rate, tf.sub(drive, h)));
 *   },
 * });
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const model = await fit(data, { cell: "leaky", hidden: 2, engine: "tfjs", maxEpochs: 20 });
 * ```
 */
export function defineTfjsCell(options: TfjsCellOptions): TfjsCell {
  if (!options || typeof options !== "object") {
    throw new TinyRnnInputError("defineTfjsCell: options must be an object");
  }
  rejectUnknownKeys("defineTfjsCell", options, KEYS);
  const { name } = options;
  if (typeof name !== "string" || !/^[A-Za-z][\w-]*$/.test(name)) {
    throw new TinyRnnInputError(
      `defineTfjsCell: name must be a word (letters, digits, _ or -), got ${JSON.stringify(name)}`,
    );
  }
  if (cellNames().includes(name) && !isTfjsOnlyCell(name)) {
    throw new TinyRnnInputError(`defineTfjsCell: "${name}" is a built-in cell; choose another name`);
  }
  if (typeof options.params !== "function") {
    throw new TinyRnnInputError("defineTfjsCell: params must be a function");
  }
  if (typeof options.step !== "function") {
    throw new TinyRnnInputError("defineTfjsCell: step must be a function");
  }
  const encoding = checkChoice(
    "defineTfjsCell",
    "encoding",
    options.encoding ?? "asr",
    ["asr", "onehot"] as const,
  );
  const stateSize = options.stateSize ?? ((hidden: number) => hidden);
  const parameters = (hidden: number, inputSize: number): ParameterSpec[] => {
    const list = options.params(hidden, inputSize);
    if (!Array.isArray(list) || list.length === 0) {
      throw new TinyRnnInputError(
        `cell "${name}": params(${hidden}, ${inputSize}) must return a non-empty list`,
      );
    }
    const seen = new Set<string>();
    return list.map((p, i) => {
      rejectUnknownKeys(`cell "${name}" parameter ${i}`, p, ["name", "shape", "penalized", "init"]);
      if (
        typeof p.name !== "string" || p.name === "" || seen.has(p.name) ||
        /^(lin\.|lin_coef$|h0$)/.test(p.name)
      ) {
        throw new TinyRnnInputError(
          `cell "${name}" parameter ${i}: name ${
            JSON.stringify(p.name)
          } is empty, repeated or taken by the readout`,
        );
      }
      seen.add(p.name);
      if (!Array.isArray(p.shape) || !p.shape.every((s) => Number.isInteger(s) && s >= 1)) {
        throw new TinyRnnInputError(
          `cell "${name}" parameter "${p.name}": shape must be a list of positive integers, got ${
            JSON.stringify(p.shape)
          }`,
        );
      }
      return {
        name: p.name,
        shape: [...p.shape],
        penalized: p.penalized ?? p.name.includes("weight"),
        init: p.init ?? { kind: "uniform", bound: 1 / Math.sqrt(hidden) },
      };
    });
  };
  const cell: TfjsCell = { name, encoding, stateSize, parameters, step: options.step };
  registerTfjsCell(cell);
  markTfjsOnly(name);
  registerCell(nativeAdapter(cell));
  return cell;
}

/**
 * The native face of a tfjs cell: its layout, and a forward step that evaluates the tfjs step on one state (so
 * a fitted model can run, act and be drawn). It has no hand-written backward: training goes through tfjs.
 */
function nativeAdapter(cell: TfjsCell): CellDefinition {
  return {
    name: cell.name,
    encoding: cell.encoding,
    stateSize: cell.stateSize,
    parameters: cell.parameters,
    kernel(hidden: number, inputSize: number, offsets: readonly number[]): CellKernel {
      const specs = cell.parameters(hidden, inputSize);
      const S = cell.stateSize(hidden);
      return {
        stateSize: S,
        cacheSize: 0,
        forward(w, x, xo, h, ho, out, oo) {
          const next = tf.tidy(() => {
            const p: TfjsParams = {};
            specs.forEach((s, i) => {
              const values = Float32Array.from(w.subarray(offsets[i], offsets[i] + shapeSize(s.shape)));
              p[s.name] = tf.tensor(values, [1, ...s.shape]);
            });
            const xt = tf.tensor3d(Float32Array.from(x.subarray(xo, xo + inputSize)), [1, 1, inputSize]);
            const ht = tf.tensor3d(Float32Array.from(h.subarray(ho, ho + S)), [1, 1, S]);
            return cell.step(p, xt, ht, hidden).dataSync();
          });
          for (let k = 0; k < S; k++) out[oo + k] = next[k];
        },
        backward() {
          throw new TinyRnnInputError(
            `cell "${cell.name}" is defined with tfjs ops and has no float64 gradient: train it with engine "tfjs" or "auto"`,
          );
        },
      };
    },
  };
}
