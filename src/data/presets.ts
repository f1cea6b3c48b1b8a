/**
 * Column presets for delimited files in layouts researchers already have (hBayesDM's reversal and two-step
 * files, the tidy layout, the Bartolo CSV): each preset turns the rows of such a file into a `Dataset`,
 * with subjects or sessions as blocks and, optionally, long sessions cut into segments (as the original's dataset loaders do).
 *
 * @module
 */

import type { Block, Dataset, TaskKind } from "./dataset.ts";
import { trialTypeOf } from "./dataset.ts";
import { type CsvCell, type CsvRow, type CsvTable, parseCsvTable } from "./csv_table.ts";
import { readText } from "./files.ts";
import { parseNumberText } from "./number_text.ts";
import { type CsvOrigin, rewardBit, validateDataset } from "./validate.ts";
import { FILE_PRESETS, type FilePresetName, loadFilePreset } from "./file_presets.ts";
import { checkChoice, checkNumber, rejectUnknownKeys, suggest, TinyRnnInputError } from "../options.ts";

/** Names of the built-in presets. */
export type PresetName = "hbayesdmReversal" | "hbayesdmTwoStep" | "tidy" | "bartolo" | "bahrami";

/** Every name `loadPreset` reads: the delimited-file presets and the file importers (folders, MAT files, logs). */
export type LoadPresetName = PresetName | FilePresetName;

/** One trial as a preset reads it from a row. */
export interface PresetTrial {
  /** First-stage choice, 0-based. */
  action: number;
  /** Second-stage state (the action for bandits). */
  state: number;
  /** Outcome, 0 or 1. */
  reward: number;
  /** Trial weight in [0, 1]; absent = 1. */
  mask?: number;
  /** Per-trial extra values under the preset's own names. */
  extra?: Record<string, number | string>;
}

/** Typed access to the cells of one row, with errors that name the file, line and column. */
export interface PresetRow {
  /** 1-based line of the file. */
  readonly line: number;
  /** Whether the file has this (preset) column. */
  has(column: string): boolean;
  /** The cell's text, trimmed. */
  text(column: string): string;
  /** The cell as a number. */
  number(column: string): number;
  /** The cell as one of `allowed` numbers. */
  oneOf(column: string, allowed: readonly number[]): number;
  /** The cell as one of `allowed` strings. */
  label(column: string, allowed: readonly string[]): string;
  /** An input error about this row's cell in `column`, naming the file, line and file column. */
  error(column: string, message: string): TinyRnnInputError;
}

/** A layout: which columns it needs and how a row becomes a trial. */
export interface CsvPreset {
  /** The preset's name, used in messages (the key of {@link PRESETS} for built-in presets). */
  readonly name: string;
  /** One line for users, including the coding of each column. */
  readonly description: string;
  /** Task kind, or `"auto"`: bandit when state equals action on every trial, else two-stage. */
  readonly kind: TaskKind | "auto";
  /** Columns the file must have. */
  readonly required: readonly string[];
  /** Columns read when present. */
  readonly optional: readonly string[];
  /** Columns whose values, together, name a block (subject, session); absent optional ones are skipped. */
  readonly blockBy: readonly string[];
  /**
   * Column naming each block's subject (`block.subject`, its text); one value per block. Default: none, or
   * ignored when the file lacks the column.
   */
  readonly subjectBy?: string;
  /** Column that orders the trials within a block; file order when absent from the preset or the file. */
  readonly trialBy?: string;
  /** Keep the file's other columns as extras (numbers where they parse, else strings). */
  readonly keepOtherColumns: boolean;
  /** Number of first-stage actions, when the layout fixes it. Default: the `nActions` option (2). */
  readonly nActions?: number;
  /** False when rewards are points rather than 0/1. Default true. */
  readonly binaryReward?: boolean;
  /** Columns whose missing values `trial` handles itself (a time-out becomes a masked trial). Default none. */
  readonly missingHandled?: readonly string[];
  /** Rows to keep; rows it rejects are dropped before blocks are built. */
  readonly keepRow?: (row: PresetRow) => boolean;
  /** The trial a row holds; `nActions` is the data set's number of first-stage actions. */
  readonly trial: (row: PresetRow, nActions: number) => PresetTrial;
}

