/**
 * Reading and writing whole text files, with one-line input errors for the usual failures.
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";

/**
 * Read a whole text file, turning a missing or unreadable file into a one-line input error. The file must be
 * UTF-8 (a BOM is allowed): other bytes (Latin-1, UTF-16, a binary file) are an error naming the line of the
 * first bad byte, rather than text with U+FFFD in it that fails later with a puzzling message.
 */
export function readText(path: string): string {
  if (typeof path !== "string" || path === "") {
    throw new TinyRnnInputError(`a file path must be a non-empty string, got ${JSON.stringify(path)}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new TinyRnnInputError(`${path}: no such file`);
    if (error instanceof Deno.errors.IsADirectory) {
      throw new TinyRnnInputError(`${path} is a folder, not a file`);
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new TinyRnnInputError(`${path}: permission denied (${(error as Error).message})`);
    }
    if (error instanceof RangeError || /allocat|too large|out of memory/i.test(String(error))) {
      throw new TinyRnnInputError(`${path}: the file is too large to read into memory (${fileSize(path)})`);
    }
    throw error;
  }
  return decodeUtf8(bytes, path);
}

/** `bytes` as UTF-8 text; other bytes are a `TinyRnnInputError` naming `source` and the line of the first. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const bad = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 10) line++;
    const binary = bytes.subarray(0, Math.min(bytes.length, 4096)).includes(0);
    throw new TinyRnnInputError(
      `${source}: not UTF-8 text (line ${line}, byte ${bad + 1} is 0x${
        bytes[bad].toString(16).padStart(2, "0")
      })${
        binary ? ": a binary file, not a text CSV" : "; save the file as UTF-8 (it may be Latin-1 or UTF-16)"
      }`,
    );
  }
}

/** The offset of the first byte that does not start (or continue) a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80
      ? 1
      : b >= 0xc2 && b < 0xe0
      ? 2
      : b >= 0xe0 && b < 0xf0
      ? 3
      : b >= 0xf0 && b < 0xf5
      ? 4
      : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}

/** A file's size in words (`"214.3 MB"`), or "size unknown". */
export function fileSize(path: string): string {
  try {
    return `${(Deno.statSync(path).size / 1e6).toFixed(1)} MB`;
  } catch {
    return "size unknown";
  }
}

/** Write a whole text file, creating its parent folder. */
export function writeText(path: string, text: string): void {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (slash > 0) Deno.mkdirSync(path.slice(0, slash), { recursive: true });
  Deno.writeTextFileSync(path, text);
}
