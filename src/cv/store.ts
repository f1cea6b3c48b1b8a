/**
 * The results directory of a cross-validation run.
 *
 * Layout: `<dir>/instances/<instance id>.json`, one file per finished instance (the id's `/` become
 * sub-folders, e.g. `instances/gru-2/l1-1e-05/outer0-inner1-seed0.json`), plus `summary.json` and
 * `summary.csv` at the end.
 *
 * Every file is written atomically: the bytes go to a hidden temporary file in the same folder, are flushed
 * to disk, and the file is renamed into place. A reader (or a crashed writer) therefore never sees a partial
 * file, and a file's existence means the instance is finished. There is no shared mutable file (no index, no
 * lock): processes on different machines can write into the same directory on a shared filesystem, and a
 * rerun simply skips the ids {@link listFinished} reports.
 *
 * JSON has no NaN or Infinity: non-finite numbers are written as `null` and read back as NaN in the numeric
 * fields of rows, curves and p-values.
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";
import { type InstanceRow, ROW_NUMBER_KEYS } from "./rows.ts";
import type { Summary } from "./summary.ts";

/** Everything kept about one finished instance. */
export interface InstanceRecord {
  /** The instance id (see `plan.ts`). */
  id: string;
  /** Losses, trial counts and accuracies: the instance's row in the summary. */
  row: InstanceRow;
  /** The full training or fitting configuration (model spec, learning rate, epochs, ...). */
  config: Record<string, unknown>;
  /** The data of the instance: block indices of each part, and trial masks for trial-level splits. */
  folds: {
    train: number[];
    val: number[];
    test: number[];
    level?: "block" | "trial";
    trainMask?: number[][];
    valMask?: number[][];
    testMask?: number[][];
  };
  /** Kept parameters: a PyTorch-named state dict for networks, named parameters for cognitive models. */
  weights?: Record<string, unknown>;
  /** Per-epoch losses (entry e before update e). */
  curves?: { train?: number[]; val?: number[]; test?: number[] };
  /** Anything else the writer wants to keep (timings, optimiser diagnostics). */
  extra?: Record<string, unknown>;
}

const INSTANCES = "instances";

/** Path of an instance's file. Ids are `/`-separated segments of letters, digits and `._()+-`. */
export function instancePath(dir: string, id: string): string {
  checkId(id);
  return `${dir}/${INSTANCES}/${id}.json`;
}

/**
 * Write one instance's record atomically (temp file + rename), creating folders as needed.
 *
 * @example
 * ```ts
 * import { readInstance, writeInstance } from "./store.ts";
 *
 * // Copy one finished instance of a results folder to another folder.
 * const record = await readInstance("results", "gru-2/l1-1e-05/outer0-inner0-seed0");
 * await writeInstance(await Deno.makeTempDir(), record);
 * ```
 */
export async function writeInstance(dir: string, record: InstanceRecord): Promise<void> {
  await writeAtomic(instancePath(dir, record.id), toJson(record));
}

/** Read one instance's record (NaN restored in the row and the curves). Errors name the file. */
export async function readInstance(dir: string, id: string): Promise<InstanceRecord> {
  const path = instancePath(dir, id);
  const record = await readJson(path) as InstanceRecord;
  if (record === null || typeof record !== "object" || record.id !== id || typeof record.row !== "object") {
    throw new TinyRnnInputError(`${path}: not an instance record for "${id}"`);
  }
  reviveNumbers(record.row, ROW_NUMBER_KEYS);
  for (const curve of Object.values(record.curves ?? {})) reviveArray(curve);
  return record;
}

/** Whether an instance has a result. */
export async function isFinished(dir: string, id: string): Promise<boolean> {
  try {
    return (await Deno.stat(instancePath(dir, id))).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Ids of every finished instance in `dir`, sorted (an absent directory has none). Temp files are ignored. */
export async function listFinished(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const file of filesUnder(`${dir}/${INSTANCES}`)) {
    if (file.relative.split("/").some((part) => part.startsWith("."))) continue;
    if (file.relative.endsWith(".json")) ids.push(file.relative.slice(0, -5));
  }
  return ids.sort();
}

/**
 * Remove temporary files that writers killed mid-write left behind (hidden `*.tmp` files older than
 * `olderThanMs`, default one hour, so that the temp file of a live writer is never touched). Returns how many
 * were removed. Optional housekeeping: readers ignore temp files anyway.
 */
export async function removeStaleTemp(dir: string, olderThanMs = 3_600_000): Promise<number> {
  let removed = 0;
  const now = Date.now();
  for await (const file of filesUnder(dir)) {
    const name = file.relative.slice(file.relative.lastIndexOf("/") + 1);
    if (!name.startsWith(".") || !name.endsWith(".tmp")) continue;
    const modified = (await Deno.stat(file.path).catch(() => null))?.mtime?.getTime();
    if (modified !== undefined && now - modified >= olderThanMs) {
      await Deno.remove(file.path).then(() => removed++, () => {});
    }
  }
  return removed;
}

/** Every file below `folder` (none when it is absent), with its path relative to `folder` (`/`-separated). */
async function* filesUnder(folder: string, prefix = ""): AsyncGenerator<{ path: string; relative: string }> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(folder));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const entry of entries) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) yield* filesUnder(path, `${prefix}${entry.name}/`);
    else if (entry.isFile) yield { path, relative: `${prefix}${entry.name}` };
  }
}