/** What a missing value (empty, `NA`, `NaN`, `N/A`) in a column the preset reads does. */
export type MissingPolicy = "error" | "drop";

/** Options of {@link applyPreset}, {@link parsePreset} and {@link loadPreset}. */
export interface PresetOptions {
  /**
   * The file's name for a preset column whose name differs, e.g. `{ subjID: "subject" }`. Default: the
   * preset's names.
   */
  columns?: Record<string, string>;
  /** `"error"` (default): a missing value is an error naming line and column; `"drop"`: the row is skipped. */
  missing?: MissingPolicy;
  /**
   * Trials `[start, end)` kept of every block (0-based), applied before segmentation; blocks shorter than
   * `end` are dropped (as the original does for Miller rats). Default: all trials.
   */
  blockTruncation?: readonly [number, number];
  /**
   * Cut blocks longer than this into `ceil(n / L)` nearly equal segments of `ceil(n / ceil(n / L))` trials
   * (the last one shorter), as the original's `_segment_long_block`. Default: no segmentation.
   */
  maxSegmentLength?: number;
  /** Number of first-stage actions, for the tidy preset. Default 2. */
  nActions?: number;
  /** Field delimiter. Default: a tab when the header has tabs and no commas, else a comma. */
  delimiter?: string;
  /** File name for messages (set by {@link loadPreset}). Default `"CSV"`. */
  source?: string;
}

const OPTIONS = [
  "columns",
  "missing",
  "blockTruncation",
  "maxSegmentLength",
  "nActions",
  "delimiter",
  "source",
] as const;
const MISSING_TEXT = new Set(["", "na", "nan", "n/a", "null"]);

/**
 * hBayesDM's probabilistic reversal-learning layout (`prl_*` models): `subjID`, `choice` (1 or 2),
 * `outcome` (1 = reward, -1 = loss), tab-delimited; an optional `block` column (the `*_multipleB` models)
 * splits a subject into several blocks. action = choice - 1, reward = 1 when outcome is 1 else 0.
 */
const HBAYESDM_REVERSAL: CsvPreset = {
  name: "hbayesdmReversal",
  description: "hBayesDM reversal learning: subjID, choice (1/2), outcome (1/-1) [, block]",
  kind: "bandit",
  required: ["subjID", "choice", "outcome"],
  optional: ["block"],
  blockBy: ["subjID", "block"],
  subjectBy: "subjID",
  keepOtherColumns: true,
  trial(row) {
    const action = row.oneOf("choice", [1, 2]) - 1;
    const reward = row.oneOf("outcome", [1, -1]) === 1 ? 1 : 0;
    return { action, state: action, reward };
  },
};

/**
 * hBayesDM's two-step layout (`ts_par4/6/7`, Daw et al. 2011): `subjID`, `level1_choice` (1 or 2),
 * `level2_choice` (1-4 = stimuli 3-6), `reward` (0/1). In hBayesDM's coding stimulus 1 leads commonly to the
 * pair 3 & 4 and stimulus 2 to the pair 5 & 6, so the second-stage state is the pair: level2_choice 1 or 2
 * -> state 0, 3 or 4 -> state 1; action = level1_choice - 1. A common transition is then state == action,
 * the convention of tinyrnn's two-stage tasks. The second-stage choice within the pair is kept as the extra
 * `stage2Choice` (0/1).
 */
const HBAYESDM_TWO_STEP: CsvPreset = {
  name: "hbayesdmTwoStep",
  description:
    "hBayesDM two-step: subjID, level1_choice (1/2), level2_choice (1-4; 1,2 -> state 0, 3,4 -> state 1), reward (0/1)",
  kind: "twoStage",
  required: ["subjID", "level1_choice", "level2_choice", "reward"],
  optional: [],
  blockBy: ["subjID"],
  subjectBy: "subjID",
  keepOtherColumns: true,
  trial(row) {
    const action = row.oneOf("level1_choice", [1, 2]) - 1;
    const second = row.oneOf("level2_choice", [1, 2, 3, 4]) - 1;
    const reward = row.oneOf("reward", [0, 1]);
    return { action, state: second >> 1, reward, extra: { stage2Choice: second & 1 } };
  },
};

