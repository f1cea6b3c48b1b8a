/**
 * The loss-versus-dimension figure, as in the paper: pooled test NLL (or accuracy) against the number of dynamical
 * variables, one curve per RNN cell, cognitive models as labelled points.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import type { AggregateRow } from "../cv/rows.ts";
import { checkChoice, checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { type Figure, plotFigure } from "./figure.ts";

/** The fields of an aggregate row (`summary.json` `aggregate`) the figure reads. */
export type ComparisonRow =
  & Pick<AggregateRow, "model" | "cell" | "hidden" | "testLoss">
  & Partial<
    Pick<
      AggregateRow,
      | "kind"
      | "testAccuracy"
      | "sem"
      | "testLossOuterInnerSem"
      | "testAccuracyOuterInnerSem"
      | "testAccuracyOuterSem"
    >
  >;

/** Options of `modelComparison`. */
export interface ModelComparisonOptions {
  /** `"loss"` (default): test NLL per trial; `"accuracy"`: test accuracy. */
  metric?: "loss" | "accuracy";
  /**
   * Error bars: `"outerInner"` (default, the paper's: SEM over all stage-1 rows), `"outer"` (SEM over the outer
   * folds' selected models), `"none"`.
   */
  errorBars?: "outerInner" | "outer" | "none";
  /** Width in pixels (at least 100). Default 480. */
  width?: number;
  /** Height in pixels (at least 100). Default 360. */
  height?: number;
  /** Title above the plot. Default: none. */
  title?: string;
  /**
   * A horizontal dashed line at this value, labelled "ceiling": e.g. the generating model's NLL per trial on
   * simulated data, the best any model can do on average. Default: none.
   */
  ceiling?: number;
}

const TICKS = [1, 2, 3, 4, 5, 10, 20];

/**
 * Pooled test NLL versus the number of dynamical variables d (log axis), with SEM bars per RNN cell and the
 * cognitive models as points at their d.
 *
 * @example
 * ```ts
 * const summary = JSON.parse(Deno.readTextFileSync("results/summary.json"));
 * await modelComparison(summary.aggregate).save("loss_vs_d.svg");
 * ```
 */
export function modelComparison(
  rows: readonly ComparisonRow[],
  options: ModelComparisonOptions = {},
): Figure {
  const where = "modelComparison";
  rejectUnknownKeys(where, options, ["metric", "errorBars", "width", "height", "title", "ceiling"]);
  const ceiling = options.ceiling === undefined
    ? undefined
    : checkNumber(where, "ceiling", options.ceiling, {});
  const metric = checkChoice(where, "metric", options.metric ?? "loss", ["loss", "accuracy"] as const);
  const bars = checkChoice(
    where,
    "errorBars",
    options.errorBars ?? "outerInner",
    ["outerInner", "outer", "none"] as const,
  );
  const width = checkNumber(where, "width", options.width ?? 480, { min: 100 });
  const height = checkNumber(where, "height", options.height ?? 360, { min: 100 });
  if (rows.length === 0) throw new TinyRnnInputError(`${where}: no aggregate rows to plot`);
  const points = rows.map((row, i) => {
    if (!(row.hidden > 0)) {
      throw new TinyRnnInputError(
        `${where}: row ${i} (${row.model}): hidden must be > 0 for a log axis, got ${row.hidden}`,
      );
    }
    const value = metric === "loss" ? row.testLoss : row.testAccuracy ?? NaN;
    const error = bars === "none"
      ? 0
      : metric === "loss"
      ? (bars === "outerInner" ? row.testLossOuterInnerSem : row.sem) ?? 0
      : (bars === "outerInner" ? row.testAccuracyOuterInnerSem : row.testAccuracyOuterSem) ?? 0;
    const kind = row.kind ?? "rnn";
    const series = kind === "rnn" ? row.cell.toUpperCase() : row.model;
    return { d: row.hidden, value, low: value - error, high: value + error, series, kind, model: row.model };
  }).filter((p) => Number.isFinite(p.value));
  if (points.length === 0) throw new TinyRnnInputError(`${where}: no row has a finite test ${metric}`);
  const rnn = points.filter((p) => p.kind === "rnn").sort((a, b) => a.d - b.d);
  const cognitive = points.filter((p) => p.kind !== "rnn");
  // The x axis spans the hidden sizes present (a little beyond, on the log scale), ticked at each of them
  // and at the paper's sizes in between.
  const ds = [...new Set(points.map((p) => p.d))].sort((a, b) => a - b);
  const minD = ds[0];
  const maxD = ds[ds.length - 1];
  const domain = [minD / 1.25, maxD * 1.25];
  const ticks = [...new Set([...ds, ...TICKS.filter((t) => t >= minD && t <= maxD)])].sort((a, b) => a - b);
  return plotFigure({
    width,
    height,
    title: options.title,
    marginLeft: 60,
    marginBottom: 40,
    x: {
      type: "log",
      domain,
      ticks,
      tickFormat: (d: number) => String(d),
      label: "# Dynamical variables (d)",
      labelAnchor: "center",
      labelArrow: "none",
    },
    y: {
      label: metric === "loss" ? "Negative log likelihood" : "Accuracy",
      labelAnchor: "center",
      labelArrow: "none",
      nice: true,
      zero: false,
    },
    color: { legend: true },
    marks: [
      ...(ceiling === undefined ? [] : [
        Plot.ruleY([ceiling], { stroke: "#666", strokeDasharray: "4,3", strokeWidth: 1 }),
        Plot.text([{ x: domain[0], y: ceiling }], {
          x: "x",
          y: "y",
          text: () => "ceiling",
          dy: -6,
          dx: 4,
          textAnchor: "start",
          fill: "#666",
        }),
      ]),
      Plot.ruleX(rnn, { x: "d", y1: "low", y2: "high", stroke: "series" }),
      Plot.line(rnn, { x: "d", y: "value", z: "series", stroke: "series", strokeWidth: 1.5 }),
      Plot.dot(rnn, { x: "d", y: "value", fill: "series", r: 3 }),
      Plot.ruleX(cognitive, { x: "d", y1: "low", y2: "high", stroke: "series" }),
      Plot.dot(cognitive, {
        x: "d",
        y: "value",
        stroke: "series",
        fill: "white",
        r: 4,
        strokeWidth: 1.5,
        symbol: "diamond",
      }),
      Plot.text(cognitive, { x: "d", y: "value", text: "model", dx: 8, textAnchor: "start", fill: "series" }),
    ],
  });
}
