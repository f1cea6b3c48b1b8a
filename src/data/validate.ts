/**
 * Validation of a `Dataset` before anything trains on it, with messages that point at the offending trial
 * (and, for data read from a CSV file, at its line and column).
 *
 * @module
 */

import { type Block, type Dataset, trialTypeOf } from "./dataset.ts";
import { rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** The per-trial fields of a block that validation checks value by value. */
export type TrialField = "action" | "state" | "reward" | "mask" | "trialType";

/** Where each trial of a data set came from in a CSV file, so that messages can name the line and column. */
export interface CsvOrigin {
  /** `lines[b][t]`: the 1-based line of the file that holds trial t of block b. */
  lines: number[][];
  /** The file's column name for each field; a field without one (e.g. a derived `state`) is named by field. */
  columns: Partial<Record<TrialField | "block", string>>;
}

/** Options of {@link validateDataset}. */
export interface ValidateOptions {
  /** File the data came from, named at the start of every message. Default: none. */
  source?: string;
  /**
   * Require every reward to be exactly 0 or 1. Default `true`: the trial types `2a + r` and `4a + 2s + r`
   * need binary rewards. With `false` a reward may be any finite number and trial types use `r > 0`.
   */
  binaryReward?: boolean;
  /** Line and column of each trial, for data parsed from a CSV file. Default: none. */
  csv?: CsvOrigin;
}

const VALIDATE_OPTIONS = ["source", "binaryReward", "csv"] as const;

/** The binary outcome that enters a trial type: the reward itself, or `r > 0` for non-binary rewards. */
export function rewardBit(reward: number, binaryReward = true): number {
  return binaryReward ? reward : reward > 0 ? 1 : 0;
}

/**
 * Check that a data set is well formed and throw a `TinyRnnInputError` naming the first problem.
 *
 * Checked: `kind` and `nActions`; at least one block; no empty block; every per-trial array (`state`,
 * `reward`, `trialType`, `mask`, extra columns, `choiceProbs`, `softTargets` (rows of nActions probabilities
 * summing to 1), `schedule`; `internal` has T + 1 rows) as long
 * as `action`; `subject`, when present, a non-empty string (messages then name it, e.g. `block 3 (subject s07)`); actions integers in [0, nActions); states equal to the action (bandit) or in {0, 1}
 * (two-stage); rewards 0/1 (or finite numbers when `binaryReward` is false); masks 0 or 1; trial types
 * equal to `2a + r` (bandit) or `4a + 2s + r` (two-stage). NaN fails every numeric check.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks, validateDataset } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * validateDataset(data, { source: "data.json" }); // throws e.g. 'data.json: block 3, trial 7, field "reward": expected 0 or 1, got 2'
 * ```
 */
export function validateDataset(data: Dataset, options: ValidateOptions = {}): void {
  rejectUnknownKeys("validateDataset", options, VALIDATE_OPTIONS);
  const { source, binaryReward = true, csv } = options;
  const prefix = source ? `${source}: ` : "";
  if (data === null || typeof data !== "object") {
    throw new TinyRnnInputError(`${prefix}a data set must be an object with kind, nActions and blocks`);
  }
  if (data.kind !== "bandit" && data.kind !== "twoStage") {
    throw new TinyRnnInputError(
      `${prefix}kind must be "bandit" or "twoStage", got ${JSON.stringify(data.kind)}`,
    );
  }
  if (!Number.isInteger(data.nActions) || data.nActions < 1) {
    throw new TinyRnnInputError(
      `${prefix}nActions must be an integer >= 1, got ${JSON.stringify(data.nActions)}`,
    );
  }
  if (!Array.isArray(data.blocks) || data.blocks.length === 0) {
    throw new TinyRnnInputError(`${prefix}the data set has no blocks`);
  }
  data.blocks.forEach((block, b) => validateBlock(data, block, b, { prefix, binaryReward, csv, source }));
}

interface BlockContext {
  prefix: string;
  binaryReward: boolean;
  csv?: CsvOrigin;
  source?: string;
}

function blockName(block: Block, b: number): string {
  // The subject is named too: in data sets of many subjects it is how users find the block in their files.
  const labels: string[] = [];
  if (block.id !== undefined && block.id !== b) labels.push(`id ${JSON.stringify(block.id)}`);
  if (typeof block.subject === "string") labels.push(`subject ${block.subject}`);
  return labels.length ? `block ${b} (${labels.join(", ")})` : `block ${b}`;
}

function validateBlock(data: Dataset, block: Block, b: number, context: BlockContext): void {
  const { prefix, binaryReward, csv } = context;
  const where = `${prefix}${blockName(block, b)}`;
  if (block === null || typeof block !== "object") throw new TinyRnnInputError(`${where} is not an object`);
  for (const field of ["action", "state", "reward", "trialType"] as const) {
    if (!Array.isArray(block[field])) throw new TinyRnnInputError(`${where}: ${field} must be an array`);
  }
  if (block.subject !== undefined && (typeof block.subject !== "string" || block.subject === "")) {
    throw new TinyRnnInputError(
      `${where}: subject must be a non-empty string, got ${JSON.stringify(block.subject)}`,
    );
  }
  const T = block.action.length;
  if (T === 0) throw new TinyRnnInputError(`${where} is empty (it has no trials)`);
  const sameLength = (name: string, array: unknown, expected = T) => {
    if (!Array.isArray(array)) throw new TinyRnnInputError(`${where}: ${name} must be an array`);
    if (array.length !== expected) {
      throw new TinyRnnInputError(
        `${where}: ${name} has ${array.length} entries but ${
          expected === T ? `action has ${T}` : `it needs ${expected} (T + 1)`
        }`,
      );
    }
  };
  sameLength("state", block.state);
  sameLength("reward", block.reward);
  sameLength("trialType", block.trialType);
  if (block.mask !== undefined) sameLength("mask", block.mask);
  if (block.extra !== undefined) {
    for (const [name, column] of Object.entries(block.extra)) sameLength(`extra column "${name}"`, column);
  }
  if (block.choiceProbs !== undefined) sameLength("choiceProbs", block.choiceProbs);
  if (block.softTargets !== undefined) {
    sameLength("softTargets", block.softTargets);
    block.softTargets.forEach((row, t) => {
      // Probabilities of the nActions choices: a distillation target must be a distribution.
      const ok = Array.isArray(row) && row.length === data.nActions &&
        row.every((p) => typeof p === "number" && p >= 0 && p <= 1) &&
        Math.abs(row.reduce((s, p) => s + p, 0) - 1) <= 1e-9;
      if (!ok) {
        throw new TinyRnnInputError(
          `${where}, trial ${t}, field "softTargets": expected ${data.nActions} probabilities summing to 1, got ${
            JSON.stringify(row)
          }`,
        );
      }
    });
  }
  if (block.internal !== undefined) sameLength("internal", block.internal, T + 1);
  if (block.schedule !== undefined) {
    sameLength("schedule.rewardProbs", block.schedule.rewardProbs);
    if (block.schedule.transitionProbs !== undefined) {
      sameLength("schedule.transitionProbs", block.schedule.transitionProbs);
    }
  }

  const fail = (t: number, field: TrialField, message: string): never => {
    const line = csv?.lines[b]?.[t];
    if (line !== undefined) {
      const column = csv?.columns[field];
      const file = context.source ?? "CSV";
      throw new TinyRnnInputError(
        `${file} line ${line}, ${
          column !== undefined ? `column ${JSON.stringify(column)}` : field
        }: ${message}`,
      );
    }
    throw new TinyRnnInputError(`${where}, trial ${t}, field "${field}": ${message}`);
  };
  // CSV cells are quoted in messages because the user knows them as text; in-memory values are shown bare.
  const show = (value: unknown) =>
    csv && typeof value === "number"
      ? JSON.stringify(String(value))
      : typeof value === "number"
      ? String(value)
      : JSON.stringify(value) ?? String(value);
  const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

  const nActions = data.nActions;
  const actionRange = nActions === 1 ? "0" : `an integer in 0..${nActions - 1}`;
  for (let t = 0; t < T; t++) {
    const action = block.action[t];
    if (!isInteger(action) || action < 0 || action >= nActions) {
      // The usual cause is 1-based coding (e.g. hBayesDM's choice 1/2): say so.
      const hint = action === nActions ? " (actions are 0-based: recode 1..n as 0..n-1)" : "";
      fail(t, "action", `expected ${actionRange}, got ${show(action)}${hint}`);
    }
    const state = block.state[t];
    if (data.kind === "bandit") {
      if (state !== action) {
        fail(t, "state", `expected the action (${action}) in a bandit data set, got ${show(state)}`);
      }
    } else if (!isInteger(state) || state < 0 || state > 1) {
      fail(t, "state", `expected a second-stage state 0 or 1, got ${show(state)}`);
    }
    const reward = block.reward[t];
    if (binaryReward) {
      if (reward !== 0 && reward !== 1) {
        const hint = reward === -1 ? " (recode -1/+1 outcomes as 0/1)" : "";
        fail(t, "reward", `expected 0 or 1, got ${show(reward)}${hint}`);
      }
    } else if (typeof reward !== "number" || !Number.isFinite(reward)) {
      fail(t, "reward", `expected a finite number, got ${show(reward)}`);
    }
    if (block.mask !== undefined) {
      const m = block.mask[t];
      // 0/1 only, as in the original: trial counts (the sums of masks) must be whole numbers.
      if (m !== 0 && m !== 1) {
        fail(t, "mask", `expected 0 or 1 (1 = scored, 0 = excluded), got ${show(m)}`);
      }
    }
    const expected = trialTypeOf(data.kind, action, state, rewardBit(reward, binaryReward));
    if (block.trialType[t] !== expected) {
      const formula = data.kind === "bandit" ? "2·action + reward" : "4·action + 2·state + reward";
      fail(
        t,
        "trialType",
        `expected ${expected} (${formula} in a ${data.kind} data set), got ${show(block.trialType[t])}`,
      );
    }
  }
}
