/**
 * The k-armed "restless" bandit of Daw, O'Doherty, Dayan, Seymour & Dolan (2006, Nature 441): each arm's
 * mean payoff drifts as a decaying Gaussian random walk, and a pull pays a noisy, rounded number of points.
 *
 * @module
 */

import type { BlockSchedule } from "../data/dataset.ts";
import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import type { Rng } from "../random.ts";
import type { Task, TaskRandom, TrialOutcome } from "./task.ts";

/** Options of `tasks.kArmedBandit`. Every default is the value Daw et al. (2006) used. */
export interface KArmedBanditOptions {
  /** Number of arms. Default 4. */
  arms?: number;
  /** Decay λ of each mean toward the centre per trial: μ ← λ·μ + (1 − λ)·centre + noise. Default 0.9836. */
  decay?: number;
  /** The centre θ the means decay toward, in points. Default 50. */
  centre?: number;
  /** SD of the per-trial diffusion noise of each mean, in points. Default 2.8. */
  diffusionSD?: number;
  /** SD of the Gaussian payoff noise around the mean, in points. Default 4. */
  payoffSD?: number;
  /**
   * Lowest and highest payoff, `[low, high]`: the means are reflected back into this range and the rounded
   * payoffs are clipped to it. Default [1, 100] (payoffs are whole points 1..100).
   */
  bounds?: [number, number];
}

/**
 * Reflect `x` into `[low, high]` as a ball bouncing off both walls (repeatedly, for large steps).
 *
 * @example
 * ```ts
 * import { reflectInto } from "./k_armed_bandit.ts";
 * reflectInto(103, 1, 100); // 97
 * ```
 */
export function reflectInto(x: number, low: number, high: number): number {
  const width = high - low;
  if (width <= 0) return low;
  let y = (x - low) % (2 * width);
  if (y < 0) y += 2 * width;
  return low + (y > width ? 2 * width - y : y);
}

/**
 * Mean payoffs of `arms` arms for `nTrials` trials: row t holds the means in force on trial t. The first
 * row is drawn from the walk's stationary distribution, N(centre, diffusionSD² / (1 − λ²)), so that a block
 * does not start with a transient; each later row is λ·μ + (1 − λ)·centre + N(0, diffusionSD²), reflected
 * into the bounds. Draws come from `rng` in row-major order (trial, then arm).
 *
 * @example
 * ```ts
 * import { driftingMeans } from "./k_armed_bandit.ts";
 * import { RandomState } from "../random.ts";
 * const p = { decay: 0.9836, centre: 50, diffusionSD: 2.8, payoffSD: 4, bounds: [1, 100] as [number, number] };
 * const means = driftingMeans(150, 4, p, new RandomState(1)); // 150 rows of 4 means
 * ```
 */
export function driftingMeans(
  nTrials: number,
  arms: number,
  p: Required<Omit<KArmedBanditOptions, "arms">>,
  rng: Rng,
): number[][] {
  const [low, high] = p.bounds;
  const stationarySD = p.decay < 1 ? p.diffusionSD / Math.sqrt(1 - p.decay * p.decay) : p.diffusionSD;
  const rows: number[][] = [];
  let means = Array.from(
    { length: arms },
    () => reflectInto(p.centre + stationarySD * rng.normal(), low, high),
  );
  for (let t = 0; t < nTrials; t++) {
    if (t > 0) {
      means = means.map((m) =>
        reflectInto(p.decay * m + (1 - p.decay) * p.centre + p.diffusionSD * rng.normal(), low, high)
      );
    }
    rows.push(means);
  }
  return rows;
}

class KArmedBandit implements Task {
  readonly name = "kArmedBandit";
  readonly kind = "bandit" as const;
  readonly binaryReward = false;
  readonly nActions: number;
  readonly params: Readonly<Record<string, unknown>>;
  #means: number[][] = [];
  #t = 0;

  constructor(arms: number, private readonly settings: Required<Omit<KArmedBanditOptions, "arms">>) {
    this.nActions = arms;
    this.params = { arms, ...settings };
  }

  reset(nTrials: number, random: TaskRandom): void {
    this.#means = driftingMeans(nTrials, this.nActions, this.settings, random.numpy);
    this.#t = 0;
  }

  trial(action: number, random: TaskRandom): TrialOutcome {
    const t = this.#t;
    if (t >= this.#means.length) {
      throw new RangeError(`${this.name}: trial ${t} is past the block's ${this.#means.length} trials`);
    }
    const [low, high] = this.settings.bounds;
    const raw = Math.round(this.#means[t][action] + this.settings.payoffSD * random.numpy.normal());
    this.#t++;
    return { state: action, reward: Math.min(high, Math.max(low, raw)) };
  }

  /** Mean payoffs as fractions of the upper bound (points / 100 by default), the scale the k-arm models learn on. */
  schedule(): BlockSchedule {
    const high = this.settings.bounds[1];
    return { rewardProbs: this.#means.map((row) => row.map((m) => m / high)) };
  }
}

/**
 * A k-armed bandit with drifting payoffs (Daw et al. 2006): every arm's mean payoff follows a decaying
 * Gaussian random walk (decay 0.9836 toward 50, diffusion SD 2.8), reflected into [1, 100]; a pull pays the
 * arm's current mean plus Gaussian noise (SD 4), rounded to whole points and clipped to [1, 100]. Rewards are
 * points, not 0/1 (`binaryReward` is false): validate its data with `{ binaryReward: false }`. The schedule
 * holds each arm's mean payoff divided by the upper bound.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const task = tasks.kArmedBandit({ arms: 4 });
 * const data = simulate(cognitive("QFP", { alpha: 0.5, iTemp: 8 }, { nActions: 4 }), task, { blocks: 2, trials: 150 });
 * ```
 */
export function kArmedBandit(options: KArmedBanditOptions = {}): Task {
  const where = "tasks.kArmedBandit";
  rejectUnknownKeys(where, options, ["arms", "decay", "centre", "diffusionSD", "payoffSD", "bounds"]);
  const arms = checkNumber(where, "arms", options.arms ?? 4, { min: 2, integer: true });
  const decay = checkNumber(where, "decay", options.decay ?? 0.9836, { min: 0, max: 1 });
  const centre = checkNumber(where, "centre", options.centre ?? 50);
  const diffusionSD = checkNumber(where, "diffusionSD", options.diffusionSD ?? 2.8, { min: 0 });
  const payoffSD = checkNumber(where, "payoffSD", options.payoffSD ?? 4, { min: 0 });
  const bounds = options.bounds ?? [1, 100];
  if (!Array.isArray(bounds) || bounds.length !== 2) {
    throw new TinyRnnInputError(`${where}: bounds must be [low, high], got ${JSON.stringify(bounds)}`);
  }
  const low = checkNumber(where, "bounds[0]", bounds[0]);
  const high = checkNumber(where, "bounds[1]", bounds[1], { min: low, exclusiveMin: true });
  return new KArmedBandit(arms, { decay, centre, diffusionSD, payoffSD, bounds: [low, high] });
}
