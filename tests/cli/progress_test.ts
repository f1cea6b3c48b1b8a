import assert from "node:assert/strict";
import {
  createProgress,
  formatDuration,
  formatProgressLine,
  type ProgressStream,
} from "../../cli/progress.ts";

function fakeStream(terminal: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  return {
    writeSync(bytes: Uint8Array) {
      chunks.push(decoder.decode(bytes));
      return bytes.length;
    },
    isTerminal: () => terminal,
    text: () => chunks.join(""),
  };
}

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

Deno.test("durations and the status line", () => {
  assert.equal(formatDuration(0), "0:00");
  assert.equal(formatDuration(65_000), "1:05");
  assert.equal(formatDuration(3_725_000), "1:02:05");
  assert.equal(formatDuration(NaN), "?");
  assert.equal(
    formatProgressLine({ label: "fit", done: 25, total: 100, elapsedMs: 10_000, note: "gru-2" }, 8),
    "fit [##------] 25/100 25% elapsed 0:10 ETA 0:30 gru-2",
  );
  assert.equal(
    formatProgressLine({ label: "", done: 0, total: 4, elapsedMs: 0 }, false),
    "0/4 0% elapsed 0:00 ETA ?",
  );
});

Deno.test("on a terminal the bar is redrawn in place and ends with a newline", () => {
  const stream = fakeStream(true);
  const clock = fakeClock();
  const progress = createProgress({ total: 4, label: "fit", stream, now: clock.now, width: 4 });
  for (let i = 0; i < 4; i++) {
    clock.advance(1000);
    progress.tick(1, `model ${i}`);
  }
  progress.finish();
  const text = stream.text();
  assert.ok(text.startsWith("\rfit [#---] 1/4 25% elapsed 0:01 ETA 0:03 model 0"));
  assert.ok(text.includes("\rfit [####] 4/4 100% elapsed 0:04 ETA 0:00 model 3"));
  assert.ok(text.endsWith("\n"));
  assert.equal(text.split("\n").length, 2, "one line in all");
});

Deno.test("redraws are throttled on a terminal", () => {
  const stream = fakeStream(true);
  const clock = fakeClock();
  const progress = createProgress({ total: 1000, stream, now: clock.now });
  for (let i = 0; i < 1000; i++) progress.tick();
  assert.equal(stream.text().split("\r").length - 1, 1, "only the first tick draws within 100 ms");
});

Deno.test("not a terminal, or quiet: plain lines at each tenth and at the end", () => {
  for (const [terminal, quiet] of [[false, false], [true, true]]) {
    const stream = fakeStream(terminal);
    const clock = fakeClock();
    const progress = createProgress({ total: 100, label: "cv", stream, now: clock.now, quiet });
    for (let i = 0; i < 100; i++) {
      clock.advance(10);
      progress.tick();
    }
    progress.finish("done");
    const lines = stream.text().trimEnd().split("\n");
    assert.ok(!stream.text().includes("\r"));
    assert.ok(!stream.text().includes("["));
    assert.equal(lines.length, 10);
    assert.equal(lines[0], "cv 10/100 10% elapsed 0:00 ETA 0:01");
    assert.equal(lines[9], "cv 100/100 100% elapsed 0:01 ETA 0:00 done");
  }
});

Deno.test("plain lines also come after the interval when work is slow", () => {
  const stream = fakeStream(false);
  const clock = fakeClock();
  const progress = createProgress({ total: 1000, stream, now: clock.now, plainIntervalMs: 5000 });
  clock.advance(6000);
  progress.tick();
  clock.advance(1000);
  progress.tick();
  assert.equal(stream.text(), "1/1000 0% elapsed 0:06 ETA 1:39:54\n");
});

Deno.test("silent writes nothing; total must be positive", () => {
  const stream = fakeStream(true);
  const progress = createProgress({ total: 3, stream, silent: true });
  progress.tick(3);
  progress.finish();
  assert.equal(stream.text(), "");
  assert.throws(() => createProgress({ total: 0 }), RangeError);
});

Deno.test("on an 80-column terminal every redrawn line fits in 79 columns, long notes cut with an ellipsis", () => {
  for (const columns of [80, 60, 40]) {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const progress = createProgress({
      total: 1000,
      label: "fit",
      stream,
      now: clock.now,
      columns: () => columns,
    });
    const note = "last: gru-20/l1-0.0001/outer9-inner8-seed2 and a good deal more text besides";
    for (let i = 0; i < 1000; i += 97) {
      clock.advance(200);
      progress.update(i, note);
    }
    progress.finish();
    // Each redraw starts with a carriage return and ends with "erase to end of line".
    const lines = stream.text().split("\r").filter((l) => l !== "").map((l) =>
      l.replace("\x1b[K", "").replace(/\n$/, "")
    );
    assert.ok(lines.length >= 10);
    for (const line of lines) {
      assert.ok(line.length <= columns - 1, `${columns} columns: ${line.length}: ${line}`);
    }
    assert.ok(lines[0].includes("…"), lines[0]);
    assert.ok(lines[1].includes("97/1000"), lines[1]);
  }
});

Deno.test("formatProgressLine narrows the bar first, then cuts the note, then drops elapsed", () => {
  const state = { label: "fit", done: 25, total: 100, elapsedMs: 10_000, note: "gru-2" };
  assert.equal(formatProgressLine(state, 24, 200), formatProgressLine(state, 24));
  const narrow = formatProgressLine(state, 24, 52);
  assert.ok(narrow.length <= 52 && narrow.includes("[") && narrow.endsWith("gru-2"), narrow);
  const noBar = formatProgressLine(state, 24, 44);
  assert.equal(noBar, "fit 25/100 25% elapsed 0:10 ETA 0:30 gru-2");
  const cut = formatProgressLine({ ...state, note: "gru-2/l1-1e-05/outer0" }, 24, 44);
  assert.ok(cut.length <= 44 && cut.endsWith("…"), cut);
  assert.equal(formatProgressLine(state, 24, 30), "fit 25/100 25% ETA 0:30");
});
