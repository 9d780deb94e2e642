import type { WireLine } from "./protocol";

/** Most lines a feed keeps from this process's writer; anything older is read from the database. */
const MAX_RECENT = 10_000;

/**
 * Lines of one run that this process's LogWriter just committed, kept as one contiguous seq range
 * so the feed can stream them without reading them back. A batch that does not continue the range
 * (another worker's lines came in between) starts a new one; the gap is read from the database.
 */
export class RecentLines {
  private lines: WireLine[] = [];

  add(batch: readonly WireLine[]): void {
    if (batch.length === 0) return;
    const last = this.lines[this.lines.length - 1];
    this.lines = last && batch[0]!.seq === last.seq + 1 ? this.lines.concat(batch) : batch.slice();
    if (this.lines.length > MAX_RECENT) this.lines = this.lines.slice(this.lines.length - MAX_RECENT);
  }

  /**
   * Up to `limit` lines from seq + 1 on, or null when the range cannot say what comes after `seq`
   * (it starts later, or ends at or before it: newer lines may exist that only a read can find).
   */
  after(seq: number, limit: number): WireLine[] | null {
    const first = this.lines[0];
    const last = this.lines[this.lines.length - 1];
    if (!first || !last || seq + 1 < first.seq || seq >= last.seq) return null;
    const start = seq + 1 - first.seq;
    return this.lines.slice(start, start + limit);
  }

  /** Forgets the lines up to `seq`: every live session has them. */
  dropThrough(seq: number): void {
    const first = this.lines[0];
    if (!first || seq < first.seq) return;
    this.lines = this.lines.slice(Math.min(this.lines.length, seq + 1 - first.seq));
  }
}
