/**
 * The novel two-step (NTS) family of Akam et al. 2021, for the task with transition reversals (the original's NTS agents).
 *
 * Core variables: first-stage TD values `Q`, second-stage values `V`, and learned transition probabilities
 * `Tr[c]` = P(state 1 | choice c), initially 0.5. Net values `Q_net = G_td·Q + G_mb·M` with the model-based
 * values `M[c] = Tr[c]·V[1] + (1 − Tr[c])·V[0]` (single-system models use Q or M alone). Kernels add to the
 * action-1 value only, in units of Q: `bs` a constant bias, `ck` ±0.5 for the previous choice, `rb` ±0.5
 * for the previous second-stage state (both 0 before the first trial, as in the original's likelihood).
 * The logits are `k·Q_net`, k = iTemp for single-system models and 1 for mixtures (the G weights play the
 * inverse temperature), so the softmax of the two logits is the original's two-way logistic
 * `P(a = 0) = 1 / (1 + exp(k·(Q_net[1] − Q_net[0])))`.
 *
 * Unlike the original's NTS agents, the models follow the common protocol: T + 1 score rows, the
 * same kernel handling in likelihood and simulation, and parameters read in the order they are declared.
 *
 * Names: the original's `<model>_<kernels>` (e.g. `MF_MB_dec_bs_rb_ck`) for every subset of the kernels in
 * the order bs, rb, ck. A kernel-free NTS model is `NTS:<model>` (e.g. `NTS:MF`), because the bare names
 * `MF`/`MB` already mean the RTS/PRL models (`MF` = `MB0`).
 *
 * @module
 */

import type { CognitiveModelDefinition, ParamRange } from "./cognitive_definition.ts";

/** Kernel names, in the order they appear in model names and parameter vectors. */
export const AKAM_KERNELS = ["bs", "rb", "ck"] as const;

/** One of the kernels of {@link AKAM_KERNELS}. */
export type AkamKernel = typeof AKAM_KERNELS[number];

/** The learning systems and parameters of one base model (before kernels). */
interface AkamBase {
  readonly name: string;
  readonly description: string;
  readonly paramNames: readonly string[];
  readonly paramRanges: readonly ParamRange[];
  readonly defaultParams: readonly number[];
  /** The original's `cog_hidden_dim` (kernels do not count). */
  readonly dynamicalVariables: number;
  /** Which systems it has: model-free first-stage values Q, model-based values M from Tr and V. */
  readonly modelFree: boolean;
  readonly modelBased: boolean;
  /** Parameter indices; -1 where the model lacks the parameter (its effect is then off). */
  readonly index: {
    /** Learning rate of Q (and of V when `alphaV` is -1). */
    alphaQ: number;
    alphaV: number;
    /** Forgetting of the unchosen Q (and of the unreached V when `decayV` is -1). */
    decayQ: number;
    decayV: number;
    lambda: number;
    alphaT: number;
    decayT: number;
    /** Inverse temperature (single systems) or the two weights (mixtures). */
    iTemp: number;
    gTd: number;
    gMb: number;
  };
}

const NONE = -1;

function base(
  spec: Omit<AkamBase, "index" | "paramRanges"> & { paramRanges?: readonly ParamRange[] },
): AkamBase {
  const at = (name: string) => spec.paramNames.indexOf(name);
  const index = {
    alphaQ: Math.max(at("alpQ"), at("alp")),
    alphaV: at("alpV"),
    decayQ: Math.max(at("decQ"), at("dec")),
    decayV: at("decV"),
    lambda: at("lbd"),
    alphaT: at("alpT"),
    decayT: at("decT"),
    iTemp: at("iTemp"),
    gTd: at("G_td"),
    gMb: at("G_mb"),
  };
  const ranges = spec.paramNames.map((n) =>
    (n === "iTemp" || n.startsWith("G_") ? "pos" : "unit") as ParamRange
  );
  return { ...spec, paramRanges: spec.paramRanges ?? ranges, index };
}