/**
 * The tidy layout: `block`, `action` (0..nActions-1), `reward` (0/1), optional `trial` (orders the rows of
 * a block), `state` (default: the action), `mask` (0..1) and `subject` (one per block); other columns are kept
 * as extras.
 */
const TIDY: CsvPreset = {
  name: "tidy",
  description: "tidy: block, action, reward [, trial, state, mask, extras...]",
  kind: "auto",
  required: ["block", "action", "reward"],
  optional: ["trial", "state", "mask", "subject"],
  blockBy: ["block"],
  subjectBy: "subject",
  // An empty subject cell means "no subject", as in the tidy CSV reader.
  missingHandled: ["subject"],
  trialBy: "trial",
  keepOtherColumns: true,
  trial(row, nActions) {
    const actions = Array.from({ length: nActions }, (_, a) => a);
    const action = row.oneOf("action", actions);
    // A two-stage state is 0 or 1, which validation checks once the kind is known.
    const state = row.has("state") ? row.oneOf("state", actions) : action;
    const trial: PresetTrial = { action, state, reward: row.oneOf("reward", [0, 1]) };
    if (row.has("mask")) {
      const mask = row.number("mask");
      if (!(mask >= 0 && mask <= 1)) throw row.error("mask", `expected a number in [0, 1], got ${mask}`);
      trial.mask = mask;
    }
    return trial;
  },
};

/**
 * The Bartolo CSV of `shared/data` (one row per trial: `session`, `block`, `block_type` what/where,
 * `trial_in_block`, `chosen_image`, `chosen_location`, `reward`, `programmed_reversal`, `block_completed`,
 * ...). As `loadBartolo`: only completed blocks, action = chosen image in "what" blocks and chosen location
 * in "where" blocks; extras `blockType`, `reversal`, `trialInBlock`; block ids `"<session>/<block>"`.
 * Add `blockTruncation: [10, 70]` for the paper's 60-trial blocks.
 */
const BARTOLO: CsvPreset = {
  name: "bartolo",
  description:
    "Bartolo CSV: session, block, block_type (what/where), trial_in_block, chosen_image, chosen_location, reward, programmed_reversal, block_completed",
  kind: "bandit",
  required: [
    "session",
    "block",
    "block_type",
    "trial_in_block",
    "chosen_image",
    "chosen_location",
    "reward",
    "programmed_reversal",
    "block_completed",
  ],
  optional: [],
  blockBy: ["session", "block"],
  trialBy: "trial_in_block",
  keepOtherColumns: false,
  keepRow: (row) => row.oneOf("block_completed", [0, 1]) === 1,
  trial(row) {
    const blockType = row.label("block_type", ["what", "where"]);
    const action = row.oneOf(blockType === "what" ? "chosen_image" : "chosen_location", [0, 1]);
    return {
      action,
      state: action,
      reward: row.oneOf("reward", [0, 1]),
      extra: {
        blockType,
        reversal: row.oneOf("programmed_reversal", [0, 1]),
        trialInBlock: row.number("trial_in_block"),
      },
    };
  },
};

/**
 * The four-armed bandit CSV of Bahrami & Navajas's online study: `session` (one participant), `choice`
 * (1..4), `reward` (points 1..100), `rt`, `payoff_group`, `reward_c1`..`reward_c4` (every arm's payoff on
 * the trial), 150 trials per session. action = choice − 1; rewards stay points (`binaryReward` false). An
 * empty or NaN choice (a missed trial) is kept, masked: mask 0, action and reward 0, extra `missed` 1. The
 * other columns are kept as extras; the block id and the subject are the session, which is the participant.
 */
