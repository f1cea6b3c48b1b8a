/**
 * The tidy CSV layout: one row per trial with the columns `block`, `trial`, `action`, `state`, `reward`, an
 * optional `mask`, an optional `subject`, and any extra columns, which are kept.
 *
 * Reading rules (documented for users in {@link parseCsv}):
 * - Rows of one block must be contiguous; blocks keep the order in which they first appear.
 * - Within a block, rows are ordered by the `trial` column when there is one (it needs not start at 0 or be
 *   sorted, but may not repeat), else by file order.
 * - A missing `state` column means state = action (a bandit).
 * - The data set's kind is `"bandit"` when state equals action on every trial, else `"twoStage"`, unless
 *   the `kind` option says otherwise.
 *
 * @module
 */

import { type Block, type Dataset, type TaskKind, trialTypeOf } from "./dataset.ts";
import { type CsvCell, type CsvRow, formatCsvField, scanCsvTable } from "./csv_table.ts";
import { formatNumberText, parseNumberText } from "./number_text.ts";
import { readText, writeText } from "./files.ts";
import { type CsvOrigin, rewardBit, type TrialField, validateDataset } from "./validate.ts";
import { checkChoice, checkNumber, rejectUnknownKeys, suggest, TinyRnnInputError } from "../options.ts";
import { withRecordedColumns } from "./recorded.ts";

/** A column of the tidy layout. */
export type CsvColumn = "block" | "trial" | "action" | "state" | "reward" | "mask" | "subject";

/** The tidy layout's own columns, in file order; every other column of a file is an extra. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  "block",
  "trial",
  "action",
  "state",
  "reward",
  "mask",
  "subject",
];

/** Options of {@link parseCsv} and {@link loadCsv}. */
export interface CsvReadOptions {
  /**
   * The file's name for each tidy column, for files that name them differently, e.g.
   * `{ block: "session", action: "choice", reward: "outcome" }`. Default: the tidy names.
   */
  columns?: Partial<Record<CsvColumn, string>>;
  /** `"bandit"` or `"twoStage"`. Default: `"bandit"` when state equals action on every trial, else `"twoStage"`. */
  kind?: TaskKind;
  /** Number of first-stage actions; actions must lie in [0, nActions). Default 2. */
  nActions?: number;
  /** Field delimiter. Default: a tab when the header line has tabs and no commas, else a comma. */
  delimiter?: string;
  /** Require rewards of exactly 0 or 1. Default `true` (see `validateDataset`). */
  binaryReward?: boolean;
  /** File name used in messages (set by `loadCsv`). Default: `"CSV"`. */
  source?: string;
}

/** Options of {@link toCsv} and {@link saveCsv}. */
export interface CsvWriteOptions {
  /** Field delimiter. Default `","`. */
  delimiter?: string;
  /**
   * Whether the simulation's recorded variables are written as extra columns (`p0`, `p1`, ..., `p_common`,
   * `p_action0`, ...; see `withRecordedColumns`), as `deno task simulate` does. Default true; blocks without
   * `schedule` or `choiceProbs` have none.
   */
  recorded?: boolean;
}

const READ_OPTIONS = ["columns", "kind", "nActions", "delimiter", "binaryReward", "source"] as const;
const WRITE_OPTIONS = ["delimiter", "recorded"] as const;

/**
 * Read a data set from the text of a tidy CSV file. Every problem is reported with the file, the 1-based line
 * and the column, e.g. `data.csv line 14, column "reward": expected 0 or 1, got "2"`.
 *
 * Rows of one block must be contiguous (a block that reappears after another is an error, which catches
 * unsorted files and block labels reused across subjects); within a block rows are ordered by `trial`.
 * Missing `state` means state = action. A `subject` column names each block's subject (`block.subject`, a
 * string; an empty cell means none); it must hold one value per block (a block with two subjects is an error
 * naming the line). Extra columns are kept per cell: an unquoted number becomes a number, an empty unquoted
 * cell NaN, anything else (quoted cells included) a string. Block labels that are not just
 * 0, 1, 2, ... in order are kept as `block.id`.
 *
 * @example
 * ```ts
 * const data = parseCsv("block,trial,action,reward\n0,0,1,1\n0,1,0,0\n", { source: "inline" });
 * ```
 */
