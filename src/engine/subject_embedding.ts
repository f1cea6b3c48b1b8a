/**
 * Training a network through other parameters than its own weights (a `Reparametrisation`), and the one
 * tinyrnn uses: a subject embedding, the input of the teacher network of knowledge distillation.
 *
 * The teacher is the original's GRU with `include_embedding`: its input is the trial input x (I numbers)
 * followed by the subject's embedding e_s (K numbers, row s of a learned S x K matrix E, the original's
 * `nn.Embedding`), so its input weights are `rnn.weight_ih_l0` of shape 3H x (I + K), the last K columns
 * W_emb. The same network is computed exactly by an ordinary GRU whose input is x followed by the one-hot
 * subject (S numbers), with input weights [W_x, M] where M = W_emb · Eᵀ (3H x S): W_emb e_s is column s of
 * M. Training runs that ordinary GRU through the engine's passes unchanged and pulls the gradient of its
 * weights back to the teacher's: dW_emb = dM · E and dE = dMᵀ · W_emb (dM: the gradient of M).
 *
 * The trained vector θ is the teacher's own parameters in state-dict order (the GRU with input I + K, then
 * the readout, then `h0` if trained), then E row by row (`subject_embedding.weight`, S x K, as
 * `nn.Embedding.weight`). The L1 penalty covers what the original's does: the recurrent layer's weight
 * matrices, W_emb included, not E.
 *
 * @module
 */

import { RandomState } from "../random.ts";
import { TinyRnnInputError } from "../options.ts";
import {
  buildNetwork,
  initialWeights,
  type Network,
  type NetworkSpec,
  type StateDict,
  stateDictOf,
  weightsFromStateDict,
} from "../rnn/network.ts";
import type { BatchTensors } from "./batch.ts";

/**
 * A trained vector θ and the network weights w it determines, w = f(θ): the trainer steps θ and runs the
 * network's passes on f(θ).
 */
export interface Reparametrisation {
  /** Entries of θ. */
  readonly size: number;
  /** Write every entry of the network weights `w` from `theta`. */
  weights(theta: Float64Array, w: Float64Array): void;
  /** Add Jᵀ · gradW to `gradTheta`, J = ∂w/∂θ at `theta` (the gradient of the loss in θ from that in w). */
  pullBack(theta: Float64Array, gradW: Float64Array, gradTheta: Float64Array): void;
  /** `[offset, size]` pairs of θ that the L1 penalty covers. */
  readonly penalizedRanges: readonly [number, number][];
  /** `[offset, size]` pairs of θ that training moves; every other entry stays as it started. Undefined: all. */
  readonly trainedRanges?: readonly [number, number][];
}

/** The name of the embedding matrix E (S x K) in a teacher's state dict. */
export const EMBEDDING_TENSOR = "subject_embedding.weight";

/** The input-weight tensor whose last columns see the embedding. */
const INPUT_TENSOR = "rnn.weight_ih_l0";

/** A subject embedding of a training job (plain data, so that it travels to worker threads). */
export interface SubjectEmbeddingJob {
  /** Embedding size K (at least 1). */
  size: number;
  /** Number of subjects S (rows of E). */
  subjects: number;
  /**
   * Per block of the data set's tensors, the row of its subject in E; -1 for a block without one (it may not
   * be among the training or validation blocks).
   */
  subjectOfBlock: number[];
  /** Train only this subject's row of E: every other parameter keeps its initial value (`init`). */
  onlySubject?: number;
}

/** Check a job's embedding against the data set's tensors and its blocks. */
export function checkEmbeddingJob(
  embedding: SubjectEmbeddingJob,
  nBlocks: number,
  used: readonly number[],
): void {
  const { size, subjects, subjectOfBlock, onlySubject } = embedding;
  if (!Number.isInteger(size) || size < 1) {
    throw new TinyRnnInputError(`embedding.size must be an integer >= 1, got ${size}`);
  }
  if (!Number.isInteger(subjects) || subjects < 1) {
    throw new TinyRnnInputError(`embedding.subjects must be an integer >= 1, got ${subjects}`);
  }
  if (!Array.isArray(subjectOfBlock) || subjectOfBlock.length !== nBlocks) {
    throw new TinyRnnInputError(
      `embedding.subjectOfBlock must give a subject for each of the ${nBlocks} blocks, got ${
        Array.isArray(subjectOfBlock) ? subjectOfBlock.length : typeof subjectOfBlock
      }`,
    );
  }
  subjectOfBlock.forEach((s, b) => {
    if (!Number.isInteger(s) || s < -1 || s >= subjects) {
      throw new TinyRnnInputError(
        `embedding.subjectOfBlock[${b}] must be -1 or a row of E (< ${subjects}), got ${s}`,
      );
    }
  });
  for (const b of used) {
    if (subjectOfBlock[b] < 0) {
      throw new TinyRnnInputError(`block ${b} has no subject, but the job trains on it`);
    }
  }
  if (
    onlySubject !== undefined &&
    !(Number.isInteger(onlySubject) && onlySubject >= 0 && onlySubject < subjects)
  ) {
    throw new TinyRnnInputError(
      `embedding.onlySubject must be a row of E (< ${subjects}), got ${onlySubject}`,
    );
  }
}

