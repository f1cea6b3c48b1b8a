/**
 * The `equations` option of `crossValidate`: for every outer fold, the update rule of the network that model
 * selection kept for that fold is discovered (`discoverEquations`) on the blocks that network was trained on,
 * refitted by maximum likelihood on the same blocks, and scored on the fold's test blocks. The result is one
 * more model of the summary, `equations(<network>)` (kind `"equations"`), pooled over outer folds like every
 * other row.
 *
 * Which blocks are used for what, per outer fold (the selected network's inner fold):
 * - training blocks: discovery (the network's one-step map read on them) and the refit;
 * - validation blocks: the refit's early stop, in its simplest form: the refitted coefficients are kept only
 *   when they score at least as well on the validation blocks as the discovered ones (a rule with many
 *   coefficients, e.g. d = 2 in state space, can overfit a few training blocks); they are also scored (the
 *   row's `valLoss`). Neither discovery nor the refit itself fits on them;
 * - test blocks: only scored (`testLoss`), as for every model.
 *
 * With a results folder, each outer fold's equations are kept as an instance file
 * `instances/equations(<network>)/outer<k>.json` (written atomically): the discovered rule (`extra.discovered`,
 * the `toJSON` form), the refitted coefficients (`weights`) and the row. A rerun reuses a file whose settings
 * (the source instance, a fingerprint of its weights, the discovery options, the refit flag, the data) match,
 * and recomputes it otherwise: the equations are derived from the network, so a stale file is redone rather
 * than refused.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { selectBlocks } from "../data/dataset.ts";
import { discoverEquations } from "../equations/discover.ts";
import {
  DISCOVER_OPTIONS,
  type DiscoverEquationsOptions,
  type DiscoverOptionSpecs,
} from "../equations/discover_options.ts";
import { type EquationModel, equationModel, refitEquationModel } from "../equations/equation_model.ts";
import {
  checkBoolean,
  checkNameList,
  type DefaultedOption,
  option,
  type OptionSpec,
  resolveOptions,
  TinyRnnInputError,
} from "../options.ts";
import { modelOfRecord } from "./model_of_record.ts";
import type { FoldData } from "./fold_data.ts";
import { valueFingerprint } from "./instances.ts";
import type { ModelSpec } from "./plan.ts";
import type { InstanceRow } from "./rows.ts";
import { selectModels } from "./select.ts";
import { type InstanceRecord, isFinished, readInstance, writeInstance } from "./store.ts";

/** Format tag of the `config` of an equations record. */
export const EQUATIONS_FORMAT = "tinyrnn.cv-equations";

/**
 * The `equations` option of `crossValidate`: which networks to read equations from, the options of
 * `discoverEquations`, and whether to refit the coefficients.
 */
export interface CvEquationsOptions extends DiscoverEquationsOptions {
  /**
   * Model ids of the networks to read equations from, e.g. `["gru-1", "gru-2"]`. Default: every network of
   * the run with d <= 2 (the sizes equations are discovered for without choosing a space).
   */
  from?: readonly string[];
  /**
   * Refit the discovered coefficients by maximum likelihood on the training blocks, keeping the refit only
   * when it does not score worse on the validation blocks. Default true.
   */
  refit?: boolean;
}

/** The declarations of {@link CV_EQUATIONS_OPTIONS}. */
export type CvEquationsOptionSpecs = DiscoverOptionSpecs & {
  readonly from: OptionSpec<readonly string[]>;
  readonly refit: DefaultedOption<boolean>;
};

/** The options of `crossValidate`'s `equations`: `from`, `refit`, and every option of `discoverEquations`. */
export const CV_EQUATIONS_OPTIONS: CvEquationsOptionSpecs = {
  from: option<readonly string[]>({
    help: "networks to read equations from, e.g. gru-1,gru-2 (default: every network with d <= 2)",
    placeholder: "LIST",
    check: checkNameList,
  }),
  refit: option<boolean>({
    help:
      "refit the discovered coefficients by maximum likelihood on the training blocks (kept unless worse on the validation blocks)",
    default: true,
    check: checkBoolean,
  }),
  ...DISCOVER_OPTIONS,
};

