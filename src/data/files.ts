/**
 * Reading and writing whole text files, with one-line input errors for the usual failures.
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";

/** Read a whole text file, turning a missing or unreadable file into a one-line input error. */
export function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new TinyRnnInputError(`${path}: no such file`);
    if (error instanceof Deno.errors.IsADirectory) {
      throw new TinyRnnInputError(`${path} is a folder, not a file`);
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new TinyRnnInputError(`${path}: permission denied (${(error as Error).message})`);
    }
    throw error;
  }
}

/** Write a whole text file, creating its parent folder. */
export function writeText(path: string, text: string): void {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (slash > 0) Deno.mkdirSync(path.slice(0, slash), { recursive: true });
  Deno.writeTextFileSync(path, text);
}
