/**
 * The vector field of a 2-D model, as in the paper: per input, how one trial moves the state from every point of the
 * plane, with the real transitions, fixed points and the readout direction on top.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import type { Agent } from "../agents/agent.ts";
import type { Dataset } from "../data/dataset.ts";
import { trialTypeCount } from "../data/dataset.ts";
import { agentFixedPoints, type FixedPoint } from "../analysis/fixed_points.ts";
import { logitChanges } from "../analysis/logits.ts";
import { oneStepMap, stateBounds, stateGrid } from "../analysis/one_step_map.ts";
import { readoutDirection } from "../analysis/readout.ts";
import { trialOfType, trialTypeLabels } from "../analysis/trial_types.ts";
import { checkNumber, TinyRnnInputError } from "../options.ts";
import { RandomState } from "../random.ts";
import { type Figure, plotFigure } from "./figure.ts";

/** Options of the vector-field portrait (`portrait(model, data, { kind: "vectorField", ... })`). */
export interface VectorFieldOptions {
  /** Figure width in pixels (default 220 per column of panels). */
  width?: number;
  /** Figure height in pixels (default: square panels). */
  height?: number;
  /** Title above the figure. */
  title?: string;
  /** Show the speed legend (default true). */
  legend?: boolean;
  /** Grid points per axis for the speed shading and fixed-point starts (default 50, as the original). */
  gridSize?: number;
  /** At most this many real transitions per input drawn as arrows (default 200, as the original). */
  transitions?: number;
  /** Seed of the choice of transitions (default 0). */
  seed?: number;
  /** Mark the fixed points of each input's map (default true). */
  fixedPoints?: boolean;
  /** Draw the readout direction and the decision boundary L = 0 (default true). */
  readout?: boolean;
}

interface PanelKeys {
  fx: string;
  fy?: string;
}

const STABILITY_STYLE: Record<FixedPoint["stability"], { fill: string; stroke: string }> = {
  stable: { fill: "black", stroke: "black" },
  unstable: { fill: "white", stroke: "black" },
  saddle: { fill: "#bbb", stroke: "black" },
  marginal: { fill: "#bbb", stroke: "black" },
};

