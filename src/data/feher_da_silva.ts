/**
 * The two-stage task data of Feher da Silva & Hare (2020, Nature Human Behaviour): the "magic carpet" and
 * "spaceship" versions, one CSV of choices per participant.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { parseCsvTable } from "./csv_table.ts";
import { readText } from "./files.ts";
import { baseName, finishImport, type ImportedBlock, type ImportedTrial } from "./import_helpers.ts";
import { TinyRnnInputError } from "../options.ts";

const MAGIC_CARPET = ["trial", "common", "choice1", "final_state", "choice2", "reward", "slow"];
const SPACESHIP = [
  "trial",
  "symbol0",
  "symbol1",
  "common",
  "choice1",
  "final_state",
  "choice2",
  "reward",
  "slow",
];

/**
 * One participant's choices file as a block (the version is told by its header).
 *
 * Magic carpet (`<id>_game.csv`): action = choice1 − 1, state = final_state − 1; common transitions take
 * carpet c to state c, as tinyrnn's two-stage convention. Spaceship (`<id>.csv`): the flight board of each
 * trial (symbol0, symbol1) decides where each spaceship commonly flies, so action is the planet the chosen
 * spaceship commonly reaches on that trial, choice1 XOR symbol0 XOR symbol1; state = final_state; the
 * spaceship chosen is kept as the extra `spaceship`. In both, a first-stage time-out (choice1 −1) is masked
 * (mask 0; action, state, reward 0); a second-stage time-out (choice2 −1) keeps the first-stage choice and
 * the state, scored, with reward 0 (none was given). Extras: `common`, `choice2` (0/1, NaN if none),
 * `slow`, `rt1`, `rt2`, and the reward probabilities. Errors name the file and line; a row whose `common`
 * disagrees with action and state is an error.
 *
 * @example
 * ```ts
 * import { feherDaSilvaBlock } from "./feher_da_silva.ts";
 * const block = feherDaSilvaBlock(Deno.readTextFileSync("03187_game.csv"), "03187_game.csv");
 * ```
 */
export function feherDaSilvaBlock(text: string, source: string): ImportedBlock {
  const table = parseCsvTable(text, { source });
  const spaceship = table.header.includes("rwrd_prob0");
  const required = spaceship ? SPACESHIP : MAGIC_CARPET;
  for (const name of required) {
    if (!table.header.includes(name)) {
      throw new TinyRnnInputError(
        `${source} line ${table.headerLine}: a Feher da Silva ${
          spaceship ? "spaceship" : "magic carpet"
        } file needs a column ${JSON.stringify(name)}; the header has: ${table.header.join(", ")}`,
      );
    }
  }
  const probColumns = table.header.filter((h) => /^(reward\.\d\.\d|rwrd_prob\d)$/.test(h));
  const trials: ImportedTrial[] = table.rows.map((row) => {
    const number = (name: string, allowed?: number[]) => {
      const text = row.cells[table.header.indexOf(name)].text.trim();
      const v = Number(text);
      if (text === "" || !Number.isFinite(v) || (allowed && !allowed.includes(v))) {
        throw new TinyRnnInputError(
          `${source} line ${row.line}, column ${JSON.stringify(name)}: expected ${
            allowed ? allowed.join(", ") : "a number"
          }, got ${JSON.stringify(text)}`,
        );
      }
      return v;
    };
    const base = spaceship ? 0 : 1;
    const extra: Record<string, number | string> = {
      common: number("common", [0, 1]),
      slow: number("slow", [0, 1]),
    };
    for (const name of ["rt1", "rt2"]) if (table.header.includes(name)) extra[name] = number(name);
    for (const name of probColumns) extra[name] = number(name);
    const choice1 = number("choice1", [-1, base, base + 1]);
    if (choice1 === -1) {
      return { action: 0, state: 0, reward: 0, mask: 0, line: row.line, extra: { ...extra, choice2: NaN } };
    }
    let action = choice1 - base;
    if (spaceship) {
      extra.spaceship = action;
      action ^= number("symbol0", [0, 1]) ^ number("symbol1", [0, 1]);
    }
    const state = number("final_state", [base, base + 1]) - base;
    if ((state === action) !== (extra.common === 1)) {
      throw new TinyRnnInputError(
        `${source} line ${row.line}, column "common": ${extra.common} disagrees with first-stage action ${action} reaching state ${state}`,
      );
    }
    const choice2 = number("choice2", [-1, base, base + 1]);
    const reward = choice2 === -1 ? 0 : number("reward", [0, 1]);
    return {
      action,
      state,
      reward,
      line: row.line,
      extra: { ...extra, choice2: choice2 === -1 ? NaN : choice2 - base },
    };
  });
  const id = baseName(source).replace(/_game$/, "");
  const version = spaceship ? "spaceship" : "magic_carpet";
  return { id: `${version}/${id}`, source, subject: id, trials };
}

/** The participants' choice files under `path`: a file, a `choices` folder, a version folder or the data set's folder. */
function choiceFiles(path: string): string[] {
  const stat = (p: string) => {
    try {
      return Deno.statSync(p);
    } catch {
      return undefined;
    }
  };
  const info = stat(path);
  if (!info) throw new TinyRnnInputError(`${path}: no such file or folder`);
  if (!info.isDirectory) return [path];
  const root = path.replace(/\/+$/, "");
  const folders = ["magic_carpet", "spaceship"].map((v) => `${root}/${v}/choices`).filter((p) =>
    stat(p)?.isDirectory
  );
  if (folders.length === 0) folders.push(stat(`${root}/choices`)?.isDirectory ? `${root}/choices` : root);
  const files = folders.flatMap((folder) =>
    [...Deno.readDirSync(folder)]
      .filter((e) => e.isFile && /^\d+(_game)?\.csv$/.test(e.name))
      .map((e) => `${folder}/${e.name}`)
      .sort()
  );
  if (files.length === 0) {
    throw new TinyRnnInputError(`${path}: no <id>_game.csv or <id>.csv choice files found`);
  }
  return files;
}

/**
 * Read Feher da Silva & Hare's choices: one file, a `choices` folder, or the data set's folder (both
 * versions; block ids `magic_carpet/<id>` and `spaceship/<id>`, `subject` = id): a two-stage data set.
 *
 * @example
 * ```ts
 * import { loadPreset } from "@tinyrnn/tinyrnn";
 * const data = loadPreset("../shared/data/feherdasilva2020/magic_carpet/choices", "feherdasilva");
 * ```
 */
export function loadFeherDaSilva(path: string): Dataset {
  const files = choiceFiles(path);
  return finishImport(files.map((file) => feherDaSilvaBlock(readText(file), file)), {
    kind: "twoStage",
    nActions: 2,
    binaryReward: true,
    source: path,
    meta: { source: path, preset: "feherdasilva", files: files.length },
  });
}
