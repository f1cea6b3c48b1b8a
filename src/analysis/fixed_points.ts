/**
 * Fixed points of an agent's one-step map for a fixed input, found numerically, with their stability.
 *
 * @module
 */

import type { Agent } from "../agents/agent.ts";
import type { TaskKind } from "../data/dataset.ts";
import { checkNumber, rejectUnknownKeys } from "../options.ts";
import { type Complex, eigenvalues, modulus } from "./eigenvalues.ts";
import { solveAugmented } from "./regression.ts";
import { type AgentLike, resolveAgent } from "./resolve_agent.ts";
import { trialOfType } from "./trial_types.ts";

/** A state map h -> F(h). */
export type StateMap = (state: Float64Array) => Float64Array;

/** Stability of a fixed point of a discrete map, from the moduli of the Jacobian's eigenvalues. */
export type Stability = "stable" | "unstable" | "saddle" | "marginal";

/** One fixed point h* = F(h*). */
export interface FixedPoint {
  state: Float64Array;
  /** |F(h*) - h*| (max norm) at the returned state. */
  residual: number;
  /** Finite-difference Jacobian of F at h* (rows). */
  jacobian: Float64Array[];
  eigenvalues: Complex[];
  /** `stable`: every |λ| < 1; `unstable`: every |λ| > 1; `saddle`: both kinds; `marginal`: some |λ| ≈ 1. */
  stability: Stability;
}

/** Options of `findFixedPoints`. */
export interface FixedPointOptions {
  /** Max-norm residual |F(h) - h| that counts as converged (default 1e-10). */
  tolerance?: number;
  /** Newton iterations per start (default 100). */
  maxIterations?: number;
  /** Central-difference step for the Jacobian, relative to max(1, |h|) (default 1e-6). */
  step?: number;
  /** Two solutions closer than this (max norm) are the same fixed point (default 1e-6). */
  distinct?: number;
  /** |λ| within this of 1 is `marginal` (default 1e-6). */
  marginal?: number;
}

const OPTION_KEYS = ["tolerance", "maxIterations", "step", "distinct", "marginal"];

/** Central finite-difference Jacobian of `map` at `state` (rows: outputs). */
export function jacobian(map: StateMap, state: Float64Array, step = 1e-6): Float64Array[] {
  const n = state.length;
  const rows = Array.from({ length: n }, () => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const h = step * Math.max(1, Math.abs(state[j]));
    const plus = Float64Array.from(state);
    const minus = Float64Array.from(state);
    plus[j] += h;
    minus[j] -= h;
    const fPlus = map(plus);
    const fMinus = map(minus);
    for (let i = 0; i < n; i++) rows[i][j] = (fPlus[i] - fMinus[i]) / (plus[j] - minus[j]);
  }
  return rows;
}

/** Classify a fixed point of a discrete map from its Jacobian's eigenvalues. */
export function classifyStability(values: readonly Complex[], marginal = 1e-6): Stability {
  let inside = 0;
  let outside = 0;
  for (const value of values) {
    const m = modulus(value);
    if (Math.abs(m - 1) <= marginal) return "marginal";
    if (m < 1) inside++;
    else outside++;
  }
  return outside === 0 ? "stable" : inside === 0 ? "unstable" : "saddle";
}

function residualOf(map: StateMap, state: Float64Array): { g: Float64Array; norm: number } {
  const next = map(state);
  const g = new Float64Array(state.length);
  let norm = 0;
  for (let i = 0; i < state.length; i++) {
    g[i] = next[i] - state[i];
    norm = Math.max(norm, Math.abs(g[i]));
  }
  return { g, norm };
}

/**
 * Fixed points of `map` by damped Newton iterations on G(h) = F(h) - h from each start, with a
 * finite-difference Jacobian; converged solutions are deduplicated and classified.
 */
export function findFixedPoints(
  map: StateMap,
  starts: readonly Float64Array[],
  options: FixedPointOptions = {},
): FixedPoint[] {
  const where = "findFixedPoints";
  rejectUnknownKeys(where, options, OPTION_KEYS);
  const tolerance = checkNumber(where, "tolerance", options.tolerance ?? 1e-10, {
    min: 0,
    exclusiveMin: true,
  });
  const maxIterations = checkNumber(where, "maxIterations", options.maxIterations ?? 100, {
    min: 1,
    integer: true,
  });
  const step = checkNumber(where, "step", options.step ?? 1e-6, { min: 0, exclusiveMin: true });
  const distinct = checkNumber(where, "distinct", options.distinct ?? 1e-6, { min: 0 });
  const marginal = checkNumber(where, "marginal", options.marginal ?? 1e-6, { min: 0 });
  const found: FixedPoint[] = [];
  for (const start of starts) {
    let state = Float64Array.from(start);
    let { g, norm } = residualOf(map, state);
    for (let iteration = 0; iteration < maxIterations && norm > tolerance; iteration++) {
      const jac = jacobian(map, state, step);
      const n = state.length;
      // Newton step for G = F - I: (J_F - I) delta = -G.
      const augmented = jac.map((row, i) => {
        const out = new Float64Array(n + 1);
        out.set(row);
        out[i] -= 1;
        out[n] = -g[i];
        return out;
      });
      const delta = solveAugmented(augmented);
      let scale = 1;
      let accepted = false;
      for (let halving = 0; halving < 30; halving++) {
        const trial = state.map((v, i) => v + scale * delta[i]);
        const next = residualOf(map, trial);
        if (Number.isFinite(next.norm) && next.norm < norm) {
          state = trial;
          ({ g, norm } = next);
          accepted = true;
          break;
        }
        scale /= 2;
      }
      if (!accepted) break;
    }
    if (!(norm <= tolerance)) continue;
    if (found.some((p) => p.state.every((v, i) => Math.abs(v - state[i]) <= distinct))) continue;
    const jac = jacobian(map, state, step);
    const values = eigenvalues(jac);
    found.push({
      state,
      residual: norm,
      jacobian: jac,
      eigenvalues: values,
      stability: classifyStability(values, marginal),
    });
  }
  return found;
}

/** The state map of one trial type: h -> agent.step(h, trial of that type). */
export function stepMap(agent: Agent, trialType: number, kind: TaskKind = "bandit"): StateMap {
  const trial = trialOfType(kind, trialType, agent.nActions);
  return (state) => agent.step(state, trial);
}

/** Fixed points of an agent's update for one trial type, from several starting states. */
export function agentFixedPoints(
  model: AgentLike,
  trialType: number,
  starts: readonly Float64Array[],
  kind: TaskKind = "bandit",
  options: FixedPointOptions = {},
): FixedPoint[] {
  return findFixedPoints(stepMap(resolveAgent(model, "agentFixedPoints"), trialType, kind), starts, options);
}
