/**
 * A probabilistic reversal-learning task with k options: one good option, the others poor, and the good one
 * moving to another option after a fixed number of trials or once the chooser has learnt it.
 *
 * @module
 */

import type { BlockSchedule } from "../data/dataset.ts";
import { checkNumber, rejectUnknownKeys } from "../options.ts";
import type { Task, TaskRandom, TrialOutcome } from "./task.ts";

/** Options of `tasks.kReversal`. */
export interface KReversalOptions {
  /** Number of options. Default 3. */
  options?: number;
  /** Reward probability of the good option. Default 0.8. */
  goodProb?: number;
  /** Reward probability of every other option. Default 0.2. */
  badProb?: number;
  /** Trials between reversals when no criterion is set. Default 40. */
  blockLength?: number;
  /**
   * Reverse once the good option was chosen on `criterion` of the last `window` trials (e.g. 9 of 10),
   * instead of after `blockLength` trials. Default: none (fixed block length).
   */
  criterion?: number;
  /** Trials the criterion looks back over. Default 10. */
  window?: number;
}

class KReversal implements Task {
  readonly name = "kReversal";
  readonly kind = "bandit" as const;
  readonly nActions: number;
  readonly params: Readonly<Record<string, unknown>>;
  #good = 0;
  #sinceReversal = 0;
  #recent: number[] = [];
  #rows: number[][] = [];
  #nTrials = 0;

  constructor(
    k: number,
    private readonly p: {
      goodProb: number;
      badProb: number;
      blockLength: number;
      criterion?: number;
      window: number;
    },
  ) {
    this.nActions = k;
    this.params = { options: k, ...p };
  }

  #probs(): number[] {
    return Array.from(
      { length: this.nActions },
      (_, a) => a === this.#good ? this.p.goodProb : this.p.badProb,
    );
  }

  reset(nTrials: number, random: TaskRandom): void {
    this.#good = random.numpy.integer(this.nActions);
    this.#sinceReversal = 0;
    this.#recent = [];
    this.#rows = [];
    this.#nTrials = nTrials;
  }

  trial(action: number, random: TaskRandom): TrialOutcome {
    if (this.#rows.length >= this.#nTrials) {
      throw new RangeError(
        `${this.name}: trial ${this.#rows.length} is past the block's ${this.#nTrials} trials`,
      );
    }
    const probs = this.#probs();
    this.#rows.push(probs);
    const reward = random.numpy.random() < probs[action] ? 1 : 0;
    this.#sinceReversal++;
    this.#recent.push(action === this.#good ? 1 : 0);
    if (this.#recent.length > this.p.window) this.#recent.shift();
    const learnt = this.p.criterion !== undefined &&
      this.#recent.length >= this.p.window &&
      this.#recent.reduce((s, v) => s + v, 0) >= this.p.criterion;
    const due = this.p.criterion === undefined && this.#sinceReversal >= this.p.blockLength;
    if (learnt || due) {
      // The new good option is one of the others, uniformly; the criterion counts afresh.
      const other = random.numpy.integer(this.nActions - 1);
      this.#good = other >= this.#good ? other + 1 : other;
      this.#sinceReversal = 0;
      this.#recent = [];
    }
    return { state: action, reward };
  }

  /** Trials run so far, then the current probabilities for the rest of the block (reversals depend on choices). */
  schedule(): BlockSchedule {
    const rows = this.#rows.map((r) => [...r]);
    while (rows.length < this.#nTrials) rows.push(this.#probs());
    return { rewardProbs: rows };
  }
}

/**
 * Probabilistic reversal learning with k options: one option rewards with `goodProb` (default 0.8), the
 * others with `badProb` (0.2); the good option starts at a random option and moves to a uniformly drawn
 * other option every `blockLength` trials (default 40) or, with `criterion`, once the chooser picked it on
 * `criterion` of the last `window` trials. Rewards are 0/1; all draws come from the numpy stream.
 *
 * @example
 * ```ts
 * import { tasks } from "@tinyrnn/tinyrnn";
 * const fixed = tasks.kReversal({ options: 3, blockLength: 40 });
 * const learnt = tasks.kReversal({ options: 3, goodProb: 0.9, criterion: 9, window: 10 });
 * ```
 */
export function kReversal(options: KReversalOptions = {}): Task {
  const where = "tasks.kReversal";
  rejectUnknownKeys(where, options, ["options", "goodProb", "badProb", "blockLength", "criterion", "window"]);
  const k = checkNumber(where, "options", options.options ?? 3, { min: 2, integer: true });
  const goodProb = checkNumber(where, "goodProb", options.goodProb ?? 0.8, { min: 0, max: 1 });
  const badProb = checkNumber(where, "badProb", options.badProb ?? 0.2, { min: 0, max: 1 });
  const blockLength = checkNumber(where, "blockLength", options.blockLength ?? 40, { min: 1, integer: true });
  const window = checkNumber(where, "window", options.window ?? 10, { min: 1, integer: true });
  const criterion = options.criterion === undefined
    ? undefined
    : checkNumber(where, "criterion", options.criterion, { min: 1, max: window, integer: true });
  return new KReversal(k, { goodProb, badProb, blockLength, window, ...(criterion ? { criterion } : {}) });
}