export function parseCsv(text: string, options: CsvReadOptions = {}): Dataset {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TinyRnnInputError(`parseCsv: options must be an object, got ${JSON.stringify(options)}`);
  }
  rejectUnknownKeys("parseCsv", options, READ_OPTIONS);
  const source = options.source ?? "CSV";
  if (typeof text !== "string") {
    throw new TinyRnnInputError(
      `parseCsv: expected the text of a CSV file (a string), got ${
        text === null ? "null" : Array.isArray(text) ? "an array" : typeof text
      }; to read a file by name use loadCsv(path)`,
    );
  }
  const nActions = checkNumber("parseCsv", "nActions", options.nActions ?? 2, { min: 1, integer: true });
  const kindOption = options.kind === undefined
    ? undefined
    : checkChoice("parseCsv", "kind", options.kind, ["bandit", "twoStage"] as const);
  const binaryReward = options.binaryReward ?? true;
  // One pass over the records, keeping only each trial's numbers (no table of cells): files of millions of
  // rows fit in memory. A block is finished (ordered by trial, checked) when the next one starts.
  let header: string[] = [];
  let columnOf: Partial<Record<CsvColumn, string>> = {};
  let fieldIndex: Record<CsvColumn, number> = {
    block: -1,
    trial: -1,
    action: -1,
    state: -1,
    reward: -1,
    mask: -1,
    subject: -1,
  };
  let extraIndices: number[] = [];
  const index = (field: CsvColumn) => fieldIndex[field];
  const cellNumber = (row: CsvRow, column: number, integer = false): number => {
    const text = row.cells[column].text.trim();
    const where = `${source} line ${row.line}, column ${JSON.stringify(header[column])}`;
    if (text === "") throw new TinyRnnInputError(`${where}: missing value`);
    const value = parseNumberText(text);
    if (value === undefined) {
      throw new TinyRnnInputError(`${where}: expected a number, got ${JSON.stringify(text)}`);
    }
    if (integer && !Number.isInteger(value)) {
      throw new TinyRnnInputError(`${where}: expected an integer, got ${JSON.stringify(text)}`);
    }
    return value;
  };

  const blocks: Block[] = [];
  const lines: number[][] = [];
  const keys: (number | string)[] = [];
  const firstLine = new Map<number | string, number>();
  let current: BlockRows | undefined;
  const finish = () => {
    if (current === undefined) return;
    const { block, lines: blockLines } = finishBlock(current, header[index("trial")], source);
    blocks.push(block);
    lines.push(blockLines);
    current = undefined;
  };
  scanCsvTable(text, { delimiter: options.delimiter, source }, (names, headerLine) => {
    header = names;
    columnOf = resolveColumns(header, options.columns ?? {}, source, headerLine);
    fieldIndex = Object.fromEntries(
      CSV_COLUMNS.map((
        field,
      ) => [field, columnOf[field] === undefined ? -1 : header.indexOf(columnOf[field]!)]),
    ) as Record<CsvColumn, number>;
    const used = new Set(CSV_COLUMNS.map(index).filter((i) => i >= 0));
    extraIndices = header.map((_, i) => i).filter((i) => !used.has(i));
  }, (row) => {
    const key = blockKey(row, index("block"), header, source);
    if (current === undefined || current.key !== key) {
      if (firstLine.has(key)) {
        throw new TinyRnnInputError(
          `${source} line ${row.line}, column ${JSON.stringify(header[index("block")])}: block ${
            JSON.stringify(key)
          } appears again after other blocks (first seen on line ${
            firstLine.get(key)
          }); the rows of a block must be contiguous`,
        );
      }
      finish();
      firstLine.set(key, row.line);
      keys.push(key);
      current = {
        key,
        lines: [],
        trial: index("trial") < 0 ? undefined : [],
        action: [],
        state: index("state") < 0 ? undefined : [],
        reward: [],
        mask: index("mask") < 0 ? undefined : [],
        subject: undefined,
        extra: extraIndices.map((i) => ({ name: header[i], values: [] })),
      };
    }
    const acc = current;
    acc.lines.push(row.line);
    if (acc.trial) acc.trial.push(cellNumber(row, index("trial"), true));
    acc.action.push(cellNumber(row, index("action")));
    if (acc.state) acc.state.push(cellNumber(row, index("state")));
    acc.reward.push(cellNumber(row, index("reward")));
    if (acc.mask) acc.mask.push(cellNumber(row, index("mask")));
    if (index("subject") >= 0) readSubject(acc, row, index("subject"), header, source);
    for (let e = 0; e < extraIndices.length; e++) {
      acc.extra[e].values.push(extraValue(row.cells[extraIndices[e]]));
    }
  });
  finish();
  if (blocks.length === 0) {
    throw new TinyRnnInputError(`${source} has a header but no rows`);
  }

  const kind = kindOption ??
    inferKind(blocks, lines, source, index("state") >= 0 ? columnOf.state! : "state", nActions);
  for (const block of blocks) {
    block.trialType = block.action.map((a, t) =>
      trialTypeOf(kind, a, block.state[t], rewardBit(block.reward[t], binaryReward))
    );
  }
  const labelsArePositions = keys.every((key, b) => key === b);
  if (!labelsArePositions) keys.forEach((key, b) => (blocks[b].id = key));

  const data: Dataset = { kind, nActions, blocks };
  const columns: CsvOrigin["columns"] = {};
  for (const field of ["block", "action", "state", "reward", "mask"] as const) {
    if (index(field) >= 0) columns[field as TrialField | "block"] = columnOf[field];
  }
  validateDataset(data, { source, binaryReward, csv: { lines, columns } });
  return data;
}

