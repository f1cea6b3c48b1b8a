/**
 * The report of a distillation results folder (`deno task distill --out DIR`): its settings, the pooled
 * table (test NLL pooled over subjects, mean ± SEM over subjects), the teachers, the dimensionality, the
 * population figure (per-subject NLL of the solo network, the student, the teacher and the best cognitive
 * model, one dot per subject) and the per-subject table, as one self-contained HTML page.
 *
 * @module
 */

import { escapeHtml, formatCell, tableMarkup } from "../display_table.ts";
import { TinyRnnInputError } from "../options.ts";
import { population } from "../plot/population.ts";
import type { Figure } from "../plot/figure.ts";
import { DistillResult } from "../distill/result.ts";
import { htmlPage } from "./page.ts";
import { listFinished, readInstance } from "../cv/store.ts";
import { modelOfRecord } from "../cv/model_of_record.ts";
import type { Dataset } from "../data/dataset.ts";
import { portrait } from "../plot/portrait.ts";
import type { DistillSummary } from "../distill/summary.ts";

/** Whether a folder holds a distillation run (its `distill.json`). */
export async function isDistillFolder(dir: string): Promise<boolean> {
  return await Deno.stat(`${dir}/distill.json`).then((s) => s.isFile, () => false);
}

/** Read a distillation folder's `summary.json` as a `DistillResult`; errors name the file and what to run. */
export async function loadDistill(dir: string): Promise<DistillResult> {
  const path = `${dir}/summary.json`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TinyRnnInputError(
        `${path}: no summary yet; finish the run (or merge its shards: deno task distill ... --merge)`,
      );
    }
    throw error;
  }
  const summary = JSON.parse(text, (_k, v) => (v === null ? NaN : v)) as DistillSummary;
  if (!Array.isArray(summary.rows) || !Array.isArray(summary.pooled)) {
    throw new TinyRnnInputError(`${path}: not the summary of a distillation run (no rows and pooled)`);
  }
  return new DistillResult(summary);
}

/** The models of the population figure: the selected solo network, the student, the teacher, the best cognitive. */
export function populationModels(result: DistillResult): string[] {
  const cell = String(result.settings.cell ?? "gru");
  const present = new Set(result.rows.map((r) => r.model));
  return [
    `solo-${cell}`,
    `student-${cell}`,
    "teacher",
    ...(result.bestCognitive ? [result.bestCognitive] : []),
  ]
    .filter((m) => present.has(m));
}

/**
 * The population figure of a run: per-subject test NLL of the solo network, the student, the teacher and the
 * best cognitive model (by pooled test NLL), one dot per subject.
 *
 * @example
 * ```ts
 * import { distillFigure, loadDistill } from "@tinyrnn/tinyrnn";
 * const figure = distillFigure(await loadDistill("results/distill"));
 * await figure.save("population.svg");
 * ```
 */
export function distillFigure(
  result: DistillResult,
  options: { ceiling?: number; title?: string } = {},
): Figure {
  const cell = String(result.settings.cell ?? "gru");
  return population(result.rows, {
    models: populationModels(result),
    labels: {
      [`solo-${cell}`]: `solo ${cell}`,
      [`student-${cell}`]: `student ${cell}`,
      ...(result.bestCognitive ? { [result.bestCognitive]: `${result.bestCognitive} (best cognitive)` } : {}),
    },
    title: options.title ?? `Per-subject test NLL (${result.subjects.length} subjects)`,
    ...(options.ceiling === undefined ? {} : { ceiling: options.ceiling }),
  });
}

/** One subject's portrait: the kept student of outer fold 0 on the subject's blocks. */
export interface SubjectPortrait {
  /** The subject. */
  subject: string;
  /** The kept instance's id. */
  id: string;
  /** The portrait. */
  figure: Figure;
}

/**
 * Portraits of the first `subjects` subjects' students (per subject, the instance of outer fold 0 with the lowest
 * validation loss over hidden size, inner fold and seed), each run on that subject's blocks.
 *
 * @example
 * ```ts
 * import { loadDistill, loadJson } from "@tinyrnn/tinyrnn";
 * import { distillPortraits } from "./distill.ts";
 * const dir = "results/distill";
 * const portraits = await distillPortraits(dir, await loadDistill(dir), loadJson(`${dir}/data.json`));
 * ```
 */
