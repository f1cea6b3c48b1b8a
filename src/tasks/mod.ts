/**
 * The task factories: `tasks.bandit()`, `tasks.reversal()`, `tasks.drift()`, `tasks.twoStage()`,
 * `tasks.transitionReversal()`. Each returns a fresh `Task` (create one per simulation).
 *
 * @module
 */

import { bandit } from "./bandit.ts";
import { drift } from "./drift.ts";
import { kArmedBandit } from "./k_armed_bandit.ts";
import { kReversal } from "./k_reversal.ts";
import { reversal } from "./reversal.ts";
import { transitionReversal } from "./transition_reversal.ts";
import { twoStage } from "./two_stage.ts";

export type { BanditOptions } from "./bandit.ts";
export type { DriftOptions } from "./drift.ts";
export type { KArmedBanditOptions } from "./k_armed_bandit.ts";
export type { KReversalOptions } from "./k_reversal.ts";
export type { ReversalOptions } from "./reversal.ts";
export type { TransitionReversalOptions } from "./transition_reversal.ts";
export type { TwoStageOptions } from "./two_stage.ts";
export type { Task, TaskRandom, TrialOutcome } from "./task.ts";

/**
 * Factories of every task tinyrnn simulates, each taking a validated options object with defaults:
 * `bandit` ({@link BanditOptions}), `reversal` ({@link ReversalOptions}), `drift` ({@link DriftOptions}),
 * `twoStage` ({@link TwoStageOptions}), `transitionReversal` ({@link TransitionReversalOptions}), and the
 * k-option tasks `kArmedBandit` ({@link KArmedBanditOptions}; drifting point payoffs) and `kReversal`
 * ({@link KReversalOptions}).
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MB1"), tasks.reversal(), { blocks: 100, trials: 200, seed: 1 });
 * const twoStage = simulate(cognitive("MB0", {}, { task: "twoStage" }), tasks.twoStage(), { seed: 2 });
 * ```
 */
export const tasks = {
  bandit,
  reversal,
  drift,
  twoStage,
  transitionReversal,
  kArmedBandit,
  kReversal,
} as const;