const BAHRAMI: CsvPreset = {
  name: "bahrami",
  description:
    "Bahrami 4-arm bandit: session, choice (1-4, empty = missed), reward (points) [, rt, payoff_group, reward_c1..4]",
  kind: "bandit",
  nActions: 4,
  binaryReward: false,
  missingHandled: ["choice", "reward"],
  required: ["session", "choice", "reward"],
  optional: [],
  blockBy: ["session"],
  // A session is one participant: it names the subject too (distillation needs one per block).
  subjectBy: "session",
  keepOtherColumns: true,
  trial(row) {
    const gone = (column: string) => MISSING_TEXT.has(row.text(column).toLowerCase());
    if (gone("choice")) return { action: 0, state: 0, reward: 0, mask: 0, extra: { missed: 1 } };
    const action = row.oneOf("choice", [1, 2, 3, 4]) - 1;
    if (gone("reward")) throw row.error("reward", "missing value on a trial with a choice");
    return { action, state: action, reward: row.number("reward"), extra: { missed: 0 } };
  },
};

/** The built-in presets by name. */
export const PRESETS: Readonly<Record<PresetName, CsvPreset>> = {
  hbayesdmReversal: HBAYESDM_REVERSAL,
  hbayesdmTwoStep: HBAYESDM_TWO_STEP,
  tidy: TIDY,
  bartolo: BARTOLO,
  bahrami: BAHRAMI,
};

/**
 * Split a block of `n` trials into segments of at most `maxLength`, as the original's `_segment_long_block`:
 * `ceil(n / maxLength)` segments of `ceil(n / segments)` trials, the last one shorter. Returns `[start, end)`
 * pairs.
 */
export function segmentBounds(n: number, maxLength: number): [number, number][] {
  const count = Math.ceil(n / maxLength);
  const length = Math.ceil(n / count);
  const bounds: [number, number][] = [];
  for (let k = 0; k < count; k++) bounds.push([k * length, Math.min(n, (k + 1) * length)]);
  return bounds;
}

/** {@link PresetRow} over one record of a table. */
class RowAccess implements PresetRow {
  constructor(
    private readonly record: CsvRow,
    private readonly columnIndex: ReadonlyMap<string, number>,
    private readonly fileColumn: (column: string) => string,
    private readonly source: string,
  ) {}
  get line(): number {
    return this.record.line;
  }
  has(column: string): boolean {
    return this.columnIndex.has(column);
  }
  error(column: string, message: string): TinyRnnInputError {
    return new TinyRnnInputError(
      `${this.source} line ${this.line}, column ${JSON.stringify(this.fileColumn(column))}: ${message}`,
    );
  }
  cell(column: string): CsvCell {
    const index = this.columnIndex.get(column);
    if (index === undefined) throw new Error(`preset reads column ${column}, which it does not declare`);
    return this.record.cells[index];
  }
  text(column: string): string {
    return this.cell(column).text.trim();
  }
  number(column: string): number {
    const text = this.text(column);
    const value = parseNumberText(text);
    if (value === undefined || !Number.isFinite(value)) {
      throw this.error(column, `expected a number, got ${JSON.stringify(text)}`);
    }
    return value;
  }
  oneOf(column: string, allowed: readonly number[]): number {
    const text = this.text(column);
    const value = parseNumberText(text);
    if (value === undefined || !allowed.includes(value)) {
      throw this.error(column, `expected ${listOf(allowed.map(String))}, got ${JSON.stringify(text)}`);
    }
    return value;
  }
  label(column: string, allowed: readonly string[]): string {
    const text = this.text(column);
    if (!allowed.includes(text)) {
      throw this.error(
        column,
        `expected ${listOf(allowed.map((a) => JSON.stringify(a)))}, got ${JSON.stringify(text)}`,
      );
    }
    return text;
  }
}

function listOf(items: string[]): string {
  return items.length <= 2 ? items.join(" or ") : `one of ${items.join(", ")}`;
}

function isMissing(cell: CsvCell): boolean {
  return !cell.quoted && MISSING_TEXT.has(cell.text.trim().toLowerCase());
}

