/**
 * Progress of long work (fits, cross-validation): a redrawn bar with done/total, elapsed time and ETA on a
 * terminal; plain, sparse lines when the output is not a terminal (logs, CI) or with `--quiet`.
 *
 * @module
 */

import type { CvProgress } from "../src/cv/options.ts";
import type { Console } from "./command.ts";

/** Where progress is written: `Deno.stdout`/`Deno.stderr` or anything alike. */
export interface ProgressStream {
  writeSync(bytes: Uint8Array): number;
  isTerminal(): boolean;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Units of work in all (> 0). */
  total: number;
  /** What is being done, shown first, e.g. `"fit"`. Default `""`. */
  label?: string;
  /** Plain lines even on a terminal (the CLI's `--quiet`). Default `false`. */
  quiet?: boolean;
  /** Write nothing at all (library use, tests). Default `false`. */
  silent?: boolean;
  /** Output. Default `Deno.stdout`; pass `Deno.stderr` when stdout carries data. */
  stream?: ProgressStream;
  /** Bar width in characters, at most (narrowed to fit the terminal). Default 24. */
  width?: number;
  /**
   * The terminal's width in columns, asked at every redraw (it may change). Default: `Deno.consoleSize()` of
   * the stream's terminal, 80 when that cannot be known. A redrawn line is kept shorter than this, so that it
   * never wraps (a wrapped line cannot be redrawn in place and floods the terminal).
   */
  columns?: () => number;
  /** Clock in milliseconds. Default `performance.now`. */
  now?: () => number;
  /** Least time between two plain lines, unless a tenth of the work was done meanwhile. Default 30 000 ms. */
  plainIntervalMs?: number;
}

/** A running progress display. */
export interface Progress {
  /** Count `n` more units done (default 1), with an optional note such as the current model. */
  tick(n?: number, note?: string): void;
  /** Set the number of units done. */
  update(done: number, note?: string): void;
  /** Finish: the final state on its own line. */
  finish(note?: string): void;
}

