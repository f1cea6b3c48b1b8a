/**
 * The protocol every task follows: start a block, run one trial for an action, expose the block's schedule.
 *
 * @module
 */

import type { BlockSchedule, TaskKind } from "../data/dataset.ts";
import type { Rng } from "../random.ts";

/** Outcome of one trial. */
export interface TrialOutcome {
  /** Second-stage state reached (equals the action for bandits). */
  state: number;
  /** Reward: 0 or 1, or points for tasks whose `binaryReward` is false. */
  reward: number;
}

/**
 * The two generators of the original simulation, both seeded with the simulation seed: Python's `random`
 * (choices, transition and outcome draws of the `Two_step` tasks) and numpy's global `RandomState`
 * (random-walk schedules, and the tutorial bandit's block probabilities and rewards).
 */
export interface TaskRandom {
  /** CPython `random` stream. */
  python: Rng;
  /** numpy legacy `RandomState` stream. */
  numpy: Rng;
}

/** A reward-learning task. Instances hold the current block; create one per simulation. */
export interface Task {
  /** Task name, e.g. `"bandit"`. */
  readonly name: string;
  /** `"bandit"` or `"twoStage"`: decides the trial-type encoding of the simulated data. */
  readonly kind: TaskKind;
  /** Number of first-stage actions. */
  readonly nActions: number;
  /** False when rewards are points rather than 0/1 (validate such data with `binaryReward: false`). Default true. */
  readonly binaryReward?: boolean;
  /** The task's parameters, for the data set's metadata. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Start a new block of `nTrials` trials (draws the block's schedule where it is random). */
  reset(nTrials: number, random: TaskRandom): void;
  /** Run the next trial of the block for a first-stage action. */
  trial(action: number, random: TaskRandom): TrialOutcome;
  /** The current block's hidden schedule, per trial. */
  schedule(): BlockSchedule;
}