/** The base models of Akam et al. 2021 used by tinyRNN, with the original's parameter order. */
const AKAM_BASES: readonly AkamBase[] = [
  base({
    name: "MF",
    description: "model-free TD(λ): Q[c] ← (1−α)Q[c] + α((1−λ)V[s] + λo), V[s] ← (1−α)V[s] + αo",
    paramNames: ["alp", "iTemp", "lbd"],
    defaultParams: [0.5, 5, 0.5],
    dynamicalVariables: 4,
    modelFree: true,
    modelBased: false,
  }),
  base({
    name: "MF_dec",
    description: "MF plus forgetting: unchosen Q and unreached V ← (1−dec)·value",
    paramNames: ["alp", "iTemp", "lbd", "dec"],
    defaultParams: [0.5, 5, 0.5, 0.1],
    dynamicalVariables: 4,
    modelFree: true,
    modelBased: false,
  }),
  base({
    name: "MB",
    description:
      "model-based: V[s] ← (1−αV)V[s] + αV·o, Tr[c] ← (1−αT)Tr[c] + αT·s, M = Tr·V[1] + (1−Tr)·V[0]",
    paramNames: ["alpV", "iTemp", "alpT"],
    defaultParams: [0.5, 5, 0.5],
    dynamicalVariables: 4,
    modelFree: false,
    modelBased: true,
  }),
  base({
    name: "MB_dec",
    description: "MB plus forgetting: unreached V ← (1−decV)V, unchosen Tr relaxes to 0.5 by decT",
    paramNames: ["alpV", "decV", "alpT", "decT", "iTemp"],
    defaultParams: [0.5, 0.1, 0.5, 0.1, 5],
    dynamicalVariables: 4,
    modelFree: false,
    modelBased: true,
  }),
  base({
    name: "MF_MB",
    description: "mixture: Q_net = G_td·Q + G_mb·M, one learning rate αQ for Q and V",
    paramNames: ["alpQ", "lbd", "alpT", "G_td", "G_mb"],
    defaultParams: [0.5, 0.5, 0.5, 2, 2],
    dynamicalVariables: 6,
    modelFree: true,
    modelBased: true,
  }),
  base({
    name: "MF_MB_dec",
    description:
      "mixture with forgetting: unchosen Q, unreached V ← (1−decQ)·value; unchosen Tr → 0.5 by decT",
    paramNames: ["alpQ", "decQ", "lbd", "alpT", "decT", "G_td", "G_mb"],
    defaultParams: [0.5, 0.1, 0.5, 0.5, 0.1, 2, 2],
    dynamicalVariables: 6,
    modelFree: true,
    modelBased: true,
  }),
];

// State layout, the same for every NTS model (unused entries stay at their initial values).
const Q0 = 0;
const V0 = 2;
const TR0 = 4;
/** c_prev − 0.5 and s_prev − 0.5: the ck and rb kernel inputs, 0 before the first trial. */
const PREVIOUS_CHOICE = 6;
const PREVIOUS_STATE = 7;

