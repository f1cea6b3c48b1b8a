/**
 * Generic jsPsych exports (`jsPsych.data.get().json()` or `.csv()`): one record per trial of the
 * experiment, task trials among instructions and other screens.
 *
 * @module
 */

import type { Dataset } from "./dataset.ts";
import { parseCsvTable } from "./csv_table.ts";
import { readText } from "./files.ts";
import { finishImport, type ImportedBlock, isMissingText, listFiles } from "./import_helpers.ts";
import { rejectUnknownKeys, TinyRnnInputError } from "../options.ts";

/** Options of {@link loadJsPsych} and {@link parseJsPsych}. */
export interface JsPsychOptions {
  /**
   * Which record fields hold what: `action` (default `"response"`), `reward` (default `"reward"`), `state`
   * (default: none, a bandit), `block` (default `"subject"` when present, else one block per file). Only
   * records with a `reward` value (or that match `where`) are task trials.
   */
  columns?: { action?: string; reward?: string; state?: string; block?: string };
  /**
   * Response labels in action order, e.g. `["f", "j"]` for keys; default: numeric responses are the
   * 0-based action, other labels are numbered in sorted order.
   */
  actionLabels?: readonly (string | number)[];
  /** Keep only records whose fields equal these values, e.g. `{ task: "bandit" }`. Default: all. */
  where?: Record<string, string | number | boolean>;
  /** Number of actions. Default: the number of labels, else the largest action + 1 (at least 2). */
  nActions?: number;
}

const OPTIONS = ["columns", "actionLabels", "where", "nActions"] as const;

type JsValue = string | number | boolean | null | undefined;
interface JsRecord {
  line: number;
  get(field: string): JsValue;
}

function records(text: string, source: string): JsRecord[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new TinyRnnInputError(`${source}: not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed)) throw new TinyRnnInputError(`${source}: expected a JSON array of trials`);
    // JSON has no line per record; message "line" n is record n (1-based).
    return parsed.map((r, i) => {
      if (r === null || typeof r !== "object") {
        throw new TinyRnnInputError(`${source} line ${i + 1}: record ${i + 1} is not an object`);
      }
      return { line: i + 1, get: (f: string) => (r as Record<string, JsValue>)[f] };
    });
  }
  const table = parseCsvTable(text, { source });
  return table.rows.map((row) => ({
    line: row.line,
    get: (f: string) => {
      const i = table.header.indexOf(f);
      return i < 0 ? undefined : row.cells[i].text;
    },
  }));
}

const missing = (v: JsValue) => v === undefined || v === null || (typeof v === "string" && isMissingText(v));

/**
 * The task trials of one jsPsych export as blocks (one per `block` value). A record without a response
 * (`null`, empty: a time-out) is a masked trial (mask 0, action and reward 0, extra `missed` 1). Rewards
 * that are all 0/1 are binary, others points. Errors name the file and line (record number for JSON).
 *
 * @example
 * ```ts
 * import { parseJsPsych } from "./jspsych.ts";
 * const blocks = parseJsPsych('[{"subject":"s1","response":1,"reward":1}]', "e.json");
 * ```
 */
export function parseJsPsych(text: string, source: string, options: JsPsychOptions = {}): ImportedBlock[] {
  rejectUnknownKeys("jsPsych importer", options, OPTIONS);
  const columns = { action: "response", reward: "reward", ...options.columns };
  rejectUnknownKeys("jsPsych importer columns", columns, ["action", "reward", "state", "block"]);
  const all = records(text, source);
  const blockField = columns.block ??
    (all.some((r) => r.get("subject") !== undefined) ? "subject" : undefined);
  const where = Object.entries(options.where ?? {});
  const task = all.filter((r) =>
    where.length ? where.every(([f, v]) => String(r.get(f)) === String(v)) : !missing(r.get(columns.reward))
  );
  const labels = options.actionLabels?.map(String);
  const textLabels = [
    ...new Set(task.map((r) => r.get(columns.action)).filter((v) => !missing(v)).map(String)),
  ]
    .filter((v) => !/^\d+$/.test(v)).sort();
  const groups = new Map<string, ImportedBlock>();
  for (const r of task) {
    const id = blockField ? String(r.get(blockField) ?? "") : "0";
    let block = groups.get(id);
    if (!block) {
      // A record without the field has no subject (an empty subject would fail validation).
      block = { id, source, ...(blockField && id !== "" ? { subject: id } : {}), trials: [] };
      groups.set(id, block);
    }
    const response = r.get(columns.action);
    if (missing(response)) {
      block.trials.push({ action: 0, state: 0, reward: 0, mask: 0, line: r.line, extra: { missed: 1 } });
      continue;
    }
    const label = String(response);
    const action = labels
      ? labels.indexOf(label)
      : /^\d+$/.test(label)
      ? Number(label)
      : textLabels.indexOf(label);
    if (action < 0) {
      throw new TinyRnnInputError(
        `${source} line ${r.line}, column ${JSON.stringify(columns.action)}: response ${
          JSON.stringify(label)
        } is not one of ${JSON.stringify(labels)}`,
      );
    }
    const rewardValue = Number(r.get(columns.reward));
    if (missing(r.get(columns.reward)) || !Number.isFinite(rewardValue)) {
      throw new TinyRnnInputError(
        `${source} line ${r.line}, column ${JSON.stringify(columns.reward)}: expected a number, got ${
          JSON.stringify(r.get(columns.reward))
        }`,
      );
    }
    const state = columns.state ? Number(r.get(columns.state)) : action;
    block.trials.push({ action, state, reward: rewardValue, line: r.line, extra: { missed: 0 } });
  }
  return [...groups.values()];
}

/**
 * Read a jsPsych export (a `.json` array or a `.csv`) or a folder of them: a bandit data set (two-stage
 * when `columns.state` is given), one block per subject.
 *
 * @example
 * ```ts
 * import { loadPreset } from "@tinyrnn/tinyrnn";
 * const data = loadPreset("bandit_export.json", "jspsych", { columns: { action: "button", reward: "points" } });
 * ```
 */
export function loadJsPsych(path: string, options: JsPsychOptions = {}): Dataset {
  const files = listFiles(path, /\.(json|csv)$/i);
  const blocks = files.flatMap((file) =>
    parseJsPsych(readText(file), file, options).map((b) =>
      files.length > 1 ? { ...b, id: `${file}/${b.id}` } : b
    )
  );
  const trials = blocks.flatMap((b) => b.trials);
  const binaryReward = trials.every((t) => t.reward === 0 || t.reward === 1);
  const largest = Math.max(1, ...trials.map((t) => t.action));
  const nActions = options.nActions ?? (options.actionLabels?.length || largest + 1);
  return finishImport(blocks, {
    kind: options.columns?.state ? "twoStage" : "bandit",
    nActions,
    binaryReward,
    source: path,
    meta: { source: path, preset: "jspsych", ...(binaryReward ? {} : { binaryReward: false }) },
  });
}
