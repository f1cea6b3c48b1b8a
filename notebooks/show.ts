/**
 * Two small helpers the tutorial notebooks share: show a value inline (and wait until the kernel has sent
 * it), and show rows of numbers as an HTML table.
 *
 * @module
 */

/**
 * Display a figure, table or any value in the notebook now. Deno's kernel may report a cell idle before its
 * display messages are out, and a headless run (CI) stops listening at idle; a pause lets the message leave
 * first. 20 ms sufficed on an idle machine but lost a figure on a loaded one, hence 200 ms.
 */
export async function show(value: unknown): Promise<void> {
  await Deno.jupyter.display(value);
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Something Deno's kernel displays as HTML (and as text elsewhere). */
export interface HtmlTable {
  [key: symbol]: () => Record<string, string>;
}

/**
 * Rows of objects as a table: non-integer numbers with `digits` decimals, arrays joined with " · ".
 *
 * @example
 * ```ts
 * await show(table(summary.aggregate.map((r) => ({ model: r.model, nll: r.testLoss }))));
 * ```
 */
export function table(rows: readonly Record<string, unknown>[], digits = 4): HtmlTable {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const format = (value: unknown): string => {
    if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(digits);
    if (Array.isArray(value)) return value.map(format).join(" · ");
    return value === undefined || value === null ? "" : String(value);
  };
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const html = `<table><thead><tr>${columns.map((c) => `<th>${escape(c)}</th>`).join("")}</tr></thead><tbody>${
    rows.map((row) => `<tr>${columns.map((c) => `<td>${escape(format(row[c]))}</td>`).join("")}</tr>`).join("")
  }</tbody></table>`;
  const text = [columns.join("\t"), ...rows.map((row) => columns.map((c) => format(row[c])).join("\t"))].join("\n");
  return { [Symbol.for("Jupyter.display")]: () => ({ "text/html": html, "text/plain": text }) };
}
