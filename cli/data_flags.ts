/**
 * The flags every subcommand that reads a data file shares (`--data`, `--columns`, `--kind`, `--n-actions`,
 * `--delimiter`), and the loader behind them: CSV (tidy layout) or JSON by extension.
 *
 * @module
 */

import { type FlagSpecs, type FlagValues, numberFlag, UsageError } from "./args.ts";
import type { Dataset, TaskKind } from "../src/data/dataset.ts";
import { CSV_COLUMNS, type CsvColumn, type CsvReadOptions, loadCsv } from "../src/data/csv.ts";
import { loadJson } from "../src/data/json.ts";
import { loadBartolo } from "../src/data/bartolo.ts";
import {
  loadPreset,
  type LoadPresetName,
  type PresetName,
  type PresetOptions,
  PRESETS,
} from "../src/data/presets.ts";
import { FILE_PRESETS, type FilePresetName } from "../src/data/file_presets.ts";
import { suggest } from "../src/options.ts";
import { loadResults, type ResultsRun } from "../src/report/results.ts";

/** Flags for reading a data file. */
export const DATA_FLAGS: FlagSpecs = {
  data: {
    type: "string",
    value: "FILE",
    description:
      "data file: tidy CSV (one row per trial), .json, or Bartolo & Averbeck .mat session(s) (a file or a folder)",
  },
  preset: {
    type: "string",
    value: "NAME",
    description: `file layout or importer: ${
      [...Object.keys(PRESETS), ...Object.keys(FILE_PRESETS)].join(", ")
    } (a file, or a folder for the importers that read one)`,
  },
  segment: {
    type: "string",
    value: "L",
    description: "with --preset: cut sessions longer than L trials into nearly equal blocks",
  },
  columns: {
    type: "string",
    value: "MAP",
    description: "the file's column names, e.g. block=session,action=choice,reward=outcome",
  },
  kind: {
    type: "string",
    value: "KIND",
    description: "bandit or twoStage (default: bandit when state equals action everywhere)",
  },
  "n-actions": { type: "string", value: "N", description: "number of first-stage actions", default: "2" },
  delimiter: {
    type: "string",
    value: "C",
    description: "CSV field delimiter (default: tab if the header has tabs, else comma)",
  },
};

/** `block=session,action=choice` as a column mapping; the message names a bad entry. */
export function parseColumnMap(text: string): Partial<Record<CsvColumn, string>> {
  const mapping: Partial<Record<CsvColumn, string>> = {};
  for (const entry of text.split(",")) {
    const [key, name, ...rest] = entry.split("=");
    if (name === undefined || rest.length > 0 || key.trim() === "" || name.trim() === "") {
      throw new UsageError(`--columns: expected entries like action=choice, got ${JSON.stringify(entry)}`);
    }
    const field = key.trim();
    if (!(CSV_COLUMNS as readonly string[]).includes(field)) {
      const hint = suggest(field, CSV_COLUMNS);
      throw new UsageError(
        `--columns: unknown column ${JSON.stringify(field)}${
          hint ? ` (did you mean "${hint}"?)` : ""
        }; mappable: ${CSV_COLUMNS.join(", ")}`,
      );
    }
    mapping[field as CsvColumn] = name.trim();
  }
  return mapping;
}

