/**
 * Small agents with known dynamics and a bandit simulator, for the analysis and plot tests (they do not depend
 * on the cognitive models or the RNN engine).
 *
 * @module
 */

import { type Agent, sampleChoice, softmax, type Trial } from "../../src/agents/agent.ts";
import type { Block, Dataset } from "../../src/data/dataset.ts";
import { RandomState } from "../../src/random.ts";

/** The symmetric Q-learner MB0s: Q[c] ← (1−α)Q[c] + αo, Q[n] ← (1−α)Q[n] − αo; scores iTemp·Q. */
export function symmetricQLearner(alpha: number, iTemp: number): Agent {
  return {
    name: "MB0s-test",
    nActions: 2,
    stateNames: ["Q0", "Q1"],
    dynamicalVariables: 1,
    initialState: () => new Float64Array(2),
    scores: (q) => Float64Array.of(iTemp * q[0], iTemp * q[1]),
    step: (q, { action, reward }: Trial) => {
      const next = new Float64Array(2);
      next[action] = (1 - alpha) * q[action] + alpha * reward;
      next[1 - action] = (1 - alpha) * q[1 - action] - alpha * reward;
      return next;
    },
  };
}

/** The Q-learner MB0 (p_transit = 1): only the chosen value learns, so two dynamical variables. */
export function qLearner(alpha: number, iTemp: number): Agent {
  return {
    name: "MB0-test",
    nActions: 2,
    stateNames: ["Q0", "Q1"],
    dynamicalVariables: 2,
    initialState: () => new Float64Array(2),
    scores: (q) => Float64Array.of(iTemp * q[0], iTemp * q[1]),
    step: (q, { action, reward }: Trial) => {
      const next = Float64Array.from(q);
      next[action] = (1 - alpha) * q[action] + alpha * reward;
      return next;
    },
  };
}

/** h' = A_τ h + c_τ for trial type τ = 2a + r; logits [h0, h1]. */
export function linearAgent(matrices: number[][][], offsets: number[][]): Agent {
  return {
    name: "linear-2d",
    nActions: 2,
    stateNames: ["h0", "h1"],
    dynamicalVariables: 2,
    initialState: () => new Float64Array(2),
    scores: (h) => Float64Array.from(h),
    step: (h, { action, reward }: Trial) => {
      const a = matrices[2 * action + reward];
      const c = offsets[2 * action + reward];
      return Float64Array.of(a[0][0] * h[0] + a[0][1] * h[1] + c[0], a[1][0] * h[0] + a[1][1] * h[1] + c[1]);
    },
  };
}

/** Simulate `agent` on a reversal bandit (reward probabilities 0.8/0.2, reversing with hazard 0.05). */
export function simulateBandit(agent: Agent, blocks: number, trials: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const out: Block[] = [];
  for (let b = 0; b < blocks; b++) {
    let good = rng.random() < 0.5 ? 0 : 1;
    let state = agent.initialState();
    const block: Block = {
      action: [],
      state: [],
      reward: [],
      trialType: [],
      schedule: { rewardProbs: [] },
      choiceProbs: [],
    };
    for (let t = 0; t < trials; t++) {
      if (rng.random() < 0.05) good = 1 - good;
      const probs = good === 0 ? [0.8, 0.2] : [0.2, 0.8];
      const p = softmax(agent.scores(state));
      const action = sampleChoice(p, rng);
      const reward = rng.random() < probs[action] ? 1 : 0;
      block.action.push(action);
      block.state.push(action);
      block.reward.push(reward);
      block.trialType.push(2 * action + reward);
      block.schedule!.rewardProbs.push(probs);
      block.choiceProbs!.push(Array.from(p));
      state = agent.step(state, { action, state: action, reward });
    }
    out.push(block);
  }
  return { kind: "bandit", nActions: 2, blocks: out, meta: { agent: agent.name, seed } };
}
