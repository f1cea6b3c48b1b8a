/**
 * The registry of cognitive models: canonical names, aliases and lookup with "did you mean".
 *
 * Adding a model = writing its definition (one family per file) and listing it here.
 *
 * @module
 */

import { suggest, TinyRnnInputError } from "../options.ts";
import { AKAM_MODELS } from "./akam.ts";
import { BAS } from "./baseline.ts";
import type { CognitiveModelDefinition } from "./cognitive_definition.ts";
import { K_ARMED_MODELS } from "./k_armed.ts";
import { LATENT_STATE_MODELS } from "./latent_state.ts";
import { MODEL_BASED_MODELS } from "./model_based.ts";
import { PERSEVERATION_MODELS } from "./perseveration.ts";
import { Q0 } from "./q_learning.ts";
import { RC } from "./reward_as_cue.ts";
import { TWO_STEP_MODELS } from "./two_step.ts";

/**
 * Canonical names of the registered cognitive models, in the registry's order: the names
 * `listCognitiveModels()` returns. Spelled out so that editors complete `cognitive("MB...")`; a test checks it
 * against the registry.
 */
export type CanonicalCognitiveModelName =
  | "BAS"
  | "MB0"
  | "MB1"
  | "MBf"
  | "MB0off"
  | "MB0s"
  | "MB0se"
  | "MB0md"
  | "MB0mdnb"
  | "MB0m"
  | "MB0p"
  | "MB1p"
  | "MF0sp"
  | "MFDp"
  | "LS0"
  | "LS1"
  | "Q(0)"
  | "RC"
  | "MFs"
  | "MXs"
  | "Q(1)"
  | "NTS:MF"
  | "MF_bs"
  | "MF_rb"
  | "MF_ck"
  | "MF_bs_rb"
  | "MF_bs_ck"
  | "MF_rb_ck"
  | "MF_bs_rb_ck"
  | "NTS:MF_dec"
  | "MF_dec_bs"
  | "MF_dec_rb"
  | "MF_dec_ck"
  | "MF_dec_bs_rb"
  | "MF_dec_bs_ck"
  | "MF_dec_rb_ck"
  | "MF_dec_bs_rb_ck"
  | "NTS:MB"
  | "MB_bs"
  | "MB_rb"
  | "MB_ck"
  | "MB_bs_rb"
  | "MB_bs_ck"
  | "MB_rb_ck"
  | "MB_bs_rb_ck"
  | "NTS:MB_dec"
  | "MB_dec_bs"
  | "MB_dec_rb"
  | "MB_dec_ck"
  | "MB_dec_bs_rb"
  | "MB_dec_bs_ck"
  | "MB_dec_rb_ck"
  | "MB_dec_bs_rb_ck"
  | "NTS:MF_MB"
  | "MF_MB_bs"
  | "MF_MB_rb"
  | "MF_MB_ck"
  | "MF_MB_bs_rb"
  | "MF_MB_bs_ck"
  | "MF_MB_rb_ck"
  | "MF_MB_bs_rb_ck"
  | "NTS:MF_MB_dec"
  | "MF_MB_dec_bs"
  | "MF_MB_dec_rb"
  | "MF_MB_dec_ck"
  | "MF_MB_dec_bs_rb"
  | "MF_MB_dec_bs_ck"
  | "MF_MB_dec_rb_ck"
  | "MF_MB_dec_bs_rb_ck"
  | "QFP"
  | "QFPb"
  | "QFCK"
  | "LSk";

/** The names `cognitive` accepts: canonical names and the aliases MF (= MB0), Q0 (= Q(0)) and Q1 (= Q(1)). */
export type CognitiveModelName = CanonicalCognitiveModelName | "MF" | "Q0" | "Q1";

