/**
 * Every figure of a cross-validation run: the loss (and accuracy) versus d, and per model the logit portrait,
 * the vector field (2-D models) and the training curves of the instance selected for each outer fold.
 *
 * @module
 */

import type { Figure } from "../plot/figure.ts";
import { modelComparison } from "../plot/model_comparison.ts";
import { portrait } from "../plot/portrait.ts";
import { trainingCurves } from "../plot/training_curves.ts";
import {
  checkChoice,
  checkFunction,
  type DefaultedOption,
  option,
  type OptionSpec,
  resolveOptions,
} from "../options.ts";
import { formatL1 } from "./format.ts";
import { modelOfRecord } from "../cv/model_of_record.ts";
import type { ResultsRun } from "./results.ts";
import { checkOutputFolder, checkPathName, outputError } from "../cv/store.ts";

/** What a figure shows. */
export type RunFigureKind = "lossVsD" | "accuracyVsD" | "portrait" | "vectorField" | "trainingCurves";

/** One figure of a run, with a file-name stem and a caption. */
export interface RunFigure {
  /** Path of the figure relative to the output folder, without extension, e.g. `gru-2/portrait_outer0`. */
  name: string;
  /** What the figure shows (portrait, vector field, training curves, loss vs d, ...). */
  kind: RunFigureKind;
  /** One-line caption. */
  title: string;
  /** Model id, for per-model figures. */
  model?: string;
  /** Outer fold of the selected instance drawn, for per-model figures. */
  outer?: number;
  /** The figure itself. */
  figure: Figure;
}

/** A figure that could not be drawn, and why (e.g. no data set for portraits). */
export interface SkippedFigure {
  /** Path of the figure that was not drawn, as in {@link RunFigure}. */
  name: string;
  /** Why it was not drawn. */
  reason: string;
}

/** Options of {@link runFigures}. */
export interface RunFiguresOptions {
  /** Draw the selected instance of `"all"` outer folds (default) or only the `"first"`. */
  outerFolds?: "all" | "first";
  /** Called for each figure that cannot be drawn. */
  onSkip?: (skipped: SkippedFigure) => void;
}

/** The declarations of {@link RUN_FIGURES_OPTIONS}. */
export type RunFiguresOptionSpecs = {
  readonly outerFolds: DefaultedOption<"all" | "first">;
  readonly onSkip: OptionSpec<(skipped: SkippedFigure) => void>;
};

/** The options of {@link runFigures}: key, default, check and one line of help each. */
export const RUN_FIGURES_OPTIONS: RunFiguresOptionSpecs = {
  outerFolds: option<"all" | "first">({
    help: "per model, draw the selected instance of all outer folds or only the first",
    default: "all",
    placeholder: "all|first",
    check: (where, name, v) => checkChoice(where, name, v, ["all", "first"] as const),
  }),
  onSkip: option<(skipped: SkippedFigure) => void>({
    help: "called for each figure that cannot be drawn",
    check: checkFunction,
  }),
};

/**
 * The figures of a run, one at a time (portraits of large data sets take a moment each).
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, loadResults, runFigures, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const dir = await Deno.makeTempDir();
 * await crossValidate(data, { hidden: [1, 2], l1: [1e-5], outer: 3, inner: 2, seeds: 1, maxEpochs: 50, resultsDir: dir });
 * for (const { name, kind, figure } of runFigures(await loadResults(dir), { outerFolds: "first" })) {
 *   if (kind === "portrait") await figure.save(`${dir}/${name.replace("/", "_")}.svg`);
 * }
 * ```
 */
