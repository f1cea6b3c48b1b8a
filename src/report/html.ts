/**
 * One self-contained HTML page for a results directory: the model table, the dimensionality estimate, the
 * selected instances and every figure as inline SVG (no scripts, no external files).
 *
 * @module
 */

import type { AggregateRow, InstanceRow } from "../cv/rows.ts";
import { countTrials } from "../data/dataset.ts";
import { type RunFigure, runFigures, type SkippedFigure } from "./figures.ts";
import { formatL1 } from "./format.ts";
import { htmlPage } from "./page.ts";
import { runSettings } from "./run_settings.ts";
import type { ResultsModel, ResultsRun } from "./results.ts";
import { DiscoveredEquations, type DiscoveredEquationsJson } from "../equations/discovered.ts";
import { equationModel } from "../equations/equation_model.ts";
import { checkFunction, option, type OptionSpec, resolveOptions, TinyRnnInputError } from "../options.ts";
import { RUN_FIGURES_OPTIONS } from "./figures.ts";

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** Page title (default "tinyrnn report: <dir>"). */
  title?: string;
  /** Per-model figures of `"all"` outer folds or only the `"first"` (default `"first"`, as `deno task report`). */
  outerFolds?: "all" | "first";
  /** The command that made the run, shown with its settings at the top (default: not shown). */
  command?: string;
  /** Called as each figure is drawn (for progress). */
  onFigure?: (figure: RunFigure) => void;
  /**
   * Equations discovered from the run's networks (what `deno task equations` writes), by model id, one per
   * outer fold: shown in an "Equations" section after that model's figures. Default none.
   */
  equations?: Readonly<Record<string, readonly FoldEquations[]>>;
}

/** The equations of one outer fold's selected network, for {@link ReportOptions.equations}. */
export interface FoldEquations {
  /** The outer fold. */
  outer: number;
  /** The discovered rule, or its `toJSON` form. */
  equations: DiscoveredEquations | DiscoveredEquationsJson;
}

/** The declarations of {@link REPORT_OPTIONS}. */
export type ReportOptionSpecs = {
  readonly title: OptionSpec<string>;
  readonly outerFolds: (typeof RUN_FIGURES_OPTIONS)["outerFolds"];
  readonly command: OptionSpec<string>;
  readonly onFigure: OptionSpec<(figure: RunFigure) => void>;
  readonly equations: OptionSpec<Readonly<Record<string, readonly FoldEquations[]>>>;
};

/** The options of {@link buildReport}: key, default, check and one line of help each. */
export const REPORT_OPTIONS: ReportOptionSpecs = {
  title: option<string>({
    help: 'page title (default "tinyrnn report: <dir>")',
    placeholder: "TEXT",
    check: (where, name, v) => {
      if (typeof v !== "string") {
        throw new TinyRnnInputError(`${where}: ${name} must be a string, got ${JSON.stringify(v)}`);
      }
      return v;
    },
  }),
  outerFolds: { ...RUN_FIGURES_OPTIONS.outerFolds, default: "first" },
  command: option<string>({
    help: "the command that made the run, shown with its settings",
    placeholder: "TEXT",
    check: (where, name, v) => {
      if (typeof v !== "string") {
        throw new TinyRnnInputError(`${where}: ${name} must be a string, got ${JSON.stringify(v)}`);
      }
      return v;
    },
  }),
  onFigure: option<(figure: RunFigure) => void>({
    help: "called as each figure is drawn",
    check: checkFunction,
  }),
  equations: option<Readonly<Record<string, readonly FoldEquations[]>>>({
    help: "equations discovered from the networks, by model id, one per outer fold: { outer, equations }",
    check: (where, name, v) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        throw new TinyRnnInputError(
          `${where}: ${name} must map model ids to lists, got ${JSON.stringify(v)}`,
        );
      }
      for (const [model, list] of Object.entries(v)) {
        if (!Array.isArray(list) || list.some((e) => !e || typeof e.outer !== "number" || !e.equations)) {
          throw new TinyRnnInputError(`${where}: ${name}.${model} must be a list of { outer, equations }`);
        }
      }
      return v as Readonly<Record<string, readonly FoldEquations[]>>;
    },
  }),
};