/** Read the records of the given ids (default: every finished instance), in id order. */
export async function readInstances(dir: string, ids?: readonly string[]): Promise<InstanceRecord[]> {
  const list = ids ? [...ids].sort() : await listFinished(dir);
  const records: InstanceRecord[] = [];
  for (const id of list) records.push(await readInstance(dir, id));
  return records;
}

/**
 * Write `summary.json` (the whole summary) and `summary.csv` (the aggregate table, one row per model; arrays
 * joined with `;`), each atomically.
 */
export async function writeSummary(dir: string, summary: Summary): Promise<void> {
  await writeAtomic(`${dir}/summary.json`, toJson(summary, 1));
  await writeAtomic(`${dir}/summary.csv`, aggregateCsv(summary));
}

/** Read `summary.json`, restoring NaN in rows, aggregates and p-values. */
export async function readSummary(dir: string): Promise<Summary> {
  const path = `${dir}/summary.json`;
  const summary = await readJson(path) as Summary;
  if (summary === null || typeof summary !== "object" || !Array.isArray(summary.aggregate)) {
    throw new TinyRnnInputError(`${path}: not a tinyrnn summary`);
  }
  for (const row of [...summary.models, ...summary.best]) reviveNumbers(row, ROW_NUMBER_KEYS);
  for (const row of summary.aggregate) {
    for (const [key, value] of Object.entries(row)) {
      if (value === null) (row as unknown as Record<string, unknown>)[key] = NaN;
      else if (Array.isArray(value)) reviveArray(value);
    }
  }
  const d = summary.dimensionality;
  d.pValues.forEach(reviveArray);
  for (const row of d.rows) {
    reviveArray(row.lessPValues);
    reviveArray(row.foldTestLoss);
    if ((row.testLoss as unknown) === null) row.testLoss = NaN;
  }
  for (const cog of d.cognitive) {
    reviveArray(cog.pValues);
    if ((cog.pValue as unknown) === null) cog.pValue = NaN;
    if ((cog.testLoss as unknown) === null) cog.testLoss = NaN;
  }
  return summary;
}

/** The aggregate table as CSV text. */
export function aggregateCsv(summary: Pick<Summary, "aggregate">): string {
  const rows = summary.aggregate;
  if (rows.length === 0) return "model\n";
  const columns = Object.keys(rows[0]);
  const cell = (value: unknown): string => {
    let text: string;
    if (typeof value === "number") text = Number.isFinite(value) ? String(value) : "";
    else if (Array.isArray(value)) {
      text = value.map((v) =>
        typeof v === "object" && v !== null
          ? (v.id ?? `outer${v.outer}-inner${v.inner}-seed${v.seed}`)
          : typeof v === "number" && !Number.isFinite(v)
          ? ""
          : String(v)
      ).join(";");
    } else text = value === undefined || value === null ? "" : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [columns.join(",")];
  for (const row of rows) {
    lines.push(columns.map((c) => cell((row as unknown as Record<string, unknown>)[c])).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Write `text` to `path` so that `path` is either absent/old or complete: temp file, flush, rename. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  const folder = slash < 0 ? "." : path.slice(0, slash);
  const name = path.slice(slash + 1);
  await Deno.mkdir(folder, { recursive: true });
  const temp = `${folder}/.${name}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  try {
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      const bytes = new TextEncoder().encode(text);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** JSON with typed arrays as plain arrays and non-finite numbers as null. */
function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return Array.from(v as unknown as ArrayLike<number>);
    }
    if (typeof v === "number" && !Number.isFinite(v)) return null;
    return v;
  }, indent) + "\n";
}

async function readJson(path: string): Promise<unknown> {
  const text = await Deno.readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TinyRnnInputError(`${path}: invalid JSON (${(error as Error).message})`);
  }
}

function reviveNumbers(object: unknown, keys: readonly string[]): void {
  const record = object as Record<string, unknown>;
  for (const key of keys) if (record[key] === null) record[key] = NaN;
}

function reviveArray(values: unknown): void {
  if (!Array.isArray(values)) return;
  for (let i = 0; i < values.length; i++) if (values[i] === null) values[i] = NaN;
}

function checkId(id: string): void {
  const segments = typeof id === "string" ? id.split("/") : [];
  if (segments.length === 0 || segments.some((s) => !/^[A-Za-z0-9_()+-][A-Za-z0-9_.()+-]*$/.test(s))) {
    throw new TinyRnnInputError(
      `instance id ${
        JSON.stringify(id)
      } must be "/"-separated names of letters, digits and ._()+- (not starting with ".")`,
    );
  }
}
