/**
 * The one protocol for everything that chooses: cognitive models and trained networks alike.
 *
 * An agent has a state vector; from it come action logits (`scores`); after each trial the state is
 * updated with the trial's (action, second-stage state, reward). Simulation, likelihood, portraits and
 * cross-validation talk only to this protocol.
 *
 * @module
 */

import type { Block, Dataset } from "../data/dataset.ts";
import type { Rng } from "../random.ts";

/** One observed trial. */
export interface Trial {
  /** First-stage choice, an integer in [0, nActions). */
  action: number;
  /** Second-stage state reached (equals `action` for bandits). */
  state: number;
  /** Outcome (0/1 for the tasks tinyrnn simulates). */
  reward: number;
}

/** Anything that chooses: a cognitive model or a trained RNN. */
export interface Agent {
  /** Short name, e.g. `"MB0"` or `"gru-2"`. */
  readonly name: string;
  /** Number of first-stage actions. */
  readonly nActions: number;
  /** Names of the entries of the state vector (its length is the state size). */
  readonly stateNames: readonly string[];
  /** Number of dynamical variables d (the x position in loss-versus-d plots). */
  readonly dynamicalVariables: number;
  /** State before the first trial of a block. A fresh array each call. */
  initialState(): Float64Array;
  /** Action logits from a state. */
  scores(state: Float64Array): Float64Array;
  /** State after a trial. Must not modify `state`; returns a new array. */
  step(state: Float64Array, trial: Trial): Float64Array;
}

/** Per-trial trace of an agent run on one block. */
export interface AgentTrace {
  /** T + 1 rows of logits: row t from the state before trial t; row T after the last trial. */
  scores: Float64Array[];
  /** T + 1 rows of state vectors, aligned with `scores`. */
  states: Float64Array[];
}

/** `log(1e-200/2 + (1 - 1e-200) p)`: the original's log that never returns -Infinity. */
export function protectedLog(p: number): number {
  return Math.log(1e-200 / 2 + (1 - 1e-200) * p);
}

/** Softmax with max subtraction. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < logits.length; i++) out[i] /= sum;
  return out;
}

/** The original's choice rule: the number of cumulative probabilities strictly below a uniform draw. */
export function sampleChoice(probs: ArrayLike<number>, rng: Rng): number {
  const u = rng.random();
  let cumulative = 0;
  let choice = 0;
  for (let i = 0; i < probs.length; i++) {
    cumulative += probs[i];
    if (cumulative < u) choice++;
  }
  return Math.min(choice, probs.length - 1);
}

/** Run an agent over one block's observed trials. */
export function traceBlock(agent: Agent, block: Block, initialState?: Float64Array): AgentTrace {
  const T = block.action.length;
  const states: Float64Array[] = new Array(T + 1);
  const scores: Float64Array[] = new Array(T + 1);
  let state = initialState ? Float64Array.from(initialState) : agent.initialState();
  states[0] = state;
  scores[0] = agent.scores(state);
  for (let t = 0; t < T; t++) {
    state = agent.step(state, { action: block.action[t], state: block.state[t], reward: block.reward[t] });
    states[t + 1] = state;
    scores[t + 1] = agent.scores(state);
  }
  return { scores, states };
}

/** Log-likelihood of a data set: total over scored trials, and per trial (one array per block). */
export interface LogLikelihood {
  /** Σ mask·log P(chosen action) over all blocks. */
  total: number;
  /** `perTrial[b][t]` = log P(a_t) under the agent (unmasked). */
  perTrial: number[][];
  /** Σ mask over all blocks. */
  scoredTrials: number;
}

/** Log-likelihood of every block under an agent, with the original's protected log. */
export function logLikelihood(agent: Agent, data: Dataset | Block[]): LogLikelihood {
  const blocks = Array.isArray(data) ? data : data.blocks;
  let total = 0;
  let scoredTrials = 0;
  const perTrial: number[][] = [];
  for (const block of blocks) {
    const T = block.action.length;
    const row = new Array<number>(T);
    let state = agent.initialState();
    let blockTotal = 0;
    for (let t = 0; t < T; t++) {
      const probs = softmax(agent.scores(state));
      const ll = protectedLog(probs[block.action[t]]);
      row[t] = ll;
      const m = block.mask ? block.mask[t] : 1;
      blockTotal += m * ll;
      scoredTrials += m;
      state = agent.step(state, { action: block.action[t], state: block.state[t], reward: block.reward[t] });
    }
    total += blockTotal;
    perTrial.push(row);
  }
  return { total, perTrial, scoredTrials };
}
