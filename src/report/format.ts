/**
 * How numbers read in captions, tables and the text summaries that `deno task fit` prints.
 *
 * @module
 */

import { pythonFloat } from "../cv/plan.ts";
import type { SingleFit } from "../cv/single.ts";
import type { Summary } from "../cv/summary.ts";

/** L1 strengths as people write them: 1e-5, 0.001 as 1e-3, 0 as 0. */
export function formatL1(value: number): string {
  return value === 0 ? "0" : value.toExponential().replace("e+", "e");
}

/** A number with `digits` decimals, or `-` when it is not finite. */
function fixed(x: number, digits = 6): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "-";
}

/** A p-value: 4 decimals, small ones in exponent notation. */
function pText(p: number): string {
  return Number.isNaN(p) ? "NaN" : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** Aligned columns: the first two left-aligned (names), the others right-aligned (numbers). */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")
  )
    .join("\n");
}

/**
 * The aggregate table of a cross-validation summary (pooled test NLL, SEM, accuracy per model) and the
 * dimensionality with its p-values, as `deno task fit` prints them after a run.
 *
 * @example
 * ```ts
 * import { cognitive, crossValidate, formatSummary, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const summary = await crossValidate(data, { hidden: [1, 2], l1: [1e-5], outer: 3, inner: 2, seeds: 1, maxEpochs: 50 });
 * console.log(formatSummary(summary));
 * ```
 */
export function formatSummary(summary: Summary): string {
  const rows = [["model", "cell", "d", "test NLL", "SEM", "test acc", "folds"]];
  for (const r of summary.aggregate) {
    rows.push([
      r.model,
      r.cell,
      String(r.hidden),
      fixed(r.testLoss),
      fixed(r.sem),
      fixed(r.testAccuracy, 4),
      String(r.outerFolds.length),
    ]);
  }
  const lines = [table(rows)];
  const d = summary.dimensionality;
  if (d.estimate !== null) {
    const how = d.test === "ttest"
      ? `one-sided paired t-test across outer folds, alpha ${d.alpha}`
      : `mean per-fold test loss`;
    lines.push(`dimensionality: ${d.estimate} (${how})`);
    for (let i = 1; i < d.rows.length; i++) {
      const p = d.pValues[i].slice(0, i).map((v, j) =>
        `p(d=${d.rows[i].hidden} < d=${d.rows[j].hidden}) = ${pText(v)}`
      );
      lines.push(`  d=${d.rows[i].hidden}: ${p.join(", ")}${d.lessThanFormer[i] ? "" : " (not better)"}`);
    }
    if (d.nanComparisons.length > 0) {
      lines.push(
        "  (NaN p-values, from identical per-fold losses, count as significant, as in the original)",
      );
    }
  }
  for (const c of d.cognitive) {
    lines.push(
      `${c.model} (d=${c.hidden}, test NLL ${fixed(c.testLoss)}): ${
        c.beatenByHidden === null
          ? "no network has a lower test NLL"
          : `networks beat it from d=${c.beatenByHidden} (p = ${pText(c.pValue)})`
      }`,
    );
  }
  if (summary.missing.length > 0) lines.push(`missing instances: ${summary.missing.length}`);
  return lines.join("\n");
}

/**
 * The table of a single-split fit: per network and cognitive model its epochs, kept epoch, and training,
 * validation and test NLL per trial and test accuracy, as `deno task fit --single` prints it.
 *
 * @example
 * ```ts
 * import { cognitive, fitSingle, formatSingleFit, simulate, tasks } from "@tinyrnn/tinyrnn";
 *
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * console.log(formatSingleFit(await fitSingle(data, { hidden: [1], maxEpochs: 50 })));
 * ```
 */
export function formatSingleFit(result: SingleFit): string {
  const rows = [["model", "l1", "seed", "epochs", "best", "train NLL", "val NLL", "test NLL", "test acc"]];
  for (const { cell, hidden, l1, seed, model } of result.networks) {
    rows.push([
      `${cell}-${hidden}`,
      pythonFloat(l1),
      String(seed),
      String(model.epochs),
      String(model.bestEpoch),
      fixed(model.trainLoss),
      fixed(model.valLoss),
      fixed(model.testLoss),
      fixed(model.testAccuracy, 4),
    ]);
  }
  for (const c of result.cognitive) {
    rows.push([
      c.model.name,
      "-",
      String(c.seed),
      "-",
      "-",
      fixed(c.trainLoss),
      fixed(c.valLoss),
      fixed(c.testLoss),
      fixed(c.testAccuracy, 4),
    ]);
  }
  return table(rows);
}
