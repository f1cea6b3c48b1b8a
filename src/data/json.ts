/**
 * A data set as JSON: a complete, lossless copy (metadata, schedules, choice probabilities and internal
 * variables included), validated when read.
 *
 * NaN, ±Infinity and -0, which JSON cannot spell, are written as `{"$float": "NaN"}` (etc.) and read back.
 *
 * @module
 */

import { type Block, type Dataset, trialTypeOf } from "./dataset.ts";
import { readText, writeText } from "./files.ts";
import { rewardBit, validateDataset } from "./validate.ts";
import { rejectUnknownKeys, suggest, TinyRnnInputError } from "../options.ts";

/** The value of the `format` field that marks a tinyrnn data set file. */
export const JSON_FORMAT = "tinyrnn-dataset";
const JSON_VERSION = 1;

/** Options of {@link fromJson} and {@link loadJson}. */
export interface JsonReadOptions {
  /** File name used in messages (set by `loadJson`). Default: `"JSON"`. */
  source?: string;
  /** Require rewards of exactly 0 or 1. Default `true` (see `validateDataset`). */
  binaryReward?: boolean;
}

const READ_OPTIONS = ["source", "binaryReward"] as const;
const TOP_KEYS = ["format", "version", "kind", "nActions", "meta", "blocks"] as const;
const BLOCK_KEYS = [
  "id",
  "subject",
  "action",
  "state",
  "reward",
  "trialType",
  "mask",
  "extra",
  "schedule",
  "choiceProbs",
  "softTargets",
  "internal",
] as const;

/**
 * The JSON text of a data set (validated first). `fromJson(toJson(d))` deep-equals `d`.
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks, toJson } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const text = toJson(data);
 * ```
 */
export function toJson(data: Dataset): string {
  validateDataset(data, { binaryReward: false });
  const { kind, nActions, meta } = data;
  // A fixed key order makes the text a function of the content alone.
  const blocks = data.blocks.map((block) =>
    Object.fromEntries(
      BLOCK_KEYS.filter((key) => block[key] !== undefined).map((key) => [key, block[key]]),
    )
  );
  const document = { format: JSON_FORMAT, version: JSON_VERSION, kind, nActions, meta, blocks };
  return JSON.stringify(document, (_key, value) => (typeof value === "number" ? encodeFloat(value) : value)) +
    "\n";
}

/**
 * Read a data set from JSON text written by {@link toJson} (or by hand: `trialType` may be left out and is
 * then computed; `state` may be left out for bandits). Structure and values are validated.
 *
 * @example
 * ```ts
 * const data = fromJson('{"kind":"bandit","nActions":2,"blocks":[{"action":[0,1],"reward":[1,0]}]}');
 * ```
 */
export function fromJson(text: string, options: JsonReadOptions = {}): Dataset {
  rejectUnknownKeys("fromJson", options, READ_OPTIONS);
  const source = options.source ?? "JSON";
  const binaryReward = options.binaryReward ?? true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value) => decodeFloat(value));
  } catch (error) {
    throw new TinyRnnInputError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new TinyRnnInputError(`${source}: expected a JSON object with kind, nActions and blocks`);
  }
  const document = parsed as Record<string, unknown>;
  rejectKeys(`${source}`, document, TOP_KEYS);
  if (document.format !== undefined && document.format !== JSON_FORMAT) {
    throw new TinyRnnInputError(
      `${source}: format is ${JSON.stringify(document.format)}, expected ${JSON.stringify(JSON_FORMAT)}`,
    );
  }
  if (document.version !== undefined && document.version !== JSON_VERSION) {
    throw new TinyRnnInputError(
      `${source}: written by a newer tinyrnn (version ${document.version}); this one reads version ${JSON_VERSION}`,
    );
  }
  if (!Array.isArray(document.blocks)) throw new TinyRnnInputError(`${source}: blocks must be an array`);
  const kind = document.kind as Dataset["kind"];
  const blocks = (document.blocks as unknown[]).map((raw, b) => readBlock(raw, `${source}: block ${b}`));
  for (const block of blocks) {
    block.state ??= block.action.slice();
    block.trialType ??= block.action.map((a, t) =>
      trialTypeOf(kind, a, block.state[t], rewardBit(block.reward[t], binaryReward))
    );
  }
  const data: Dataset = { kind, nActions: document.nActions as number, blocks };
  if (document.meta !== undefined) data.meta = document.meta as Record<string, unknown>;
  validateDataset(data, { source, binaryReward });
  return data;
}

/**
 * Write a data set as a JSON file (see {@link toJson}); creates the parent folder if needed.
 *
 * @example
 * ```ts
 * import { cognitive, saveJson, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * saveJson(data, "results/data.json");
 * ```
 */
