/**
 * `portrait`: the phase portrait of a model's logit dynamics, as in the paper, or its vector field for 2-D models.
 *
 * With k > 2 options the axes are the preference for the chosen option, as in the paper's analyses of its
 * k-option human tasks: L is the log-odds of choosing the trial's option against all the others,
 * `log P(c) / (1 − P(c))`, and dL its change after the trial (see `logitChanges`; with two actions this is
 * `relativeToChosen`). Dots are coloured by the 2k (or 4k) trial types.
 *
 * Trial types count any positive reward as "R=1", so on data with point rewards (e.g. 1-100) every choice is
 * "rewarded"; there the dots are coloured by the reward itself (`colorBy: "reward"`, the default when some
 * reward is not 0 or 1), and fitted lines, still one per trial type, are drawn in grey.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import type { Dataset } from "../data/dataset.ts";
import { logitChanges, relativeToChosen } from "../analysis/logits.ts";
import { fitLine } from "../analysis/regression.ts";
import { type AgentLike, resolveAgent } from "../analysis/resolve_agent.ts";
import { trialTypeLabels } from "../analysis/trial_types.ts";
import { checkChoice, checkNumber, rejectUnknownKeys } from "../options.ts";
import { type Figure, plotFigure } from "./figure.ts";
import { trialTypeColors } from "./palette.ts";
import { vectorField, type VectorFieldOptions } from "./vector_field.ts";

/** Options of `portrait`. */
export interface PortraitOptions extends VectorFieldOptions {
  /** `"logit"` (default): L versus dL; `"vectorField"`: the state-plane flow per input (2-D agents only). */
  kind?: "logit" | "vectorField";
  /** The window of the portrait: points beyond ±clip are pinned or dropped (default 5, as the original). */
  clip?: number;
  /**
   * `"data"` (default): each axis spans the data within the window, rounded out to a round number and
   * symmetric about 0, so that a model whose logits stay small fills the frame; `"clip"`: both axes span
   * [-clip, clip], the original's fixed frame (use it to compare portraits side by side).
   */
  axes?: "data" | "clip";
  /**
   * Points beyond ±clip: `"clamp"` (default) pins them to the frame edge and draws them hollow, so every trial
   * stays visible; `"drop"` leaves them out.
   */
  outside?: "clamp" | "drop";
  /** Draw the OLS line dL = b0 + b1 L of each trial type (default false). */
  fittedLines?: boolean;
  /**
   * Negate L and dL on A2 trials: the axes become the preference for the chosen action (default false). With
   * k > 2 options the axes always are (the option is ignored).
   */
  relativeToChosen?: boolean;
  /**
   * `"trialType"`: the paper's trial-type colours (the default for 0/1 rewards); `"reward"`: a colour ramp of
   * the trial's reward (the default when some reward is not 0 or 1, e.g. points).
   */
  colorBy?: "trialType" | "reward";
  /** Show the trial-type legend (default true). */
  legend?: boolean;
  /** Dot radius in pixels (default 1.5). */
  dotRadius?: number;
}

const LOGIT_KEYS = [
  "kind",
  "clip",
  "axes",
  "outside",
  "fittedLines",
  "relativeToChosen",
  "colorBy",
  "legend",
  "dotRadius",
  "width",
  "height",
  "title",
];
const FIELD_KEYS = [
  "kind",
  "legend",
  "width",
  "height",
  "title",
  "gridSize",
  "transitions",
  "seed",
  "fixedPoints",
  "readout",
];

/**
 * Phase portrait of a model on a data set: each trial is a dot at (logit L, logit change dL), coloured by the
 * trial type that drove the change; with `kind: "vectorField"` a 2-D model's flow per input instead.
 *
 * @example
 * ```ts
 * import { cognitive, portrait, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const figure = portrait(cognitive("MB0s", { alpha: 0.5, iTemp: 2 }), data, { fittedLines: true });
 * await figure.save("portrait.png");
 * ```
 */
