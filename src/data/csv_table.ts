/**
 * Delimited text as a table of cells (RFC 4180 quoting), keeping each record's line number for messages.
 * Loaders of particular layouts (tidy trials, presets) build on this.
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";

/** One field of a record, verbatim. */
export interface CsvCell {
  /** The field's text, with quotes removed and doubled quotes undone. */
  text: string;
  /** Whether the field was quoted: tinyrnn reads a quoted field of an extra column as a string. */
  quoted: boolean;
}

/** One record (row) of the file. */
export interface CsvRow {
  /** 1-based line of the file on which the record starts. */
  line: number;
  /** The fields, as many as the header has. */
  cells: CsvCell[];
}

/** A parsed file: the header's column names and the records below it. */
export interface CsvTable {
  header: string[];
  /** 1-based line of the header. */
  headerLine: number;
  rows: CsvRow[];
  /** The delimiter that was used (given or detected). */
  delimiter: string;
}

/** Options of {@link parseCsvTable}. */
export interface CsvTableOptions {
  /** Field delimiter. Default: a tab when the header line has tabs and no commas, else a comma. */
  delimiter?: string;
  /** File name for messages. Default: `"CSV"`. */
  source?: string;
}

/** The delimiter a file most likely uses, judged from its first line. */
export function detectDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const first = end < 0 ? text : text.slice(0, end);
  return first.includes("\t") && !first.includes(",") ? "\t" : ",";
}

/**
 * Split delimited text into a header and records. Blank lines are skipped; a record with a different number
 * of fields than the header is an error naming its line.
 */
export function parseCsvTable(text: string, options: CsvTableOptions = {}): CsvTable {
  const rows: CsvRow[] = [];
  const head = scanCsvTable(text, options, () => {}, (row) => rows.push(row));
  return { ...head, rows };
}

/**
 * {@link parseCsvTable} one record at a time, keeping none: `onHeader` gets the checked header, then `onRow`
 * each record below it (field count checked), in file order. For files too large to hold as a table of cells;
 * the messages are those of {@link parseCsvTable}.
 */
export function scanCsvTable(
  text: string,
  options: CsvTableOptions,
  onHeader: (header: string[], headerLine: number) => void,
  onRow: (row: CsvRow) => void,
): Omit<CsvTable, "rows"> {
  const source = options.source ?? "CSV";
  if (typeof text !== "string") {
    throw new TinyRnnInputError(
      `${source}: expected the text of a CSV file (a string), got ${
        text === null ? "null" : Array.isArray(text) ? "an array" : typeof text
      }`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    let line = 1;
    for (let i = text.indexOf("\n"); i >= 0 && i < nul; i = text.indexOf("\n", i + 1)) line++;
    throw new TinyRnnInputError(
      `${source} line ${line}: holds a NUL byte: not a text CSV (a binary file, or UTF-16 text; save it as UTF-8 CSV)`,
    );
  }
  const delimiter = options.delimiter ?? detectDelimiter(text);
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new TinyRnnInputError(`${source}: delimiter must be one character other than a quote or newline`);
  }
  let headerRecord: CsvRow | undefined;
  let header: string[] = [];
  tokenize(text, delimiter, source, (record) => {
    if (headerRecord === undefined) {
      headerRecord = record;
      header = checkHeader(record, source);
      onHeader(header, record.line);
      return;
    }
    if (record.cells.length !== header.length) {
      throw new TinyRnnInputError(
        `${source} line ${record.line}: expected ${header.length} fields (as in the header), got ${record.cells.length}`,
      );
    }
    onRow(record);
  });
  if (headerRecord === undefined) throw new TinyRnnInputError(`${source} is empty (expected a header line)`);
  return { header, headerLine: headerRecord.line, delimiter };
}

/** The header's names, trimmed; an empty or repeated name is an error naming its line. */
function checkHeader(headerRecord: CsvRow, source: string): string[] {
  const header = headerRecord.cells.map((c) => c.text.trim());
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === "") {
      throw new TinyRnnInputError(
        `${source} line ${headerRecord.line}: column ${i + 1} of the header has no name`,
      );
    }
    if (seen.has(name)) {
      throw new TinyRnnInputError(
        `${source} line ${headerRecord.line}: column "${name}" appears twice in the header`,
      );
    }
    seen.set(name, i);
  });
  return header;
}

/** Every non-blank record of `text`, in order, to `visit`. */
function tokenize(text: string, delimiter: string, source: string, visit: (row: CsvRow) => void): void {
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: CsvCell[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let cellText = "";
      let quoted = false;
      if (text[i] === '"') {
        quoted = true;
        i++;
        for (;;) {
          if (i >= n) {
            throw new TinyRnnInputError(`${source} line ${startLine}: a quoted field is never closed`);
          }
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              cellText += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          cellText += ch;
          i++;
        }
        // Only a delimiter or the end of the record may follow a closing quote.
        if (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") {
          throw new TinyRnnInputError(
            `${source} line ${line}: unexpected text after a closing quote in field ${cells.length + 1}`,
          );
        }
      } else {
        const start = i;
        while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") i++;
        cellText = text.slice(start, i);
      }
      cells.push({ text: cellText, quoted });
      if (i < n && text[i] === delimiter) {
        i++;
      } else {
        if (text[i] === "\r") i++;
        if (text[i] === "\n") i++;
        line++;
        endOfRecord = true;
      }
    }
    const blank = cells.length === 1 && !cells[0].quoted && cells[0].text.trim() === "";
    if (!blank) visit({ line: startLine, cells });
  }
}

/** Write one field, quoting it when needed (or when `forceQuote`, e.g. a string that looks like a number). */
export function formatCsvField(text: string, delimiter: string, forceQuote = false): string {
  if (
    forceQuote || text.includes(delimiter) || text.includes('"') || text.includes("\n") || text.includes("\r")
  ) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}