const REDRAW_MS = 100;

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mmss = `${h > 0 ? String(m).padStart(2, "0") : m}:${String(s).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * One status line: `label [#####-----] 12/100 12% elapsed 0:05 ETA 0:37 note` (no bar in plain mode). With
 * `maxWidth`, the line is made to fit: the bar narrows (down to 5 characters, then goes), the note is cut with
 * an ellipsis, then "elapsed" goes; counts, percent and ETA stay.
 */
export function formatProgressLine(
  state: { label: string; done: number; total: number; elapsedMs: number; note?: string },
  bar: number | false,
  maxWidth = Infinity,
): string {
  const full = progressLineParts(state, bar);
  if (full.length <= maxWidth) return full;
  let narrower = bar;
  while (narrower !== false) {
    narrower = narrower > 5 ? narrower - 1 : false;
    const line = progressLineParts(state, narrower);
    if (line.length <= maxWidth) return line;
  }
  const withoutNote = progressLineParts({ ...state, note: undefined }, false);
  if (state.note && withoutNote.length + 2 < maxWidth) {
    const room = maxWidth - withoutNote.length - 1;
    return `${withoutNote} ${state.note.slice(0, room - 1)}…`;
  }
  if (withoutNote.length <= maxWidth) return withoutNote;
  const bare = progressLineParts({ ...state, note: undefined }, false, false);
  return bare.length <= maxWidth ? bare : bare.slice(0, Math.max(0, maxWidth));
}

function progressLineParts(
  state: { label: string; done: number; total: number; elapsedMs: number; note?: string },
  bar: number | false,
  withElapsed = true,
): string {
  const { label, done, total, elapsedMs, note } = state;
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const percent = `${Math.floor(fraction * 100)}%`;
  const eta = done > 0 && done < total
    ? formatDuration((elapsedMs / done) * (total - done))
    : done >= total
    ? "0:00"
    : "?";
  const filled = bar === false ? 0 : Math.round(fraction * bar);
  const parts = [
    label,
    bar === false ? "" : `[${"#".repeat(filled)}${"-".repeat(bar - filled)}]`,
    `${done}/${total}`,
    percent,
    withElapsed ? `elapsed ${formatDuration(elapsedMs)}` : "",
    `ETA ${eta}`,
    note ?? "",
  ];
  return parts.filter((p) => p !== "").join(" ");
}

/**
 * Start a progress display.
 *
 * @example
 * ```ts
 * import { createProgress } from "./progress.ts";
 *
 * const models = ["gru-1", "gru-2"];
 * const progress = createProgress({ total: models.length, label: "fit", quiet: true, stream: Deno.stderr });
 * for (const model of models) progress.tick(1, model);
 * progress.finish();
 * ```
 */
export function createProgress(options: ProgressOptions): Progress {
  const total = options.total;
  if (!(Number.isFinite(total) && total > 0)) {
    throw new RangeError(`createProgress: total must be > 0, got ${total}`);
  }
  const label = options.label ?? "";
  const stream = options.stream ?? Deno.stdout;
  const now = options.now ?? (() => performance.now());
  const width = options.width ?? 24;
  const plainInterval = options.plainIntervalMs ?? 30_000;
  const bar = !options.silent && !options.quiet && safeIsTerminal(stream);
  const encoder = new TextEncoder();
  const start = now();
  let done = 0;
  let note: string | undefined;
  let lastDraw = -Infinity;
  let lastPlainTime = start;
  let lastPlainDone = 0;
  let finished = false;

  const write = (text: string) => {
    if (!options.silent) stream.writeSync(encoder.encode(text));
  };
  const columns = options.columns ?? (() => terminalColumns(stream));
  const line = (withBar: boolean) =>
    formatProgressLine(
      { label, done, total, elapsedMs: now() - start, note },
      withBar ? width : false,
      // One column spare: writing into the last column makes some terminals wrap.
      withBar ? Math.max(10, columns() - 1) : Infinity,
    );

  const show = (force: boolean) => {
    if (options.silent || finished) return;
    const t = now();
    if (bar) {
      if (!force && t - lastDraw < REDRAW_MS) return;
      const text = line(true);
      // Return to the line's start and clear to its end (ANSI "erase in line"), so a shorter line leaves
      // nothing of the longer one behind.
      write(`\r${text}\x1b[K`);
      lastDraw = t;
    } else {
      const tenth = total / 10;
      // The last line is left to finish(), which may add a closing note.
      if (!force && (done >= total || (done - lastPlainDone < tenth && t - lastPlainTime < plainInterval))) {
        return;
      }
      write(`${line(false)}\n`);
      lastPlainTime = t;
      lastPlainDone = done;
    }
  };

  return {
    tick(n = 1, newNote) {
      done += n;
      if (newNote !== undefined) note = newNote;
      show(false);
    },
    update(value, newNote) {
      done = value;
      if (newNote !== undefined) note = newNote;
      show(false);
    },
    finish(newNote) {
      if (finished) return;
      if (newNote !== undefined) note = newNote;
      if (bar) {
        show(true);
        write("\n");
      } else if (lastPlainDone !== done || done === 0 || newNote !== undefined) {
        show(true);
      }
      finished = true;
    },
  };
}

/** The width of the terminal `stream` writes to, or 80 when it cannot be known. */
function terminalColumns(stream: ProgressStream): number {
  try {
    const size = Deno.consoleSize();
    if (size.columns > 0 && stream.isTerminal()) return size.columns;
  } catch {
    // Not a terminal, or no permission to ask: fall through to the usual width.
  }
  return 80;
}

function safeIsTerminal(stream: ProgressStream): boolean {
  try {
    return stream.isTerminal();
  } catch {
    return false;
  }
}

/**
 * A progress display fed by `crossValidate`'s reports, for `deno task fit`: created at the first report (when
 * the work is known), it says `note` and how many instances a resumed run skips, then counts the rest.
 */
export function cvProgress(
  io: Console,
  quiet: boolean,
  label: string,
  note: string,
): { onProgress: (p: CvProgress) => void; finish(): void } {
  let bar: Progress | undefined;
  let started = false;
  let skipped = 0;
  return {
    onProgress(p) {
      if (!started) {
        started = true;
        if (note) io.err(note);
        skipped = p.skipped;
        if (skipped > 0) io.err(`${label}: ${skipped} of ${p.total} instances already finished, resuming`);
        if (p.total > skipped) {
          bar = createProgress({ total: p.total - skipped, label, quiet, stream: Deno.stderr });
        }
      }
      // The note names the latest finished instance: progress reports of running ones come from every worker
      // in turn, and a note that jumps between them at each redraw cannot be read.
      const finishedOne = / done$/.test(p.current) ? p.current.replace(/ done$/, "") : undefined;
      bar?.update(p.done - skipped, finishedOne !== undefined ? `last: ${finishedOne}` : undefined);
    },
    finish() {
      bar?.finish("");
    },
  };
}
