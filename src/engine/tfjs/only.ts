/**
 * Names of cells that exist only as tfjs ops (defined with `defineTfjsCell`). Kept apart from the tfjs code so
 * that the native engine (and its workers) can ask without loading tfjs.
 *
 * @module
 */

const tfjsOnly = new Set<string>();

/** Record that `name` is a tfjs-only cell. */
export function markTfjsOnly(name: string): void {
  tfjsOnly.add(name);
}

/** Whether `name` is a cell defined with `defineTfjsCell` (no float64 kernel: only the tfjs engine trains it). */
export function isTfjsOnlyCell(name: string): boolean {
  return tfjsOnly.has(name);
}
