/**
 * `simulate(agent, task, options)`: run any agent on a task and record a `Dataset`.
 *
 * @module
 */

import { type Agent, sampleChoice } from "./agents/agent.ts";
import { glibcSoftmax } from "./agents/glibc_exp.ts";
import { type Block, type Dataset, trialTypeOf } from "./data/dataset.ts";
import { checkNumber, rejectUnknownKeys } from "./options.ts";
import { rewardBit } from "./data/validate.ts";
import { PythonRandom, RandomState } from "./random.ts";
import type { Task, TaskRandom } from "./tasks/task.ts";

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Number of blocks (episodes); each starts with a task reset and the agent's initial state. Default 100. */
  blocks?: number;
  /** Trials per block. Default 100. */
  trials?: number;
  /**
   * Seed of both generators, as the original's `sim_seed` (Python `random` and numpy's global generator
   * are both seeded with it). An integer in [0, 2^32 − 1]. Default 0.
   */
  seed?: number;
}

const OPTION_KEYS = ["blocks", "trials", "seed"] as const;

/**
 * Simulate an agent (a cognitive model or a trained network) on a task.
 *
 * Per block: `task.reset`, then per trial the agent's choice probabilities `softmax(scores(state))`, a
 * choice by the original's rule (count of cumulative probabilities below a Python `random()` draw), the
 * task's outcome, and the agent's state update. The same seed gives the same data bit for bit.
 *
 * Each block records `action`, `state`, `reward`, `trialType` (2a + r for bandits, 4a + 2s + r for two-stage
 * tasks), `choiceProbs` (T rows, before each choice), `internal` (T + 1 state rows) and the task `schedule`.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 500, trials: 20, seed: 42 });
 * ```
 */
export function simulate(agent: Agent, task: Task, options: SimulateOptions = {}): Dataset {
  rejectUnknownKeys("simulate", options, OPTION_KEYS);
  const nBlocks = checkNumber("simulate", "blocks", options.blocks ?? 100, { min: 1, integer: true });
  const nTrials = checkNumber("simulate", "trials", options.trials ?? 100, { min: 1, integer: true });
  const seed = checkNumber("simulate", "seed", options.seed ?? 0, { min: 0, max: 0xffffffff, integer: true });
  if (agent.nActions !== task.nActions) {
    throw new RangeError(
      `simulate: agent ${agent.name} has ${agent.nActions} actions, task ${task.name} has ${task.nActions}`,
    );
  }

  const random: TaskRandom = { python: new PythonRandom(seed), numpy: new RandomState(seed) };
  const blocks: Block[] = [];
  for (let b = 0; b < nBlocks; b++) blocks.push(simulateBlock(agent, task, nTrials, random));

  const agentParams = (agent as { params?: unknown }).params;
  return {
    kind: task.kind,
    nActions: task.nActions,
    blocks,
    meta: {
      task: { name: task.name, params: task.params },
      agent: { name: agent.name, ...(agentParams !== undefined ? { params: agentParams } : {}) },
      seed,
      blocks: nBlocks,
      trials: nTrials,
      ...(task.binaryReward === false ? { binaryReward: false } : {}),
    },
  };
}

function simulateBlock(agent: Agent, task: Task, nTrials: number, random: TaskRandom): Block {
  const block: Block = {
    action: [],
    state: [],
    reward: [],
    trialType: [],
    choiceProbs: [],
    internal: [],
  };
  task.reset(nTrials, random);
  let state = agent.initialState();
  block.internal!.push(Array.from(state));
  for (let t = 0; t < nTrials; t++) {
    const probs = glibcSoftmax(agent.scores(state));
    const action = sampleChoice(probs, random.python);
    const outcome = task.trial(action, random);
    block.action.push(action);
    block.state.push(outcome.state);
    block.reward.push(outcome.reward);
    // Point rewards (tasks with binaryReward false) enter the trial type as "rewarded" when positive.
    const bit = rewardBit(outcome.reward, task.binaryReward ?? true);
    block.trialType.push(trialTypeOf(task.kind, action, outcome.state, bit));
    block.choiceProbs!.push(Array.from(probs));
    state = agent.step(state, { action, state: outcome.state, reward: outcome.reward });
    block.internal!.push(Array.from(state));
  }
  block.schedule = task.schedule();
  return block;
}
