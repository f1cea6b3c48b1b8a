/**
 * The original's `Two_step` task core, shared by the reversal, drift, two-stage and transition-reversal
 * tasks: a first-stage choice, a common/rare transition to one of two second-stage states, and a reward
 * whose probability depends on the state reached.
 *
 * Per trial, in this order, from Python's `random`: the transition draw (`u < P(common)`, consumed even when
 * P(common) = 1), then the outcome draw (`u < P(reward | state)`). A common transition takes choice c to
 * state c.
 *
 * @module
 */

import type { BlockSchedule, TaskKind } from "../data/dataset.ts";
import type { Task, TaskRandom, TrialOutcome } from "./task.ts";

/** How a `TwoStepTask` builds a block's schedule. */
export interface TwoStepSchedule {
  /** Reward probability of each second-stage state, per trial (may draw from the numpy stream). */
  rewardProbs(nTrials: number, random: TaskRandom): number[][];
  /** P(common transition) per trial. */
  transitionProbs(nTrials: number): number[];
}

/** The `Two_step` task with a pluggable schedule. */
export class TwoStepTask implements Task {
  readonly nActions = 2;
  #rewardProbs: number[][] = [];
  #transitionProbs: number[] = [];
  #t = 0;

  constructor(
    readonly name: string,
    readonly kind: TaskKind,
    readonly params: Readonly<Record<string, unknown>>,
    private readonly generator: TwoStepSchedule,
  ) {}

  /** Start a block: build its schedule. */
  reset(nTrials: number, random: TaskRandom): void {
    this.#rewardProbs = this.generator.rewardProbs(nTrials, random);
    this.#transitionProbs = this.generator.transitionProbs(nTrials);
    this.#t = 0;
  }

  /** One trial: transition draw, then outcome draw, both from Python's `random`. */
  trial(action: number, random: TaskRandom): TrialOutcome {
    const t = this.#t;
    if (t >= this.#rewardProbs.length) {
      throw new RangeError(`${this.name}: trial ${t} is past the block's ${this.#rewardProbs.length} trials`);
    }
    const common = random.python.random() < this.#transitionProbs[t] ? 1 : 0;
    const state = action === common ? 1 : 0;
    const reward = random.python.random() < this.#rewardProbs[t][state] ? 1 : 0;
    this.#t++;
    return { state, reward };
  }

  /** The current block's reward probabilities and, for two-stage tasks, transition probabilities. */
  schedule(): BlockSchedule {
    const schedule: BlockSchedule = { rewardProbs: this.#rewardProbs.map((row) => [...row]) };
    if (this.kind === "twoStage") schedule.transitionProbs = [...this.#transitionProbs];
    return schedule;
  }
}

/** A constant P(common transition) on every trial. */
export function constantTransitions(p: number): (nTrials: number) => number[] {
  return (nTrials) => new Array<number>(nTrials).fill(p);
}