export async function distillPortraits(
  dir: string,
  result: DistillResult,
  data: Dataset,
  options: { subjects?: number; kind?: "student" | "solo" } = {},
): Promise<SubjectPortrait[]> {
  const kind = options.kind ?? "student";
  const finished = await listFinished(dir);
  const out: SubjectPortrait[] = [];
  for (const [s, subject] of result.subjects.slice(0, options.subjects ?? 6).entries()) {
    const ids = finished.filter((id) => id.startsWith(`${kind}/s${s}/`) && id.includes("/outer0-"));
    let best: Awaited<ReturnType<typeof readInstance>> | undefined;
    for (const id of ids) {
      const record = await readInstance(dir, id);
      if (best === undefined || record.row.valLoss < best.row.valLoss) best = record;
    }
    if (!best) continue;
    const model = modelOfRecord(best, { kind: data.kind, nActions: data.nActions });
    const own = { ...data, blocks: data.blocks.filter((b) => b.subject === subject) };
    out.push({
      subject,
      id: best.id,
      figure: portrait(model, own, {
        title: `${subject}: ${kind} ${best.row.cell} d = ${best.row.hidden} (outer fold 0)`,
      }),
    });
  }
  return out;
}

/**
 * The HTML page of a distillation run.
 *
 * @example
 * ```ts
 * import { distillReport, loadDistill } from "@tinyrnn/tinyrnn";
 * const html = distillReport(await loadDistill("results/distill"), { title: "Dezfouli 2019" });
 * ```
 */
export function distillReport(
  result: DistillResult,
  options: { title?: string; command?: string; portraits?: readonly SubjectPortrait[] } = {},
): string {
  const title = options.title ?? "tinyrnn distillation report";
  const settings = Object.entries(result.settings).map(([k, v]) =>
    `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(formatCell(v))}</dd>`
  ).join("");
  const pooled = tableMarkup(result.pooled.map((r) => ({
    model: r.model,
    kind: r.kind,
    d: r.hidden,
    "test NLL (pooled)": r.testLoss,
    "mean over subjects": r.meanLoss,
    SEM: r.sem,
    subjects: r.subjects,
    "test trials": r.testTrials,
  })));
  const teachers = tableMarkup(result.teachers.map((t) => ({ ...t })));
  const counts = new Map<string, number>();
  for (const d of result.dimensionality) {
    const key = `${d.student}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const dims = tableMarkup([...counts].sort().map(([d, n]) => ({ "student d": d, subjects: n })));
  let figure = "";
  try {
    figure = `<figure>${distillFigure(result).svg().replace(/^<\?xml[^>]*>\s*/, "")}</figure>`;
  } catch (error) {
    if (!(error instanceof TinyRnnInputError)) throw error;
    figure = `<p class="note">No population figure: ${escapeHtml(error.message)}</p>`;
  }
  const subjects = tableMarkup(result.perSubject());
  return htmlPage(
    title,
    `<h1>${escapeHtml(title)}</h1>
${options.command ? `<p><code>${escapeHtml(options.command)}</code></p>` : ""}
<dl class="settings">${settings}</dl>
${
      result.missing.length
        ? `<p class="note">${result.missing.length} units missing: a partial summary.</p>`
        : ""
    }
<h2>Models, pooled over subjects</h2>
<p class="note">Per subject, every block is tested once (folds within subject); the pooled NLL weights subjects by
their test trials, the mean and SEM are over subjects. solo/student-${
      escapeHtml(String(result.settings.cell ?? "gru"))
    } without a d: hidden size, inner fold and seed chosen per outer fold by validation loss.</p>
${pooled.html}
<h2>Population</h2>
${figure}
<h2>Teachers (one per outer fold)</h2>
${teachers.html}
<h2>Dimensionality (hidden size of lowest validation loss per subject)</h2>
${dims.html}
<h2>Subjects</h2>
${subjects.html}
${
      options.portraits?.length
        ? `<h2>Portraits of the first subjects' students</h2>\n${
          options.portraits.map((p) =>
            `<figure>${p.figure.svg().replace(/^<\?xml[^>]*>\s*/, "")}<figcaption>${
              escapeHtml(p.id)
            }</figcaption></figure>`
          ).join("\n")
        }`
        : ""
    }`,
  );
}
