/**
 * A whole tiny network: a recurrent cell, a readout to action logits and an initial state, over one flat
 * `Float64Array` of parameters laid out in state-dict order (cell tensors, then readout, then `h0`).
 *
 * @module
 */

import { RandomState } from "../random.ts";
import { TinyRnnInputError } from "../options.ts";
import { type CellDefinition, type CellKernel, type ParameterInit, shapeSize } from "./cell.ts";
import { getCell } from "./registry.ts";
import type { StateDict } from "./state_dict.ts";

/** How hidden states become action logits. */
export type ReadoutKind =
  /** `nn.Linear(hidden, nActions)`: `lin.weight`, `lin.bias`. */
  | "linear"
  /** One scalar `lin_coef` times the hidden state (needs hidden = nActions). */
  | "diagonal";

/** Architecture of a network. */
export interface NetworkSpec {
  /** Registered cell name, e.g. `"gru"`. */
  cell: string;
  /** Hidden size d (the number of dynamical variables for most cells). */
  hidden: number;
  /** Input vector length. */
  inputSize: number;
  /** Number of actions (logits). */
  nActions: number;
  /** Readout type. */
  readout: ReadoutKind;
  /** Whether the initial state predicts the first choice (T + 1 logit rows). */
  outputH0: boolean;
  /** Whether the initial state is a trained parameter (`h0`). */
  trainableH0: boolean;
}

/** Where one parameter tensor lives in the flat weight vector. */
export interface ParameterEntry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
  penalized: boolean;
  init: ParameterInit;
}

/** A network spec bound to its cell kernel and parameter layout. */
export interface Network {
  readonly spec: NetworkSpec;
  readonly cell: CellDefinition;
  readonly kernel: CellKernel;
  /** Every parameter tensor in order. */
  readonly parameters: ParameterEntry[];
  /** Total number of parameters. */
  readonly size: number;
  /** State size (hidden, or more for cells with extra state). */
  readonly stateSize: number;
  /** Offsets of the readout tensors: `[weight, bias]` for linear, `[coef]` for diagonal. */
  readonly readoutOffsets: number[];
  /** Offset of `h0`, or -1 when the initial state is fixed at zero. */
  readonly h0Offset: number;
  /** `[offset, size]` pairs of the L1-penalised tensors. */
  readonly penalizedRanges: [number, number][];
}

/** Build a network from its spec (checks the spec against the cell). */
export function buildNetwork(spec: NetworkSpec): Network {
  const cell = getCell(spec.cell);
  const d = spec.hidden;
  if (spec.readout === "diagonal" && d !== spec.nActions) {
    throw new TinyRnnInputError(
      `the diagonal readout needs hidden = number of actions (${spec.nActions}), got hidden ${d}`,
    );
  }
  const stateSize = cell.stateSize(d);
  const parameters: ParameterEntry[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], penalized: boolean, init: ParameterInit) => {
    const size = shapeSize(shape);
    parameters.push({ name, shape, offset, size, penalized, init });
    offset += size;
    return offset - size;
  };
  const cellOffsets = cell.parameters(d, spec.inputSize).map((p) =>
    add(p.name, p.shape, p.penalized, p.init)
  );
  const bound = 1 / Math.sqrt(d);
  const readoutOffsets = spec.readout === "linear"
    ? [
      add("lin.weight", [spec.nActions, d], false, { kind: "uniform", bound }),
      add("lin.bias", [spec.nActions], false, { kind: "uniform", bound }),
    ]
    : [add("lin_coef", [], false, { kind: "constant", value: 1 })];
  const h0Offset = spec.trainableH0
    ? add("h0", [1, 1, stateSize], false, { kind: "constant", value: 0 })
    : -1;
  return {
    spec,
    cell,
    kernel: cell.kernel(d, spec.inputSize, cellOffsets),
    parameters,
    size: offset,
    stateSize,
    readoutOffsets,
    h0Offset,
    penalizedRanges: parameters.filter((p) => p.penalized).map((p) => [p.offset, p.size]),
  };
}

/** Seeded initial weights with PyTorch's distributions (uniform values are rounded to float32, as torch draws them). */
export function initialWeights(net: Network, seed: number): Float64Array {
  const rng = new RandomState(seed >>> 0);
  const w = new Float64Array(net.size);
  for (const p of net.parameters) {
    const init = p.init;
    for (let i = 0; i < p.size; i++) {
      w[p.offset + i] = init.kind === "uniform"
        ? Math.fround(init.bound * (2 * rng.random() - 1))
        : init.kind === "normal"
        ? init.std * rng.normal()
        : init.value;
    }
  }
  return w;
}

export type { StateDict } from "./state_dict.ts";