/** The teacher's own network (input I + K) and the ordinary one the passes run (input I + S). */
export interface EmbeddingNetworks {
  /** The network with the embedding as input (I + K): θ's layout, the state dict's shapes. */
  teacher: Network;
  /** The network with the one-hot subject as input (I + S): what the passes run. */
  wide: Network;
}

/** The two networks of a spec whose `inputSize` is the trial input's (I). */
export function embeddingNetworks(spec: NetworkSpec, size: number, subjects: number): EmbeddingNetworks {
  const teacher = buildNetwork({ ...spec, inputSize: spec.inputSize + size });
  const wide = buildNetwork({ ...spec, inputSize: spec.inputSize + subjects });
  if (!teacher.parameters.some((p) => p.name === INPUT_TENSOR)) {
    throw new TinyRnnInputError(
      `a subject embedding needs a cell with input weights "${INPUT_TENSOR}" (such as gru); ${spec.cell} has none`,
    );
  }
  return { teacher, wide };
}

/** The reparametrisation of a subject embedding (see the module doc). */
export class SubjectEmbedding implements Reparametrisation {
  readonly size: number;
  readonly penalizedRanges: readonly [number, number][];
  readonly trainedRanges?: readonly [number, number][];
  /** Offset of E in θ. */
  readonly embeddingOffset: number;
  readonly #teacher: Network;
  readonly #wide: Network;
  readonly #I: number;
  readonly #K: number;
  readonly #S: number;

  constructor(networks: EmbeddingNetworks, size: number, subjects: number, onlySubject?: number) {
    this.#teacher = networks.teacher;
    this.#wide = networks.wide;
    this.#K = size;
    this.#S = subjects;
    this.#I = networks.teacher.spec.inputSize - size;
    this.embeddingOffset = networks.teacher.size;
    this.size = networks.teacher.size + subjects * size;
    this.penalizedRanges = networks.teacher.penalizedRanges;
    if (onlySubject !== undefined) this.trainedRanges = [[this.embeddingOffset + onlySubject * size, size]];
  }

