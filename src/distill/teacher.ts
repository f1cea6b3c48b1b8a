/**
 * The teacher of knowledge distillation: one GRU trained on all subjects together, whose input is the trial
 * input plus a learned subject embedding (the original's `include_embedding`). Students (`src/distill/`) are
 * trained on its choice probabilities for one subject.
 *
 * @module
 */

import type { Agent } from "../agents/agent.ts";
import type { Dataset } from "../data/dataset.ts";

/** Options of {@link trainTeacher}. */
export interface TeacherOptions {
  /** GRU units. Default 20. */
  hidden?: number;
  /** Subject embedding size. Default 4; 0 = no embedding (an ordinary GRU on the pooled subjects). */
  embedding?: number;
  /** L1 strength on the recurrent layer's weight matrices (input weights of the embedding included). Default 1e-5. */
  l1?: number;
  /** AdamW learning rate. Default 0.005. */
  lr?: number;
  /** AdamW weight decay. Default 0. */
  weightDecay?: number;
  /** Iterations run at most: `maxEpochs + 1`. Default 10000. */
  maxEpochs?: number;
  /** Early-stopping patience. Default 200. */
  patience?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/** Options of {@link Teacher.withSubject}. */
export interface WithSubjectOptions {
  /** Iterations run at most: `maxEpochs + 1`. Default: the teacher's. */
  maxEpochs?: number;
  /** Early-stopping patience. Default: the teacher's. */
  patience?: number;
  /** AdamW learning rate. Default: the teacher's. */
  lr?: number;
}

/** Which blocks (indices into the data set) train the teacher and which early-stop it. */
export interface TeacherSplit {
  /** Training blocks. */
  train: number[];
  /** Validation blocks (early stopping, against the real choices). */
  val: number[];
}

/**
 * Train one teacher on all subjects' train blocks, early-stopped on the val blocks (choices). Every block
 * must have a subject (a `TinyRnnInputError` names the block otherwise).
 */
export function trainTeacher(
  _data: Dataset,
  _split: TeacherSplit,
  _options: TeacherOptions = {},
): Promise<Teacher> {
  return Promise.reject(new Error("trainTeacher: not yet"));
}

/** A trained teacher network: a GRU that sees the trial input and the subject's embedding. */
export class Teacher {
  /** The subjects it knows, in the order of the embedding's rows. */
  readonly subjects: readonly string[] = [];
  /** GRU units. */
  readonly hidden: number = 0;
  /** Subject embedding size (0: none). */
  readonly embedding: number = 0;
  /** Best-epoch NLL per scored trial on the validation blocks. */
  readonly valLoss: number = NaN;
  /** Best-epoch NLL per scored trial on the training blocks. */
  readonly trainLoss: number = NaN;
  /** Iterations run. */
  readonly epochs: number = 0;

  /**
   * Per block of `data` (its subjects must be known to the teacher), per trial, the nActions choice
   * probabilities: the shape `withSoftTargets` takes.
   */
  predict(_data: Dataset): number[][][] {
    throw new Error("Teacher.predict: not yet");
  }

  /** Mean NLL per scored trial of the blocks (default all) against the real choices, and the trial count. */
  loss(_data: Dataset, _blocks?: readonly number[]): { loss: number; trials: number } {
    throw new Error("Teacher.loss: not yet");
  }

  /** The teacher acting as one subject: an `Agent` usable with `simulate`. */
  agent(_subject: string): Agent {
    throw new Error("Teacher.agent: not yet");
  }

  /** A teacher that also knows a new subject: only that subject's embedding is fitted, network frozen. */
  withSubject(_data: Dataset, _split: TeacherSplit, _options: WithSubjectOptions = {}): Promise<Teacher> {
    return Promise.reject(new Error("Teacher.withSubject: not yet"));
  }

  /** Plain-number JSON form; `Teacher.fromJSON` reads it back exactly. */
  toJSON(): Record<string, unknown> {
    throw new Error("Teacher.toJSON: not yet");
  }

  /** Read a teacher back from `toJSON` output (an object or its JSON text). */
  static fromJSON(_json: unknown): Teacher {
    throw new Error("Teacher.fromJSON: not yet");
  }
}