export function portrait(model: AgentLike, data: Dataset, options: PortraitOptions = {}): Figure {
  const where = "portrait";
  const kind = checkChoice(where, "kind", options.kind ?? "logit", ["logit", "vectorField"] as const);
  rejectUnknownKeys(where, options, kind === "logit" ? LOGIT_KEYS : FIELD_KEYS);
  const agent = resolveAgent(model, where);
  if (kind === "vectorField") {
    const { kind: _, ...rest } = options;
    return vectorField(agent, data, rest);
  }
  const clip = checkNumber(where, "clip", options.clip ?? 5, { min: 0, exclusiveMin: true });
  const axes = checkChoice(where, "axes", options.axes ?? "data", ["data", "clip"] as const);
  const outside = checkChoice(where, "outside", options.outside ?? "clamp", ["clamp", "drop"] as const);
  const radius = checkNumber(where, "dotRadius", options.dotRadius ?? 1.5, { min: 0, exclusiveMin: true });
  const width = checkNumber(where, "width", options.width ?? 420, { min: 100 });
  const height = checkNumber(where, "height", options.height ?? 400, { min: 100 });

  const changes = logitChanges(agent, data);
  const { logit, change } = options.relativeToChosen
    ? relativeToChosen(changes)
    : { logit: changes.logit, change: changes.change };
  const labels = trialTypeLabels(data.kind, agent.nActions);
  const colors = trialTypeColors(data.kind, agent.nActions);
  const present = labels.filter((_, type) => changes.trialType.includes(type));
  const binary = data.blocks.every((b) => b.reward.every((r) => r === 0 || r === 1));
  const colorBy = checkChoice(
    where,
    "colorBy",
    options.colorBy ?? (binary ? "trialType" : "reward"),
    ["trialType", "reward"] as const,
  );
  const byReward = colorBy === "reward";
  const colour = byReward ? "reward" : "type";

  const inside: { x: number; y: number; type: string; reward: number }[] = [];
  const pinned: { x: number; y: number; type: string; reward: number }[] = [];
  for (let i = 0; i < logit.length; i++) {
    const x = logit[i];
    const y = change[i];
    const type = labels[changes.trialType[i]];
    const reward = data.blocks[changes.block[i]].reward[changes.trial[i]];
    if (Math.abs(x) <= clip && Math.abs(y) <= clip) inside.push({ x, y, type, reward });
    else if (outside === "clamp") {
      pinned.push({
        x: Math.max(-clip, Math.min(clip, x)),
        y: Math.max(-clip, Math.min(clip, y)),
        type,
        reward,
      });
    }
  }

  const marks: Plot.Markish[] = [
    Plot.ruleX([0], { stroke: "#999", strokeWidth: 0.8 }),
    Plot.ruleY([0], { stroke: "#999", strokeWidth: 0.8 }),
    Plot.dot(inside, { x: "x", y: "y", fill: colour, r: radius, fillOpacity: 0.5, stroke: "none" }),
  ];
  if (pinned.length) {
    marks.push(
      Plot.dot(pinned, { x: "x", y: "y", stroke: colour, r: radius, fill: "none", strokeWidth: 0.8 }),
    );
  }
  if (options.fittedLines) {
    const segments: { x: number; y: number; type: string }[] = [];
    labels.forEach((type, index) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = 0; i < logit.length; i++) {
        if (changes.trialType[i] === index) {
          xs.push(logit[i]);
          ys.push(change[i]);
        }
      }
      const line = fitLine(xs, ys);
      if (!Number.isFinite(line.slope)) return;
      // Loops, not Math.min(...xs): a data set of millions of trials would overflow the call stack.
      let lowest = Infinity;
      let highest = -Infinity;
      for (const x of xs) {
        if (x < lowest) lowest = x;
        if (x > highest) highest = x;
      }
      const low = Math.max(-clip, lowest);
      const high = Math.min(clip, highest);
      segments.push({ x: low, y: line.intercept + line.slope * low, type });
      segments.push({ x: high, y: line.intercept + line.slope * high, type });
    });
    marks.push(
      Plot.line(segments, {
        x: "x",
        y: "y",
        z: "type",
        stroke: byReward ? "#555" : "type",
        strokeWidth: 1.5,
        clip: true,
      }),
    );
  }
  const relative = options.relativeToChosen === true || changes.logitOf === "chosen";
  const what = agent.nActions > 2 ? "chosen option" : "chosen action";
  const extent = (values: ArrayLike<number>) => {
    if (axes === "clip") return clip;
    let largest = 0;
    for (let i = 0; i < values.length; i++) {
      const v = Math.abs(values[i]);
      if (Number.isFinite(v) && v > largest) largest = v;
    }
    return largest === 0 ? clip : Math.min(clip, roundUp(largest));
  };
  const domainOf = (e: number) => [-e * 1.02, e * 1.02];
  const xExtent = extent(logit);
  const yExtent = extent(change);
  return plotFigure({
    width,
    height,
    title: options.title,
    marginLeft: 50,
    marginBottom: 40,
    x: {
      domain: domainOf(xExtent),
      ticks: symmetricTicks(xExtent),
      label: relative ? `Logit (${what})` : "Logit",
      labelAnchor: "center",
      labelArrow: "none",
    },
    y: {
      domain: domainOf(yExtent),
      ticks: symmetricTicks(yExtent),
      label: relative ? `Logit change (${what})` : "Logit change",
      labelAnchor: "center",
      labelArrow: "none",
    },
    color: byReward
      // Quantized: a continuous ramp legend needs a canvas, which the server-side DOM lacks.
      ? { type: "quantize", n: 8, scheme: "viridis", label: "Reward", legend: options.legend ?? true }
      : {
        domain: present,
        range: present.map((label) => colors[labels.indexOf(label)]),
        legend: options.legend ?? true,
      },
    marks,
  });
}

/** The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 or 10 times a power of ten that is at least `x` (> 0). */
function roundUp(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= x * (1 - 1e-12))!;
  return step * power;
}

/** Ticks at 0 and ±extent and evenly between, in round steps that divide the extent (at most 5 per side). */
function symmetricTicks(extent: number): number[] {
  const power = Math.floor(Math.log10(extent));
  const candidates = [-1, 0, 1].flatMap((p) => [1, 2, 2.5, 5].map((m) => m * 10 ** (power + p)))
    .sort((a, b) => a - b);
  const divides = (c: number) => Math.abs(extent / c - Math.round(extent / c)) < 1e-9;
  const step = candidates.find((c) => extent / c <= 5 + 1e-9 && divides(c)) ?? extent;
  const n = Math.round(extent / step);
  return Array.from({ length: 2 * n + 1 }, (_, k) => Number(((k - n) * step).toPrecision(12)));
}
