/**
 * Training curves: loss per epoch for each split, with the kept (best) epoch marked.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { type Figure, plotFigure } from "./figure.ts";

/** Loss per epoch by split name, e.g. `{ train: [...], val: [...], test: [...] }` (entry e: before update e). */
export type LossCurves = Record<string, ArrayLike<number> | undefined>;

/** Options of `trainingCurves`. */
export interface TrainingCurvesOptions {
  /** Epoch whose parameters were kept; drawn as a dashed vertical line. */
  bestEpoch?: number;
  /** Width in pixels (at least 100). Default 520. */
  width?: number;
  /** Height in pixels (at least 100). Default 320. */
  height?: number;
  /** Title above the plot. Default: none. */
  title?: string;
  /**
   * Top of the loss axis. Default: the highest loss after the first 2% of the epochs, so that the steep first
   * epochs are cut at the frame (drawn clipped, not off it) and the rest of training fills the plot; give a
   * number to fix it, or `Infinity` for the whole range.
   */
  yMax?: number;
}

const SPLIT_COLORS: Record<string, string> = { train: "#1f77b4", val: "#ff7f0e", test: "#2ca02c" };

/** Points per curve above which a curve is thinned for drawing (see {@link trainingCurves}). */
const MAX_POINTS = 4000;

/**
 * Loss curves of one training run.
 *
 * @example
 * ```ts
 * import { trainingCurves } from "@tinyrnn/tinyrnn";
 * const run = { trainLoss: [0.69, 0.6, 0.55], valLoss: [0.7, 0.62, 0.6], bestEpoch: 2 };
 * await trainingCurves({ train: run.trainLoss, val: run.valLoss }, { bestEpoch: run.bestEpoch }).save("curves.svg");
 * ```
 */
export function trainingCurves(curves: LossCurves, options: TrainingCurvesOptions = {}): Figure {
  const where = "trainingCurves";
  rejectUnknownKeys(where, options, ["bestEpoch", "width", "height", "title", "yMax"]);
  const yMaxOption = options.yMax === undefined ? undefined : checkNumber(where, "yMax", options.yMax, {});
  const width = checkNumber(where, "width", options.width ?? 520, { min: 100 });
  const height = checkNumber(where, "height", options.height ?? 320, { min: 100 });
  const names = Object.keys(curves).filter((name) => curves[name] && curves[name]!.length > 0);
  if (names.length === 0) throw new TinyRnnInputError(`${where}: no curve has any epoch`);
  const points: { epoch: number; loss: number; split: string }[] = [];
  for (const split of names) {
    const values = curves[split]!;
    // A curve longer than the plot has pixels keeps every stride-th epoch and the last (and the lowest of each
    // stretch, so that minima stay visible): the figure looks the same, and millions of epochs draw quickly.
    const stride = Math.max(1, Math.floor(values.length / MAX_POINTS));
    for (let start = 0; start < values.length; start += stride) {
      const end = Math.min(values.length, start + stride);
      let kept = -1;
      for (let epoch = start; epoch < end; epoch++) {
        if (Number.isFinite(values[epoch]) && (kept < 0 || values[epoch] < values[kept])) kept = epoch;
      }
      if (stride === 1 || kept < 0) {
        if (kept >= 0) points.push({ epoch: kept, loss: values[kept], split });
        continue;
      }
      if (Number.isFinite(values[start]) && start !== kept) {
        points.push({ epoch: start, loss: values[start], split });
      }
      points.push({ epoch: kept, loss: values[kept], split });
    }
    const last = values.length - 1;
    if (stride > 1 && Number.isFinite(values[last]) && points[points.length - 1].epoch !== last) {
      points.push({ epoch: last, loss: values[last], split });
    }
  }
  // The loss axis: from the lowest loss to yMax (by default the highest after the first 2% of the epochs).
  let lowest = Infinity;
  let highest = -Infinity;
  let highestLater = -Infinity;
  let lastEpoch = -Infinity;
  for (const p of points) if (p.epoch > lastEpoch) lastEpoch = p.epoch;
  const later = Math.max(1, Math.ceil(0.02 * lastEpoch));
  for (const p of points) {
    if (p.loss < lowest) lowest = p.loss;
    if (p.loss > highest) highest = p.loss;
    if (p.epoch >= later && p.loss > highestLater) highestLater = p.loss;
  }
  const top = Math.min(highest, yMaxOption ?? (Number.isFinite(highestLater) ? highestLater : highest));
  const span = top > lowest ? top - lowest : Math.max(Math.abs(top) * 0.01, 1e-6);
  const yDomain = [lowest - 0.03 * span, lowest + 1.03 * span];
  const marks: Plot.Markish[] = [
    Plot.line(points, { x: "epoch", y: "loss", z: "split", stroke: "split", strokeWidth: 1.2, clip: true }),
  ];
  if (options.bestEpoch !== undefined) {
    const best = checkNumber(where, "bestEpoch", options.bestEpoch, { min: 0, integer: true });
    // Early stopping puts the best epoch near the end, where a label to its right would be cut off.
    // lastEpoch: found by a loop above, not Math.max(...), which would overflow the call stack on a curve of
    // millions of epochs.
    const labelLeft = best > lastEpoch / 2;
    marks.push(
      Plot.ruleX([best], { stroke: "#555", strokeDasharray: "4,3" }),
      Plot.text([best], {
        x: (d: number) => d,
        frameAnchor: "top",
        dx: labelLeft ? -4 : 4,
        dy: 4,
        textAnchor: labelLeft ? "end" : "start",
        text: () => `best epoch ${best}`,
      }),
    );
  }
  return plotFigure({
    width,
    height,
    title: options.title,
    marginLeft: 60,
    marginBottom: 40,
    x: { label: "Epoch", labelAnchor: "center", labelArrow: "none" },
    y: { label: "Loss (NLL per trial)", labelAnchor: "center", labelArrow: "none", domain: yDomain },
    color: {
      domain: names,
      range: names.map((n, i) => SPLIT_COLORS[n] ?? ["#9467bd", "#8c564b", "#e377c2"][i % 3]),
      legend: true,
    },
    marks,
  });
}
