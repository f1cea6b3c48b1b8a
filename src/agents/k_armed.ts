/**
 * Cognitive models for k options: Q-learning with forgetting and perseveration (the family fitted to the
 * four-armed bandit since Daw et al. 2006), and a Bayesian latent-state learner for k-option reversal tasks.
 *
 * Each is registered with a default number of options (4 for the Q family, 3 for `LSk`); `cognitive(name,
 * params, { nActions: k })` builds the same model for k options.
 *
 * @module
 */

import type { CognitiveModelDefinition } from "./cognitive_definition.ts";

/** Rewards are divided by this before the Q models learn from them: points 1..100 become 0.01..1. */
export const POINTS_SCALE = 100;

type QVariant = "QFP" | "QFPb" | "QFCK";

const Q_SPECS: Record<QVariant, {
  description: string;
  paramNames: string[];
  paramRanges: CognitiveModelDefinition["paramRanges"];
  defaultParams: number[];
}> = {
  QFP: {
    description:
      "k-option Q-learning on reward/100: chosen Q += α(r − Q), unchosen Q ← (1 − φ)Q; logits iTemp·Q + k_pers·[a = last choice]",
    paramNames: ["alpha", "forget", "k_pers", "iTemp"],
    paramRanges: ["unit", "unit", "unc", "pos"],
    defaultParams: [0.5, 0.1, 0, 5],
  },
  QFPb: {
    description:
      "as QFP, unchosen Q forgotten toward a baseline b (also the initial value): Q ← (1 − φ)Q + φ·b",
    paramNames: ["alpha", "forget", "baseline", "k_pers", "iTemp"],
    paramRanges: ["unit", "unit", "unit", "unc", "pos"],
    defaultParams: [0.5, 0.1, 0.5, 0, 5],
  },
  QFCK: {
    description:
      "as QFP with a choice kernel C (C[a] += α_p(1 − C[a]) for the choice, C ← (1 − α_p)C otherwise); logits iTemp·Q + k_pers·C",
    paramNames: ["alpha", "forget", "alpha_pers", "k_pers", "iTemp"],
    paramRanges: ["unit", "unit", "unit", "unc", "pos"],
    defaultParams: [0.5, 0.1, 0.5, 0, 5],
  },
};

/** The k-option Q model `variant`: state [Q[0..k-1], C[0..k-1]] with C the perseveration trace. */
function qModel(variant: QVariant, k: number): CognitiveModelDefinition {
  const spec = Q_SPECS[variant];
  const index = (name: string) => spec.paramNames.indexOf(name);
  const [iAlpha, iForget, iKPers, iTemp] = [index("alpha"), index("forget"), index("k_pers"), index("iTemp")];
  const iBaseline = index("baseline");
  const iAlphaPers = index("alpha_pers");
  return {
    name: variant,
    ...spec,
    nActions: k,
    stateNames: [
      ...Array.from({ length: k }, (_, a) => `Q[${a}]`),
      ...Array.from({ length: k }, (_, a) => `C[${a}]`),
    ],
    // QFP's trace is the last choice (one discrete variable); the others keep k continuous traces.
    dynamicalVariables: variant === "QFP" ? k + 1 : 2 * k,
    forActions: (n) => qModel(variant, n),
    initialState(state, params) {
      state.fill(iBaseline >= 0 ? params[iBaseline] : 0, 0, k);
      state.fill(0, k, 2 * k);
    },
    scores(state, params, _settings, out) {
      const beta = params[iTemp];
      const kappa = params[iKPers];
      for (let a = 0; a < k; a++) out[a] = beta * state[a] + kappa * state[k + a];
    },
    update(state, params, _settings, c, _s, reward) {
      const alpha = params[iAlpha];
      const forget = params[iForget];
      const baseline = iBaseline >= 0 ? params[iBaseline] : 0;
      const r = reward / POINTS_SCALE;
      for (let a = 0; a < k; a++) {
        state[a] = a === c ? state[a] + alpha * (r - state[a]) : (1 - forget) * state[a] + forget * baseline;
      }
      if (iAlphaPers >= 0) {
        const ap = params[iAlphaPers];
        for (let a = 0; a < k; a++) state[k + a] = (1 - ap) * state[k + a] + (a === c ? ap : 0);
      } else {
        for (let a = 0; a < k; a++) state[k + a] = a === c ? 1 : 0;
      }
    },
  };
}

/** `QFP` for 4 options: Q-learning on reward/100 with forgetting toward 0 and last-choice perseveration. */
export const QFP: CognitiveModelDefinition = qModel("QFP", 4);
/** `QFPb` for 4 options: as `QFP`, forgetting toward (and starting from) a fitted baseline. */
export const QFPB: CognitiveModelDefinition = qModel("QFPb", 4);
/** `QFCK` for 4 options: as `QFP`, with an exponentially decaying choice kernel instead of the last choice. */
export const QFCK: CognitiveModelDefinition = qModel("QFCK", 4);

/**
 * `LSk` for k options: a belief b over which option is the good one. After choosing c with outcome o (o > 0
 * counts as a reward), Bayes with P(o | c good) = g^o(1 − g)^(1−o) and P(o | c not good) with 1 − g in place
 * of g (g = the `goodProb` setting), then the reversal hazard p_r moves mass from each option to the others
 * uniformly: b ← (1 − p_r)·b + p_r·(1 − b)/(k − 1). Logits iTemp·b.
 */
function latentStateK(k: number): CognitiveModelDefinition {
  return {
    name: "LSk",
    description:
      "k-option latent state: Bayesian belief over which option is good (reward prob g vs 1 − g), hazard p_r; logits iTemp·belief",
    paramNames: ["p_r", "iTemp"],
    paramRanges: ["half", "pos"],
    defaultParams: [0.1, 5],
    nActions: k,
    stateNames: Array.from({ length: k }, (_, a) => `b[${a}]`),
    dynamicalVariables: k - 1,
    forActions: latentStateK,
    initialState(state) {
      state.fill(1 / k);
    },
    scores(state, params, _settings, out) {
      for (let a = 0; a < k; a++) out[a] = params[1] * state[a];
    },
    update(state, params, settings, c, _s, reward) {
      const g = settings.goodProb;
      const rewarded = reward > 0;
      const ifGood = rewarded ? g : 1 - g;
      const ifBad = rewarded ? 1 - g : g;
      let total = 0;
      for (let a = 0; a < k; a++) {
        state[a] *= a === c ? ifGood : ifBad;
        total += state[a];
      }
      const hazard = params[0];
      for (let a = 0; a < k; a++) {
        const posterior = state[a] / total;
        state[a] = (1 - hazard) * posterior + hazard * (1 - posterior) / (k - 1);
      }
    },
  };
}

/** `LSk` for 3 options. */
export const LSK: CognitiveModelDefinition = latentStateK(3);

/** Every model of this file. */
export const K_ARMED_MODELS: readonly CognitiveModelDefinition[] = [QFP, QFPB, QFCK, LSK];
