/**
 * Logit and logit change per trial, as in the paper: the raw material of every phase portrait.
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
  /** `L(t) = scores[t][0] - scores[t][1]` = log P(A1)/P(A2) before trial t. */
  logit: Float64Array;
  /** `dL(t) = L(t + 1) - L(t)`: the change caused by trial t. */
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
 * the agent, so later trials see the same states.
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
      const before = trace.scores[t][0] - trace.scores[t][1];
      const after = trace.scores[t + 1][0] - trace.scores[t + 1][1];
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
 * The logits re-expressed as preference for the action chosen on the trial (as the original's `relative_action`):
 * L and dL are negated where the trial's action is not A1. Returns new arrays.
 */
export function relativeToChosen(changes: LogitChanges): { logit: Float64Array; change: Float64Array } {
  const logit = Float64Array.from(changes.logit);
  const change = Float64Array.from(changes.change);
  for (let i = 0; i < logit.length; i++) {
    if (changes.action[i] !== 0) {
      logit[i] = -logit[i];
      change[i] = -change[i];
    }
  }
  return { logit, change };
}