/** Every name and alias of {@link CognitiveModelName}, for the test that keeps the type in step with the registry. */
export const COGNITIVE_MODEL_NAMES: readonly CognitiveModelName[] = [
  "BAS",
  "MB0",
  "MB1",
  "MBf",
  "MB0off",
  "MB0s",
  "MB0se",
  "MB0md",
  "MB0mdnb",
  "MB0m",
  "MB0p",
  "MB1p",
  "MF0sp",
  "MFDp",
  "LS0",
  "LS1",
  "Q(0)",
  "RC",
  "MFs",
  "MXs",
  "Q(1)",
  "NTS:MF",
  "MF_bs",
  "MF_rb",
  "MF_ck",
  "MF_bs_rb",
  "MF_bs_ck",
  "MF_rb_ck",
  "MF_bs_rb_ck",
  "NTS:MF_dec",
  "MF_dec_bs",
  "MF_dec_rb",
  "MF_dec_ck",
  "MF_dec_bs_rb",
  "MF_dec_bs_ck",
  "MF_dec_rb_ck",
  "MF_dec_bs_rb_ck",
  "NTS:MB",
  "MB_bs",
  "MB_rb",
  "MB_ck",
  "MB_bs_rb",
  "MB_bs_ck",
  "MB_rb_ck",
  "MB_bs_rb_ck",
  "NTS:MB_dec",
  "MB_dec_bs",
  "MB_dec_rb",
  "MB_dec_ck",
  "MB_dec_bs_rb",
  "MB_dec_bs_ck",
  "MB_dec_rb_ck",
  "MB_dec_bs_rb_ck",
  "NTS:MF_MB",
  "MF_MB_bs",
  "MF_MB_rb",
  "MF_MB_ck",
  "MF_MB_bs_rb",
  "MF_MB_bs_ck",
  "MF_MB_rb_ck",
  "MF_MB_bs_rb_ck",
  "NTS:MF_MB_dec",
  "MF_MB_dec_bs",
  "MF_MB_dec_rb",
  "MF_MB_dec_ck",
  "MF_MB_dec_bs_rb",
  "MF_MB_dec_bs_ck",
  "MF_MB_dec_rb_ck",
  "MF_MB_dec_bs_rb_ck",
  "QFP",
  "QFPb",
  "QFCK",
  "LSk",
  "MF",
  "Q0",
  "Q1",
];

/** Every registered model, in the order the original lists them. */
export const COGNITIVE_MODELS: readonly CognitiveModelDefinition[] = [
  BAS,
  ...MODEL_BASED_MODELS,
  ...PERSEVERATION_MODELS,
  ...LATENT_STATE_MODELS,
  Q0,
  RC,
  ...TWO_STEP_MODELS,
  ...AKAM_MODELS,
  ...K_ARMED_MODELS,
];

const byName = new Map<string, CognitiveModelDefinition>();
for (const model of COGNITIVE_MODELS) {
  for (const name of [model.name, ...(model.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`duplicate cognitive model name ${name}`);
    byName.set(name, model);
  }
}

/**
 * Canonical names of every registered model (aliases such as `MF` are left out).
 *
 * @example
 * ```ts
 * import { cognitive, listCognitiveModels } from "@tinyrnn/tinyrnn";
 * for (const name of listCognitiveModels()) console.log(name, cognitive(name).paramNames);
 * ```
 */
export function listCognitiveModels(): string[] {
  return COGNITIVE_MODELS.map((m) => m.name);
}

/** The definition registered under a name or alias; unknown names get a "did you mean" error. */
export function findCognitiveModel(name: string): CognitiveModelDefinition {
  const model = byName.get(name);
  if (model) return model;
  const hint = suggest(String(name), [...byName.keys()]);
  throw new TinyRnnInputError(
    `unknown cognitive model ${JSON.stringify(name)}${hint ? ` (did you mean "${hint}"?)` : ""}; available: ${
      listCognitiveModels().join(", ")
    } (aliases: ${
      COGNITIVE_MODELS.flatMap((m) => (m.aliases ?? []).map((a) => `${a} = ${m.name}`)).join(", ")
    })`,
  );
}
