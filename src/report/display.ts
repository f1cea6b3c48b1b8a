/**
 * Inline display in Deno's Jupyter kernel with the package alone: `show` a value now, `table` rows of
 * objects, `summaryTable` a cross-validation summary and `preview` a data set. Figures, cognitive models and
 * fitted models display themselves as a cell's last value.
 *
 * @module
 */

import type { Dataset } from "../data/dataset.ts";
import { withRecordedColumns } from "../data/recorded.ts";
import type { Summary } from "../cv/summary.ts";
import { type Displayable, displayable, escapeHtml, formatCell, tableMarkup } from "../display_table.ts";

export type { Displayable } from "../display_table.ts";

/**
 * Display a figure, table or any value in the notebook now (not only as the cell's last value). Deno's
 * kernel may report a cell idle before its display messages are out, and a headless run (CI) stops listening
 * at idle; a pause lets the message leave first (20 ms sufficed on an idle machine but lost a figure on a
 * loaded one, hence 200 ms by default). Outside a Jupyter kernel the value is printed with `console.log`.
 *
 * @example
 * ```ts
 * import { show, table } from "@tinyrnn/tinyrnn";
 *
 * await show(table([{ model: "gru-1", nll: 0.61 }, { model: "gru-2", nll: 0.58 }]), 0);
 * ```
 */
export async function show(value: unknown, pauseMs = 200): Promise<void> {
  let shown = false;
  try {
    // The getter throws outside `deno jupyter`.
    const jupyter = (Deno as unknown as { jupyter: { display(value: unknown): Promise<void> } }).jupyter;
    await jupyter.display(value);
    shown = true;
  } catch {
    // not inside a kernel: print instead
  }
  if (!shown) {
    const bundle = displayBundle(value);
    console.log(bundle?.["text/plain"] ?? value);
  }
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}

/** The MIME bundle of a displayable value, or undefined for other values. */
function displayBundle(value: unknown): Record<string, string> | undefined {
  const method = (value as Record<symbol, unknown> | null)?.[Symbol.for("Jupyter.display")];
  return typeof method === "function" ? method.call(value) : undefined;
}

/**
 * Rows of objects as a table that displays inline in Jupyter (HTML) and as tab-separated text elsewhere:
 * non-integer numbers with `digits` decimals, arrays joined with " · ".
 *
 * @example
 * ```ts
 * import { table } from "@tinyrnn/tinyrnn";
 *
 * const rows = [{ model: "gru-1", "test NLL": 0.6123 }, { model: "gru-2", "test NLL": 0.5871 }];
 * table(rows, 3); // the cell's last value: shown as an HTML table
 * ```
 */
export function table(rows: readonly Record<string, unknown>[], digits = 4): Displayable {
  const { html, text } = tableMarkup(rows, digits);
  return displayable(html, text);
}

/**
 * The model table of a cross-validation summary (one row per model: d, pooled test NLL, SEM, test accuracy,
 * test NLL per outer fold) with the dimensionality estimate under it, displayable inline. `summary.json`
 * is unchanged: the summary stays a plain object.
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, simulate, summaryTable, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const summary = await crossValidate(data, { hidden: [1], l1: [1e-5], outer: 2, inner: 2, seeds: 1, maxEpochs: 20 });
 * summaryTable(summary); // the cell's last value: shown as an HTML table
 * ```
 */
export function summaryTable(summary: Summary, digits = 4): Displayable {
  const rows = summary.aggregate.map((r) => ({
    model: r.model,
    kind: r.kind,
    d: r.hidden,
    "test NLL": r.testLoss,
    SEM: r.sem,
    "test accuracy": r.testAccuracy,
    "test NLL per outer fold": r.foldTestLoss,
  }));
  const { html, text } = tableMarkup(rows, digits);
  const estimate = summary.dimensionality.estimate;
  const note = `dimensionality estimate: ${estimate ?? "none (no networks)"}` +
    (summary.missing.length > 0 ? `; ${summary.missing.length} planned instances without a result` : "");
  return displayable(`${html}<p>${escapeHtml(note)}</p>`, `${text}\n${note}`);
}

/** Options of {@link preview}. */
export interface PreviewOptions {
  /** Blocks shown (default 3). */
  blocks?: number;
  /** Trials shown per block (default 5). */
  trials?: number;
}

/**
 * A compact look at a data set, displayable inline: its counts (kind, actions, blocks, trials, reward rate)
 * and the first trials of the first blocks, with their extra columns and a simulation's recorded ones (`p0`, `p1`,
 * `p_action0`, ... as `toCsv` writes them).
 *
 * @example
 * ```ts
 * import { cognitive, preview, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * preview(data, { blocks: 2, trials: 4 }); // the cell's last value: counts and an HTML table
 * ```
 */
export function preview(data: Dataset, options: PreviewOptions = {}): Displayable {
  const nBlocks = Math.max(0, Math.floor(options.blocks ?? 3));
  const nTrials = Math.max(0, Math.floor(options.trials ?? 5));
  const lengths = data.blocks.map((b) => b.action.length);
  const trials = lengths.reduce((a, b) => a + b, 0);
  const rewardSum = data.blocks.reduce((sum, b) => sum + b.reward.reduce((x, y) => x + y, 0), 0);
  const minLength = lengths.length ? Math.min(...lengths) : 0;
  const maxLength = lengths.length ? Math.max(...lengths) : 0;
  const counts = `${data.kind}, ${data.nActions} actions: ${data.blocks.length} blocks, ${trials} trials (` +
    (minLength === maxLength ? `${minLength} per block` : `${minLength}–${maxLength} per block`) +
    `), mean reward ${formatCell(trials ? rewardSum / trials : NaN, 3)}`;
  const rows: Record<string, unknown>[] = [];
  withRecordedColumns({ ...data, blocks: data.blocks.slice(0, nBlocks) }).blocks.forEach((block, b) => {
    for (let t = 0; t < Math.min(nTrials, block.action.length); t++) {
      const row: Record<string, unknown> = {
        block: block.id ?? b,
        trial: t,
        action: block.action[t],
        state: block.state[t],
        reward: block.reward[t],
      };
      if (block.mask) row.mask = block.mask[t];
      for (const [name, values] of Object.entries(block.extra ?? {})) row[name] = values[t];
      rows.push(row);
    }
  });
  const { html, text } = tableMarkup(rows, 3);
  const more = data.blocks.length > nBlocks || maxLength > nTrials
    ? `first ${Math.min(nTrials, maxLength)} trials of the first ${
      Math.min(nBlocks, data.blocks.length)
    } blocks`
    : "all trials";
  return displayable(
    `<p>${escapeHtml(counts)}; ${escapeHtml(more)}:</p>${html}`,
    `${counts}; ${more}:\n${text}`,
  );
}
