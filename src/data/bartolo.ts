/**
 * The Bartolo & Averbeck (2020) monkey reversal-learning sessions, read from their MATLAB files
 * (`SPKcounts_<session>cue_MW_250X250ms.mat`) into 80-trial blocks, as the paper's code does.
 *
 * @module
 */

import type { Block, Dataset } from "./dataset.ts";
import { matRows, readMat } from "./mat5.ts";
import { validateDataset } from "./validate.ts";
import { checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** Sessions of each monkey, in the order the paper's code loads them. */
export const BARTOLO_SESSIONS: Readonly<Record<"V" | "W", readonly string[]>> = {
  V: ["V20161005", "V20160929", "V20160930", "V20161017"],
  W: ["W20160112", "W20160113", "W20160121", "W20160122"],
};

/** Which blocks to keep: both kinds (the standard), or only "what" (image) or "where" (location) blocks. */
export type BartoloBlockType = "both" | "what" | "where";

/** Options of {@link loadBartolo}. */
export interface BartoloOptions {
  /**
   * Monkey whose sessions are read from a folder: `"V"`, `"W"` or `"all"` (V then W). Default `"all"`.
   * Only for a folder; a list of files is read as given.
   */
  animal?: "V" | "W" | "all";
  /**
   * Trials `[start, end)` kept of every 80-trial block (0-based). Default `[10, 70]`: 60 trials, dropping
   * the first and last ten. `null` keeps all 80.
   */
  blockTruncation?: readonly [number, number] | null;
  /** `"both"` (default), `"what"` or `"where"`. */
  blockType?: BartoloBlockType;
}

const OPTIONS = ["animal", "blockTruncation", "blockType"] as const;
const BLOCK_LENGTH = 80;
const Y_COLUMNS = 13;
// 0-based columns of Y (the dataset's documentation).
const COL = {
  chosenImage: 0,
  chosenLocation: 1,
  outcome: 2,
  trialInBlock: 5,
  reversal: 6,
  blockId: 7,
  blockOrder: 8,
  blockType: 9,
  blockCompleted: 12,
} as const;
const COLUMN_NAME: Record<number, string> = {
  0: "chosen image",
  1: "chosen location",
  2: "outcome",
  6: "programmed reversal trial",
  7: "block ID",
  9: "block type",
  12: "block completed",
};
const FILE_PATTERN = /^SPKcounts_(.+)cue_MW_250X250ms\.mat$/;

/** The file name of a session, e.g. `SPKcounts_V20161017cue_MW_250X250ms.mat`. */
export function bartoloFileName(session: string): string {
  return `SPKcounts_${session}cue_MW_250X250ms.mat`;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new TinyRnnInputError(`${path}: no such file or folder`);
    throw error;
  }
}

/** The session files of `animal` present in `dir`, in the paper's order. */
function sessionFiles(dir: string, animal: "V" | "W" | "all"): string[] {
  const sessions = animal === "all"
    ? [...BARTOLO_SESSIONS.V, ...BARTOLO_SESSIONS.W]
    : BARTOLO_SESSIONS[animal];
  const present = new Set<string>();
  for (const entry of Deno.readDirSync(dir)) if (entry.isFile) present.add(entry.name);
  const files = sessions.filter((s) => present.has(bartoloFileName(s))).map((s) =>
    `${dir.replace(/[\/\\]+$/, "")}/${bartoloFileName(s)}`
  );
  if (files.length === 0) {
    throw new TinyRnnInputError(
      `${dir} holds none of the Bartolo session files of animal ${animal} (expected names like ${
        bartoloFileName(sessions[0])
      }; sessions: ${sessions.join(", ")})`,
    );
  }
  return files;
}

