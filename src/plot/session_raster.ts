/**
 * A session raster: one block's choices and rewards over trials, the task's reward probabilities and the model's
 * P(A1).
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { traceBlock } from "../agents/agent.ts";
import type { Block } from "../data/dataset.ts";
import { type AgentLike, resolveAgent } from "../analysis/resolve_agent.ts";
import { checkNumber, rejectUnknownKeys, TinyRnnInputError } from "../options.ts";
import { type Figure, plotFigure } from "./figure.ts";
import { BANDIT_COLORS } from "./palette.ts";

/** Options of `sessionRaster`. */
export interface SessionRasterOptions {
  /** Width in pixels (at least 100). Default 640. */
  width?: number;
  /** Height in pixels (at least 100). Default 260. */
  height?: number;
  /** Title above the plot. Default: none. */
  title?: string;
}

/**
 * Choices (A1 on top, A2 below; filled when rewarded), the task's P(reward | A1) and P(reward | A2) from
 * `block.schedule`, and the model's P(A1) before each trial. `probs` is either P(A1) per trial or a model
 * whose P(A1) is computed on the block.
 *
 * @example
 * ```ts
 * import { cognitive, sessionRaster, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const fitted = cognitive("MF", { alpha: 0.5, iTemp: 2 }); // any agent, or per-trial P(action 1)
 * await sessionRaster(data.blocks[0], fitted).save("session0.svg");
 * ```
 */
export function sessionRaster(
  block: Block,
  probs?: ArrayLike<number> | AgentLike,
  options: SessionRasterOptions = {},
): Figure {
  const where = "sessionRaster";
  rejectUnknownKeys(where, options, ["width", "height", "title"]);
  const width = checkNumber(where, "width", options.width ?? 640, { min: 100 });
  const height = checkNumber(where, "height", options.height ?? 260, { min: 100 });
  const T = block.action.length;
  let pA1: ArrayLike<number> | undefined;
  if (probs !== undefined && typeof (probs as ArrayLike<number>).length === "number") {
    pA1 = probs as ArrayLike<number>;
    if (pA1.length !== T && pA1.length !== T + 1) {
      throw new TinyRnnInputError(`${where}: probs has ${pA1.length} values for a block of ${T} trials`);
    }
  } else if (probs !== undefined) {
    const trace = traceBlock(resolveAgent(probs as AgentLike, where), block);
    pA1 = trace.scores.map((s) => 1 / (1 + Math.exp(s[1] - s[0])));
  }
  const choices = block.action.map((a, t) => ({
    trial: t,
    y: a === 0 ? 1.08 : -0.08,
    action: `A${a + 1}`,
    rewarded: block.reward[t] > 0,
  }));
  const marks: Plot.Markish[] = [Plot.ruleY([0, 1], { stroke: "#ddd" })];
  const rewardProbs = block.schedule?.rewardProbs;
  if (rewardProbs) {
    const rows = rewardProbs.flatMap((p, t) => [
      { trial: t, p: p[0], arm: "P(reward | A1)" },
      { trial: t, p: p[1], arm: "P(reward | A2)" },
    ]);
    marks.push(
      Plot.line(rows, {
        x: "trial",
        y: "p",
        z: "arm",
        stroke: "arm",
        strokeDasharray: "3,2",
        curve: "step-after",
      }),
    );
  }
  if (pA1) {
    const rows = Array.from(
      { length: Math.min(pA1.length, T) },
      (_, t) => ({ trial: t, p: pA1![t], arm: "model P(A1)" }),
    );
    marks.push(Plot.line(rows, { x: "trial", y: "p", stroke: "arm", strokeWidth: 1.5 }));
  }
  marks.push(
    Plot.dot(choices.filter((c) => c.rewarded), {
      x: "trial",
      y: "y",
      fill: "action",
      r: 3.5,
      stroke: "none",
    }),
    Plot.dot(choices.filter((c) => !c.rewarded), {
      x: "trial",
      y: "y",
      stroke: "action",
      fill: "white",
      r: 3.5,
    }),
    // What the dots mean, above the frame (the colour legend names only the actions).
    Plot.text(["choices: ● rewarded, ○ not rewarded"], {
      frameAnchor: "top-right",
      dy: -16,
      textAnchor: "end",
      fill: "#555",
    }),
  );
  return plotFigure({
    width,
    height,
    title: options.title,
    marginLeft: 50,
    marginBottom: 40,
    marginTop: 28,
    x: { label: "Trial", labelAnchor: "center", labelArrow: "none", domain: [-0.5, Math.max(T - 0.5, 1)] },
    y: {
      label: "P(A1)",
      labelAnchor: "center",
      labelArrow: "none",
      domain: [-0.15, 1.15],
      ticks: [0, 0.5, 1],
    },
    color: {
      domain: ["A1", "A2", "P(reward | A1)", "P(reward | A2)", "model P(A1)"],
      range: [BANDIT_COLORS[1], BANDIT_COLORS[3], BANDIT_COLORS[0], BANDIT_COLORS[2], "black"],
      legend: true,
    },
    marks,
  });
}