function extraValue(cell: CsvCell): number | string {
  if (cell.quoted) return cell.text;
  if (cell.text.trim() === "") return NaN;
  return parseNumberText(cell.text) ?? cell.text;
}

/** Plain records (column name -> cell text) as a table, numbering lines as if read from a file with a header. */
function recordsToTable(records: readonly Record<string, string>[]): CsvTable {
  const header = records.length ? Object.keys(records[0]) : [];
  return {
    header,
    headerLine: 1,
    delimiter: ",",
    rows: records.map((record, i) => ({
      line: i + 2,
      cells: header.map((name) => ({ text: String(record[name] ?? ""), quoted: false })),
    })),
  };
}

function resolvePreset(preset: PresetName | CsvPreset, where: string): CsvPreset {
  if (typeof preset === "object" && preset !== null) return preset;
  return PRESETS[checkChoice(where, "preset", preset, Object.keys(PRESETS) as PresetName[])];
}

interface PendingTrial extends PresetTrial {
  line: number;
  order: number;
}

/**
 * Build a data set from the rows of a delimited file with a preset. Blocks are the distinct values of the
 * preset's block columns, in order of first appearance (rows of a block need not be contiguous); trials are
 * ordered by the preset's trial column when the file has one, else by file order. Then `blockTruncation`
 * and `maxSegmentLength` apply. Errors name the source, line and column.
 *
 * @param rows a table from `parseCsvTable`, or plain records (column -> text, numbered from line 2).
 * @example
 * ```ts
 * const data = applyPreset([{ subjID: "s1", choice: "1", outcome: "-1" }], "hbayesdmReversal");
 * ```
 */