/** Vector field per trial type of an agent with a 2-D state. */
export function vectorField(agent: Agent, data: Dataset, options: VectorFieldOptions = {}): Figure {
  const where = "portrait (vectorField)";
  const size = agent.initialState().length;
  if (size !== 2) {
    throw new TinyRnnInputError(
      `${where}: needs an agent with a 2-D state, ${agent.name} has ${size} state variables`,
    );
  }
  const gridSize = checkNumber(where, "gridSize", options.gridSize ?? 50, { min: 2, integer: true });
  const maxArrows = checkNumber(where, "transitions", options.transitions ?? 200, { min: 0, integer: true });
  const seed = checkNumber(where, "seed", options.seed ?? 0, { min: 0, integer: true });
  const changes = logitChanges(agent, data);
  const { lower, upper } = stateBounds(changes);
  const grid = stateGrid(lower, upper, gridSize);
  const labels = trialTypeLabels(data.kind, agent.nActions);
  const count = trialTypeCount(data.kind, agent.nActions);
  const panel = (type: number): PanelKeys => {
    if (data.kind === "bandit") return { fx: labels[type] };
    const { action, state, reward } = trialOfType(data.kind, type, agent.nActions);
    return { fx: `S${state + 1} R=${reward}`, fy: `A${action + 1}` };
  };

  const maps = Array.from({ length: count }, (_, type) => oneStepMap(agent, grid, type, data.kind));
  const maxSpeed = Math.max(1e-300, ...maps.map((m) => Math.max(...m.speed)));
  const shading = maps.flatMap((map) =>
    map.from.map((h, i) => ({ x: h[0], y: h[1], speed: map.speed[i] / maxSpeed, ...panel(map.trialType) }))
  );

  const rng = new RandomState(seed);
  const arrows: Record<string, number | string>[] = [];
  for (let type = 0; type < count; type++) {
    const indices: number[] = [];
    for (let i = 0; i < changes.trialType.length; i++) if (changes.trialType[i] === type) indices.push(i);
    rng.shuffle(indices);
    for (const i of indices.slice(0, maxArrows)) {
      const [x1, y1] = changes.state[i];
      const [x2, y2] = changes.nextState[i];
      arrows.push({ x1, y1, x2, y2, ...panel(type) } as Record<string, number | string>);
    }
  }

  const marks: Plot.Markish[] = [
    Plot.contour(shading, {
      x: "x",
      y: "y",
      fill: "speed",
      fx: "fx",
      fy: data.kind === "bandit" ? undefined : "fy",
      thresholds: 20,
      interpolate: "nearest",
      stroke: "none",
    }),
    Plot.arrow(arrows, {
      x1: "x1",
      y1: "y1",
      x2: "x2",
      y2: "y2",
      fx: "fx",
      fy: data.kind === "bandit" ? undefined : "fy",
      stroke: "#333",
      strokeWidth: 0.7,
      headLength: 4,
    }),
  ];

  if (options.readout ?? true) {
    const readout = readoutDirection(changes);
    const [w0, w1] = readout.weights;
    const norm2 = w0 * w0 + w1 * w1;
    if (norm2 > 0) {
      const boundary: Record<string, number | string>[] = [];
      const origin: Record<string, number | string>[] = [];
      for (let type = 0; type < count; type++) {
        const keys = panel(type) as unknown as Record<string, string>;
        if (Math.abs(w1) >= Math.abs(w0)) {
          for (const x of [lower, upper]) boundary.push({ x, y: -(readout.bias + w0 * x) / w1, ...keys });
        } else {
          for (const y of [lower, upper]) boundary.push({ x: -(readout.bias + w1 * y) / w0, y, ...keys });
        }
        // Start on the boundary, at the projection of the panel centre, so the arrow stays in view.
        const centre = (lower + upper) / 2;
        const offset = (readout.bias + w0 * centre + w1 * centre) / norm2;
        const x1 = centre - offset * w0;
        const y1 = centre - offset * w1;
        const length = 0.3 * (upper - lower);
        origin.push({
          x1,
          y1,
          x2: x1 + length * readout.direction[0],
          y2: y1 + length * readout.direction[1],
          ...keys,
        });
      }
      const fy = data.kind === "bandit" ? undefined : "fy";
      marks.push(
        Plot.line(boundary, {
          x: "x",
          y: "y",
          z: "fx",
          fx: "fx",
          fy,
          stroke: "orange",
          strokeDasharray: "4,3",
          clip: true,
        }),
        Plot.arrow(origin, {
          x1: "x1",
          y1: "y1",
          x2: "x2",
          y2: "y2",
          fx: "fx",
          fy,
          stroke: "orange",
          strokeWidth: 2,
          clip: true,
        }),
      );
    }
  }

  if (options.fixedPoints ?? true) {
    const starts = stateGrid(lower, upper, 5).points;
    const span = upper - lower;
    const points: Record<string, number | string>[] = [];
    for (let type = 0; type < count; type++) {
      for (const point of agentFixedPoints(agent, type, starts, data.kind)) {
        const [x, y] = point.state;
        if (
          x < lower - 0.05 * span || x > upper + 0.05 * span || y < lower - 0.05 * span ||
          y > upper + 0.05 * span
        ) continue;
        points.push({ x, y, stability: point.stability, ...panel(type) } as Record<string, number | string>);
      }
    }
    for (const [stability, style] of Object.entries(STABILITY_STYLE)) {
      const subset = points.filter((p) => p.stability === stability);
      if (subset.length === 0) continue;
      marks.push(
        Plot.dot(subset, {
          x: "x",
          y: "y",
          fx: "fx",
          fy: data.kind === "bandit" ? undefined : "fy",
          r: 4,
          fill: style.fill,
          stroke: style.stroke,
          strokeWidth: 1.2,
          title: () => `${stability} fixed point`,
        }),
      );
    }
  }

  const columns = data.kind === "bandit" ? count : count / 2;
  const rows = data.kind === "bandit" ? 1 : 2;
  const width = checkNumber(where, "width", options.width ?? 220 * columns + 60, { min: 100 });
  const panelWidth = (width - 60) / columns;
  const height = checkNumber(where, "height", options.height ?? panelWidth * rows + 70, { min: 100 });
  const pad = 0.02 * (upper - lower);
  const [x0, x1] = agent.stateNames;
  return plotFigure({
    width,
    height,
    title: options.title,
    marginLeft: 50,
    marginBottom: 40,
    x: { domain: [lower - pad, upper + pad], label: x0 ?? "h1", labelAnchor: "center", labelArrow: "none" },
    y: { domain: [lower - pad, upper + pad], label: x1 ?? "h2", labelAnchor: "center", labelArrow: "none" },
    fx: { domain: [...new Set(Array.from({ length: count }, (_, t) => panel(t).fx))], label: null },
    fy: data.kind === "bandit" ? undefined : { domain: ["A1", "A2"], label: null },
    color: {
      type: "quantize",
      n: 10,
      domain: [0, 1],
      scheme: "Blues",
      legend: options.legend ?? true,
      label: "Speed |Δh| (normalised)",
    },
    marks,
  });
}
