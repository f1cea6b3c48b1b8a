/**
 * Time-major padded tensors of a data set, built once, and per-job block subsets gathered from them.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { TinyRnnInputError } from "../options.ts";
import type { InputEncoding } from "../rnn/cell.ts";
import { encodeTrial, inputSizeOf } from "../rnn/encoding.ts";

/**
 * Blocks as time-major tensors: `input[(t * B + b) * I + k]`, `target[t * B + b]`, `mask[t * B + b]`, and
 * optionally `soft[(t * B + b) * A + a]`. Trials beyond a block's length are zero input, target 0, mask 0 (and
 * soft targets 0).
 */
export interface BatchTensors {
  /** Longest block length. */
  T: number;
  /** Number of blocks. */
  B: number;
  /** Input size. */
  I: number;
  input: Float64Array;
  target: Int32Array;
  mask: Float64Array;
  /**
   * Soft targets (distillation), `T x B x A` probabilities: when present, the generic pass's loss is
   * −Σ_a p_a log softmax(z)_a (and its gradient softmax(z) − p) in place of the cross-entropy to `target`;
   * `target` still holds the choices (for accuracy). Fast passes decline such batches.
   */
  soft?: Float64Array;
}

/**
 * Build the tensors of every block of a data set for an input encoding (checks actions are in range). When
 * any block has `softTargets`, the tensors carry `soft`; a block without them gets its choices one-hot.
 */
export function datasetTensors(data: Dataset, encoding: InputEncoding): BatchTensors {
  const B = data.blocks.length;
  const I = inputSizeOf(encoding, data.kind, data.nActions);
  let T = 0;
  for (const block of data.blocks) T = Math.max(T, block.action.length);
  const input = new Float64Array(T * B * I);
  const target = new Int32Array(T * B);
  const mask = new Float64Array(T * B);
  const A = data.nActions;
  const soft = data.blocks.some((block) => block.softTargets !== undefined)
    ? new Float64Array(T * B * A)
    : undefined;
  for (let b = 0; b < B; b++) {
    const block = data.blocks[b];
    for (let t = 0; t < block.action.length; t++) {
      const action = block.action[t];
      if (!Number.isInteger(action) || action < 0 || action >= data.nActions) {
        throw new TinyRnnInputError(
          `block ${b}, trial ${t}, column action: expected an integer in [0, ${data.nActions}), got ${action}`,
        );
      }
      const m = block.mask ? block.mask[t] : 1;
      if (!(m >= 0)) {
        throw new TinyRnnInputError(`block ${b}, trial ${t}, column mask: expected >= 0, got ${m}`);
      }
      encodeTrial(
        encoding,
        data.kind,
        { action, state: block.state[t], reward: block.reward[t] },
        input,
        (t * B + b) * I,
        data.nActions,
      );
      target[t * B + b] = action;
      mask[t * B + b] = m;
      if (soft) {
        const row = block.softTargets?.[t];
        if (row === undefined) soft[(t * B + b) * A + action] = 1;
        else {
          if (row.length !== A) {
            throw new TinyRnnInputError(
              `block ${b}, trial ${t}, softTargets: expected ${A} probabilities, got ${row.length}`,
            );
          }
          for (let a = 0; a < A; a++) soft[(t * B + b) * A + a] = row[a];
        }
      }
    }
  }
  return soft ? { T, B, I, input, target, mask, soft } : { T, B, I, input, target, mask };
}

/**
 * The tensors of a subset of blocks, in the given order, cut after the last trial any of them has. Soft
 * targets are kept unless `keepSoft` is false (validation and test sets are scored against the choices).
 */