/**
 * Below this share of trials with state != action, a file without `kind` is not guessed to be two-stage: a few
 * such rows are more likely typos in a bandit file than a two-stage task (where the rare transitions alone make
 * about 30% of trials differ).
 */
const FEW_TWO_STAGE_ROWS = 0.05;

/** `"bandit"` when state = action on every trial, `"twoStage"` when many differ; a few is an error. */
function inferKind(
  blocks: readonly Block[],
  lines: readonly number[][],
  source: string,
  stateColumn: string,
  nActions: number,
): TaskKind {
  let differ = 0;
  let total = 0;
  let first: { line: number; state: number; action: number } | undefined;
  blocks.forEach((block, b) => {
    for (let t = 0; t < block.action.length; t++) {
      total++;
      // A bad action is left to the validation, which names it.
      const action = block.action[t];
      if (!(Number.isInteger(action) && action >= 0 && action < nActions)) continue;
      if (block.state[t] !== action) {
        differ++;
        first ??= { line: lines[b][t], state: block.state[t], action: block.action[t] };
      }
    }
  });
  if (differ === 0) return "bandit";
  if (differ >= FEW_TWO_STAGE_ROWS * total) return "twoStage";
  throw new TinyRnnInputError(
    `${source} line ${first!.line}, column ${JSON.stringify(stateColumn)}: state ${
      first!.state
    } differs from action ${
      first!.action
    } on only ${differ} of ${total} trials, so the kind of task is unclear; if it is a bandit, fix those rows (state = action); if it is a two-stage task, say so with kind: "twoStage" (--kind twoStage)`,
  );
}

/**
 * Read a data set from a tidy CSV file (see {@link parseCsv} for the rules). `meta.source` is set to `path`.
 *
 * @example
 * ```ts
 * const data = loadCsv("session.csv", { columns: { block: "session", action: "choice" } });
 * ```
 */
export function loadCsv(path: string, options: Omit<CsvReadOptions, "source"> = {}): Dataset {
  rejectUnknownKeys("loadCsv", options, READ_OPTIONS.filter((o) => o !== "source"));
  checkCsvSize(path);
  const data = parseCsv(readText(path), { ...options, source: path });
  data.meta = { ...data.meta, source: path };
  return data;
}

/**
 * The largest CSV file read: its text must fit in one JavaScript string (V8 allows about 512 MiB of ASCII).
 */
export const MAX_CSV_BYTES = 500 * 2 ** 20;

/** Memory reading a CSV file takes, per byte of the file (measured: 1.1 GB for 210 MB of tidy rows). */
const CSV_MEMORY_PER_BYTE = 6;

/**
 * Refuse a file too large to read (naming its size) before reading it, rather than dying of memory: over
 * {@link MAX_CSV_BYTES}, or (when the free memory can be known) larger than the free memory allows.
 */
