/**
 * HTML and plain-text tables for Deno's Jupyter kernel, with no imports, so that every part of tinyrnn
 * (agents, engine, report) can give its values an inline display.
 *
 * @module
 */

/** The key Deno's Jupyter kernel looks up to display a value as rich output. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A value Deno's Jupyter kernel shows as HTML (and as text elsewhere): the cell's last expression. */
export interface Displayable {
  /** Returns the MIME bundle: `text/html` and `text/plain`. */
  [JUPYTER_DISPLAY](): Record<string, string>;
}

/** Escape text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** One cell's text: non-integer numbers with `digits` decimals, arrays joined with " · ". */
export function formatCell(value: unknown, digits = 4): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  }
  if (Array.isArray(value)) return value.map((v) => formatCell(v, digits)).join(" · ");
  return value === undefined || value === null ? "" : String(value);
}

/** Rows of objects as an HTML table and as tab-separated text (columns: every key, in first-seen order). */
export function tableMarkup(
  rows: readonly Record<string, unknown>[],
  digits = 4,
): { html: string; text: string } {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) => formatCell(value, digits);
  const html = `<table><thead><tr>${
    columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")
  }</tr></thead><tbody>${
    rows.map((row) => `<tr>${columns.map((c) => `<td>${escapeHtml(cell(row[c]))}</td>`).join("")}</tr>`).join(
      "",
    )
  }</tbody></table>`;
  const text = [columns.join("\t"), ...rows.map((row) => columns.map((c) => cell(row[c])).join("\t"))].join(
    "\n",
  );
  return { html, text };
}

/** A value that displays the given HTML in Jupyter and the given text elsewhere. */
export function displayable(html: string, text: string): Displayable {
  return { [JUPYTER_DISPLAY]: () => ({ "text/html": html, "text/plain": text }) };
}

/** The display bundle of a titled key/value list: `title` in bold, then one `key: value` per entry. */
export function describeMarkup(
  title: string,
  entries: readonly [string, unknown][],
  digits = 4,
): Record<string, string> {
  const html = `<div><strong>${escapeHtml(title)}</strong><table><tbody>${
    entries.map(([k, v]) =>
      `<tr><th style="text-align:left">${escapeHtml(k)}</th><td>${
        escapeHtml(formatCell(v, digits))
      }</td></tr>`
    )
      .join("")
  }</tbody></table></div>`;
  const text = [title, ...entries.map(([k, v]) => `  ${k}: ${formatCell(v, digits)}`)].join("\n");
  return { "text/html": html, "text/plain": text };
}