/** Load the data file named by `--data` with the other data flags; JSON when the name ends in `.json`. */
export function loadDataFromFlags(flags: FlagValues): Dataset {
  const path = flags.data as string | undefined;
  if (path === undefined) throw new UsageError("--data is required (a CSV or JSON file)");
  if (flags.preset !== undefined) return loadPresetFromFlags(path, flags);
  if (flags.segment !== undefined) throw new UsageError("--segment applies with --preset only");
  if (path.toLowerCase().endsWith(".mat") || isDirectory(path)) {
    for (const flag of ["columns", "kind", "n-actions", "delimiter"]) {
      if (flags[flag] !== undefined) {
        throw new UsageError(`--${flag} does not apply to Bartolo .mat sessions (${path})`);
      }
    }
    return loadBartolo(path);
  }
  if (path.toLowerCase().endsWith(".json")) {
    for (const flag of ["columns", "kind", "n-actions", "delimiter"]) {
      if (flags[flag] !== undefined) {
        throw new UsageError(`--${flag} applies to CSV files only; ${path} is JSON`);
      }
    }
    return loadJson(path);
  }
  const options: Omit<CsvReadOptions, "source"> = {};
  if (flags.columns !== undefined) options.columns = parseColumnMap(flags.columns as string);
  if (flags.kind !== undefined) {
    const kind = flags.kind as string;
    if (kind !== "bandit" && kind !== "twoStage") {
      throw new UsageError(`--kind must be bandit or twoStage, got ${JSON.stringify(kind)}`);
    }
    options.kind = kind as TaskKind;
  }
  if (flags["n-actions"] !== undefined) {
    options.nActions = numberFlag("n-actions", flags["n-actions"] as string, { integer: true, min: 1 });
  }
  if (flags.delimiter !== undefined) {
    const delimiter = (flags.delimiter as string) === "\\t" || flags.delimiter === "tab"
      ? "\t"
      : flags.delimiter as string;
    options.delimiter = delimiter;
  }
  return loadCsv(path, options);
}

/** Every layout `loadPreset` knows: the delimited-file presets and the importers of whole files or folders. */
const PRESET_NAMES: readonly LoadPresetName[] = [
  ...(Object.keys(PRESETS) as PresetName[]),
  ...(Object.keys(FILE_PRESETS) as FilePresetName[]),
];

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** `--preset NAME` with `--columns`, `--delimiter`, `--n-actions` and `--segment`. */
function loadPresetFromFlags(path: string, flags: FlagValues): Dataset {
  const name = flags.preset as string;
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    const hint = suggest(name, PRESET_NAMES);
    throw new UsageError(
      `--preset: unknown layout ${JSON.stringify(name)}${hint ? ` (did you mean "${hint}"?)` : ""}; known: ${
        PRESET_NAMES.join(", ")
      }`,
    );
  }
  if (flags.kind !== undefined) {
    throw new UsageError("--kind does not apply with --preset (the layout fixes it)");
  }
  const options: Omit<PresetOptions, "source"> = {};
  if (flags.columns !== undefined) {
    const columns: Record<string, string> = {};
    for (const entry of (flags.columns as string).split(",")) {
      const [key, value, ...rest] = entry.split("=");
      if (value === undefined || rest.length > 0 || key.trim() === "" || value.trim() === "") {
        throw new UsageError(`--columns: expected entries like subjID=subject, got ${JSON.stringify(entry)}`);
      }
      columns[key.trim()] = value.trim();
    }
    options.columns = columns;
  }
  if (flags["n-actions"] !== undefined) {
    options.nActions = numberFlag("n-actions", flags["n-actions"] as string, { integer: true, min: 1 });
  }
  if (flags.delimiter !== undefined) {
    options.delimiter = flags.delimiter === "\\t" || flags.delimiter === "tab"
      ? "\t"
      : flags.delimiter as string;
  }
  if (flags.segment !== undefined) {
    options.maxSegmentLength = numberFlag("segment", flags.segment as string, { integer: true, min: 1 });
  }
  if (Object.hasOwn(FILE_PRESETS, name)) {
    // The file importers read their own formats; only their own options (see loadPreset) apply.
    for (const flag of ["columns", "delimiter", "segment", "n-actions"]) {
      if (flags[flag] !== undefined) {
        throw new UsageError(
          `--${flag} does not apply with --preset ${name} (the importer reads its own format)`,
        );
      }
    }
  }
  return loadPreset(path, name as LoadPresetName, options);
}

/** The results folder with its data: `--data` when given, else what the folder keeps. */
export function loadRunFromFlags(flags: FlagValues): Promise<ResultsRun> {
  const dir = flags.results as string | undefined;
  if (dir === undefined) {
    throw new UsageError("--results is required (the folder `deno task fit --out` wrote)");
  }
  const trimmed = dir.length > 1 ? dir.replace(/\/+$/, "") : dir;
  if (flags.data !== undefined) {
    return loadResults(trimmed, { data: loadDataFromFlags(flags), dataSource: flags.data as string });
  }
  return loadResults(trimmed);
}
