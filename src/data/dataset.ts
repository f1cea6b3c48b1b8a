/**
 * The in-memory choice data set every part of tinyrnn reads: blocks (sessions, episodes) of trials.
 *
 * @module
 */

/** What kind of task produced the data; it fixes the number of trial types. */
export type TaskKind = "bandit" | "twoStage";

/** One independent sequence of trials. All per-trial arrays have the same length T. */
export interface Block {
  /** Optional label of the block in its source (e.g. a session name); absent when it is just its position. */
  id?: number | string;
  /**
   * Optional subject (participant, animal) who produced the block. Blocks of one subject share it; data sets of
   * many subjects with few trials each use it for per-subject splits and subject embeddings.
   */
  subject?: string;
  /** First-stage choice per trial, an integer in [0, nActions). */
  action: number[];
  /** Second-stage state per trial (equals `action` for bandits). */
  state: number[];
  /** Outcome per trial: 0/1, or points (e.g. `tasks.kArmedBandit`, the `bahrami` preset; trial types use r > 0). */
  reward: number[];
  /**
   * Observation that drives the transition from trial t to t + 1: `2a + r` for bandits (0..3),
   * `4a + 2s + r` for two-stage tasks (0..7).
   */
  trialType: number[];
  /** Optional per-trial weight: 1 = scored, 0 = excluded from losses (it is still fed to the model). */
  mask?: number[];
  /** Optional extra per-trial columns (kept through CSV round trips). */
  extra?: Record<string, (number | string)[]>;
  /** Optional hidden schedule of the task for plots, per trial. */
  schedule?: BlockSchedule;
  /** Optional per-trial choice probabilities of the generating agent (T rows, before each choice). */
  choiceProbs?: number[][];
  /**
   * Optional soft targets for knowledge distillation (T rows of nActions probabilities): the native engine then
   * trains on the cross-entropy to these instead of to the choices (see `withSoftTargets`). Validation and test
   * losses are still scored against the choices.
   */
  softTargets?: number[][];
  /** Optional internal variables of the generating agent (T + 1 rows, row t before trial t). */
  internal?: number[][];
}

/** The task's per-trial hidden variables of one block. */
export interface BlockSchedule {
  /** `rewardProbs[t][s]` = P(reward | second-stage state s) on trial t. */
  rewardProbs: number[][];
  /** P(common transition) on trial t (two-stage tasks only). */
  transitionProbs?: number[];
}

/** A choice data set: blocks of trials from one task. */
export interface Dataset {
  /** `"bandit"` (4 trial types) or `"twoStage"` (8 trial types). */
  kind: TaskKind;
  /** Number of first-stage actions (2 for most tasks; k for `tasks.kArmedBandit`, `tasks.kReversal`). */
  nActions: number;
  /** The blocks, in order. Blocks may differ in length. */
  blocks: Block[];
  /** Free-form description (task name, agent, parameters, seed, source file). */
  meta?: Record<string, unknown>;
}

/**
 * Number of distinct trial types for a task kind and number of first-stage actions: `2k` for bandits
 * (`2a + r`), `4k` for two-stage tasks (`4a + 2s + r`); 4 and 8 for the usual two actions.
 */
export function trialTypeCount(kind: TaskKind, nActions = 2): number {
  return kind === "bandit" ? 2 * nActions : 4 * nActions;
}

/** The trial type of one trial: `2a + r` for bandits, `4a + 2s + r` for two-stage tasks. */
export function trialTypeOf(kind: TaskKind, action: number, state: number, reward: number): number {
  return kind === "bandit" ? 2 * action + reward : 4 * action + 2 * state + reward;
}

/** Total number of trials, and of scored trials (mask > 0). */
export function countTrials(
  data: Dataset,
  blockIndices?: readonly number[],
): { trials: number; scored: number } {
  let trials = 0;
  let scored = 0;
  const indices = blockIndices ?? data.blocks.map((_, i) => i);
  for (const b of indices) {
    const block = data.blocks[b];
    trials += block.action.length;
    if (block.mask) { for (const m of block.mask) scored += m; }
    else scored += block.action.length;
  }
  return { trials, scored };
}

/** A data set restricted to the given blocks (shallow: block objects are shared). */
export function selectBlocks(data: Dataset, blockIndices: readonly number[]): Dataset {
  return { ...data, blocks: blockIndices.map((i) => data.blocks[i]) };
}
