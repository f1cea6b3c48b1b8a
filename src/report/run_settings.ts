/**
 * How a cross-validation run was made, read back from its results folder: the settings each instance file
 * records (`config.settings`) and the grid its rows span. The HTML report shows them at the top.
 *
 * @module
 */

import { formatL1 } from "./format.ts";
import type { ResultsRun } from "./results.ts";
import { TINYRNN_VERSION } from "../version.ts";

/** Options of {@link runSettings}. */
export interface RunSettingsOptions {
  /** When the report is written (default now). */
  date?: Date;
  /** The command that made the run, when known. */
  command?: string;
}

/**
 * The run's settings as label/value pairs, in reading order: cells and hidden sizes, cognitive models, L1
 * grid, learning rate, epochs, patience, weight decay, engine, seeds, folds, tinyrnn version, date and (when
 * known) the command. A setting the instances disagree on lists every value.
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, loadResults, simulate, tasks } from "@tinyrnn/tinyrnn";
 * import { runSettings } from "./run_settings.ts";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const dir = await Deno.makeTempDir();
 * await crossValidate(data, { hidden: [1], l1: [1e-5], outer: 2, inner: 2, seeds: 1, maxEpochs: 20, resultsDir: dir });
 * for (const [label, value] of runSettings(await loadResults(dir))) console.log(`${label}: ${value}`);
 * ```
 */
export function runSettings(run: ResultsRun, options: RunSettingsOptions = {}): [string, string][] {
  const rows = run.summary.models;
  const rnn = rows.filter((r) => r.kind === "rnn");
  const settings = run.models.flatMap((m) =>
    m.selected.map((s) => (s.record.config as { settings?: Record<string, unknown> })?.settings ?? {})
  );
  const rnnSettings = settings.filter((s) => s.kind === "rnn");
  const distinct = <T>(values: readonly T[]): T[] => [...new Set(values)];
  const listOf = (key: string, from = rnnSettings, format = (v: unknown) => String(v)) => {
    const values = distinct(from.map((s) => s[key]).filter((v) => v !== undefined));
    return values.length ? values.map(format).join(", ") : undefined;
  };
  const items: [string, string | undefined][] = [];
  const cells = distinct(rnn.map((r) => r.cell));
  if (cells.length) {
    items.push([
      "Networks",
      cells.map((cell) =>
        `${cell} (d = ${
          distinct(rnn.filter((r) => r.cell === cell).map((r) => r.hidden)).sort((a, b) => a - b).join(", ")
        })`
      ).join("; "),
    ]);
  }
  const cognitive = distinct(rows.filter((r) => r.kind === "cognitive").map((r) => r.model));
  if (cognitive.length) items.push(["Cognitive models", cognitive.join(", ")]);
  if (rnn.length) {
    items.push(
      ["L1 grid", distinct(rnn.map((r) => r.l1)).sort((a, b) => a - b).map(formatL1).join(", ")],
      ["Learning rate", listOf("lr")],
      ["Epochs (at most)", listOf("maxEpochs")],
      ["Patience", listOf("patience")],
      ["Weight decay", listOf("weightDecay")],
      ["Engine", listOf("engine") ?? (rnnSettings.length ? "native" : undefined)],
    );
  }
  const seeds = distinct(rows.map((r) => r.seed)).sort((a, b) => a - b);
  const outer = distinct(rows.map((r) => r.outer)).length;
  const inner = distinct(rows.map((r) => r.inner)).length;
  const split = settings.map((s) => s.split).find((v) => v !== undefined) as
    | Record<string, unknown>
    | undefined;
  items.push(
    ["Seeds", `${seeds.length} (${seeds.join(", ")})`],
    [
      "Folds",
      `${outer} outer × ${inner} inner` +
      (split && split.level === "trial" ? " (trial-level split)" : "") +
      (split && split.folds !== undefined ? " (given folds)" : ""),
    ],
    ["tinyrnn", TINYRNN_VERSION],
    ["Report written", (options.date ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z")],
  );
  if (options.command) items.push(["Command", options.command]);
  return items.filter((item): item is [string, string] => item[1] !== undefined);
}
