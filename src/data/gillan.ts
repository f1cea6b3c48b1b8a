/**
 * The raw per-participant files of the online two-step studies of Gillan, Kosinski, Whelan, Phelps & Daw
 * (2016, eLife): one header-less CSV per participant, with instructions and other rows before the task.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { readText } from "./files.ts";
import {
  baseName,
  finishImport,
  type ImportedBlock,
  type ImportedTrial,
  isMissingText,
  listFiles,
  splitRecords,
} from "./import_helpers.ts";
import { TinyRnnInputError } from "../options.ts";

// Columns A..O of a task row.
const TRIAL = 0;
const STAGE1_STIMULUS = 6;
const TRANSITION = 8;
const STAGE2_STIMULUS = 10;
const STAGE2_STATE = 11;
const REWARD = 13;
const DRIFTS = [1, 2, 3, 4];
const RT1 = 7;
const RT2 = 12;

/**
 * One participant's raw file as a block. The task rows are the rows after the one holding
 * `twostep_instruct_9` (study 1) or after the last row holding `instructionLoop` (study 2), as long as
 * column A is a trial number. Columns: A trial_num, B..E drift_1..drift_4, F stage_1_response, G
 * stage_1_selected_stimulus (1/2), H stage_1_rt, I transition (true = common), J stage_2_response, K
 * stage_2_selected_stimulus, L stage_2_state (2/3), M stage_2_rt, N reward (0/1), O (redundant).
 *
 * action = stimulus − 1 and state = stage_2_state − 2, flipped for the whole file if its common transitions
 * all go the other way, so that state = action on common transitions (tinyrnn's two-stage convention).
 * A first-stage time-out (−1 or empty) is a masked trial (mask 0; action, state, reward 0). A second-stage
 * time-out keeps the first-stage choice and the state reached, scored, with reward 0 (no reward was
 * given). Extras: `timeout` (0 none, 1 first stage, 2 second stage), `stage2Choice` (0/1, NaN if none),
 * `drift1..drift4`, `rt1`, `rt2`.
 *
 * @example
 * ```ts
 * import { parseGillanFile } from "./gillan.ts";
 * const block = parseGillanFile(Deno.readTextFileSync("3XY.csv"), "3XY.csv");
 * ```
 */
export function parseGillanFile(text: string, source: string): ImportedBlock {
  const records = splitRecords(text);
  let start = -1;
  records.forEach((r, i) => {
    const joined = r.cells.join(",");
    if (start < 0 && joined.includes("twostep_instruct_9")) start = i + 1;
  });
  if (start < 0) {
    records.forEach((r, i) => {
      if (r.cells.join(",").includes("instructionLoop")) start = i + 1;
    });
  }
  if (start < 0) {
    throw new TinyRnnInputError(
      `${source}: no row holds "twostep_instruct_9" (study 1) or "instructionLoop" (study 2), so the task rows cannot be found`,
    );
  }
  const trials: ImportedTrial[] = [];
  const raw: { stimulus: number; state: number; common: boolean | undefined; line: number }[] = [];
  for (let i = start; i < records.length; i++) {
    const { cells, line } = records[i];
    const trialNumber = Number(cells[TRIAL]?.trim());
    if (cells[TRIAL] === undefined || cells[TRIAL].trim() === "" || !Number.isInteger(trialNumber)) break;
    if (cells.length < 14) {
      throw new TinyRnnInputError(
        `${source} line ${line}: a task row needs 14 columns (A..N), got ${cells.length}`,
      );
    }
    const cell = (c: number) => cells[c].trim();
    const number = (c: number, name: string, allowed?: number[]) => {
      const v = Number(cell(c));
      if (cell(c) === "" || !Number.isFinite(v) || (allowed && !allowed.includes(v))) {
        throw new TinyRnnInputError(
          `${source} line ${line}, column ${String.fromCharCode(65 + c)} (${name}): expected ${
            allowed ? allowed.join(" or ") : "a number"
          }, got ${JSON.stringify(cell(c))}`,
        );
      }
      return v;
    };
    const extra: Record<string, number | string> = {};
    DRIFTS.forEach((c, k) => (extra[`drift${k + 1}`] = isMissingText(cell(c)) ? NaN : Number(cell(c))));
    extra.rt1 = isMissingText(cell(RT1), true) ? NaN : Number(cell(RT1));
    extra.rt2 = isMissingText(cell(RT2), true) ? NaN : Number(cell(RT2));
    if (isMissingText(cell(STAGE1_STIMULUS), true)) {
      trials.push({
        action: 0,
        state: 0,
        reward: 0,
        mask: 0,
        line,
        extra: { ...extra, timeout: 1, stage2Choice: NaN },
      });
      raw.push({ stimulus: NaN, state: NaN, common: undefined, line });
      continue;
    }
    const action = number(STAGE1_STIMULUS, "stage_1_selected_stimulus", [1, 2]) - 1;
    const state = number(STAGE2_STATE, "stage_2_state", [2, 3]) - 2;
    const transition = cell(TRANSITION).toLowerCase();
    if (transition !== "true" && transition !== "false") {
      throw new TinyRnnInputError(
        `${source} line ${line}, column I (transition): expected true or false, got ${
          JSON.stringify(cell(TRANSITION))
        }`,
      );
    }
    raw.push({ stimulus: action, state, common: transition === "true", line });
    if (isMissingText(cell(STAGE2_STIMULUS), true)) {
      trials.push({ action, state, reward: 0, line, extra: { ...extra, timeout: 2, stage2Choice: NaN } });
      continue;
    }
    const stage2 = number(STAGE2_STIMULUS, "stage_2_selected_stimulus", [1, 2]) - 1;
    const reward = number(REWARD, "reward", [0, 1]);
    trials.push({ action, state, reward, line, extra: { ...extra, timeout: 0, stage2Choice: stage2 } });
  }
  if (trials.length === 0) throw new TinyRnnInputError(`${source}: no task rows after the instructions`);
  // Which stimulus commonly leads to which state: the file's own transition column decides.
  const made = raw.filter((r) => r.common !== undefined);
  const agree = made.filter((r) => (r.stimulus === r.state) === r.common).length;
  const flip = made.length > 0 && agree === 0;
  if (!flip) {
    const bad = made.find((r) => (r.stimulus === r.state) !== r.common);
    if (bad) {
      throw new TinyRnnInputError(
        `${source} line ${bad.line}, column I (transition): stimulus ${bad.stimulus + 1} reached state ${
          bad.state + 2
        } with transition ${bad.common}, which contradicts the file's other trials`,
      );
    }
  } else {
    for (const t of trials) if (t.mask !== 0) t.state = 1 - t.state;
  }
  return { id: baseName(source), source, subject: baseName(source), trials };
}

/**
 * Read a folder of Gillan et al. raw two-step files (`*.csv`, one per participant) or one such file: a
 * two-stage data set with one block per participant (block id and `subject` = the file's name).
 *
 * @example
 * ```ts
 * import { loadPreset } from "@tinyrnn/tinyrnn";
 * const data = loadPreset("gillan_study2/", "gillan");
 * ```
 */
export function loadGillan(path: string): Dataset {
  const files = listFiles(path, /\.csv$/i);
  const blocks = files.map((file) => parseGillanFile(readText(file), file));
  return finishImport(blocks, {
    kind: "twoStage",
    nActions: 2,
    binaryReward: true,
    source: path,
    meta: { source: path, preset: "gillan", files: files.length },
  });
}