/**
 * The HTML report of a run, as one string.
 *
 * @example
 * ```ts
 * import { loadResults } from "@tinyrnn/tinyrnn";
 * import { buildReport } from "./html.ts";
 *
 * Deno.writeTextFileSync("report.html", buildReport(await loadResults("results")));
 * ```
 */
export function buildReport(run: ResultsRun, options: ReportOptions = {}): string {
  const where = "buildReport";
  const o = resolveOptions(where, options, REPORT_OPTIONS);
  const outerFolds = o.outerFolds;
  const title = o.title ?? `tinyrnn report: ${run.dir}`;
  const skipped: SkippedFigure[] = [];
  const figures: RunFigure[] = [];
  for (const figure of runFigures(run, { outerFolds, onSkip: (s) => skipped.push(s) })) {
    figures.push(figure);
    o.onFigure?.(figure);
  }
  const { summary } = run;
  const sections = [
    `<h1>${escapeHtml(title)}</h1>`,
    settingsSection(run, o.command),
    overview(run),
    `<h2>Models</h2>`,
    `<p>Pooled over outer folds: every block is tested exactly once, by the model selected for its outer fold ` +
    `(lowest validation loss over seeds and L1 per inner fold, then the inner fold with the lowest ` +
    `train+validation loss). Loss: negative log-likelihood per trial (lower is better).</p>`,
    aggregateTable(summary.aggregate),
    dimensionalitySection(run),
    figureSection(figures.filter((f) => f.model === undefined), "Model comparison"),
    ...run.models.map((model) =>
      figureSection(
        figures.filter((f) => f.model === model.aggregate.model),
        `${model.aggregate.model} (${
          model.aggregate.kind === "rnn" ? "d" : "dynamical variables"
        } = ${model.aggregate.hidden})`,
      ) + equationsSection(model, outerFolds) +
      discoveredSection(model.aggregate.model, o.equations?.[model.aggregate.model] ?? [], outerFolds)
    ),
    skipped.length
      ? `<p class="note">Not drawn: ${skipped.length} figure(s): ${escapeHtml(skipped[0].reason)}.</p>`
      : "",
    `<h2>Selected instances</h2>`,
    instanceTable(summary.best),
    `<details><summary>All ${summary.models.length} instances</summary>${
      instanceTable(summary.models)
    }</details>`,
    summary.missing.length
      ? `<p class="warning">${summary.missing.length} planned instance(s) have no result: ${
        escapeHtml(summary.missing.slice(0, 10).join(", "))
      }${summary.missing.length > 10 ? ", ..." : ""}</p>`
      : "",
    `<footer>Written by tinyrnn from ${escapeHtml(run.dir)}/summary.json.</footer>`,
  ];
  return htmlPage(title, sections.filter((s) => s !== "").join("\n"));
}

/** How the run was made (see `runSettings`), first on the page. */
function settingsSection(run: ResultsRun, command: string | undefined): string {
  const items = runSettings(run, { command });
  return `<dl class="settings">${
    items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")
  }</dl>`;
}

