/**
 * What the file importers (Gillan, Akam logs, Suthaharan, Dezfouli, Feher da Silva, jsPsych) share: a trial
 * record that remembers its line, ragged delimited records, folder listing, and the step that turns records
 * into a validated `Dataset`.
 *
 * @module
 */

import { type Block, type Dataset, type TaskKind, trialTypeOf } from "./dataset.ts";
import { rewardBit, validateDataset } from "./validate.ts";
import { TinyRnnInputError } from "../options.ts";

/** One imported trial. */
export interface ImportedTrial {
  /** First-stage choice, 0-based (a placeholder 0 on a missed trial). */
  action: number;
  /** Second-stage state (the action for bandits). */
  state: number;
  /** Outcome (0/1, or points). */
  reward: number;
  /** 0 for a missed trial (time-out, no choice): fed to the model but not scored. Default 1. */
  mask?: number;
  /** Extra per-trial values. */
  extra?: Record<string, number | string>;
  /** 1-based line (or record number) in the source, for messages. */
  line?: number;
}

/** One imported block: a participant's session or block. */
export interface ImportedBlock {
  /** Block id, e.g. `"<participant>"` or `"<file>/<participant>/<block>"`. */
  id: string | number;
  /** Source file of the block, named in validation messages. */
  source: string;
  /** Subject identifier, kept as the block's `subject`. */
  subject?: string;
  /** The trials, in order. */
  trials: ImportedTrial[];
}

/** Settings of {@link finishImport}. */
export interface FinishOptions {
  /** Task kind of the data set. */
  kind: TaskKind;
  /** Number of first-stage actions. */
  nActions: number;
  /** Whether rewards are 0/1 (true) or points (false). */
  binaryReward: boolean;
  /** What to put in `meta` (the importer's name, the source path, ...). */
  meta: Record<string, unknown>;
  /** Name for messages when there are no blocks. */
  source: string;
}

/**
 * Blocks of imported trials as a validated data set: trial types from action, state and reward (r > 0 for
 * point rewards), masks only when a trial is masked, extras per block, the block's `subject`. A problem is reported with the file and line of the offending trial.
 *
 * @example
 * ```ts
 * import { finishImport } from "./import_helpers.ts";
 * const data = finishImport([{ id: "p1", source: "p1.csv", trials: [{ action: 1, state: 1, reward: 1, line: 2 }] }], {
 *   kind: "bandit",
 *   nActions: 2,
 *   binaryReward: true,
 *   meta: {},
 *   source: "p1.csv",
 * });
 * ```
 */
export function finishImport(blocks: readonly ImportedBlock[], options: FinishOptions): Dataset {
  const kept = blocks.filter((b) => b.trials.length > 0);
  if (kept.length === 0) throw new TinyRnnInputError(`${options.source}: no trials found`);
  const out: Block[] = kept.map((b) => {
    const trials = b.trials;
    const block: Block = {
      id: b.id,
      action: trials.map((t) => t.action),
      state: trials.map((t) => t.state),
      reward: trials.map((t) => t.reward),
      trialType: trials.map((t) =>
        trialTypeOf(options.kind, t.action, t.state, rewardBit(t.reward, options.binaryReward))
      ),
    };
    if (trials.some((t) => t.mask !== undefined && t.mask !== 1)) block.mask = trials.map((t) => t.mask ?? 1);
    const names = new Set(trials.flatMap((t) => Object.keys(t.extra ?? {})));
    if (b.subject !== undefined) block.subject = b.subject;
    if (names.size) {
      block.extra = {};
      for (const name of names) block.extra[name] = trials.map((t) => t.extra?.[name] ?? NaN);
    }
    return block;
  });
  const data: Dataset = { kind: options.kind, nActions: options.nActions, blocks: out, meta: options.meta };
  // Validate block by block so that a message names that block's file and line.
  kept.forEach((b, i) => {
    validateDataset({ ...data, blocks: [out[i]] }, {
      source: b.source,
      binaryReward: options.binaryReward,
      csv: { lines: [b.trials.map((t, k) => t.line ?? k + 1)], columns: {} },
    });
  });
  return data;
}

/** One record of a delimited file whose rows may have different numbers of fields. */
export interface RaggedRecord {
  /** 1-based line on which the record starts. */
  line: number;
  /** The fields, unquoted, untrimmed. */
  cells: string[];
}

/**
 * Split delimited text into records (RFC 4180 quotes; rows may differ in length; blank lines skipped).
 *
 * @example
 * ```ts
 * import { splitRecords } from "./import_helpers.ts";
 * splitRecords('a,"b,c"\n1\n'); // [{ line: 1, cells: ["a", "b,c"] }, { line: 2, cells: ["1"] }]
 * ```
 */
export function splitRecords(text: string, delimiter = ","): RaggedRecord[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: RaggedRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  const endRecord = () => {
    cells.push(cell);
    if (touched || cells.length > 1 || cell !== "") records.push({ line: start, cells });
    cells = [];
    cell = "";
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') (cell += '"', i++);
        else quoted = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"') (quoted = true, touched = true);
    else if (ch === delimiter) (cells.push(cell), cell = "", touched = true);
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== "" || cells.length) endRecord();
  return records;
}

/**
 * The files of a folder whose names match `pattern`, sorted by name; a single file is returned as is.
 *
 * @example
 * ```ts
 * import { listFiles } from "./import_helpers.ts";
 * const files = listFiles("logs/", /\.txt$/);
 * ```
 */
export function listFiles(path: string, pattern: RegExp): string[] {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    throw new TinyRnnInputError(`${path}: no such file or folder`);
  }
  if (!info.isDirectory) return [path];
  const names = [...Deno.readDirSync(path)].filter((e) => e.isFile && pattern.test(e.name)).map((e) => e.name)
    .sort();
  if (names.length === 0) throw new TinyRnnInputError(`${path}: no files matching ${pattern} in this folder`);
  return names.map((n) => `${path.replace(/\/+$/, "")}/${n}`);
}

/**
 * A path's last component without its extension.
 *
 * @example
 * ```ts
 * import { baseName } from "./import_helpers.ts";
 * baseName("data/p01_game.csv"); // "p01_game"
 * ```
 */
export function baseName(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Whether a cell is a missing value: empty, NaN, NA, null, or (for time-outs) -1.
 *
 * @example
 * ```ts
 * import { isMissingText } from "./import_helpers.ts";
 * isMissingText("NaN"); // true
 * isMissingText("-1", true); // true: a time-out
 * ```
 */
export function isMissingText(text: string, minusOne = false): boolean {
  const t = text.trim().toLowerCase();
  return t === "" || t === "nan" || t === "na" || t === "null" || t === "n/a" ||
    (minusOne && Number(t) === -1);
}
