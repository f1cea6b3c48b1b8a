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
  const { checksum: _old, ...content } = record as InstanceRecord & { checksum?: unknown };
  const body = toJson(content);
  const checksum = await sha256(body.trimEnd());
  await writeAtomic(instancePath(dir, record.id), toJson({ ...content, checksum }));
}

/**
 * What to do about an instance file that cannot be trusted: the instance is retrained once its file is gone.
 */
const RETRAIN = "delete the file and rerun to retrain that instance";

/**
 * Read one instance's record (NaN restored in the row and the curves). Errors name the file and how to retrain
 * it: a file that is not JSON, does not have a record's shape, does not match its checksum (a file edited by
 * hand, or damaged), or holds non-finite weights. Files written before checksums were kept (no `checksum`
 * key) are accepted unchecked, for folders of older runs; their weights are still checked.
 */
export async function readInstance(dir: string, id: string): Promise<InstanceRecord> {
  const path = instancePath(dir, id);
  const record = await readJson(path, RETRAIN) as InstanceRecord & { checksum?: unknown };
  if (record === null || typeof record !== "object" || Array.isArray(record) || record.id !== id) {
    throw new TinyRnnInputError(`${path}: not an instance record for "${id}"; ${RETRAIN}`);
  }
  if ("checksum" in record) {
    const { checksum, ...content } = record;
    if (typeof checksum !== "string" || checksum !== await sha256(JSON.stringify(content))) {
      throw new TinyRnnInputError(
        `${path}: its content does not match its checksum (edited or damaged); ${RETRAIN}`,
      );
    }
    delete record.checksum;
  }
  checkRecordShape(path, record);
  reviveNumbers(record.row, ROW_NUMBER_KEYS);
  for (const curve of Object.values(record.curves ?? {})) reviveArray(curve);
  return record;
}

/** The fields of an instance record that readers use, checked so that a bad file fails here, naming itself. */
function checkRecordShape(path: string, record: InstanceRecord): void {
  const bad = (field: string, what: string) =>
    new TinyRnnInputError(`${path}: ${field} must be ${what}; ${RETRAIN}`);
  const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(record.row)) throw bad("row", "an object");
  const row = record.row as unknown as Record<string, unknown>;
  for (const key of ROW_NUMBER_KEYS) {
    if (key in row && row[key] !== null && typeof row[key] !== "number") throw bad(`row.${key}`, "a number");
  }
  if (typeof row.model !== "string") throw bad("row.model", "a model id (a string)");
  if (record.config !== undefined && !isObject(record.config)) throw bad("config", "an object");
  if (record.curves !== undefined) {
    if (!isObject(record.curves)) throw bad("curves", "an object of number lists");
    for (const [name, curve] of Object.entries(record.curves)) {
      if (!Array.isArray(curve) || curve.some((v) => v !== null && typeof v !== "number")) {
        throw bad(`curves.${name}`, "a list of numbers");
      }
    }
  }
  if (record.weights !== undefined) {
    if (!isObject(record.weights)) throw bad("weights", "an object");
    const where = nonFinite(record.weights, "weights");
    if (where !== undefined) {
      throw new TinyRnnInputError(
        `${path}: ${where} is not a finite number (NaN or infinite weights); ${RETRAIN}`,
      );
    }
  }
}

/** The path of the first entry of `value` that is not a finite number (null, NaN, a string), or undefined. */
function nonFinite(value: unknown, at: string): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : at;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinite(value[i], `${at}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const found = nonFinite(v, `${at}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return typeof value === "string" || typeof value === "boolean" ? undefined : at;
}

/** The SHA-256 of `text` (UTF-8) as `"sha256:<hex>"`. */
async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
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
  checkSummaryShape(path, summary);
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

/**
 * The fields of `summary.json` that readers use, checked so that a damaged or hand-made file fails here with a
 * message naming the file and the field (rather than deep inside a report). Model ids must be names that can
 * become file names (see {@link checkPathName}) and fold indices non-negative integers: figures are written
 * under `<model>/..._outer<k>.svg`.
 */