  weights(theta: Float64Array, w: Float64Array): void {
    const I = this.#I, K = this.#K, S = this.#S, eo = this.embeddingOffset;
    const wideParams = this.#wide.parameters;
    this.#teacher.parameters.forEach((p, i) => {
      const q = wideParams[i];
      if (p.name !== INPUT_TENSOR) {
        for (let j = 0; j < p.size; j++) w[q.offset + j] = theta[p.offset + j];
        return;
      }
      const rows = p.shape[0];
      for (let r = 0; r < rows; r++) {
        const from = p.offset + r * (I + K), to = q.offset + r * (I + S);
        for (let k = 0; k < I; k++) w[to + k] = theta[from + k];
        // Column s of M = W_emb · Eᵀ: the embedding's contribution to this row for subject s.
        for (let s = 0; s < S; s++) {
          let m = 0;
          for (let k = 0; k < K; k++) m += theta[from + I + k] * theta[eo + s * K + k];
          w[to + I + s] = m;
        }
      }
    });
  }

  pullBack(theta: Float64Array, gradW: Float64Array, gradTheta: Float64Array): void {
    const I = this.#I, K = this.#K, S = this.#S, eo = this.embeddingOffset;
    const wideParams = this.#wide.parameters;
    this.#teacher.parameters.forEach((p, i) => {
      const q = wideParams[i];
      if (p.name !== INPUT_TENSOR) {
        for (let j = 0; j < p.size; j++) gradTheta[p.offset + j] += gradW[q.offset + j];
        return;
      }
      const rows = p.shape[0];
      for (let r = 0; r < rows; r++) {
        const from = p.offset + r * (I + K), to = q.offset + r * (I + S);
        for (let k = 0; k < I; k++) gradTheta[from + k] += gradW[to + k];
        for (let s = 0; s < S; s++) {
          const dM = gradW[to + I + s];
          if (dM === 0) continue;
          for (let k = 0; k < K; k++) {
            // ∂M[r][s]/∂W_emb[r][k] = E[s][k] and ∂M[r][s]/∂E[s][k] = W_emb[r][k].
            gradTheta[from + I + k] += dM * theta[eo + s * K + k];
            gradTheta[eo + s * K + k] += dM * theta[from + I + k];
          }
        }
      }
    });
  }

  /**
   * Initial θ for a seed: the tensors an ordinary network of input size I gets from `initialWeights` with the
   * same seed (so with E = 0 the teacher starts as exactly that network), W_emb drawn as PyTorch draws input
   * weights (U(±1/√H), float32 values) from its own stream, and E = 0, as the original's embedding starts.
   */
  initial(seed: number): Float64Array {
    const I = this.#I, K = this.#K;
    const plain = buildNetwork({ ...this.#teacher.spec, inputSize: I });
    const base = initialWeights(plain, seed);
    const theta = new Float64Array(this.size);
    const rng = new RandomState((seed ^ 0x5eed_e4b1) >>> 0);
    this.#teacher.parameters.forEach((p, i) => {
      const b = plain.parameters[i];
      if (p.name !== INPUT_TENSOR) {
        theta.set(base.subarray(b.offset, b.offset + b.size), p.offset);
        return;
      }
      const bound = p.init.kind === "uniform" ? p.init.bound : 0;
      for (let r = 0; r < p.shape[0]; r++) {
        for (let k = 0; k < I; k++) theta[p.offset + r * (I + K) + k] = base[b.offset + r * I + k];
      }
      for (let r = 0; r < p.shape[0]; r++) {
        for (let k = 0; k < K; k++) {
          theta[p.offset + r * (I + K) + I + k] = Math.fround(bound * (2 * rng.random() - 1));
        }
      }
    });
    return theta;
  }

  /** θ from a teacher state dict (the teacher network's tensors and `subject_embedding.weight`, S x K). */
  fromStateDict(dict: StateDict): Float64Array {
    const { [EMBEDDING_TENSOR]: table, ...rest } = dict;
    if (table === undefined) {
      throw new TinyRnnInputError(`initial weights: missing tensor "${EMBEDDING_TENSOR}"`);
    }
    const theta = new Float64Array(this.size);
    theta.set(weightsFromStateDict(this.#teacher, rest));
    const K = this.#K, S = this.#S;
    if (!Array.isArray(table) || table.length !== S) {
      throw new TinyRnnInputError(
        `initial weights "${EMBEDDING_TENSOR}": expected ${S} rows (one per subject), got ${
          Array.isArray(table) ? table.length : typeof table
        }`,
      );
    }
    table.forEach((row: unknown, s: number) => {
      if (
        !Array.isArray(row) || row.length !== K ||
        row.some((v) => typeof v !== "number" || !Number.isFinite(v))
      ) {
        throw new TinyRnnInputError(
          `initial weights "${EMBEDDING_TENSOR}"[${s}]: expected ${K} finite numbers, got ${
            JSON.stringify(row)
          }`,
        );
      }
      for (let k = 0; k < K; k++) theta[this.embeddingOffset + s * K + k] = row[k];
    });
    return theta;
  }

  /** The teacher's state dict of θ: its network's tensors, then `subject_embedding.weight` (S x K). */
  stateDict(theta: ArrayLike<number>): Record<string, unknown> {
    const dict = stateDictOf(this.#teacher, theta);
    const K = this.#K, eo = this.embeddingOffset;
    dict[EMBEDDING_TENSOR] = Array.from({ length: this.#S }, (_, s) => {
      const row: number[] = new Array(K);
      for (let k = 0; k < K; k++) row[k] = theta[eo + s * K + k];
      return row;
    });
    return dict;
  }
}

const widened = new WeakMap<BatchTensors, Map<string, BatchTensors>>();

/**
 * The tensors with the one-hot subject appended to every trial's input (columns I..I+S-1; none for a block
 * without a subject, and none on padding trials past a block's end, whose input stays zero). Remembered per
 * tensors and subject assignment, so that the jobs of one data set in one thread share it.
 */
export function withSubjectColumns(
  tensors: BatchTensors,
  subjectOfBlock: readonly number[],
  subjects: number,
): BatchTensors {
  const key = `${subjects}:${subjectOfBlock.join(",")}`;
  let kept = widened.get(tensors);
  if (!kept) {
    kept = new Map();
    widened.set(tensors, kept);
  }
  const found = kept.get(key);
  if (found) return found;
  if (kept.size >= 8) kept.clear();
  const { T, B, I, input, mask } = tensors;
  const J = I + subjects;
  const wide = new Float64Array(T * B * J);
  // A block's length: one past its last trial with a nonzero input or weight (padding is zero and weight 0).
  const length = new Int32Array(B);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const cell = t * B + b;
      let real = mask[cell] > 0;
      for (let k = 0; k < I && !real; k++) real = input[cell * I + k] !== 0;
      if (real) length[b] = t + 1;
    }
  }
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const cell = t * B + b;
      for (let k = 0; k < I; k++) wide[cell * J + k] = input[cell * I + k];
      const s = subjectOfBlock[b];
      if (s >= 0 && t < length[b]) wide[cell * J + I + s] = 1;
    }
  }
  const out: BatchTensors = { ...tensors, I: J, input: wide };
  kept.set(key, out);
  return out;
}
