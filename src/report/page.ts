/**
 * The HTML page every report is written into: one self-contained document (no external files) with the same
 * style sheet, so that a cross-validation report and a distillation report look alike.
 *
 * @module
 */

import { escapeHtml } from "../display_table.ts";

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th { background: #f5f5f5; } td.text, th.text { text-align: left; }
tr.best td { font-weight: bold; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
figure { margin: 0; max-width: 100%; } figure svg { width: 720px; max-width: 100%; height: auto; }
figcaption { font-size: 0.8em; color: #555; max-width: 720px; }
dl.settings { background: #f8f8f8; padding: 0.5em 1em; font-size: 0.9em; }
.note { color: #555; } .warning { color: #a40; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; } dt { color: #555; } dd { margin: 0; }
footer { margin-top: 3em; font-size: 0.8em; color: #777; }
`;

/** A whole HTML document titled `title` whose body is `body` (markup, inserted as it is). */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
