import { describe, expect, it } from "vitest";
import { PageFrames } from "./lines-frame";
import type { WireLine } from "./protocol";

const RUN = "4f8a2b8e-1111-4222-8333-444455556666";
const line = (seq: number): WireLine => ({ seq, stream: "stdout", text: `line ${seq}`, at: "2026-01-01T00:00:00.000Z", stepRunId: null });
const page = [10, 11, 12, 13].map(line);

describe("PageFrames", () => {
  it("serializes the lines after a seq once and hands the same frame to every caller", () => {
    const frames = new PageFrames(RUN, page);
    const first = frames.after(11)!;
    expect(JSON.parse(first.data.toString())).toEqual({ type: "lines", runId: RUN, lines: [line(12), line(13)] });
    expect(first).toMatchObject({ runId: RUN, firstSeq: 12, lastSeq: 13, count: 2 });
    expect(frames.after(11)).toBe(first);
    expect(frames.after(0)!.count).toBe(4);
    expect(frames.built).toBe(2);
  });

  it("has no frame for a seq at or past the page's end", () => {
    const frames = new PageFrames(RUN, page);
    expect(frames.after(13)).toBeNull();
    expect(frames.after(99)).toBeNull();
    expect(new PageFrames(RUN, []).after(0)).toBeNull();
    expect(frames.built).toBe(0);
  });
});