export function saveJson(data: Dataset, path: string): void {
  writeText(path, toJson(data));
}

/**
 * Read a data set from a JSON file (see {@link fromJson}); messages name the file.
 *
 * @example
 * ```ts
 * const data = loadJson("results/data.json");
 * ```
 */
export function loadJson(path: string, options: Omit<JsonReadOptions, "source"> = {}): Dataset {
  rejectUnknownKeys("loadJson", options, READ_OPTIONS.filter((o) => o !== "source"));
  return fromJson(readText(path), { ...options, source: path });
}

function encodeFloat(value: number): number | { $float: string } {
  if (Number.isFinite(value) && !Object.is(value, -0)) return value;
  return { $float: Object.is(value, -0) ? "-0" : String(value) };
}

function decodeFloat(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const tag = (value as { $float?: unknown }).$float;
    if (keys.length === 1 && typeof tag === "string") {
      const decoded = { "NaN": NaN, "Infinity": Infinity, "-Infinity": -Infinity, "-0": -0 }[tag];
      if (decoded !== undefined) return decoded;
    }
  }
  return value;
}

function rejectKeys(where: string, object: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      const hint = suggest(key, allowed);
      throw new TinyRnnInputError(
        `${where}: unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}; fields: ${
          allowed.join(", ")
        }`,
      );
    }
  }
}

function readBlock(raw: unknown, where: string): Block {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new TinyRnnInputError(`${where} must be an object`);
  }
  const object = raw as Record<string, unknown>;
  rejectKeys(where, object, BLOCK_KEYS);
  const numbers = (name: string, value: unknown, required: boolean): number[] | undefined => {
    if (value === undefined && !required) return undefined;
    if (!Array.isArray(value)) throw new TinyRnnInputError(`${where}: ${name} must be an array of numbers`);
    value.forEach((v, t) => {
      if (typeof v !== "number") {
        throw new TinyRnnInputError(
          `${where}, trial ${t}, field "${name}": expected a number, got ${JSON.stringify(v)}`,
        );
      }
    });
    return value as number[];
  };
  const matrix = (name: string, value: unknown): number[][] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw new TinyRnnInputError(`${where}: ${name} must be an array of rows`);
    return value.map((row, t) => numbers(`${name}[${t}]`, row, true)!);
  };
  const block = {
    action: numbers("action", object.action, true)!,
    state: numbers("state", object.state, false),
    reward: numbers("reward", object.reward, true)!,
    trialType: numbers("trialType", object.trialType, false),
  } as Block;
  if (object.id !== undefined) {
    if (typeof object.id !== "number" && typeof object.id !== "string") {
      throw new TinyRnnInputError(`${where}: id must be a number or a string`);
    }
    block.id = object.id;
  }
  if (object.subject !== undefined) {
    if (typeof object.subject !== "string") throw new TinyRnnInputError(`${where}: subject must be a string`);
    block.subject = object.subject;
  }
  const mask = numbers("mask", object.mask, false);
  if (mask) block.mask = mask;
  if (object.extra !== undefined) {
    if (object.extra === null || typeof object.extra !== "object" || Array.isArray(object.extra)) {
      throw new TinyRnnInputError(`${where}: extra must be an object of columns`);
    }
    for (const [name, column] of Object.entries(object.extra)) {
      if (!Array.isArray(column) || column.some((v) => typeof v !== "number" && typeof v !== "string")) {
        throw new TinyRnnInputError(
          `${where}: extra column "${name}" must be an array of numbers and strings`,
        );
      }
    }
    block.extra = object.extra as Record<string, (number | string)[]>;
  }
  if (object.schedule !== undefined) {
    const schedule = object.schedule as Record<string, unknown>;
    if (schedule === null || typeof schedule !== "object") {
      throw new TinyRnnInputError(`${where}: schedule must be an object`);
    }
    rejectKeys(`${where} schedule`, schedule, ["rewardProbs", "transitionProbs"]);
    block.schedule = { rewardProbs: matrix("schedule.rewardProbs", schedule.rewardProbs ?? null)! };
    const transitionProbs = numbers("schedule.transitionProbs", schedule.transitionProbs, false);
    if (transitionProbs) block.schedule.transitionProbs = transitionProbs;
  }
  const choiceProbs = matrix("choiceProbs", object.choiceProbs);
  if (choiceProbs) block.choiceProbs = choiceProbs;
  const softTargets = matrix("softTargets", object.softTargets);
  if (softTargets) block.softTargets = softTargets;
  const internal = matrix("internal", object.internal);
  if (internal) block.internal = internal;
  return block;
}