export function applyPreset(
  rows: CsvTable | readonly Record<string, string>[],
  preset: PresetName | CsvPreset,
  options: PresetOptions = {},
): Dataset {
  const where = "applyPreset";
  rejectUnknownKeys(where, options, OPTIONS);
  const spec = resolvePreset(preset, where);
  const source = options.source ?? "CSV";
  const missing = checkChoice(where, "missing", options.missing ?? "error", ["error", "drop"] as const);
  const nActions = checkNumber(where, "nActions", options.nActions ?? spec.nActions ?? 2, {
    min: 2,
    integer: true,
  });
  const binaryReward = spec.binaryReward ?? true;
  const truncation = options.blockTruncation === undefined
    ? undefined
    : checkTruncation(options.blockTruncation);
  const maxSegment = options.maxSegmentLength === undefined
    ? undefined
    : checkNumber(where, "maxSegmentLength", options.maxSegmentLength, { min: 1, integer: true });
  const table = Array.isArray(rows) ? recordsToTable(rows) : rows as CsvTable;

  // Map preset columns to the file's columns.
  const columns = options.columns ?? {};
  rejectUnknownKeys(`${where} columns`, columns, [...spec.required, ...spec.optional]);
  const fileColumn = (column: string) => columns[column] ?? column;
  const columnIndex = new Map<string, number>();
  for (const column of [...spec.required, ...spec.optional]) {
    const index = table.header.indexOf(fileColumn(column));
    if (index >= 0) columnIndex.set(column, index);
    else if (spec.required.includes(column)) {
      const hint = suggest(fileColumn(column), table.header);
      throw new TinyRnnInputError(
        `${source} line ${table.headerLine}: the ${spec.name} preset needs a column ${
          JSON.stringify(fileColumn(column))
        }, which the header lacks${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}; the header has: ${
          table.header.join(", ")
        }${columns[column] === undefined ? ` (map it with columns: { ${column}: "<name>" })` : ""}`,
      );
    }
  }
  const read = new Set(columnIndex.values());
  const otherColumns = spec.keepOtherColumns ? table.header.map((_, i) => i).filter((i) => !read.has(i)) : [];
  const blockColumns = spec.blockBy.filter((c) => columnIndex.has(c));
  const trialColumn = spec.trialBy !== undefined && columnIndex.has(spec.trialBy) ? spec.trialBy : undefined;

  // Rows to trials, grouped by block key.
  const subjectColumn = spec.subjectBy !== undefined && columnIndex.has(spec.subjectBy)
    ? spec.subjectBy
    : undefined;
  const groups = new Map<string, { id: string | number; subject?: string; trials: PendingTrial[] }>();
  let dropped = 0;
  let skipped = 0;
  table.rows.forEach((record, order) => {
    const row = new RowAccess(record, columnIndex, fileColumn, source);
    for (const [column, index] of columnIndex) {
      if (isMissing(record.cells[index]) && !spec.missingHandled?.includes(column)) {
        if (missing === "drop") {
          dropped++;
          return;
        }
        throw row.error(column, `missing value; pass missing: "drop" to skip rows with missing values`);
      }
    }
    if (spec.keepRow && !spec.keepRow(row)) {
      skipped++;
      return;
    }
    const trial = spec.trial(row, nActions);
    if (spec.keepOtherColumns && otherColumns.length) {
      trial.extra = { ...trial.extra };
      for (const i of otherColumns) trial.extra[table.header[i]] = extraValue(record.cells[i]);
    }
    const labels = blockColumns.map((c) => row.text(c));
    const key = JSON.stringify(labels);
    let group = groups.get(key);
    if (!group) {
      const id = labels.length === 1 ? (parseNumberText(labels[0]) ?? labels[0]) : labels.join("/");
      group = { id, trials: [] };
      if (subjectColumn) group.subject = row.text(subjectColumn);
      groups.set(key, group);
    } else if (subjectColumn && row.text(subjectColumn) !== group.subject) {
      throw row.error(
        subjectColumn,
        `block ${JSON.stringify(group.id)} has subject ${JSON.stringify(group.subject)} and ${
          JSON.stringify(row.text(subjectColumn))
        }; a block holds the trials of one subject`,
      );
    }
    group.trials.push({ ...trial, line: record.line, order: trialColumn ? row.number(trialColumn) : order });
  });
  if (groups.size === 0) {
    throw new TinyRnnInputError(
      `${source}: no trials left${dropped ? ` (${dropped} rows dropped for missing values)` : ""}${
        skipped ? ` (${skipped} rows skipped by the ${spec.name} preset)` : ""
      }`,
    );
  }

  const blocks: Block[] = [];
  const lines: number[][] = [];
  let shortBlocks = 0;
  for (const group of groups.values()) {
    let trials = group.trials;
    if (trialColumn) {
      trials = trials.slice().sort((a, b) => a.order - b.order);
      for (let t = 1; t < trials.length; t++) {
        if (trials[t].order === trials[t - 1].order) {
          throw new TinyRnnInputError(
            `${source} line ${trials[t].line}, column ${JSON.stringify(fileColumn(trialColumn))}: trial ${
              trials[t].order
            } of block ${group.id} appears twice (also on line ${trials[t - 1].line})`,
          );
        }
      }
    }
    if (truncation) {
      if (trials.length < truncation[1]) {
        shortBlocks++;
        continue;
      }
      trials = trials.slice(truncation[0], truncation[1]);
    }
    const segments = maxSegment ? segmentBounds(trials.length, maxSegment) : [[0, trials.length]];
    segments.forEach(([start, end], k) => {
      const part = trials.slice(start, end);
      blocks.push(makeBlock(part, segments.length > 1 ? `${group.id}/${k}` : group.id, group.subject));
      lines.push(part.map((t) => t.line));
    });
  }
  if (blocks.length === 0) {
    throw new TinyRnnInputError(
      `${source}: every block is shorter than blockTruncation's end (${truncation?.[1]} trials)`,
    );
  }
  const kind: TaskKind = spec.kind !== "auto"
    ? spec.kind
    : blocks.every((b) => b.state.every((s, t) => s === b.action[t]))
    ? "bandit"
    : "twoStage";
  for (const block of blocks) {
    block.trialType = block.action.map((a, t) =>
      trialTypeOf(kind, a, block.state[t], rewardBit(block.reward[t], binaryReward))
    );
  }
  const data: Dataset = {
    kind,
    nActions,
    blocks,
    meta: {
      source,
      preset: spec.name,
      ...(dropped ? { droppedRows: dropped } : {}),
      ...(skipped ? { skippedRows: skipped } : {}),
      ...(shortBlocks ? { droppedShortBlocks: shortBlocks } : {}),
      ...(truncation ? { blockTruncation: truncation } : {}),
      ...(maxSegment ? { maxSegmentLength: maxSegment } : {}),
      ...(binaryReward ? {} : { binaryReward: false }),
    },
  };
  const origin: CsvOrigin = { lines, columns: {} };
  validateDataset(data, { source, csv: origin, binaryReward });
  return data;
}