function checkCsvSize(path: string): void {
  let size: number;
  try {
    size = Deno.statSync(path).size;
  } catch {
    return; // readText names the problem
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  if (size > MAX_CSV_BYTES) {
    throw new TinyRnnInputError(
      `${path}: the file is ${mb(size)}, more than the ${
        mb(MAX_CSV_BYTES)
      } a CSV file may have; keep fewer rows or columns (e.g. one file per group of subjects)`,
    );
  }
  let available: number | undefined;
  try {
    available = Deno.systemMemoryInfo().available;
  } catch {
    available = undefined; // no --allow-sys: read and see
  }
  if (available !== undefined && available > 0 && size * CSV_MEMORY_PER_BYTE > available) {
    throw new TinyRnnInputError(
      `${path}: the file is ${mb(size)}; reading it needs about ${
        mb(size * CSV_MEMORY_PER_BYTE)
      } of memory, but only ${mb(available)} is free`,
    );
  }
}

/**
 * The tidy CSV text of a data set: header `block,trial,action,state,reward[,mask][,subject][,extras...]`, one
 * row per trial (`subject` when any block has one; a block without one gets an empty cell), numbers in their shortest round-trip form. Block labels (`id`) are written when every block has one
 * and they are unique, else 0-based block positions. Only per-trial columns are written: the simulation's
 * `schedule` and `choiceProbs` as the recorded columns `p0`, `p1`, ... and `p_action0`, ... (unless
 * `recorded: false`), but not `meta` or `internal` (use JSON for a complete copy).
 *
 * @example
 * ```ts
 * import { cognitive, simulate, tasks, toCsv } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const text = toCsv(data);
 * ```
 */
export function toCsv(input: Dataset, options: CsvWriteOptions = {}): string {
  rejectUnknownKeys("toCsv", options, WRITE_OPTIONS);
  const data = options.recorded === false ? input : withRecordedColumns(input);
  const delimiter = options.delimiter ?? ",";
  // Trial types then only need to be consistent; the writer does not care whether rewards are binary.
  validateDataset(data, { binaryReward: false });
  const hasMask = data.blocks.some((block) => block.mask !== undefined);
  const hasSubject = data.blocks.some((block) => block.subject !== undefined);
  const extraNames: string[] = [];
  for (const block of data.blocks) {
    for (const name of Object.keys(block.extra ?? {})) if (!extraNames.includes(name)) extraNames.push(name);
  }
  for (const name of extraNames) {
    if ((CSV_COLUMNS as readonly string[]).includes(name)) {
      throw new TinyRnnInputError(`toCsv: extra column "${name}" has the name of a tidy column; rename it`);
    }
  }
  const ids = data.blocks.map((block) => block.id);
  const useIds = ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
  const header = [
    "block",
    "trial",
    "action",
    "state",
    "reward",
    ...(hasMask ? ["mask"] : []),
    ...(hasSubject ? ["subject"] : []),
    ...extraNames,
  ];
  const out: string[] = [header.map((name) => formatCsvField(name, delimiter)).join(delimiter)];
  data.blocks.forEach((block, b) => {
    const label = formatValue(useIds ? block.id! : b, delimiter);
    for (let t = 0; t < block.action.length; t++) {
      const cells = [
        label,
        String(t),
        formatNumberText(block.action[t]),
        formatNumberText(block.state[t]),
        formatNumberText(block.reward[t]),
      ];
      if (hasMask) cells.push(formatNumberText(block.mask ? block.mask[t] : 1));
      // The reader takes a subject cell as text, so "007" stays "007"; empty means "no subject".
      if (hasSubject) cells.push(block.subject === undefined ? "" : formatCsvField(block.subject, delimiter));
      for (const name of extraNames) {
        const column = block.extra?.[name];
        cells.push(column === undefined ? "" : formatValue(column[t], delimiter));
      }
      out.push(cells.join(delimiter));
    }
  });
  return out.join("\n") + "\n";
}

/**
 * Write a data set as a tidy CSV file (see {@link toCsv}); creates the parent folder if needed.
 *
 * @example
 * ```ts
 * import { cognitive, saveCsv, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * saveCsv(data, "results/data.csv");
 * ```
 */
export function saveCsv(data: Dataset, path: string, options: CsvWriteOptions = {}): void {
  const text = toCsv(data, options);
  writeText(path, text);
}

function formatValue(value: number | string, delimiter: string): string {
  if (typeof value === "number") return formatNumberText(value);
  // A string that would read back as a number (or as NaN when empty) is quoted to stay a string.
  const looksNumeric = value.trim() === "" || parseNumberText(value) !== undefined;
  return formatCsvField(value, delimiter, looksNumeric);
}

function extraValue(cell: CsvCell): number | string {
  if (cell.quoted) return cell.text;
  if (cell.text.trim() === "") return NaN;
  return parseNumberText(cell.text) ?? cell.text;
}

/** The file's column for each tidy column, checking that the required ones exist. */
function resolveColumns(
  header: string[],
  mapping: Partial<Record<CsvColumn, string>>,
  source: string,
  headerLine: number,
): Partial<Record<CsvColumn, string>> {
  rejectUnknownKeys("loadCsv columns", mapping, CSV_COLUMNS);
  const resolved: Partial<Record<CsvColumn, string>> = {};
  const required: readonly CsvColumn[] = ["block", "action", "reward"];
  for (const field of CSV_COLUMNS) {
    const mapped = mapping[field];
    if (mapped !== undefined && typeof mapped !== "string") {
      throw new TinyRnnInputError(`loadCsv columns: ${field} must be a column name (a string)`);
    }
    const name = mapped ?? field;
    if (header.includes(name)) {
      resolved[field] = name;
    } else if (mapped !== undefined || required.includes(field)) {
      const hint = suggest(name, header);
      throw new TinyRnnInputError(
        `${source} line ${headerLine}: no column ${JSON.stringify(name)}${
          hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""
        }; columns found: ${header.join(", ")}${
          mapped === undefined ? `; map yours with columns: { ${field}: "<name>" }` : ""
        }`,
      );
    }
  }
  return resolved;
}

/** The rows of one block as they are read: each trial's numbers and file line, in file order. */
interface BlockRows {
  key: number | string;
  lines: number[];
  trial?: number[];
  action: number[];
  state?: number[];
  reward: number[];
  mask?: number[];
  /** The block's subject and the line it was first read on. */
  subject: { value: string; line: number } | undefined;
  extra: { name: string; values: (number | string)[] }[];
}

/** The subject of a row, checked to be the block's one subject (a block cannot mix subjects). */
function readSubject(rows: BlockRows, row: CsvRow, column: number, header: string[], source: string): void {
  const text = row.cells[column].text.trim();
  const where = `${source} line ${row.line}, column ${JSON.stringify(header[column])}`;
  if (rows.subject === undefined) {
    rows.subject = { value: text, line: row.line };
  } else if (rows.subject.value !== text) {
    throw new TinyRnnInputError(
      `${where}: block ${JSON.stringify(rows.key)} has subject ${
        JSON.stringify(rows.subject.value)
      } (line ${rows.subject.line}) and ${JSON.stringify(text)}; a block holds the trials of one subject`,
    );
  }
}

/** A record's block label: a number, or a string when it is quoted or not a number; empty or NaN is an error. */
function blockKey(row: CsvRow, column: number, header: string[], source: string): number | string {
  const cell = row.cells[column];
  if (!cell.quoted && cell.text.trim() === "") {
    throw new TinyRnnInputError(
      `${source} line ${row.line}, column ${JSON.stringify(header[column])}: missing value`,
    );
  }
  const key = extraValue(cell);
  if (typeof key === "number" && Number.isNaN(key)) {
    throw new TinyRnnInputError(
      `${source} line ${row.line}, column ${JSON.stringify(header[column])}: a block label cannot be NaN`,
    );
  }
  return key;
}

/** A block from its rows: ordered by the trial column when there is one (a trial may not repeat). */
function finishBlock(
  rows: BlockRows,
  trialColumn: string,
  source: string,
): { block: Block; lines: number[] } {
  let order: number[] | undefined;
  const trial = rows.trial;
  if (trial) {
    let sorted = true;
    for (let k = 1; k < trial.length && sorted; k++) sorted = trial[k] > trial[k - 1];
    if (!sorted) {
      order = Array.from(trial, (_, k) => k).sort((x, y) => trial[x] - trial[y] || x - y);
      for (let k = 1; k < order.length; k++) {
        if (trial[order[k]] === trial[order[k - 1]]) {
          const [first, second] = [rows.lines[order[k - 1]], rows.lines[order[k]]].sort((x, y) => x - y);
          throw new TinyRnnInputError(
            `${source} line ${second}, column ${JSON.stringify(trialColumn)}: trial ${
              trial[order[k]]
            } appears twice in its block (also on line ${first})`,
          );
        }
      }
    }
  }
  const arrange = <T>(values: T[]): T[] => (order ? order.map((k) => values[k]) : values);
  const action = arrange(rows.action);
  const block: Block = {
    action,
    state: rows.state ? arrange(rows.state) : action.slice(),
    reward: arrange(rows.reward),
    trialType: [],
  };
  if (rows.mask) block.mask = arrange(rows.mask);
  if (rows.subject !== undefined && rows.subject.value !== "") block.subject = rows.subject.value;
  if (rows.extra.length > 0) {
    block.extra = {};
    for (const { name, values } of rows.extra) block.extra[name] = arrange(values);
  }
  return { block, lines: arrange(rows.lines) };
}