function overview(run: ResultsRun): string {
  const { summary, data } = run;
  const items: [string, string][] = [["Results", run.dir]];
  if (data) {
    items.push([
      "Data",
      `${data.blocks.length} blocks, ${
        countTrials(data).trials
      } trials, ${data.kind}, ${data.nActions} actions${run.dataSource ? ` (${run.dataSource})` : ""}`,
    ]);
  }
  const outer = new Set(summary.models.map((r) => r.outer)).size;
  const inner = new Set(summary.models.map((r) => r.inner)).size;
  const seeds = new Set(summary.models.map((r) => r.seed)).size;
  items.push(
    ["Models", `${summary.aggregate.length} (${summary.aggregate.map((r) => r.model).join(", ")})`],
    [
      "Instances",
      `${summary.models.length}: ${outer} outer × ${inner} inner folds × ${seeds} seed(s) per setting`,
    ],
  );
  const estimate = summary.dimensionality.estimate;
  items.push(["Dimensionality", estimate === null ? "no RNN models" : `d = ${estimate}`]);
  return `<dl>${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

function aggregateTable(rows: readonly AggregateRow[]): string {
  const best = Math.min(...rows.map((r) => r.testLoss).filter(Number.isFinite));
  return table(
    ["model", "kind", "d", "test NLL", "SEM", "test accuracy", "train+val NLL", "test NLL per outer fold"],
    rows.map((r) => ({
      className: r.testLoss === best ? "best" : undefined,
      cells: [
        text(r.model),
        text(r.kind),
        String(r.hidden),
        fixed(r.testLoss, 4),
        fixed(r.sem, 4),
        fixed(r.testAccuracy, 3),
        fixed(r.trainvalLoss, 4),
        r.foldTestLoss.map((v) => fixed(v, 4)).join(" · "),
      ],
    })),
  );
}

function dimensionalitySection(run: ResultsRun): string {
  const d = run.summary.dimensionality;
  if (d.rows.length === 0) return "";
  const test = d.test === "ttest"
    ? `a one-sided paired t-test across outer folds at α = ${d.alpha}`
    : "the mean per-fold test loss";
  const parts = [
    `<h2>Dimensionality</h2>`,
    `<p>Estimate: <strong>d = ${d.estimate}</strong>: the largest hidden size whose best network beats every ` +
    `smaller one by ${escapeHtml(test)}. Entry (row i, column j): p-value that d = ${"i"} has a lower ` +
    `per-fold test loss than d = j.</p>`,
    table(
      ["d (best model)", ...d.hidden.map((h) => `vs d = ${h}`), "beats all smaller"],
      d.rows.map((row, i) => ({
        cells: [
          text(`${row.hidden} (${row.model})`),
          ...d.pValues[i].map((p, j) => (j < i ? pValue(p) : "")),
          row.lessThanFormer ? "yes" : "no",
        ],
      })),
    ),
  ];
  if (d.nanComparisons.length > 0) {
    parts.push(
      `<p class="note">NaN p-values (identical per-fold losses) count as significant, as in the original: ${
        d.nanComparisons.map((c) => `d = ${c.hidden} vs ${c.than}`).join(", ")
      }.</p>`,
    );
  }
  if (d.cognitive.length > 0) {
    parts.push(
      `<p>Cognitive models against the RNN curve:</p>`,
      table(
        ["model", "variables", "test NLL", "first RNN with lower loss", "p", "first significantly lower"],
        d.cognitive.map((c) => ({
          cells: [
            text(c.model),
            String(c.hidden),
            fixed(c.testLoss, 4),
            c.beatenByHidden === null ? "none" : `d = ${c.beatenByHidden}`,
            pValue(c.pValue),
            c.significantlyBeatenByHidden === null ? "none" : `d = ${c.significantlyBeatenByHidden}`,
          ],
        })),
      ),
    );
  }
  return parts.join("\n");
}

/**
 * Beside the portraits of an equations model (crossValidate's `equations` option): per outer fold the rule as
 * discovered from the network (the notebook table: equation, R² of the one-step map, samples) and its
 * coefficients after the refit.
 */
function equationsSection(model: ResultsModel, outerFolds: "all" | "first"): string {
  if (model.aggregate.kind !== "equations") return "";
  const chosen = outerFolds === "first" ? model.selected.slice(0, 1) : model.selected;
  const parts = chosen.flatMap(({ row, record }) => {
    const json = record.extra?.discovered as DiscoveredEquationsJson | undefined;
    if (!json) return [];
    const discovered = DiscoveredEquations.fromJSON(json);
    const jupyter = Symbol.for("Jupyter.display");
    const display = (discovered as unknown as Record<symbol, () => Record<string, string>>)[jupyter]();
    const refitted = equationModel(json, { name: model.aggregate.model }).withParams(
      record.weights as Record<string, number>,
    );
    return [
      `<h3>Outer fold ${row.outer}: test NLL ${formatNumber(row.testLoss)}</h3>${display["text/html"]}` +
      `<p>After the maximum-likelihood refit on the training blocks:</p><pre>${
        escapeHtml(refitted.toString())
      }</pre>`,
    ];
  });
  if (parts.length === 0) return "";
  return `<h2>Equations: ${escapeHtml(model.aggregate.model)}</h2>\n<div class="equations">${
    parts.join("\n")
  }</div>`;
}

/** Equations given with the `equations` option (read from the network of each outer fold). */
function discoveredSection(
  model: string,
  folds: readonly FoldEquations[],
  outerFolds: "all" | "first",
): string {
  const sorted = [...folds].sort((a, b) => a.outer - b.outer);
  const chosen = outerFolds === "first" ? sorted.slice(0, 1) : sorted;
  if (chosen.length === 0) return "";
  const jupyter = Symbol.for("Jupyter.display");
  const parts = chosen.map(({ outer, equations }) => {
    const discovered = equations instanceof DiscoveredEquations
      ? equations
      : DiscoveredEquations.fromJSON(equations);
    const display = (discovered as unknown as Record<symbol, () => Record<string, string>>)[jupyter]();
    return `<h3>Outer fold ${outer}</h3>${display["text/html"]}`;
  });
  return `<h2>Equations: ${escapeHtml(model)}</h2>\n<div class="equations">${parts.join("\n")}</div>`;
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : "NaN";
}

function figureSection(figures: readonly RunFigure[], heading: string): string {
  if (figures.length === 0) return "";
  return `<h2>${escapeHtml(heading)}</h2>\n<div class="figures">${
    figures.map((f) =>
      `<figure id="${escapeHtml(f.name)}">${stripXmlDeclaration(f.figure.svg())}<figcaption>${
        escapeHtml(f.title)
      }</figcaption></figure>`
    ).join("\n")
  }</div>`;
}

/** One row per instance (selected rows are instance rows too). */
function instanceTable(rows: readonly InstanceRow[]): string {
  return table(
    [
      "model",
      "outer",
      "inner",
      "seed",
      "L1",
      "epochs",
      "best epoch",
      "train NLL",
      "val NLL",
      "test NLL",
      "test trials",
    ],
    rows.map((r) => ({ cells: [text(r.model), ...instanceCells(r)] })),
  );
}

function instanceCells(r: InstanceRow): string[] {
  return [
    String(r.outer),
    String(r.inner),
    String(r.seed),
    r.kind === "rnn" ? formatL1(r.l1) : "",
    String(r.epochs),
    String(r.bestEpoch),
    fixed(r.trainLoss, 4),
    fixed(r.valLoss, 4),
    fixed(r.testLoss, 4),
    String(r.testTrials),
  ];
}

/** A cell already escaped and marked as left-aligned text. */
interface TextCell {
  text: string;
}

function text(value: string): TextCell {
  return { text: value };
}

function table(
  headers: readonly string[],
  rows: readonly { className?: string; cells: readonly (string | TextCell)[] }[],
): string {
  const head = headers.map((h, i) => `<th${i === 0 ? ' class="text"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((row) =>
    `<tr${row.className ? ` class="${row.className}"` : ""}>${
      row.cells.map((cell) =>
        typeof cell === "string"
          ? `<td>${escapeHtml(cell)}</td>`
          : `<td class="text">${escapeHtml(cell.text)}</td>`
      ).join("")
    }</tr>`
  ).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

function pValue(p: number): string {
  if (Number.isNaN(p)) return "NaN";
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

function stripXmlDeclaration(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, "");
}

/** Text safe inside HTML elements and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
