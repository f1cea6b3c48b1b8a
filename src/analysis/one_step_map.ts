/**
 * The one-step map of a 2-D (or any) agent over a grid of states, per input (as the original's `run_2d_inits_exp`).
 *
 * @module
 */

import type { TaskKind } from "../data/dataset.ts";
import { checkNumber } from "../options.ts";
import { stepMap } from "./fixed_points.ts";
import type { LogitChanges } from "./logits.ts";
import { type AgentLike, resolveAgent } from "./resolve_agent.ts";

/** A square grid of 2-D states. */
export interface StateGrid {
  /** Grid coordinates along each axis (the same for both). */
  ticks: Float64Array;
  /** All grid states, row-major over (first coordinate, second coordinate). */
  points: Float64Array[];
}

/** The states one trial of a fixed type leads to, from each start state. */
export interface OneStepMap {
  trialType: number;
  from: Float64Array[];
  to: Float64Array[];
  /** `to - from`. */
  delta: Float64Array[];
  /** |to - from| (Euclidean). */
  speed: Float64Array;
}

/** An n × n grid spanning [lower, upper] on both axes. */
export function stateGrid(lower: number, upper: number, n = 50): StateGrid {
  checkNumber("stateGrid", "n", n, { min: 2, integer: true });
  if (!(upper > lower)) throw new RangeError(`stateGrid: upper (${upper}) must exceed lower (${lower})`);
  const ticks = Float64Array.from({ length: n }, (_, i) => lower + ((upper - lower) * i) / (n - 1));
  const points: Float64Array[] = [];
  for (const a of ticks) for (const b of ticks) points.push(Float64Array.of(a, b));
  return { ticks, points };
}

/**
 * The grid span the original uses: min and max over every state entry of every trial, made symmetric about 0
 * when the range straddles 0.
 */
export function stateBounds(changes: LogitChanges): { lower: number; upper: number } {
  let lower = Infinity;
  let upper = -Infinity;
  for (const rows of [changes.state, changes.nextState]) {
    for (const state of rows) {
      for (const v of state) {
        if (v < lower) lower = v;
        if (v > upper) upper = v;
      }
    }
  }
  if (!Number.isFinite(lower)) return { lower: -1, upper: 1 };
  if (lower < 0 && upper > 0) {
    const m = Math.max(-lower, upper);
    return { lower: -m, upper: m };
  }
  if (lower === upper) return { lower: lower - 1, upper: upper + 1 };
  return { lower, upper };
}

/** Run one trial of `trialType` from every state of `grid` and report where each lands and how fast. */
export function oneStepMap(
  model: AgentLike,
  grid: StateGrid | readonly Float64Array[],
  trialType: number,
  kind: TaskKind = "bandit",
): OneStepMap {
  const map = stepMap(resolveAgent(model, "oneStepMap"), trialType, kind);
  const from = Array.isArray(grid) ? grid as readonly Float64Array[] : (grid as StateGrid).points;
  const to = from.map((state) => map(state));
  const delta = to.map((next, i) => next.map((v, k) => v - from[i][k]));
  const speed = Float64Array.from(delta, (d) => Math.hypot(...d));
  return { trialType, from: from.slice(), to, delta, speed };
}