export function selectTensors(full: BatchTensors, blocks: readonly number[], keepSoft = true): BatchTensors {
  const { I } = full;
  const B = blocks.length;
  for (const b of blocks) {
    if (!Number.isInteger(b) || b < 0 || b >= full.B) {
      throw new TinyRnnInputError(`block index ${b} is out of range (the data set has ${full.B} blocks)`);
    }
  }
  let T = 0;
  for (let t = 0; t < full.T; t++) {
    for (const b of blocks) if (full.mask[t * full.B + b] > 0) T = t + 1;
  }
  const input = new Float64Array(T * B * I);
  const target = new Int32Array(T * B);
  const mask = new Float64Array(T * B);
  const fullSoft = keepSoft ? full.soft : undefined;
  // A: the soft targets per trial (the data set's number of actions).
  const A = fullSoft ? fullSoft.length / (full.T * full.B) : 0;
  const soft = fullSoft ? new Float64Array(T * B * A) : undefined;
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < B; j++) {
      const src = t * full.B + blocks[j];
      target[t * B + j] = full.target[src];
      mask[t * B + j] = full.mask[src];
      for (let k = 0; k < I; k++) input[(t * B + j) * I + k] = full.input[src * I + k];
      if (soft) { for (let a = 0; a < A; a++) soft[(t * B + j) * A + a] = fullSoft![src * A + a]; }
    }
  }
  return soft ? { T, B, I, input, target, mask, soft } : { T, B, I, input, target, mask };
}

/**
 * Blocks whose first trials have identical inputs pass through identical states: every block starts from the
 * same initial state, and a state depends only on the inputs before it. For each block `b`, `from[b]` is an
 * earlier block with the longest common input prefix (-1 when none shares even the first trial's state) and
 * `states[b]` the number of leading state rows (h_0, h_1, ...) the two share, so a forward pass can copy
 * them instead of computing them. In a bandit with binary inputs the first few trials of most blocks repeat
 * an earlier block, about a fifth of all steps on the tutorial data.
 */
export interface SharedPrefixes {
  from: Int32Array;
  states: Int32Array;
}

/**
 * Find, for every block, the earlier block with the longest common input prefix (see `SharedPrefixes`).
 * `inputs` (the batch's input ids, from `inputIds`) saves computing them again.
 */
export function sharedPrefixes(batch: BatchTensors, inputs?: DistinctInputs): SharedPrefixes {
  const { T, B } = batch;
  const { ids, count } = inputs ?? inputIds(batch)!;
  const from = new Int32Array(B).fill(-1);
  const states = new Int32Array(B);
  // Level t groups the blocks by their inputs of trials 0..t-1; a group's first block is where the others copy from.
  let group = new Int32Array(B);
  let groups = 1;
  for (let b = 1; b < B; b++) {
    from[b] = 0;
    states[b] = 1;
  }
  const firstOf = new Map<number, number>();
  for (let t = 0; t < T && groups < B; t++) {
    firstOf.clear();
    const nextGroup = new Int32Array(B);
    const firsts: number[] = [];
    for (let b = 0; b < B; b++) {
      const key = group[b] * count + ids[t * B + b];
      let id = firstOf.get(key);
      if (id === undefined) {
        id = firsts.length;
        firstOf.set(key, id);
        firsts.push(b);
      } else {
        from[b] = firsts[id];
        states[b] = t + 2;
      }
      nextGroup[b] = id;
    }
    group = nextGroup;
    groups = firsts.length;
  }
  return { from, states };
}

/** The distinct input vectors of a batch and which one each trial has (see `distinctInputs`). */
export interface DistinctInputs {
  /** Index into `vectors` per trial, `T x B` time-major. */
  ids: Int32Array;
  /** The distinct vectors, `count x I`. */
  vectors: Float64Array;
  count: number;
}

/**
 * Number every distinct input vector of a batch (in order of first appearance). Vectors are bucketed by a
 * hash of their bits and compared exactly, so that no string is built per trial.
 */
