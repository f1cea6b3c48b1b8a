/**
 * The seed tutorial's two-armed Bernoulli bandit.
 *
 * @module
 */

import type { BlockSchedule } from "../data/dataset.ts";
import { rejectUnknownKeys } from "../options.ts";
import { legacyBernoulli } from "./numpy_binomial.ts";
import type { Task, TaskRandom, TrialOutcome } from "./task.ts";

/** Options of `tasks.bandit` (none yet; the object is accepted for symmetry and future growth). */
export type BanditOptions = Record<string, never>;

/**
 * A two-armed bandit whose arm reward probabilities are redrawn U[0, 1) at every block start.
 *
 * Draws match the reference tutorial bit for bit: at `reset`, two numpy uniforms (arm 0, then arm 1); per
 * trial, one numpy `binomial(1, p[action])` reward. Python's `random` is left to the chooser.
 */
class BernoulliBandit implements Task {
  readonly name = "bandit";
  readonly kind = "bandit" as const;
  readonly nActions = 2;
  readonly params: Readonly<Record<string, unknown>> = {};
  #probs: [number, number] = [0, 0];
  #nTrials = 0;

  reset(nTrials: number, random: TaskRandom): void {
    const p0 = random.numpy.random();
    const p1 = random.numpy.random();
    this.#probs = [p0, p1];
    this.#nTrials = nTrials;
  }

  trial(action: number, random: TaskRandom): TrialOutcome {
    return { state: action, reward: legacyBernoulli(this.#probs[action], random.numpy) };
  }

  schedule(): BlockSchedule {
    return { rewardProbs: Array.from({ length: this.#nTrials }, () => [...this.#probs]) };
  }
}

/**
 * The tutorial's two-armed Bernoulli bandit: each arm's reward probability is drawn uniformly from [0, 1)
 * at every block start and fixed within the block.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 500, trials: 20, seed: 42 });
 * ```
 */
export function bandit(options: BanditOptions = {}): Task {
  rejectUnknownKeys("tasks.bandit", options, []);
  return new BernoulliBandit();
}