/** One session's rows of `Y`, checked to be a trials x 13 matrix. */
function readBehaviour(path: string): number[][] {
  let y;
  try {
    y = readMat(path, { variables: ["Y"] }).variables.Y;
  } catch (error) {
    if (error instanceof TinyRnnInputError && /has no variable "Y"/.test(error.message)) {
      throw new TinyRnnInputError(
        `${path} is not a Bartolo session: it has no behaviour matrix Y (${error.message})`,
      );
    }
    throw error;
  }
  if (y.kind !== "numeric" || y.dims.length !== 2) {
    throw new TinyRnnInputError(`${path} is not a Bartolo session: Y is not a numeric matrix`);
  }
  if (y.dims[1] !== Y_COLUMNS) {
    throw new TinyRnnInputError(
      `${path} is not a Bartolo session: Y has ${y.dims[1]} columns, expected ${Y_COLUMNS} (trials x 13)`,
    );
  }
  return matRows(y);
}

function binary(path: string, rows: number[][], row: number, column: number): number {
  const value = rows[row][column];
  if (value !== 0 && value !== 1) {
    throw new TinyRnnInputError(
      `${path}: Y(${row + 1}, ${column + 1}) (${COLUMN_NAME[column]}) must be 0 or 1, got ${value}`,
    );
  }
  return value;
}

/** The blocks of one session, built as the paper's code builds them. */
function sessionBlocks(
  path: string,
  session: string,
  blockType: BartoloBlockType,
  truncation: readonly [number, number],
  warnings: string[],
): Block[] {
  const y = readBehaviour(path);
  // Kept: block ID 1..24 in a completed block (the "complete trial" flag is not looked at, as in the paper).
  const kept: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const id = y[i][COL.blockId];
    if (!(id >= 1 && id <= 24) || y[i][COL.blockCompleted] === 0) continue;
    const type = y[i][COL.blockType];
    if (blockType === "what" && type !== 1) continue;
    if (blockType === "where" && type !== 2) continue;
    kept.push(i);
  }
  if (kept.length === 0 || kept.length % BLOCK_LENGTH !== 0) {
    throw new TinyRnnInputError(
      `${path}: ${kept.length} trials belong to completed ${
        blockType === "both" ? "" : `"${blockType}" `
      }blocks (IDs 1-24), which is not a positive multiple of the ${BLOCK_LENGTH}-trial block length`,
    );
  }
  const blocks: Block[] = [];
  const subject = animalOf(session);
  for (let start = 0; start < kept.length; start += BLOCK_LENGTH) {
    const rows = kept.slice(start, start + BLOCK_LENGTH);
    // The paper's code takes 80 consecutive kept trials as one block; say so when they span several block IDs.
    const ids = new Set(rows.map((i) => y[i][COL.blockId]));
    if (ids.size > 1) {
      warnings.push(
        `${path}: kept trials ${start}-${start + BLOCK_LENGTH - 1} span block IDs ${[...ids].join(", ")}`,
      );
    }
    const meanType = rows.reduce((s, i) => s + y[i][COL.blockType], 0) / rows.length;
    const type = Math.trunc(meanType) === 2 ? "where" : "what";
    const sliced = rows.slice(truncation[0], truncation[1]);
    const action = sliced.map((i) => {
      const column = y[i][COL.blockType] === 2 ? COL.chosenLocation : COL.chosenImage;
      return binary(path, y, i, column);
    });
    const reward = sliced.map((i) => binary(path, y, i, COL.outcome));
    blocks.push({
      id: `${session}/${y[rows[0]][COL.blockOrder]}`,
      ...(subject !== undefined ? { subject } : {}),
      action,
      state: action.slice(),
      reward,
      trialType: action.map((a, t) => 2 * a + reward[t]),
      extra: {
        blockType: sliced.map(() => type),
        reversal: sliced.map((i) => binary(path, y, i, COL.reversal)),
        trialInBlock: sliced.map((i) => y[i][COL.trialInBlock]),
      },
    });
  }
  return blocks;
}

/** The monkey ("V" or "W") of one of the paper's sessions; undefined for a session it does not list. */
function animalOf(session: string): string | undefined {
  for (const animal of ["V", "W"] as const) if (BARTOLO_SESSIONS[animal].includes(session)) return animal;
  return undefined;
}