function checkSummaryShape(path: string, summary: Summary): void {
  const bad = (field: string, what: string) =>
    new TinyRnnInputError(`${path}: ${field} must be ${what} (not a summary written by tinyrnn?)`);
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  const isNumber = (v: unknown) => v === null || typeof v === "number";
  const isIndex = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  for (const key of ["models", "best", "aggregate"] as const) {
    const rows = (summary as unknown as Record<string, unknown>)[key];
    if (!Array.isArray(rows)) throw bad(key, "a list of rows");
    rows.forEach((row: unknown, i) => {
      if (!isObject(row)) throw bad(`${key}[${i}]`, "an object");
      if (typeof row.model !== "string" || !isPathName(row.model)) {
        throw bad(`${key}[${i}].model`, 'a model id of letters, digits and ._()+- (not starting with ".")');
      }
      for (const field of ROW_NUMBER_KEYS) {
        if (field in row && !isNumber(row[field])) throw bad(`${key}[${i}].${field}`, "a number");
      }
      if (key !== "aggregate") {
        for (const field of ["outer", "inner", "seed"]) {
          if (!isIndex(row[field])) throw bad(`${key}[${i}].${field}`, "a non-negative integer");
        }
        if (row.id !== undefined && (typeof row.id !== "string" || !isInstanceId(row.id))) {
          throw bad(`${key}[${i}].id`, "an instance id");
        }
      } else {
        for (const [field, value] of Object.entries(row)) {
          if (
            Array.isArray(value) && value.some((v) => !isNumber(v) && !isObject(v) && typeof v !== "string")
          ) {
            throw bad(`${key}[${i}].${field}`, "a list of numbers or instances");
          }
        }
      }
    });
  }
  if (summary.missing !== undefined && !Array.isArray(summary.missing)) throw bad("missing", "a list of ids");
  const d = summary.dimensionality as unknown;
  if (!isObject(d)) throw bad("dimensionality", "an object");
  const numberList = (v: unknown) => Array.isArray(v) && v.every(isNumber);
  if (!Array.isArray(d.pValues) || !d.pValues.every(numberList)) {
    throw bad("dimensionality.pValues", "a list of number lists");
  }
  if (!Array.isArray(d.rows)) throw bad("dimensionality.rows", "a list");
  d.rows.forEach((row: unknown, i) => {
    if (
      !isObject(row) || !numberList(row.lessPValues) || !numberList(row.foldTestLoss) ||
      !isNumber(row.testLoss)
    ) {
      throw bad(`dimensionality.rows[${i}]`, "{ hidden, testLoss, foldTestLoss, lessPValues }");
    }
  });
  if (!Array.isArray(d.cognitive)) throw bad("dimensionality.cognitive", "a list");
  d.cognitive.forEach((row: unknown, i) => {
    if (!isObject(row) || !numberList(row.pValues) || !isNumber(row.pValue) || !isNumber(row.testLoss)) {
      throw bad(`dimensionality.cognitive[${i}]`, "{ model, testLoss, pValues, pValue, ... }");
    }
  });
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
  try {
    await Deno.mkdir(folder, { recursive: true });
  } catch (error) {
    throw outputError(folder, error);
  }
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
    throw outputError(path, error);
  }
}

/** Operating-system errors that mean "this place cannot be written", not a bug: reported as bad input. */
const OUTPUT_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  ENOENT: "no such folder (it cannot be created there)",
  EEXIST: "a file is in the way",
  ENAMETOOLONG: "the name is too long",
  EIO: "input/output error",
  EFBIG: "file too large",
  EINVAL: "not a place files can be written",
};

/**
 * A write error as a `TinyRnnInputError` naming `path` when the operating system refused the write (full disk,
 * no permission, read-only, not a folder, ...); other errors are returned as they are.
 */
