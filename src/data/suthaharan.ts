/**
 * The three-option probabilistic reversal-learning files of Suthaharan et al. (2021, Nature Human
 * Behaviour): MATLAB v5 files holding one choice and one outcome vector per participant and block.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { baseName, finishImport, type ImportedBlock, listFiles } from "./import_helpers.ts";
import { type MatFile, readMat } from "./mat5.ts";
import { TinyRnnInputError } from "../options.ts";

const VARIABLE = /^(.+)_V3_(choices|outcomes)_([12])$/;

/**
 * The blocks of one parsed file: for every pair of double vectors `<ID>_V3_choices_<b>` (1..3) and
 * `<ID>_V3_outcomes_<b>` (0/1), one block with id `"<file>/<ID>/<b>"` and subject `"<file>/<ID>"` (IDs
 * repeat across files, so the file is part of the subject). action = choice − 1; a NaN or 0 choice (no
 * response) is a masked trial (mask 0, action and reward 0, extra `missed` 1). Other variables are ignored.
 * Errors name the file and the variable (and the trial, counted from 1).
 *
 * @example
 * ```ts
 * import { suthaharanBlocks } from "./suthaharan.ts";
 * import { readMat } from "./mat5.ts";
 * const blocks = suthaharanBlocks(readMat("wave1.mat"), "wave1.mat");
 * ```
 */
export function suthaharanBlocks(mat: MatFile, source: string): ImportedBlock[] {
  const file = baseName(source);
  const pairs = new Map<string, { id: string; block: string; choices?: string; outcomes?: string }>();
  for (const name of Object.keys(mat.variables)) {
    const m = VARIABLE.exec(name);
    if (!m) continue;
    const key = `${m[1]}/${m[3]}`;
    const pair = pairs.get(key) ?? { id: m[1], block: m[3] };
    pair[m[2] as "choices" | "outcomes"] = name;
    pairs.set(key, pair);
  }
  if (pairs.size === 0) {
    throw new TinyRnnInputError(
      `${source}: no variable named <ID>_V3_choices_<1|2> / <ID>_V3_outcomes_<1|2>`,
    );
  }
  const vector = (name: string) => {
    const v = mat.variables[name];
    if (v.kind !== "numeric" || Math.min(...v.dims) > 1) {
      throw new TinyRnnInputError(`${source}, variable ${name}: expected a numeric vector`);
    }
    return Array.from(v.data);
  };
  const blocks: ImportedBlock[] = [];
  for (const pair of pairs.values()) {
    const missing = pair.choices === undefined
      ? "choices"
      : pair.outcomes === undefined
      ? "outcomes"
      : undefined;
    if (missing) {
      throw new TinyRnnInputError(
        `${source}: ${pair.choices ?? pair.outcomes} has no matching ${pair.id}_V3_${missing}_${pair.block}`,
      );
    }
    const choices = vector(pair.choices!);
    const outcomes = vector(pair.outcomes!);
    if (choices.length !== outcomes.length) {
      throw new TinyRnnInputError(
        `${source}: ${pair.choices} has ${choices.length} trials but ${pair.outcomes} has ${outcomes.length}`,
      );
    }
    const trials = choices.map((c, t) => {
      if (Number.isNaN(c) || c === 0) {
        return { action: 0, state: 0, reward: 0, mask: 0, line: t + 1, extra: { missed: 1 } };
      }
      if (![1, 2, 3].includes(c)) {
        throw new TinyRnnInputError(
          `${source}, variable ${pair.choices}, trial ${t + 1}: expected a choice 1, 2 or 3, got ${c}`,
        );
      }
      const o = outcomes[t];
      if (o !== 0 && o !== 1) {
        throw new TinyRnnInputError(
          `${source}, variable ${pair.outcomes}, trial ${t + 1}: expected 0 or 1, got ${o}`,
        );
      }
      return { action: c - 1, state: c - 1, reward: o, line: t + 1, extra: { missed: 0 } };
    });
    blocks.push({
      id: `${file}/${pair.id}/${pair.block}`,
      source: `${source}, variable ${pair.choices},`,
      subject: `${file}/${pair.id}`,
      trials,
    });
  }
  return blocks;
}

/**
 * Read one Suthaharan et al. `.mat` file or a folder of them: a 3-option bandit data set, one block per
 * participant and block of each file.
 *
 * @example
 * ```ts
 * import { loadPreset } from "@tinyrnn/tinyrnn";
 * const data = loadPreset("suthaharan/pandemic_wave1.mat", "suthaharan");
 * ```
 */
export function loadSuthaharan(path: string): Dataset {
  const files = listFiles(path, /\.mat$/i);
  const blocks = files.flatMap((file) => suthaharanBlocks(readMat(file), file));
  return finishImport(blocks, {
    kind: "bandit",
    nActions: 3,
    binaryReward: true,
    source: path,
    meta: { source: path, preset: "suthaharan", files: files.length },
  });
}