function makeBlock(trials: PendingTrial[], id: string | number, subject: string | undefined): Block {
  const action = trials.map((t) => t.action);
  const block: Block = {
    id,
    action,
    state: trials.map((t) => t.state),
    reward: trials.map((t) => t.reward),
    trialType: [],
  };
  // Segments of a long block keep its subject: they are the same person's trials.
  if (subject !== undefined && subject !== "") block.subject = subject;
  if (trials.some((t) => t.mask !== undefined)) block.mask = trials.map((t) => t.mask ?? 1);
  const names = new Set(trials.flatMap((t) => Object.keys(t.extra ?? {})));
  if (names.size) {
    block.extra = {};
    for (const name of names) block.extra[name] = trials.map((t) => t.extra?.[name] ?? NaN);
  }
  return block;
}

function checkTruncation(value: unknown): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TinyRnnInputError(
      `applyPreset: blockTruncation must be [start, end], got ${JSON.stringify(value)}`,
    );
  }
  const start = checkNumber("applyPreset", "blockTruncation[0]", value[0], { min: 0, integer: true });
  const end = checkNumber("applyPreset", "blockTruncation[1]", value[1], { min: start + 1, integer: true });
  return [start, end];
}

/**
 * Build a data set from the text of a delimited file with a preset (see {@link applyPreset}).
 *
 * @example
 * ```ts
 * const data = parsePreset("subjID\tchoice\toutcome\n1\t2\t1\n", "hbayesdmReversal");
 * ```
 */
export function parsePreset(
  text: string,
  preset: PresetName | CsvPreset,
  options: PresetOptions = {},
): Dataset {
  rejectUnknownKeys("parsePreset", options, OPTIONS);
  const table = parseCsvTable(text, { delimiter: options.delimiter, source: options.source ?? "CSV" });
  return applyPreset(table, preset, options);
}

/**
 * Read a delimited file in a known layout. Presets: `"hbayesdmReversal"` (subjID, choice 1/2, outcome
 * +-1), `"hbayesdmTwoStep"` (subjID, level1_choice, level2_choice 1-4, reward), `"tidy"`, `"bartolo"`,
 * `"bahrami"` (4-arm bandit, points). File importers (a file or a folder; see `FILE_PRESETS`): `"gillan"`,
 * `"akamLog"`, `"suthaharan"` (MAT files), `"dezfouli"`, `"feherdasilva"`, `"jspsych"` (takes `columns`).
 *
 * @example
 * ```ts
 * const data = loadPreset("prl_exampleData.txt", "hbayesdmReversal", { maxSegmentLength: 150 });
 * ```
 */
export function loadPreset(
  path: string,
  preset: LoadPresetName | CsvPreset,
  options: Omit<PresetOptions, "source"> = {},
): Dataset {
  rejectUnknownKeys("loadPreset", options, OPTIONS.filter((o) => o !== "source"));
  if (typeof preset === "string" && Object.hasOwn(FILE_PRESETS, preset)) {
    return loadFilePreset(path, preset as FilePresetName, options as Record<string, unknown>);
  }
  if (typeof preset === "string" && !Object.hasOwn(PRESETS, preset)) {
    checkChoice("loadPreset", "preset", preset, [...Object.keys(PRESETS), ...Object.keys(FILE_PRESETS)]);
  }
  return parsePreset(readText(path), preset as PresetName | CsvPreset, { ...options, source: path });
}