export function outputError(path: string, error: unknown): unknown {
  if (error instanceof TinyRnnInputError) return error;
  const code = (error as { code?: unknown })?.code;
  const reason = typeof code === "string" ? OUTPUT_ERRORS[code] : undefined;
  // Deno refuses some paths whatever the flags short of --allow-all (system folders such as /proc and /dev):
  // that is a place no results belong, so it is reported as such rather than as a missing permission.
  if (error instanceof Deno.errors.NotCapable) {
    return new TinyRnnInputError(
      /Requires all access/.test(error.message)
        ? `cannot write ${path}: not a place results can be written (a system path)`
        : `cannot write ${path}: this program may not write there (run it with --allow-write)`,
    );
  }
  if (reason === undefined && !(error instanceof Deno.errors.PermissionDenied)) return error;
  return new TinyRnnInputError(
    `cannot write ${path}: ${reason ?? "permission denied"} (${
      (error as Error).message.replace(/:.*$/, "")
    })`,
  );
}

/**
 * Check at the start of a run that files can be written into the folder `dir` (created when absent): a probe
 * file is written and removed. `what` names the folder in the message (e.g. `"--out"`). A path that is a file,
 * a device, or a place that cannot be written is a `TinyRnnInputError` naming the path.
 */
export async function checkOutputFolder(dir: string, what = "output folder"): Promise<void> {
  if (typeof dir !== "string" || dir === "") {
    throw new TinyRnnInputError(`${what} must be a folder path, got ${JSON.stringify(dir)}`);
  }
  const info = await Deno.stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory) {
    throw new TinyRnnInputError(
      `${what} ${dir} is ${info.isFile ? "a file" : "a device or other special file"}, not a folder`,
    );
  }
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (error) {
    throw prefixed(what, outputError(dir, error));
  }
  const probe = `${dir}/.tinyrnn-probe.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(probe, "probe\n", { createNew: true });
  } catch (error) {
    throw prefixed(what, outputError(dir, error));
  }
  await Deno.remove(probe).catch(() => {});
}

/**
 * Check at the start that the file `path` can be written (its folder created and probed, the path itself not a
 * folder or a device).
 */
export async function checkOutputFile(path: string, what = "output file"): Promise<void> {
  if (typeof path !== "string" || path === "") {
    throw new TinyRnnInputError(`${what} must be a file path, got ${JSON.stringify(path)}`);
  }
  const info = await Deno.stat(path).catch(() => undefined);
  if (info !== undefined && !info.isFile) {
    throw new TinyRnnInputError(`${what} ${path} is ${info.isDirectory ? "a folder" : "not a regular file"}`);
  }
  const slash = path.lastIndexOf("/");
  await checkOutputFolder(slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash), `${what}'s folder`);
}

function prefixed(what: string, error: unknown): unknown {
  if (error instanceof TinyRnnInputError) return new TinyRnnInputError(`${what}: ${error.message}`);
  return error;
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

async function readJson(path: string, hint?: string): Promise<unknown> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await Deno.readFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw error;
    if (error instanceof TypeError) {
      throw new TinyRnnInputError(`${path}: not a UTF-8 text file${hint ? `; ${hint}` : ""}`);
    }
    const code = (error as { code?: unknown })?.code;
    if (typeof code === "string") {
      throw new TinyRnnInputError(`cannot read ${path}: ${(error as Error).message.replace(/:.*$/, "")}`);
    }
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TinyRnnInputError(
      `${path}: invalid JSON (${(error as Error).message})${hint ? `; ${hint}` : ""}`,
    );
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

/** Whether `name` is one segment of an id: letters, digits and `._()+-`, not starting with `.`. */
function isPathName(name: string): boolean {
  return /^[A-Za-z0-9_()+-][A-Za-z0-9_.()+-]*$/.test(name);
}

function isInstanceId(id: string): boolean {
  return id.split("/").every(isPathName);
}

/**
 * Check a name read from a file (or given by a caller) before it becomes part of a path: `/`-separated
 * segments of letters, digits and `._()+-`, none starting with `.` (so no `..`, no absolute path, no hidden
 * file). The same rule as instance ids. `what` names the value in the message.
 */
export function checkPathName(name: unknown, what: string): string {
  if (typeof name !== "string" || name === "" || !isInstanceId(name)) {
    throw new TinyRnnInputError(
      `${what} ${
        JSON.stringify(name)
      } cannot be used in a file name: it must be "/"-separated names of letters, digits and ._()+- (not starting with ".")`,
    );
  }
  return name;
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
