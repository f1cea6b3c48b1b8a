/**
 * Rebuild the model an instance record describes, so that figures can run it on data: a `FittedModel` for a
 * network (from its PyTorch-named weights), a `CognitiveModel` for a cognitive model (from its named
 * parameters), an `EquationModel` for the equations discovered from a network (from the discovered rule and
 * its refitted coefficients).
 *
 * @module
 */

import { cognitive, type CognitiveModel, type CognitiveOptions } from "../agents/cognitive.ts";
import type { TaskKind } from "../data/dataset.ts";
import type { InstanceRecord } from "./store.ts";
import { type FitConfig, FittedModel } from "../engine/fitted_model.ts";
import type { DiscoveredEquationsJson } from "../equations/discovered.ts";
import { type EquationModel, equationModel } from "../equations/equation_model.ts";
import { TinyRnnInputError } from "../options.ts";

/** What the rebuilt model is fitted to: fills in what an older record does not say. */
export interface RecordContext {
  kind: TaskKind;
  nActions: number;
}

/**
 * The model of one instance record. Network records need `weights` (a PyTorch-named state dict) and the cell
 * and hidden size (from `config` or the row); cognitive records need their fitted parameters by name; equations
 * records need the discovered rule (`extra.discovered`) and its coefficients by name.
 *
 * @example
 * ```ts
 * import { loadResults, portrait } from "@tinyrnn/tinyrnn";
 * import { modelOfRecord } from "./model_of_record.ts";
 *
 * const run = await loadResults("results");
 * const data = run.data!;
 * const { record } = run.models[0].selected[0];
 * const model = modelOfRecord(record, { kind: data.kind, nActions: data.nActions });
 * await portrait(model, data).save("portrait.svg");
 * ```
 */
export function modelOfRecord(
  record: InstanceRecord,
  context: RecordContext,
): FittedModel | CognitiveModel | EquationModel {
  const where = `instance ${record.id}`;
  if (!record.weights || typeof record.weights !== "object") {
    throw new TinyRnnInputError(
      `${where}: the record keeps no weights or parameters, so it cannot be redrawn`,
    );
  }
  // Cross-validation records keep the instance's settings under `settings`; flat configs are read as they are.
  const raw = (record.config ?? {}) as Record<string, unknown>;
  const settings = raw.settings && typeof raw.settings === "object"
    ? raw.settings as Record<string, unknown>
    : {};
  const config = { ...raw, ...settings };
  if (record.row.kind === "cognitive") return cognitiveOfRecord(record, config, context, where);
  if (record.row.kind === "equations") return equationsOfRecord(record, where);
  const pick = <T>(key: string, fallback: T): T => (config[key] ?? fallback) as T;
  const fitConfig: FitConfig = {
    cell: pick("cell", record.row.cell),
    hidden: pick("hidden", record.row.hidden),
    readout: pick("readout", "linear"),
    outputH0: pick("outputH0", true),
    trainableH0: pick("trainableH0", false),
    l1: pick("l1", record.row.l1),
    lr: pick("lr", NaN),
    weightDecay: pick("weightDecay", 0),
    betas: pick("betas", [0.9, 0.999] as [number, number]),
    eps: pick("eps", 1e-8),
    seed: pick("seed", record.row.seed),
    maxEpochs: pick("maxEpochs", record.row.epochs),
    patience: pick("patience", NaN),
    train: record.folds.train,
    val: record.folds.val,
    test: record.folds.test,
    // Cross-validation settings use `kind` for the model kind ("rnn"); only a task kind is the data's.
    kind: config.kind === "bandit" || config.kind === "twoStage" ? config.kind : context.kind,
    nActions: pick("nActions", context.nActions),
    // Point-reward runs record the factor their rewards were divided by; 0/1 runs record none.
    ...(typeof config.rewardScale === "number" ? { rewardScale: config.rewardScale } : {}),
  };
  const curves = record.curves ?? {};
  try {
    return new FittedModel(fitConfig, {
      weights: record.weights,
      epochs: record.row.epochs,
      bestEpoch: record.row.bestEpoch,
      stoppedEarly: false,
      trainLoss: record.row.trainLoss,
      valLoss: record.row.valLoss,
      testLoss: record.row.testLoss,
      trainAccuracy: record.row.trainAcc ?? NaN,
      valAccuracy: record.row.valAcc ?? NaN,
      testAccuracy: record.row.testAcc ?? NaN,
      trainTrials: record.row.trainTrials,
      valTrials: record.row.valTrials,
      testTrials: record.row.testTrials,
      numParams: NaN,
      seconds: NaN,
      curves: {
        train: curves.train ?? [],
        val: curves.val ?? [],
        ...(curves.test ? { test: curves.test } : {}),
      },
    });
  } catch (error) {
    throw new TinyRnnInputError(`${where}: cannot rebuild the network: ${(error as Error).message}`);
  }
}

function equationsOfRecord(record: InstanceRecord, where: string): EquationModel {
  const discovered = record.extra?.discovered as DiscoveredEquationsJson | undefined;
  if (!discovered || typeof discovered !== "object") {
    throw new TinyRnnInputError(`${where}: the record keeps no discovered equations (extra.discovered)`);
  }
  try {
    const model = equationModel(discovered, { name: record.row.model });
    return model.withParams(record.weights as Record<string, number>);
  } catch (error) {
    throw new TinyRnnInputError(`${where}: cannot rebuild the equations: ${(error as Error).message}`);
  }
}

function cognitiveOfRecord(
  record: InstanceRecord,
  config: Record<string, unknown>,
  context: RecordContext,
  where: string,
): CognitiveModel {
  const weights = record.weights as Record<string, unknown>;
  // Either the parameters themselves or nested under "params".
  const source = (weights.params && typeof weights.params === "object" ? weights.params : weights) as Record<
    string,
    unknown
  >;
  const params: Record<string, number> = {};
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === "number") params[name] = value;
  }
  const options: CognitiveOptions = { task: (config.task as TaskKind | undefined) ?? context.kind };
  const constants = (config.cognitiveOptions ?? config) as Record<string, unknown>;
  if (constants.task === "bandit" || constants.task === "twoStage") options.task = constants.task;
  if (typeof constants.pTransit === "number") options.pTransit = constants.pTransit;
  if (typeof constants.goodProb === "number") options.goodProb = constants.goodProb;
  const name = typeof config.name === "string" ? config.name : record.row.cell;
  try {
    return cognitive(name, params, options);
  } catch (error) {
    throw new TinyRnnInputError(
      `${where}: cannot rebuild cognitive model ${name}: ${(error as Error).message}`,
    );
  }
}
