import { describe, expect, it } from "vitest";
import { appendTail, EMPTY_WINDOW, hasOlder, MAX_LINES, prependHistory, replaceWith, type ViewLine } from "./log-window";

const line = (seq: number): ViewLine => ({ seq, stream: "stdout", text: `line ${seq}`, at: "2026-11-21T10:00:00.000Z" });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));
const seqs = (lines: ViewLine[]) => lines.map((l) => l.seq);

describe("the log viewer's window", () => {
  it("merges history and the live tail by seq with no gap and no duplicate", () => {
    let w = replaceWith(range(501, 1000), 1000);
    w = appendTail(w, [...range(990, 1003), line(1001)]).window;
    expect(seqs(w.lines)).toEqual(range(501, 1003).map((l) => l.seq));
    w = prependHistory(w, range(1, 510));
    expect(seqs(w.lines)).toEqual(range(1, 1003).map((l) => l.seq));
    expect(hasOlder(w)).toBe(false);
    expect(w.lastSeq).toBe(1003);
  });

  it("reports a gap instead of leaving a hole", () => {
    const w = replaceWith(range(1, 10), 10);
    const { window, gapAfter } = appendTail(w, range(15, 20));
    expect(gapAfter).toBe(10);
    expect(seqs(window.lines)).toEqual(range(1, 10).map((l) => l.seq));
    expect(window.lastSeq).toBe(20);
    expect(appendTail(EMPTY_WINDOW, range(3, 4)).gapAfter).toBeNull();
  });

  it("stays within its bound: the tail pushes out the oldest, history pushes out the tail", () => {
    let w = replaceWith(range(1, MAX_LINES), MAX_LINES);
    w = appendTail(w, range(MAX_LINES + 1, MAX_LINES + 100)).window;
    expect(w.lines.length).toBe(MAX_LINES);
    expect(w.lines[0]!.seq).toBe(101);
    w = prependHistory(w, range(1, 100));
    expect(w.lines.length).toBe(MAX_LINES);
    expect(w.atTail).toBe(false);
    const after = appendTail(w, [line(MAX_LINES + 101)]).window;
    expect(after.lines.length).toBe(MAX_LINES);
    expect(after.lastSeq).toBe(MAX_LINES + 101);
  });

  it("a page around an old line is not at the tail", () => {
    const w = replaceWith(range(100, 200), 5000);
    expect(w.atTail).toBe(false);
    expect(appendTail(w, [line(5001)]).window.lines.length).toBe(101);
  });
});