function sessionName(path: string): string {
  const name = baseName(path);
  return FILE_PATTERN.exec(name)?.[1] ?? name.replace(/\.mat$/i, "");
}

/**
 * Load Bartolo & Averbeck monkey reversal-learning sessions from their `.mat` files.
 *
 * Per session, as the paper's code does: trials with block ID 1-24 in completed blocks are kept (what and
 * where blocks alike with `blockType: "both"`); the action is the chosen image, or the chosen location on
 * trials of "where" blocks; consecutive runs of 80 kept trials form blocks; each block keeps trials
 * `blockTruncation` (default 10..69). Bandit trial types `2a + r`; state = action. Per-trial extras:
 * `blockType` ("what"/"where": the integer part of the block's mean block type), `reversal` (the programmed
 * reversal trial flag), `trialInBlock` (1-based, from the file). Block ids are `"<session>/<block order>"`;
 * `subject` is the monkey (`"V"` or `"W"`) for the paper's sessions.
 *
 * @param source a folder (the animal's sessions present there, in the paper's order), one file, or a list
 *   of files (read in the given order).
 * @throws {TinyRnnInputError} naming the file when it is not a MAT v5 file, has no 13-column `Y`, has values
 *   other than 0/1 where they are needed, or its kept trials are not a multiple of 80.
 * @example
 * ```ts
 * const data = loadBartolo("data/bartolo", { animal: "V" }); // 60-trial blocks
 * console.log(data.blocks.length, data.blocks[0].action.length);
 * ```
 */
export function loadBartolo(source: string | readonly string[], options: BartoloOptions = {}): Dataset {
  const where = "loadBartolo";
  rejectUnknownKeys(where, options, OPTIONS);
  const blockType = checkChoice(
    where,
    "blockType",
    options.blockType ?? "both",
    ["both", "what", "where"] as const,
  );
  const truncation = checkTruncation(
    options.blockTruncation === undefined ? [10, 70] : options.blockTruncation,
  );
  let files: string[];
  let animal: "V" | "W" | "all" | undefined;
  if (typeof source === "string" && isDirectory(source)) {
    animal = checkChoice(where, "animal", options.animal ?? "all", ["V", "W", "all"] as const);
    files = sessionFiles(source, animal);
  } else {
    if (options.animal !== undefined) {
      throw new TinyRnnInputError(
        `${where}: animal selects sessions from a folder; with files, pass only the files you want`,
      );
    }
    files = typeof source === "string" ? [source] : [...source];
    if (files.length === 0) throw new TinyRnnInputError(`${where}: no files given`);
  }
  const warnings: string[] = [];
  const blocks: Block[] = [];
  const sessions: string[] = [];
  for (const file of files) {
    const session = sessionName(file);
    sessions.push(session);
    blocks.push(...sessionBlocks(file, session, blockType, truncation, warnings));
  }
  const data: Dataset = {
    kind: "bandit",
    nActions: 2,
    blocks,
    meta: {
      source: typeof source === "string" ? source : files,
      dataset: "Bartolo & Averbeck 2020 reversal learning",
      sessions,
      ...(animal ? { animal } : {}),
      blockType,
      blockTruncation: truncation,
      ...(warnings.length ? { warnings } : {}),
    },
  };
  validateDataset(data, { source: typeof source === "string" ? source : files.join(", ") });
  return data;
}

function checkTruncation(value: unknown): readonly [number, number] {
  if (value === null) return [0, BLOCK_LENGTH];
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TinyRnnInputError(
      `loadBartolo: blockTruncation must be [start, end] or null, got ${JSON.stringify(value)}`,
    );
  }
  const start = checkNumber("loadBartolo", "blockTruncation[0]", value[0], {
    min: 0,
    max: BLOCK_LENGTH - 1,
    integer: true,
  });
  const end = checkNumber("loadBartolo", "blockTruncation[1]", value[1], {
    min: start + 1,
    max: BLOCK_LENGTH,
    integer: true,
  });
  return [start, end];
}
