/**
 * The population figure of a distillation run: per-subject test NLL of a few models side by side (e.g. the
 * solo network, the student, the teacher and the best cognitive model), one dot per subject and model, the
 * dots of one subject joined by a thin line, with each model's mean ± SEM over subjects.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { type Figure, plotFigure } from "./figure.ts";

/** The fields of a per-subject row the figure reads (a `DistillRow` has them). */
export interface PopulationRow {
  /** The subject. */
  subject: string;
  /** Model id. */
  model: string;
  /** The subject's test NLL per trial under the model. */
  testLoss: number;
}

/** Options of {@link population}. */
export interface PopulationOptions {
  /** Models to show, left to right. Default: every model of the rows, in first-seen order. */
  models?: readonly string[];
  /** Labels of the models on the x axis, by model id. Default: the ids. */
  labels?: Readonly<Record<string, string>>;
  /** Width in pixels (at least 100). Default 520. */
  width?: number;
  /** Height in pixels (at least 100). Default 360. */
  height?: number;
  /** Title above the plot. Default none. */
  title?: string;
  /** A dashed horizontal line labelled "ceiling" (e.g. the generating models' pooled NLL). Default none. */
  ceiling?: number;
}

/**
 * Per-subject test NLL of each model, one dot per subject, subjects joined across models, mean ± SEM bars.
 *
 * @example
 * ```ts
 * import { population } from "./population.ts";
 * const rows = [
 *   { subject: "a", model: "solo-gru", testLoss: 0.62 }, { subject: "a", model: "student-gru", testLoss: 0.55 },
 *   { subject: "b", model: "solo-gru", testLoss: 0.66 }, { subject: "b", model: "student-gru", testLoss: 0.60 },
 * ];
 * const figure = population(rows, { title: "Per-subject test NLL" });
 * ```
 */
export function population(rows: readonly PopulationRow[], options: PopulationOptions = {}): Figure {
  const where = "population";
  rejectUnknownKeys(where, options, ["models", "labels", "width", "height", "title", "ceiling"]);
  const width = checkNumber(where, "width", options.width ?? 520, { min: 100 });
  const height = checkNumber(where, "height", options.height ?? 360, { min: 100 });
  const ceiling = options.ceiling === undefined
    ? undefined
    : checkNumber(where, "ceiling", options.ceiling, {});
  const models = options.models ?? [...new Set(rows.map((r) => r.model))];
  const label = (model: string) => options.labels?.[model] ?? model;
  const points = rows
    .filter((r) => models.includes(r.model) && Number.isFinite(r.testLoss))
    .map((r) => ({
      subject: r.subject,
      model: label(r.model),
      value: r.testLoss,
      order: models.indexOf(r.model),
    }))
    .sort((a, b) => a.order - b.order);
  if (points.length === 0) {
    throw new TinyRnnInputError(`${where}: no finite test loss of the models ${models.join(", ")}`);
  }
  const summary = models.map((m) => {
    const values = points.filter((p) => p.model === label(m)).map((p) => p.value);
    const n = values.length;
    const mean = values.reduce((a, v) => a + v, 0) / Math.max(1, n);
    const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
    const sem = n > 1 ? sd / Math.sqrt(n) : 0;
    return { model: label(m), mean, low: mean - sem, high: mean + sem, n };
  }).filter((s) => s.n > 0);
  const domain = models.map(label);
  return plotFigure({
    width,
    height,
    title: options.title,
    marginLeft: 60,
    marginBottom: 50,
    x: {
      type: "point",
      domain,
      padding: 0.4,
      label: null,
      tickRotate: domain.some((d) => d.length > 12) ? -20 : 0,
    },
    y: {
      label: "Test NLL per trial (per subject)",
      labelAnchor: "center",
      labelArrow: "none",
      nice: true,
      zero: false,
    },
    color: { domain, legend: false },
    marks: [
      ...(ceiling === undefined ? [] : [
        Plot.ruleY([ceiling], { stroke: "#666", strokeDasharray: "4,3", strokeWidth: 1 }),
        Plot.text([{ x: domain[0], y: ceiling }], {
          x: "x",
          y: "y",
          text: () => "ceiling",
          dy: -6,
          dx: -20,
          fill: "#666",
        }),
      ]),
      Plot.line(points, {
        x: "model",
        y: "value",
        z: "subject",
        stroke: "#bbb",
        strokeWidth: 0.7,
        strokeOpacity: 0.7,
      }),
      Plot.dot(points, { x: "model", y: "value", fill: "model", r: 2.5, fillOpacity: 0.8 }),
      Plot.ruleX(summary, { x: "model", y1: "low", y2: "high", stroke: "black", strokeWidth: 2, dx: 14 }),
      Plot.dot(summary, { x: "model", y: "mean", fill: "black", r: 3.5, dx: 14 }),
    ],
  });
}