export function inputIds(batch: BatchTensors, limit = Infinity): DistinctInputs | undefined {
  const { T, B, I, input } = batch;
  const ids = new Int32Array(T * B);
  const words = new Int32Array(input.buffer, input.byteOffset, input.length * 2);
  const buckets = new Map<number, number[]>();
  const firstCell: number[] = [];
  for (let cell = 0; cell < T * B; cell++) {
    let hash = 0;
    for (let k = 0; k < 2 * I; k++) hash = Math.imul(hash ^ words[2 * cell * I + k], 0x9e3779b1);
    let bucket = buckets.get(hash);
    if (bucket === undefined) {
      bucket = [];
      buckets.set(hash, bucket);
    }
    let id = -1;
    for (const candidate of bucket) {
      const other = firstCell[candidate];
      let same = true;
      for (let k = 0; k < I && same; k++) same = input[other * I + k] === input[cell * I + k];
      if (same) {
        id = candidate;
        break;
      }
    }
    if (id < 0) {
      id = firstCell.length;
      if (id >= limit) return undefined;
      firstCell.push(cell);
      bucket.push(id);
    }
    ids[cell] = id;
  }
  const vectors = new Float64Array(firstCell.length * I);
  for (let u = 0; u < firstCell.length; u++) {
    for (let k = 0; k < I; k++) vectors[u * I + k] = input[firstCell[u] * I + k];
  }
  return { ids, vectors, count: firstCell.length };
}

/**
 * The distinct input vectors of a batch, when there are few (binary actions and rewards give a handful), so
 * that a pass can form each input projection once per distinct vector instead of once per trial. Undefined
 * when more than a quarter of the trials have an input of their own (continuous inputs).
 */
export function distinctInputs(batch: BatchTensors): DistinctInputs | undefined {
  return inputIds(batch, Math.floor((batch.T * batch.B) / 4));
}

/** What the fused passes precompute about a batch. */
export interface PreparedBatch {
  shared: SharedPrefixes;
  /** Undefined when the batch has many distinct inputs (see `distinctInputs`). */
  inputs?: DistinctInputs;
  /** Per block, the leading state rows it copies (`shared.states`, or 0 when it shares nothing). */
  sharedRows: Int32Array;
  /** The blocks ordered by `sharedRows` (stably), so that the blocks that compute row t come first. */
  order: Int32Array;
  /** `computed[t]`: how many blocks compute state row t themselves (`sharedRows <= t`), t = 0..T+1. */
  computed: Int32Array;
}

const prepared = new WeakMap<BatchTensors, PreparedBatch>();

/** Shared prefixes and distinct inputs of a batch, computed once per batch object. */
export function preparedBatch(batch: BatchTensors): PreparedBatch {
  let found = prepared.get(batch);
  if (!found) {
    const inputs = distinctInputs(batch);
    const shared = sharedPrefixes(batch, inputs);
    const sharedRows = shared.states.map((rows, b) => shared.from[b] < 0 ? 0 : rows);
    const order = Int32Array.from(sharedRows.keys()).sort((a, b) => sharedRows[a] - sharedRows[b] || a - b);
    const computed = new Int32Array(batch.T + 2);
    for (let t = 0; t < computed.length; t++) computed[t] = sharedRows.filter((rows) => rows <= t).length;
    found = { shared, inputs, sharedRows, order, computed };
    prepared.set(batch, found);
  }
  return found;
}

const selections = new WeakMap<BatchTensors, Map<string, BatchTensors>>();
/** Selections remembered per data set; more are forgotten (cross-validation uses a few dozen). */
const SELECTIONS_KEPT = 64;

/**
 * `selectTensors`, remembered per data set, block list and `keepSoft`, so that the many jobs of one split
 * (seeds, L1 strengths, hidden sizes) share one selection and its `preparedBatch`. Callers must not modify
 * the result.
 */
export function selectTensorsShared(
  full: BatchTensors,
  blocks: readonly number[],
  keepSoft = true,
): BatchTensors {
  let kept = selections.get(full);
  if (!kept) {
    kept = new Map();
    selections.set(full, kept);
  }
  // Without soft targets both settings give the same tensors, so they share the key of the plain selection.
  const key = blocks.join(",") + (full.soft && !keepSoft ? ",hard" : "");
  let batch = kept.get(key);
  if (!batch) {
    if (kept.size >= SELECTIONS_KEPT) kept.clear();
    batch = selectTensors(full, blocks, keepSoft);
    kept.set(key, batch);
  }
  return batch;
}
