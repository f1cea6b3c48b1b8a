/** Helpers the data tests share. */
import assert from "node:assert/strict";
import { TinyRnnInputError } from "../../src/options.ts";

/** Whether a file exists (tests on the shared real data skip when it is absent). */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** `fn` throws a `TinyRnnInputError` whose message matches `pattern`. */
export function assertInputError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TinyRnnInputError, `expected TinyRnnInputError, got ${error}`);
    assert.match((error as Error).message, pattern);
    return true;
  });
}
