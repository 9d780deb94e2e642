import { describe, expect, it } from "vitest";
import {
  addLive,
  addNewer,
  addOlder,
  EMPTY_WINDOW,
  fromPage,
  hasNewer,
  hasOlder,
  MAX_LINES,
  missingRange,
  subscribeAfter,
  type LogWindow,
  type ViewLine,
} from "./log-window";

const line = (seq: number): ViewLine => ({ seq, stream: "stdout", text: `line ${seq}`, at: "2026-11-21T10:00:00.000Z" });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));
const seqs = (w: LogWindow) => w.lines.map((l) => l.seq);
const span = (w: LogWindow) => [w.lines[0]?.seq, w.lines.at(-1)?.seq, w.lines.length];

describe("the log viewer's window", () => {
  it("merges history and the live tail by seq with no gap and no duplicate", () => {
    let w = fromPage(range(501, 1000), 1000, true);
    w = addLive(w, [...range(990, 1003), line(1001)]);
    expect(seqs(w)).toEqual(seqs(fromPage(range(501, 1003), 1003, true)));
    w = addOlder(w, range(1, 510));
    expect(seqs(w)).toEqual(range(1, 1003).map((l) => l.seq));
    expect(hasOlder(w)).toBe(false);
    expect(w.lastSeq).toBe(1003);
    expect(missingRange(w)).toBeNull();
    expect(subscribeAfter(w)).toBe(1003);
  });

  it("holds live lines beyond a gap, asks for the missing range, and closes it when it is read", () => {
    let w = fromPage(range(1, 10), 10, true);
    w = addLive(w, range(15, 20));
    expect(seqs(w)).toEqual(range(1, 10).map((l) => l.seq));
    expect(missingRange(w)).toEqual({ afterSeq: 10, beforeSeq: 15 });
    expect(subscribeAfter(w)).toBe(20);
    w = addLive(w, range(21, 22)); // more tail while the gap is being read
    expect(missingRange(w)).toEqual({ afterSeq: 10, beforeSeq: 15 });
    w = addNewer(w, range(11, 16), false); // the gap read overlaps what is pending
    expect(seqs(w)).toEqual(range(1, 22).map((l) => l.seq));
    expect(w.pending).toEqual([]);
    expect(missingRange(w)).toBeNull();
  });

  it("a gap read in several pages closes step by step", () => {
    let w = addLive(fromPage(range(1, 5), 5, true), range(3000, 3001));
    w = addNewer(w, range(6, 1005), true);
    expect(missingRange(w)).toEqual({ afterSeq: 1005, beforeSeq: 3000 });
    w = addNewer(w, range(1006, 2999), false);
    expect(w.lines.at(-1)!.seq).toBe(3001);
    expect(missingRange(w)).toBeNull();
  });

  it("knows lines exist past the newest page (a batch that arrived while the page was read)", () => {
    let w = fromPage(range(1, 5), 7, false); // a page around a search hit near the end
    w = addLive(w, range(6, 8)); // away from the tail only the count moves
    expect(seqs(w)).toEqual([1, 2, 3, 4, 5]);
    expect(w.lastSeq).toBe(8);
    w = addNewer(w, [], false); // scrolled down: the end of history
    expect(w.atTail).toBe(true);
    expect(missingRange(w)).toEqual({ afterSeq: 5, beforeSeq: 9 });
  });

  it("an empty run takes its first live line at seq 1 and asks for anything skipped", () => {
    expect(seqs(addLive(EMPTY_WINDOW, range(1, 3)))).toEqual([1, 2, 3]);
    const w = addLive(EMPTY_WINDOW, range(3, 4));
    expect(seqs(w)).toEqual([]);
    expect(missingRange(w)).toEqual({ afterSeq: 0, beforeSeq: 3 });
  });

  it("following the tail, the oldest lines are dropped at the bound", () => {
    let w = fromPage(range(1, MAX_LINES), MAX_LINES, true);
    w = addLive(w, range(MAX_LINES + 1, MAX_LINES + 100));
    expect(span(w)).toEqual([101, MAX_LINES + 100, MAX_LINES]);
    expect(w.atTail).toBe(true);
  });

  it("reading old lines, the side away from the reader is dropped, and paged back in later", () => {
    let w = fromPage(range(101, MAX_LINES + 100), MAX_LINES + 100, true);
    w = addOlder(w, range(1, 100), 150);
    expect(span(w)).toEqual([1, MAX_LINES, MAX_LINES]);
    expect(w.atTail).toBe(false);
    expect(hasNewer(w)).toBe(true);
    w = addLive(w, range(MAX_LINES + 101, MAX_LINES + 110), 150);
    expect(w.lines.length).toBe(MAX_LINES);
    expect(w.lastSeq).toBe(MAX_LINES + 110);
    expect(missingRange(w)).toBeNull(); // away from the tail nothing is fetched by itself
    // Scrolling back down reads forward; reaching the end takes up the tail again.
    w = addNewer(w, range(MAX_LINES + 1, MAX_LINES + 110), false, MAX_LINES + 50);
    expect(span(w)).toEqual([111, MAX_LINES + 110, MAX_LINES]);
    expect(w.atTail).toBe(true);
  });

  it("a reader near the start of a full window keeps it while the tail grows", () => {
    let w = fromPage(range(1, MAX_LINES), MAX_LINES, true);
    w = addLive(w, range(MAX_LINES + 1, MAX_LINES + 10), 20);
    expect(span(w)).toEqual([1, MAX_LINES, MAX_LINES]);
    expect(w.atTail).toBe(false);
  });

  it("ignores an older page that does not reach the window", () => {
    const w = fromPage(range(1000, 1100), 1100, true);
    expect(addOlder(w, range(1, 500))).toBe(w);
    expect(span(addOlder(w, range(400, 1050)))).toEqual([400, 1100, 701]);
  });

  it("a page around an old line is not at the tail until it reaches the end", () => {
    const w = fromPage(range(100, 200), 5000, false);
    expect(w.atTail).toBe(false);
    expect(addLive(w, [line(5001)]).lines.length).toBe(101);
    expect(subscribeAfter(w)).toBe(5000);
    expect(fromPage(range(4901, 5000), 5000, false).atTail).toBe(true);
  });

  it("drops a forward page that does not continue the window while away from the tail", () => {
    const w = addNewer(fromPage(range(1, 10), 100, false), range(50, 60), true);
    expect(seqs(w)).toEqual(range(1, 10).map((l) => l.seq));
    expect(w.pending).toEqual([]);
  });
});
