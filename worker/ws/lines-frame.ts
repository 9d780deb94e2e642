import type { WireLine } from "./protocol";

/** A "lines" message serialized once; every session that needs exactly these lines gets the same bytes. */
export interface LinesFrame {
  runId: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  data: Buffer;
}

export function linesFrame(runId: string, lines: WireLine[]): LinesFrame {
  return {
    runId,
    firstSeq: lines[0]!.seq,
    lastSeq: lines[lines.length - 1]!.seq,
    count: lines.length,
    data: Buffer.from(JSON.stringify({ type: "lines", runId, lines })),
  };
}

/**
 * The frames of one page read for a run, built on demand and shared: live sessions are almost
 * always at the same seq, so one page costs one JSON.stringify however many watch it.
 */
export class PageFrames {
  private readonly bySeq = new Map<number, LinesFrame | null>();
  /** How many frames were serialized. */
  built = 0;

  constructor(
    private readonly runId: string,
    private readonly lines: WireLine[],
  ) {}

  /** The lines after `seq` as one frame, or null when the page has none. */
  after(seq: number): LinesFrame | null {
    let frame = this.bySeq.get(seq);
    if (frame === undefined) {
      const start = this.lines.findIndex((l) => l.seq > seq);
      frame = start < 0 ? null : linesFrame(this.runId, start === 0 ? this.lines : this.lines.slice(start));
      if (frame) this.built += 1;
      this.bySeq.set(seq, frame);
    }
    return frame;
  }
}