/** Flatten a nested array of the expected shape (row-major); `where` names the tensor in errors. */
function flattenInto(
  where: string,
  value: unknown,
  shape: readonly number[],
  out: Float64Array,
  o: number,
): number {
  if (shape.length === 0) {
    const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new TinyRnnInputError(`${where}: expected a finite number, got ${JSON.stringify(v)}`);
    }
    out[o] = v;
    return o + 1;
  }
  if (!Array.isArray(value) || value.length !== shape[0]) {
    throw new TinyRnnInputError(
      `${where}: expected an array of length ${shape[0]} (shape [${shape.join(", ")}]), got ${
        Array.isArray(value) ? `length ${value.length}` : typeof value
      }`,
    );
  }
  for (let i = 0; i < value.length; i++) o = flattenInto(`${where}[${i}]`, value[i], shape.slice(1), out, o);
  return o;
}

/** Flat weights from a PyTorch-named state dict (every tensor of the network must be present; extra keys are errors). */
export function weightsFromStateDict(net: Network, dict: StateDict): Float64Array {
  const w = new Float64Array(net.size);
  const names = net.parameters.map((p) => p.name);
  for (const key of Object.keys(dict)) {
    if (key === "dummy_param") continue;
    if (!names.includes(key)) {
      throw new TinyRnnInputError(
        `initial weights: unknown tensor "${key}"; this network has ${names.join(", ")}`,
      );
    }
  }
  for (const p of net.parameters) {
    if (!(p.name in dict)) throw new TinyRnnInputError(`initial weights: missing tensor "${p.name}"`);
    flattenInto(`initial weights "${p.name}"`, dict[p.name], p.shape, w, p.offset);
  }
  return w;
}

/** PyTorch-named state dict (nested arrays of plain numbers) from flat weights. */
export function stateDictOf(net: Network, w: ArrayLike<number>): Record<string, unknown> {
  const dict: Record<string, unknown> = {};
  for (const p of net.parameters) {
    let o = p.offset;
    const build = (shape: number[]): unknown =>
      shape.length === 0 ? w[o++] : Array.from({ length: shape[0] }, () => build(shape.slice(1)));
    dict[p.name] = build(p.shape);
  }
  return dict;
}

/** Write the initial state (zeros, or the trained `h0`) to `out[o..]`. */
export function writeInitialState(net: Network, w: Float64Array, out: Float64Array, o: number): void {
  for (let k = 0; k < net.stateSize; k++) out[o + k] = net.h0Offset < 0 ? 0 : w[net.h0Offset + k];
}

/** Logits from the state at `h[ho..]` into `out[oo..]` (the readout sees the first `hidden` state entries). */
export function readoutForward(
  net: Network,
  w: Float64Array,
  h: Float64Array,
  ho: number,
  out: Float64Array,
  oo: number,
): void {
  const d = net.spec.hidden;
  const nA = net.spec.nActions;
  if (net.spec.readout === "diagonal") {
    const c = w[net.readoutOffsets[0]];
    for (let a = 0; a < nA; a++) out[oo + a] = c * h[ho + a];
    return;
  }
  const [wo, bo] = net.readoutOffsets;
  for (let a = 0; a < nA; a++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += w[wo + a * d + k] * h[ho + k];
    out[oo + a] = s + w[bo + a];
  }
}

/** Backward of the readout: adds parameter gradients and adds dL/dh to `dh[dho..]`. */
export function readoutBackward(
  net: Network,
  w: Float64Array,
  grad: Float64Array,
  h: Float64Array,
  ho: number,
  dLogits: Float64Array,
  dlo: number,
  dh: Float64Array,
  dho: number,
): void {
  const d = net.spec.hidden;
  const nA = net.spec.nActions;
  if (net.spec.readout === "diagonal") {
    const co = net.readoutOffsets[0];
    const c = w[co];
    for (let a = 0; a < nA; a++) {
      grad[co] += dLogits[dlo + a] * h[ho + a];
      dh[dho + a] += c * dLogits[dlo + a];
    }
    return;
  }
  const [wo, bo] = net.readoutOffsets;
  for (let a = 0; a < nA; a++) {
    const g = dLogits[dlo + a];
    grad[bo + a] += g;
    for (let k = 0; k < d; k++) {
      grad[wo + a * d + k] += g * h[ho + k];
      dh[dho + k] += w[wo + a * d + k] * g;
    }
  }
}

/** The L1 term `l1 * sum |w|` over the penalised tensors. */
export function l1Term(net: Network, w: Float64Array, l1: number): number {
  if (l1 === 0) return 0;
  // Summed per tensor, then across tensors, as the original accumulates its penalty.
  let total = 0;
  for (const [o, n] of net.penalizedRanges) {
    let s = 0;
    for (let i = o; i < o + n; i++) s += Math.abs(w[i]);
    total += s;
  }
  return l1 * total;
}

/** Add the L1 gradient `l1 * sign(w)` (0 at w = 0) over the penalised tensors. */
export function addL1Gradient(net: Network, w: Float64Array, l1: number, grad: Float64Array): void {
  if (l1 === 0) return;
  for (const [o, n] of net.penalizedRanges) {
    for (let i = o; i < o + n; i++) grad[i] += w[i] > 0 ? l1 : w[i] < 0 ? -l1 : 0;
  }
}