export function* runFigures(run: ResultsRun, options: RunFiguresOptions = {}): Generator<RunFigure> {
  const where = "runFigures";
  const o = resolveOptions(where, options, RUN_FIGURES_OPTIONS);
  const outerFolds = o.outerFolds;
  const skip = o.onSkip ?? (() => {});
  const aggregate = run.summary.aggregate;
  if (aggregate.some((row) => Number.isFinite(row.testLoss))) {
    yield {
      name: "loss_vs_d",
      kind: "lossVsD",
      title: "Pooled test NLL per trial versus the number of dynamical variables d (bars: SEM)",
      figure: modelComparison(aggregate),
    };
  }
  if (aggregate.some((row) => Number.isFinite(row.testAccuracy))) {
    yield {
      name: "accuracy_vs_d",
      kind: "accuracyVsD",
      title: "Pooled test accuracy versus d",
      figure: modelComparison(aggregate, { metric: "accuracy" }),
    };
  }
  for (const model of run.models) {
    const id = model.aggregate.model;
    const chosen = outerFolds === "first" ? model.selected.slice(0, 1) : model.selected;
    for (const { row, record } of chosen) {
      const stem = `${id}/`;
      const fold = `outer fold ${row.outer} (inner ${row.inner}, seed ${row.seed}${
        row.kind === "rnn" ? `, L1 ${formatL1(row.l1)}` : ""
      })`;
      if (run.data) {
        const fitted = modelOfRecord(record, { kind: run.data.kind, nActions: run.data.nActions });
        const agent = "agent" in fitted ? fitted.agent() : fitted;
        yield {
          name: `${stem}portrait_outer${row.outer}`,
          kind: "portrait",
          title: `${id}, ${fold}: logit versus logit change on all ${run.data.blocks.length} blocks`,
          model: id,
          outer: row.outer,
          figure: portrait(agent, run.data, { title: `${id} · outer fold ${row.outer}` }),
        };
        if (agent.initialState().length === 2) {
          yield {
            name: `${stem}vector_field_outer${row.outer}`,
            kind: "vectorField",
            title: `${id}, ${fold}: one-trial flow of the 2-D state per input, with fixed points`,
            model: id,
            outer: row.outer,
            figure: portrait(agent, run.data, { kind: "vectorField" }),
          };
        }
      } else {
        skip({ name: `${stem}portrait_outer${row.outer}`, reason: "no data set for the run (pass --data)" });
      }
      const curves = record.curves ?? {};
      if ((curves.train?.length ?? 0) > 0 || (curves.val?.length ?? 0) > 0) {
        yield {
          name: `${stem}training_outer${row.outer}`,
          kind: "trainingCurves",
          title: `${id}, ${fold}: loss per epoch, kept epoch ${row.bestEpoch} dashed`,
          model: id,
          outer: row.outer,
          figure: trainingCurves(curves, {
            bestEpoch: row.bestEpoch,
            title: `${id} · outer fold ${row.outer}`,
          }),
        };
      }
    }
  }
}

/** Options of {@link writeRunFigures}. */
export interface WriteFiguresOptions extends RunFiguresOptions {
  /** Also write a PNG beside every SVG (default false). */
  png?: boolean;
  /** Called after each figure is written, with the paths written. */
  onWrite?: (figure: RunFigure, paths: string[]) => void;
}

/**
 * Write every figure of a run under `outDir` as SVG (and PNG): `loss_vs_d.svg`, `<model>/portrait_outer0.svg`,
 * ... Returns the paths written.
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, loadResults, simulate, tasks, writeRunFigures } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const dir = await Deno.makeTempDir();
 * await crossValidate(data, { hidden: [1, 2], l1: [1e-5], outer: 3, inner: 2, seeds: 1, maxEpochs: 50, resultsDir: dir });
 * const written = await writeRunFigures(await loadResults(dir), `${dir}/figures`, { png: true });
 * console.log(written); // [".../figures/loss_vs_d.svg", ".../figures/loss_vs_d.png", ...]
 * ```
 */
export async function writeRunFigures(
  run: ResultsRun,
  outDir: string,
  options: WriteFiguresOptions = {},
): Promise<string[]> {
  const { png = false, onWrite, ...figureOptions } = options;
  const written: string[] = [];
  await checkOutputFolder(outDir, "figures folder");
  for (const item of runFigures(run, figureOptions)) {
    // Names come from summary.json (model ids, fold indices): never let one lead outside `outDir`.
    checkPathName(item.name, "figure name");
    const base = `${outDir}/${item.name}`;
    const paths = [`${base}.svg`];
    try {
      await Deno.mkdir(base.slice(0, base.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(paths[0], item.figure.svg());
      if (png) {
        paths.push(`${base}.png`);
        await Deno.writeFile(paths[1], await item.figure.png());
      }
    } catch (error) {
      throw outputError(paths[paths.length - 1], error);
    }
    written.push(...paths);
    onWrite?.(item, paths);
  }
  return written;
}
