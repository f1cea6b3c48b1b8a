/**
 * `DistillResult`: what `distill` returns. It holds the run's summary (the content of `summary.json`) and
 * displays itself in a notebook as the pooled table (per model: test NLL pooled over subjects, mean ± SEM
 * over subjects) followed by the teachers and the subjects' dimensionality.
 *
 * @module
 */

import { type Displayable, displayable, escapeHtml, JUPYTER_DISPLAY, tableMarkup } from "../display_table.ts";
import type {
  DistillPooledRow,
  DistillRow,
  DistillSummary,
  SubjectDimensionality,
  TeacherRow,
} from "./summary.ts";

/** The outcome of a distillation run. */
export class DistillResult {
  /** Subjects in data order. */
  readonly subjects: readonly string[];
  /** Per subject and model. */
  readonly rows: readonly DistillRow[];
  /** Per model, over subjects. */
  readonly pooled: readonly DistillPooledRow[];
  /** Per subject: the hidden size of lowest validation loss of the solo networks and of the students. */
  readonly dimensionality: readonly SubjectDimensionality[];
  /** Per outer fold's teacher. */
  readonly teachers: readonly TeacherRow[];
  /** The cognitive model with the lowest pooled test NLL. */
  readonly bestCognitive?: string;
  /** Unfinished units (a partial result: a shard, or a merge with `allowPartial`). */
  readonly missing: readonly string[];
  /** The run's settings. */
  readonly settings: Readonly<Record<string, unknown>>;

  /** Wrap a summary (as `summary.json` holds it). */
  constructor(summary: DistillSummary) {
    this.subjects = summary.subjects;
    this.rows = summary.rows;
    this.pooled = summary.pooled;
    this.dimensionality = summary.dimensionality;
    this.teachers = summary.teachers;
    if (summary.bestCognitive !== undefined) this.bestCognitive = summary.bestCognitive;
    this.missing = summary.missing;
    this.settings = summary.settings;
  }

  /** A pooled row by model id. */
  model(id: string): DistillPooledRow | undefined {
    return this.pooled.find((row) => row.model === id);
  }

  /**
   * One row per subject: the test NLL of the selected solo network, the student, the teacher and the best
   * cognitive model (by pooled test NLL), with the subject's test trials and dimensionality.
   */
  perSubject(): Record<string, string | number>[] {
    const cell = String(this.settings.cell ?? "gru");
    return this.subjects.map((subject, s) => {
      const loss = (model: string | undefined) =>
        model === undefined
          ? NaN
          : this.rows.find((r) => r.subject === subject && r.model === model)?.testLoss ?? NaN;
      const trials = this.rows.find((r) => r.subject === subject && r.model === "teacher")?.testTrials ??
        this.rows.find((r) => r.subject === subject)?.testTrials ?? 0;
      return {
        subject,
        testTrials: trials,
        solo: loss(`solo-${cell}`),
        student: loss(`student-${cell}`),
        teacher: loss("teacher"),
        ...(this.bestCognitive === undefined ? {} : { [this.bestCognitive]: loss(this.bestCognitive) }),
        "d solo": this.dimensionality[s]?.solo ?? NaN,
        "d student": this.dimensionality[s]?.student ?? NaN,
      };
    });
  }

  /** The per-subject table as a displayable value. */
  subjectTable(digits = 4): Displayable {
    const { html, text } = tableMarkup(this.perSubject(), digits);
    return displayable(html, text);
  }

  /** The summary object (what `summary.json` holds). */
  toJSON(): DistillSummary {
    return {
      settings: { ...this.settings },
      subjects: [...this.subjects],
      rows: [...this.rows],
      pooled: [...this.pooled],
      dimensionality: [...this.dimensionality],
      teachers: [...this.teachers],
      ...(this.bestCognitive === undefined ? {} : { bestCognitive: this.bestCognitive }),
      missing: [...this.missing],
    };
  }

  /** Plain text: the pooled table, the teachers and the dimensionality counts. */
  toString(): string {
    return this.#markup().text;
  }

  /** Jupyter display: HTML tables. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const { html, text } = this.#markup();
    return { "text/html": html, "text/plain": text };
  }

  #markup(): { html: string; text: string } {
    const title = `Distillation: ${this.subjects.length} subjects${
      this.missing.length ? `, ${this.missing.length} units missing` : ""
    }`;
    const pooled = tableMarkup(
      this.pooled.map((r) => ({
        model: r.model,
        kind: r.kind,
        "test NLL (pooled)": r.testLoss,
        "mean over subjects": r.meanLoss,
        SEM: r.sem,
        subjects: r.subjects,
        "test trials": r.testTrials,
      })),
    );
    const teachers = tableMarkup(this.teachers.map((t) => ({ ...t })));
    const counts = new Map<string, number>();
    for (const d of this.dimensionality) {
      const key = `solo ${d.solo} / student ${d.student}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const dims = [...counts].map(([k, n]) => `${k}: ${n}`).join("; ");
    const html = `<div><strong>${
      escapeHtml(title)
    }</strong>${pooled.html}<p>Teachers (per outer fold)</p>${teachers.html}<p>Dimensionality (subjects): ${
      escapeHtml(dims)
    }</p></div>`;
    const text = [
      title,
      pooled.text,
      "",
      "Teachers (per outer fold)",
      teachers.text,
      "",
      `Dimensionality: ${dims}`,
    ]
      .join("\n");
    return { html, text };
  }
}
