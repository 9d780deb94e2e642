import { describe, expect, it } from "vitest";
import type { WireLine } from "./protocol";
import { RecentLines } from "./recent-lines";

const line = (seq: number): WireLine => ({ seq, stream: "stdout", text: `line ${seq}`, at: "2026-01-01T00:00:00.000Z", stepRunId: null });
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));
const seqs = (xs: WireLine[] | null) => xs?.map((l) => l.seq) ?? null;

describe("RecentLines", () => {
  it("serves the lines after a seq it covers, up to a limit", () => {
    const recent = new RecentLines();
    recent.add(lines(1, 3));
    recent.add(lines(4, 6));
    expect(seqs(recent.after(0, 100))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seqs(recent.after(2, 2))).toEqual([3, 4]);
  });

  it("says nothing about a seq before its range or at its end (a read must tell)", () => {
    const recent = new RecentLines();
    recent.add(lines(5, 8));
    expect(recent.after(3, 10)).toBeNull(); // line 4 is not here
    expect(recent.after(8, 10)).toBeNull(); // newer lines may exist elsewhere
    expect(new RecentLines().after(0, 10)).toBeNull();
  });

  it("starts over when a batch does not continue the range, so a gap is never skipped", () => {
    const recent = new RecentLines();
    recent.add(lines(1, 3));
    recent.add(lines(10, 12)); // 4..9 came from another writer
    expect(recent.after(3, 10)).toBeNull();
    expect(seqs(recent.after(9, 10))).toEqual([10, 11, 12]);
  });

  it("forgets what every live session has had, and keeps at most 10,000 lines", () => {
    const recent = new RecentLines();
    recent.add(lines(1, 5));
    recent.dropThrough(3);
    expect(recent.after(2, 10)).toBeNull();
    expect(seqs(recent.after(3, 10))).toEqual([4, 5]);
    recent.dropThrough(Number.POSITIVE_INFINITY);
    expect(recent.after(4, 10)).toBeNull();
    recent.add(lines(6, 12_005));
    expect(recent.after(5, 10)).toBeNull();
    expect(seqs(recent.after(2005, 1))).toEqual([2006]);
  });
});