/** The equations settings of a run, resolved and checked against its models. */
export interface EquationsSettings {
  /** Model ids of the networks (undefined: every network with d <= 2). */
  from?: string[];
  /** Refit or not. */
  refit: boolean;
  /** The discovery options, every one resolved (what the records keep). */
  discover: Record<string, unknown>;
}

/**
 * Check the `equations` option against the run's models (before any training) and resolve it.
 *
 * @example
 * ```ts
 * import { equationsSettings } from "./equations.ts";
 *
 * const settings = equationsSettings("crossValidate", { from: ["gru-1"], order: 1 }, [
 *   { kind: "rnn", cell: "gru", hidden: 1 },
 * ]);
 * console.log(settings.refit, settings.discover.order); // true 1
 * ```
 */
export function equationsSettings(
  where: string,
  given: CvEquationsOptions,
  models: readonly ModelSpec[],
): EquationsSettings {
  const at = `${where}: equations`;
  if (given === null || typeof given !== "object" || Array.isArray(given)) {
    throw new TinyRnnInputError(`${at} must be an object, got ${JSON.stringify(given)}`);
  }
  const o = resolveOptions(at, given, CV_EQUATIONS_OPTIONS);
  const networks = models.flatMap((m) => (m.kind === "rnn" ? [m] : []));
  const from = o.from === undefined ? undefined : [...o.from];
  for (const id of from ?? []) {
    const spec = networks.find((m) => `${m.cell}-${m.hidden}` === id);
    if (!spec) {
      throw new TinyRnnInputError(
        `${at}.from: no network "${id}" in this run (networks: ${
          networks.map((m) => `${m.cell}-${m.hidden}`).join(", ") || "none"
        })`,
      );
    }
    // The same limits as discoverEquations, checked now rather than after the training.
    const most = o.space === "auto" ? 2 : o.space === "state" ? 4 : Infinity;
    if (spec.hidden > most) {
      throw new TinyRnnInputError(
        `${at}.from: "${id}" has d = ${spec.hidden}; space "${o.space}" takes d <= ${most} (space "logit" takes any d)`,
      );
    }
  }
  if (from !== undefined && new Set(from).size !== from.length) {
    throw new TinyRnnInputError(`${at}.from lists a network twice (${from.join(", ")})`);
  }
  const { from: _from, refit, ...discover } = o;
  return { ...(from === undefined ? {} : { from }), refit, discover: { ...discover } };
}

/** What {@link equationRecords} needs from the run. */
export interface EquationsContext {
  /** The rows of every finished instance (networks and cognitive models). */
  rows: readonly InstanceRow[];
  /** The record of a finished network instance, by id. */
  record: (id: string) => Promise<InstanceRecord> | InstanceRecord;
  /** The run's folds over its data. */
  folds: FoldData;
  /** The resolved option. */
  settings: EquationsSettings;
  /** Fingerprint of the data set. */
  fingerprint: string;
  /** Blocks of the user's data set. */
  blocks: number;
  /** Results folder: records are written there, and reused from there. */
  dir?: string;
}

/** The model id of the equations read from network `from`: `equations(gru-1)`. */
export function equationsModelId(from: string): string {
  return `equations(${from})`;
}

/**
 * The equations record of every selected network of the run (per network and outer fold), computed, or
 * read back from the results folder when it was computed with the same settings.
 */
export async function equationRecords(context: EquationsContext): Promise<InstanceRecord[]> {
  const { best } = selectModels(context.rows);
  const networks = best.filter((row) =>
    row.kind === "rnn" &&
    (context.settings.from === undefined ? row.hidden <= 2 : context.settings.from.includes(row.model))
  );
  const records: InstanceRecord[] = [];
  for (const row of networks) {
    if (row.id === undefined) throw new TypeError(`the selected row of ${row.model} has no instance id`);
    const source = await context.record(row.id);
    const model = equationsModelId(row.model);
    const id = `${model}/outer${row.outer}`;
    const settings = {
      kind: "equations",
      from: row.model,
      outer: row.outer,
      source: row.id,
      weights: valueFingerprint(source.weights),
      discover: context.settings.discover,
      refit: context.settings.refit,
    };
    const config = {
      format: EQUATIONS_FORMAT,
      settings,
      data: { fingerprint: context.fingerprint, blocks: context.blocks },
    };
    const kept = context.dir === undefined ? undefined : await reusable(context.dir, id, config);
    if (kept) {
      records.push(kept);
      continue;
    }
    const record = discoverForFold(id, model, row, source, config, context);
    if (context.dir !== undefined) await writeInstance(context.dir, record);
    records.push(record);
  }
  return records;
}

