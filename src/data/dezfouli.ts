/**
 * The two-armed bandit data of Dezfouli, Griffiths, Ramos, Dayan & Balleine (2019, PLoS Comput Biol):
 * `choices_diagno.csv`, one row per key press of 101 participants (healthy, depressed, bipolar).
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { parseCsvTable } from "./csv_table.ts";
import { readText } from "./files.ts";
import { finishImport, type ImportedBlock, listFiles } from "./import_helpers.ts";
import { TinyRnnInputError } from "../options.ts";

const REQUIRED = ["ID", "choice", "reward", "trial", "time"] as const;

/**
 * The file's rows as blocks. The task is free-operant: participants pressed either of two keys whenever
 * they liked and a press was sometimes rewarded. tinyrnn's trial is one press: action = the response the
 * press made (the `choice` column, R1 -> 0, R2 -> 1; `key` is the physical key, whose mapping to R1/R2 can
 * differ), reward = the `reward` column (1 when that press paid off), as Dezfouli et al. modelled the
 * press sequence. A block is one of a participant's 12 reward-probability blocks (the `trial` column, 1-12):
 * id `"<ID>/<trial>"`, `subject` = ID. Presses keep file order. Extras: `time` (ms), `condition`,
 * `half` (the `block` column), `key`, `diag` when present. A press with an empty or `null` choice is masked.
 *
 * @example
 * ```ts
 * import { dezfouliBlocks } from "./dezfouli.ts";
 * const blocks = dezfouliBlocks(",ID,choice,reward,trial,time\n1,s1,R1,1,1,400\n", "choices_diagno.csv");
 * ```
 */
export function dezfouliBlocks(text: string, source: string): ImportedBlock[] {
  // The published file's first column (R's row index) has no name.
  const table = parseCsvTable(text.replace(/^(\uFEFF)?,/, "$1row,"), { source });
  const index: Record<string, number> = {};
  for (const name of [...REQUIRED, "condition", "block", "key", "diag"]) {
    index[name] = table.header.indexOf(name);
  }
  for (const name of REQUIRED) {
    if (index[name] < 0) {
      throw new TinyRnnInputError(
        `${source} line ${table.headerLine}: the dezfouli importer needs a column ${
          JSON.stringify(name)
        }; the header has: ${table.header.join(", ")}`,
      );
    }
  }
  const groups = new Map<string, ImportedBlock>();
  for (const row of table.rows) {
    const cell = (name: string) => index[name] >= 0 ? row.cells[index[name]].text.trim() : "";
    const subject = cell("ID");
    const key = `${subject}/${cell("trial")}`;
    let block = groups.get(key);
    if (!block) {
      block = { id: key, source, subject, trials: [] };
      groups.set(key, block);
    }
    const extra: Record<string, number | string> = {
      time: Number(cell("time")),
      condition: index.condition >= 0 ? Number(cell("condition")) : NaN,
      half: index.block >= 0 ? Number(cell("block")) : NaN,
      key: cell("key"),
      ...(index.diag >= 0 ? { diag: cell("diag") } : {}),
    };
    const choice = cell("choice");
    if (choice === "" || choice.toLowerCase() === "null" || choice.toLowerCase() === "na") {
      block.trials.push({ action: 0, state: 0, reward: 0, mask: 0, line: row.line, extra });
      continue;
    }
    if (choice !== "R1" && choice !== "R2") {
      throw new TinyRnnInputError(
        `${source} line ${row.line}, column "choice": expected R1 or R2, got ${JSON.stringify(choice)}`,
      );
    }
    const reward = cell("reward");
    if (reward !== "0" && reward !== "1") {
      throw new TinyRnnInputError(
        `${source} line ${row.line}, column "reward": expected 0 or 1, got ${JSON.stringify(reward)}`,
      );
    }
    const action = choice === "R1" ? 0 : 1;
    block.trials.push({ action, state: action, reward: Number(reward), line: row.line, extra });
  }
  return [...groups.values()];
}

/**
 * Read Dezfouli et al.'s `choices_diagno.csv` (or the folder holding it): a two-armed bandit data set with
 * one block per participant and reward-probability block (1,212 blocks of the published file).
 *
 * @example
 * ```ts
 * import { loadPreset } from "@tinyrnn/tinyrnn";
 * const data = loadPreset("../shared/data/dezfouli2019/", "dezfouli");
 * ```
 */
export function loadDezfouli(path: string): Dataset {
  const files = listFiles(path, /^choices_diagno\.csv$/);
  const blocks = files.flatMap((file) => dezfouliBlocks(readText(file), file));
  return finishImport(blocks, {
    kind: "bandit",
    nActions: 2,
    binaryReward: true,
    source: path,
    meta: { source: path, preset: "dezfouli", trial: "one key press" },
  });
}
