/**
 * Logit and logit change per trial, as in the paper: the raw material of every phase portrait.
 *
 * With two actions the logit is the original's `L = log P(A1)/P(A2)`. With k > 2 options there is no single
 * pair to compare, and the paper's analyses of its k-option human tasks (the 3-option reversal task, the 4-armed
 * bandit) show the preference for the chosen option. We define it as the log-odds of choosing the option chosen
 * on trial t against all the others, `L(t) = log P_t(c) / (1 − P_t(c)) = z_c − log Σ_{a≠c} exp z_a` with
 * c = a_t, and its change `dL(t) = L_{t+1}(c) − L_t(c)` for the same c (the option whose value trial t
 * updated). σ(L) = P(c), as σ(L) = P(A1) with two actions, and with k = 2 it is exactly the two-action logit
 * relative to the chosen action (`relativeToChosen`). (The paper's formula for k > 2 is not in the materials we
 * had; the log-odds is our choice, not a transcription.)
 *
 * @module
 */

import { traceBlock } from "../agents/agent.ts";
import type { Dataset, TaskKind } from "../data/dataset.ts";
import { type AgentLike, resolveAgent } from "./resolve_agent.ts";
import { TinyRnnInputError } from "../options.ts";

/** Per-trial dynamics of one agent on a data set, concatenated over blocks (columnar, one entry per trial). */
export interface LogitChanges {
  /** Task kind of the data (fixes the trial-type count). */
  kind: TaskKind;
  /** Names of the state entries, from the agent. */
  stateNames: readonly string[];
  /** Number of first-stage actions (absent: 2). */
  nActions?: number;
  /**
   * What `logit` measures: `"A1"` (absent: the same), `L = log P(A1)/P(A2)`, with two actions; `"chosen"`,
   * the log-odds of the option chosen on trial t against the others, with k > 2 options.
   */
  logitOf?: "A1" | "chosen";
  /**
   * Two actions: `L(t) = scores[t][0] - scores[t][1]` = log P(A1)/P(A2) before trial t. k > 2 options:
   * `L(t) = log P_t(a_t) / (1 − P_t(a_t))`, the preference for the option chosen on trial t.
   */
  logit: Float64Array;
  /** `dL(t) = L(t + 1) - L(t)`: the change caused by trial t (for k > 2, of the same option's log-odds). */
  change: Float64Array;
  /** Trial type of trial t (the observation that drives the change). */
  trialType: Int32Array;
  /** Action taken on trial t. */
  action: Int32Array;
  /** Action taken on trial t + 1, or -1 after the last trial of a block. */
  nextAction: Int32Array;
  /** Block index of the entry. */
  block: Int32Array;
  /** Trial index within its block. */
  trial: Int32Array;
  /** Agent state before trial t. */
  state: Float64Array[];
  /** Agent state after trial t. */
  nextState: Float64Array[];
}

/**
 * Logit, logit change, trial type and state for every trial of every block under `agent`.
 *
 * Trials with mask 0 are left out (the original trims masked trials before its analyses); they are still fed to
 * the agent, so later trials see the same states. With k > 2 options the logit is the preference for the
 * chosen option (see the module doc) and `logitOf` is `"chosen"`.
 *
 * @example
 * ```ts
 * import { cognitive, logitChanges, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const changes = logitChanges(cognitive("MB0s", { alpha: 0.3, iTemp: 3 }), data);
 * console.log(changes.logit[0], changes.change[0], changes.trialType[0]);
 * ```
 */
export function logitChanges(model: AgentLike, data: Dataset): LogitChanges {
  const agent = resolveAgent(model, "logitChanges");
  if (agent.nActions < 2) {
    throw new TinyRnnInputError(
      `logitChanges: the agent must have at least 2 actions, got ${agent.nActions}`,
    );
  }
  const logit: number[] = [];
  const change: number[] = [];
  const trialType: number[] = [];
  const action: number[] = [];
  const nextAction: number[] = [];
  const blockIndex: number[] = [];
  const trialIndex: number[] = [];
  const state: Float64Array[] = [];
  const nextState: Float64Array[] = [];
  const k = agent.nActions;
  if (data.nActions !== undefined && data.nActions !== k) {
    throw new TinyRnnInputError(
      `logitChanges: the agent ${agent.name} has ${k} actions, the data set ${data.nActions}`,
    );
  }
  const logitOf = (scores: ArrayLike<number>, c: number) =>
    k === 2 ? scores[0] - scores[1] : chosenLogOdds(scores, c);
  data.blocks.forEach((block, b) => {
    const trace = traceBlock(agent, block);
    const T = block.action.length;
    if (block.trialType.length !== T) {
      throw new TinyRnnInputError(
        `logitChanges: block ${b} has ${block.trialType.length} trialType values for ${T} trials (column trialType)`,
      );
    }
    for (let t = 0; t < T; t++) {
      if (block.mask && !(block.mask[t] > 0)) continue;
      const before = logitOf(trace.scores[t], block.action[t]);
      const after = logitOf(trace.scores[t + 1], block.action[t]);
      logit.push(before);
      change.push(after - before);
      trialType.push(block.trialType[t]);
      action.push(block.action[t]);
      nextAction.push(t + 1 < T ? block.action[t + 1] : -1);
      blockIndex.push(b);
      trialIndex.push(t);
      state.push(trace.states[t]);
      nextState.push(trace.states[t + 1]);
    }
  });
  return {
    kind: data.kind,
    stateNames: agent.stateNames,
    nActions: k,
    logitOf: k === 2 ? "A1" : "chosen",
    logit: Float64Array.from(logit),
    change: Float64Array.from(change),
    trialType: Int32Array.from(trialType),
    action: Int32Array.from(action),
    nextAction: Int32Array.from(nextAction),
    block: Int32Array.from(blockIndex),
    trial: Int32Array.from(trialIndex),
    state,
    nextState,
  };
}

/**
 * `log P(c) / (1 − P(c))` of a score vector, `z_c − log Σ_{a≠c} exp z_a`, computed stably (max-shifted).
 *
 * @example
 * ```ts
 * import { chosenLogOdds } from "./logits.ts";
 * chosenLogOdds([1, 0, 0, 0], 0); // 1 - log 3
 * ```
 */
export function chosenLogOdds(scores: ArrayLike<number>, chosen: number): number {
  let max = -Infinity;
  for (let a = 0; a < scores.length; a++) if (a !== chosen && scores[a] > max) max = scores[a];
  let sum = 0;
  for (let a = 0; a < scores.length; a++) if (a !== chosen) sum += Math.exp(scores[a] - max);
  return scores[chosen] - max - Math.log(sum);
}

/**
 * The logits re-expressed as preference for the action chosen on the trial (as the original's `relative_action`):
 * L and dL are negated where the trial's action is not A1. Returns new arrays. Logits that already are the
 * chosen option's (`logitOf: "chosen"`, k > 2 options) are returned as copies, unchanged.
 */
export function relativeToChosen(changes: LogitChanges): { logit: Float64Array; change: Float64Array } {
  const logit = Float64Array.from(changes.logit);
  const change = Float64Array.from(changes.change);
  if (changes.logitOf === "chosen") return { logit, change };
  for (let i = 0; i < logit.length; i++) {
    if (changes.action[i] !== 0) {
      logit[i] = -logit[i];
      change[i] = -change[i];
    }
  }
  return { logit, change };
}