/** A finished record with exactly these settings and data, or undefined (absent, damaged or stale). */
async function reusable(
  dir: string,
  id: string,
  config: Record<string, unknown>,
): Promise<InstanceRecord | undefined> {
  if (!(await isFinished(dir, id))) return undefined;
  try {
    const record = await readInstance(dir, id);
    return JSON.stringify(record.config) === JSON.stringify(config) ? record : undefined;
  } catch (error) {
    // A damaged file of derived results is recomputed and overwritten.
    if (error instanceof TinyRnnInputError) return undefined;
    throw error;
  }
}

function discoverForFold(
  id: string,
  model: string,
  row: InstanceRow,
  source: InstanceRecord,
  config: Record<string, unknown>,
  context: EquationsContext,
): InstanceRecord {
  const data = context.folds.data;
  const parts = context.folds.parts(row.outer, row.inner);
  const network = modelOfRecord(source, { kind: data.kind, nActions: data.nActions });
  const trainData = selectBlocks(data, parts.train);
  const discovered = discoverEquations(
    network,
    trainData,
    context.settings.discover as DiscoverEquationsOptions,
  );
  let equations = equationModel(discovered, { name: model });
  let refit: Record<string, unknown> | null = null;
  if (context.settings.refit) {
    const result = refitEquationModel(equations, data, { trainBlocks: parts.train });
    // Early stop on the validation blocks: the refit stands only if it does not predict them worse.
    const before = evaluate(equations, data, parts.val).loss;
    const after = evaluate(result.model, data, parts.val).loss;
    const kept = !(after > before) ? "refitted" : "discovered";
    if (kept === "refitted") equations = result.model;
    refit = {
      method: result.method,
      startNll: result.startNll,
      trainNll: result.trainNll,
      evaluations: result.evaluations,
      valNllDiscovered: before,
      valNllRefitted: after,
      kept,
    };
  }
  const train = evaluate(equations, data, parts.train);
  const val = evaluate(equations, data, parts.val);
  const test = evaluate(equations, data, parts.test);
  const iterations = refit === null ? 0 : refit.evaluations as number;
  const equationsRow: InstanceRow = {
    id,
    model,
    kind: "equations",
    cell: row.cell,
    hidden: row.hidden,
    l1: row.l1,
    outer: row.outer,
    inner: row.inner,
    seed: row.seed,
    epochs: iterations,
    bestEpoch: iterations,
    trainLoss: train.loss,
    valLoss: val.loss,
    testLoss: test.loss,
    trainTrials: train.trials,
    valTrials: val.trials,
    testTrials: test.trials,
    trainAcc: train.accuracy,
    valAcc: val.accuracy,
    testAcc: test.accuracy,
  };
  return {
    id,
    row: equationsRow,
    config,
    folds: parts.record,
    weights: Object.fromEntries(equations.paramNames.map((name, i) => [name, equations.paramVector[i]])),
    extra: { discovered: discovered.toJSON(), refit },
  };
}

/** NLL per scored trial, accuracy (arg-max of the scores, ties to action 0) and scored trials. */
function evaluate(
  model: EquationModel,
  data: Dataset,
  indices: readonly number[],
): { loss: number; accuracy: number; trials: number } {
  const blocks = indices.map((b) => data.blocks[b]);
  let trials = 0;
  let correct = 0;
  for (const block of blocks) {
    let state = model.initialState();
    for (let t = 0; t < block.action.length; t++) {
      const m = block.mask ? block.mask[t] : 1;
      const scores = model.scores(state);
      trials += m;
      if ((scores[1] > scores[0] ? 1 : 0) === block.action[t]) correct += m;
      state = model.step(state, { action: block.action[t], state: block.state[t], reward: block.reward[t] });
    }
  }
  if (trials === 0) return { loss: NaN, accuracy: NaN, trials: 0 };
  return { loss: model.negLogLikelihoodPerTrial(blocks), accuracy: correct / trials, trials };
}
