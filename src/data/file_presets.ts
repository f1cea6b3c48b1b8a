/**
 * The presets that are not one delimited file with a header: folders of raw files, MAT files, event logs,
 * jsPsych exports. `loadPreset` hands these names to their importers.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { loadAkamLog } from "./akam_log.ts";
import { loadDezfouli } from "./dezfouli.ts";
import { loadFeherDaSilva } from "./feher_da_silva.ts";
import { loadGillan } from "./gillan.ts";
import { type JsPsychOptions, loadJsPsych } from "./jspsych.ts";
import { loadSuthaharan } from "./suthaharan.ts";
import { TinyRnnInputError } from "../options.ts";

/** Names of the file importers. */
export type FilePresetName = "gillan" | "akamLog" | "suthaharan" | "dezfouli" | "feherdasilva" | "jspsych";

/** The options a file importer may receive through `loadPreset`. */
export interface FilePresetOptions {
  /** jsPsych only: the record fields of action, reward, state and block. */
  columns?: JsPsychOptions["columns"];
  /** jsPsych only: number of actions. */
  nActions?: number;
}

/** One file importer: a one-line description and its loader. */
export interface FilePreset {
  /** One line for users. */
  readonly description: string;
  /** Options of `loadPreset` it understands. */
  readonly options: readonly (keyof FilePresetOptions)[];
  /** Read a file or folder. */
  readonly load: (path: string, options: FilePresetOptions) => Dataset;
}

/** The file importers by name. */
export const FILE_PRESETS: Readonly<Record<FilePresetName, FilePreset>> = {
  gillan: {
    description: "Gillan et al. 2016 raw two-step CSVs (folder, one header-less file per participant)",
    options: [],
    load: (path) => loadGillan(path),
  },
  akamLog: {
    description:
      "Akam two-step event logs '<time_ms> :<event>' (a file or folder, one per subject x session)",
    options: [],
    load: (path) => loadAkamLog(path),
  },
  suthaharan: {
    description:
      "Suthaharan et al. 2021 3-option reversal .mat files (<ID>_V3_choices_<b>, <ID>_V3_outcomes_<b>)",
    options: [],
    load: (path) => loadSuthaharan(path),
  },
  dezfouli: {
    description:
      "Dezfouli et al. 2019 choices_diagno.csv (one trial per key press, blocks = subject x block)",
    options: [],
    load: (path) => loadDezfouli(path),
  },
  feherdasilva: {
    description: "Feher da Silva & Hare 2020 magic carpet / spaceship choice files",
    options: [],
    load: (path) => loadFeherDaSilva(path),
  },
  jspsych: {
    description: "jsPsych export (JSON array or CSV; columns: action, reward, state, block)",
    options: ["columns", "nActions"],
    load: (path, options) => loadJsPsych(path, options),
  },
};

/**
 * Read a file or folder with a file importer, rejecting `loadPreset` options it does not use.
 *
 * @example
 * ```ts
 * import { loadFilePreset } from "./file_presets.ts";
 * const data = loadFilePreset("gillan_study1/", "gillan", {});
 * ```
 */
export function loadFilePreset(
  path: string,
  name: FilePresetName,
  options: Record<string, unknown>,
): Dataset {
  const preset = FILE_PRESETS[name];
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !(preset.options as readonly string[]).includes(key)) {
      throw new TinyRnnInputError(
        `loadPreset: option ${key} does not apply to the ${name} importer${
          preset.options.length ? ` (it takes ${preset.options.join(", ")})` : " (it takes none)"
        }`,
      );
    }
  }
  return preset.load(path, options as FilePresetOptions);
}