/** The definition of one base model with a set of kernels. */
function akamModel(model: AkamBase, kernels: readonly AkamKernel[]): CognitiveModelDefinition {
  const suffix = kernels.map((k) => `_${k}`).join("");
  const name = kernels.length > 0 ? `${model.name}${suffix}` : `NTS:${model.name}`;
  const paramNames = [...model.paramNames, ...kernels];
  const kernelIndex = (
    k: AkamKernel,
  ) => (kernels.includes(k) ? model.paramNames.length + kernels.indexOf(k) : NONE);
  const bs = kernelIndex("bs");
  const rb = kernelIndex("rb");
  const ck = kernelIndex("ck");
  const i = model.index;
  const stateNames = ["Q[0]", "Q[1]", "V[0]", "V[1]", "Tr[0]", "Tr[1]", "c_prev-0.5", "s_prev-0.5"];
  return {
    name,
    description: `Akam et al. 2021 ${model.name}${
      kernels.length ? ` with kernels ${kernels.join(", ")}` : ""
    }: ${model.description}`,
    paramNames,
    paramRanges: [...model.paramRanges, ...kernels.map((): ParamRange => "unc")],
    defaultParams: [...model.defaultParams, ...kernels.map(() => 0)],
    stateNames,
    dynamicalVariables: model.dynamicalVariables,
    initialState(state) {
      state.fill(0);
      state[TR0] = 0.5;
      state[TR0 + 1] = 0.5;
    },
    scores(state, params, _settings, out) {
      let net0 = 0;
      let net1 = 0;
      if (model.modelFree) {
        const g = i.gTd === NONE ? 1 : params[i.gTd];
        net0 += g * state[Q0];
        net1 += g * state[Q0 + 1];
      }
      if (model.modelBased) {
        const g = i.gMb === NONE ? 1 : params[i.gMb];
        const v0 = state[V0];
        const v1 = state[V0 + 1];
        net0 += g * (state[TR0] * v1 + (1 - state[TR0]) * v0);
        net1 += g * (state[TR0 + 1] * v1 + (1 - state[TR0 + 1]) * v0);
      }
      if (bs !== NONE) net1 += params[bs];
      if (ck !== NONE) net1 += params[ck] * state[PREVIOUS_CHOICE];
      if (rb !== NONE) net1 += params[rb] * state[PREVIOUS_STATE];
      const k = i.iTemp === NONE ? 1 : params[i.iTemp];
      out[0] = k * net0;
      out[1] = k * net1;
    },
    update(state, params, _settings, c, s, o) {
      const n = 1 - c;
      const r = 1 - s;
      const alphaQ = i.alphaQ === NONE ? 0 : params[i.alphaQ];
      const alphaV = i.alphaV === NONE ? alphaQ : params[i.alphaV];
      const decayQ = i.decayQ === NONE ? 0 : params[i.decayQ];
      const decayV = i.decayV === NONE ? decayQ : params[i.decayV];
      const oldV = state[V0 + s];
      if (model.modelFree) {
        const lambda = params[i.lambda];
        state[Q0 + n] = state[Q0 + n] * (1 - decayQ);
        // The first-stage TD target uses the second-stage value *before* this trial's update.
        state[Q0 + c] = (1 - alphaQ) * state[Q0 + c] + alphaQ * ((1 - lambda) * oldV + lambda * o);
      }
      state[V0 + r] = state[V0 + r] * (1 - decayV);
      state[V0 + s] = (1 - alphaV) * oldV + alphaV * o;
      if (model.modelBased) {
        const alphaT = params[i.alphaT];
        const decayT = i.decayT === NONE ? 0 : params[i.decayT];
        state[TR0 + n] = state[TR0 + n] - decayT * (state[TR0 + n] - 0.5);
        state[TR0 + c] = (1 - alphaT) * state[TR0 + c] + alphaT * s;
      }
      state[PREVIOUS_CHOICE] = c - 0.5;
      state[PREVIOUS_STATE] = s - 0.5;
    },
  };
}

/** Every subset of the kernels, in name order (none first, all last). */
function kernelSubsets(): AkamKernel[][] {
  const subsets: AkamKernel[][] = [];
  for (let mask = 0; mask < 1 << AKAM_KERNELS.length; mask++) {
    subsets.push(AKAM_KERNELS.filter((_, b) => mask & (1 << b)));
  }
  return subsets.sort((a, b) => a.length - b.length);
}

/** Every NTS model: each base model with each subset of the kernels bs, rb, ck. */
export const AKAM_MODELS: readonly CognitiveModelDefinition[] = AKAM_BASES.flatMap((model) =>
  kernelSubsets().map((kernels) => akamModel(model, kernels))
);
