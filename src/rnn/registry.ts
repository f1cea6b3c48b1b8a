/**
 * Maps cell names to cell definitions. Cell files register themselves here; the engine looks names up.
 *
 * @module
 */

import { suggest, TinyRnnInputError } from "../options.ts";
import type { CellDefinition } from "./cell.ts";
import { gru } from "./gru.ts";
import { lstm } from "./lstm.ts";
import { mingru } from "./mingru.ts";
import { minlstm } from "./minlstm.ts";
import { rnn } from "./rnn.ts";
import { sgru } from "./sgru.ts";

const registry = new Map<string, CellDefinition>();

/** Add (or replace) a cell type under its `name`. */
export function registerCell(cell: CellDefinition): void {
  registry.set(cell.name, cell);
}

/** Names of every registered cell. */
export function cellNames(): string[] {
  return [...registry.keys()];
}

/** The cell registered as `name`; throws a did-you-mean error for unknown names. */
export function getCell(name: string): CellDefinition {
  const cell = registry.get(name);
  if (!cell) {
    const hint = suggest(name, cellNames());
    throw new TinyRnnInputError(
      `unknown cell "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}; known cells: ${
        cellNames().join(", ")
      }`,
    );
  }
  return cell;
}

for (const cell of [gru, sgru, lstm, rnn, mingru, minlstm]) registerCell(cell);
