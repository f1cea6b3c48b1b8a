/**
 * A stand-in teacher for the distillation driver's tests: one cognitive model fitted by maximum likelihood
 * to every subject's training blocks (the same for every subject), wrapped in the teacher's interface. It
 * records what it was given, so that tests can check that no test block reaches it.
 *
 * @module
 */

import { type Agent, softmax, traceBlock } from "../../src/agents/agent.ts";
import { cognitive, type CognitiveModel } from "../../src/agents/cognitive.ts";
import { fitCognitive } from "../../src/agents/fitting.ts";
import type { Block, Dataset } from "../../src/data/dataset.ts";
import type { TeacherFactory, TeacherLike } from "../../src/distill/options.ts";

/** Everything the fake teachers were shown. */
export interface TeacherLog {
  /** Blocks the teachers were trained or early-stopped on. */
  trained: Block[];
  /** Blocks the teachers predicted. */
  predicted: Block[];
  /** Teachers trained (not read back). */
  trainings: number;
}

class FakeTeacher implements TeacherLike {
  constructor(
    readonly model: CognitiveModel,
    readonly trainLoss: number,
    readonly valLoss: number,
    readonly log: TeacherLog,
  ) {}
  readonly epochs = 1;
  predict(data: Dataset): number[][][] {
    this.log.predicted.push(...data.blocks);
    return data.blocks.map((block) => {
      const { scores } = traceBlock(this.model, block);
      return block.action.map((_, t) => Array.from(softmax(scores[t])));
    });
  }
  loss(data: Dataset, blocks?: readonly number[]): { loss: number; trials: number } {
    const list = (blocks ?? data.blocks.map((_, b) => b)).map((b) => data.blocks[b]);
    const ll = this.model.logLikelihood(list);
    return { loss: -ll.total / ll.scoredTrials, trials: ll.scoredTrials };
  }
  agent(_subject: string): Agent {
    return this.model;
  }
  toJSON(): Record<string, unknown> {
    return {
      name: this.model.name,
      params: this.model.paramVector,
      trainLoss: this.trainLoss,
      valLoss: this.valLoss,
    };
  }
}

/** A factory of fake teachers (an MB0 fit) and the log of what they saw. */
export function fakeTeacher(): { factory: TeacherFactory; log: TeacherLog } {
  const log: TeacherLog = { trained: [], predicted: [], trainings: 0 };
  const factory: TeacherFactory = {
    train: (data, split) => {
      log.trainings++;
      log.trained.push(...split.train.map((b) => data.blocks[b]), ...split.val.map((b) => data.blocks[b]));
      const fit = fitCognitive(cognitive("MB0"), data, { trainBlocks: split.train, restarts: 0 });
      const val = fit.model.negLogLikelihoodPerTrial(split.val.map((b) => data.blocks[b]));
      return Promise.resolve(new FakeTeacher(fit.model, fit.trainNll, val, log));
    },
    fromJSON: (json) => {
      const j = json as { params: number[]; trainLoss: number; valLoss: number };
      return new FakeTeacher(cognitive("MB0", j.params), j.trainLoss, j.valLoss, log);
    },
  };
  return { factory, log };
}
