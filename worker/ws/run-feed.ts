import type pg from "pg";
import type { Logger } from "@/lib/log";
import { PageFrames } from "./lines-frame";
import { PAGE_SIZE, type ServerMessage, type WireLine } from "./protocol";
import { readLinesAfter, type RunStatus } from "./queries";
import { RecentLines } from "./recent-lines";
import type { Session } from "./session";

export interface FeedDeps {
  pool: pg.Pool;
  log: Logger;
  /** Registers background work, so shutting down can wait for it. */
  track(work: Promise<void>): Promise<void>;
  counters: { liveReads: number; localPages: number; liveFrames: number };
}

/**
 * Everyone watching one run. Live sessions are served by one pump: it takes the lines after the
 * lowest lastSentSeq among them once (from what this process's writer just committed, else one
 * read), serializes each distinct part once, and each session gets the part it has not had.
 * Pumps never overlap; wake-ups during a pump coalesce into one more pass.
 */
export class RunFeed {
  /** Sessions caught up with the stored lines, fed by the pump. */
  readonly live = new Set<Session>();
  /** Every session subscribed to this run, replaying or live (status messages go to all). */
  readonly members = new Set<Session>();
  status: RunStatus | null = null;
  /** Lines this process's writer committed, served to live sessions without a read. */
  private readonly recent = new RecentLines();
  private pumping = false;
  private again = false;

  constructor(
    readonly runId: string,
    private readonly deps: FeedDeps,
  ) {}

  /** A session that finished its replay; the pump takes it from its lastSentSeq. */
  goLive(session: Session): void {
    if (!this.members.has(session)) return;
    this.live.add(session);
    this.wake();
  }

  leave(session: Session): void {
    this.members.delete(session);
    this.live.delete(session);
  }

  /** A batch this process's LogWriter just committed: live sessions get it without a read. */
  offerLocal(lines: WireLine[]): void {
    if (lines.length === 0) return;
    this.recent.add(lines);
    this.wake(lines[lines.length - 1]!.seq);
  }

  /** `storedThrough` (from a NOTIFY payload) skips the read when every live session has it. */
  wake(storedThrough?: number): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    if (this.live.size === 0) return;
    if (storedThrough !== undefined && this.lowestSent() >= storedThrough) return;
    void this.deps.track(this.pump());
  }

  /**
   * Records the run's status. A poll announces only a newer version; a NOTIFY also re-announces
   * the same version, because step transitions notify too and the page should refresh then.
   */
  offerStatus(next: RunStatus, notified: boolean): void {
    const known = this.status;
    if (known && (notified ? next.version < known.version : next.version <= known.version)) return;
    this.status = next;
    if (!notified && !known) return; // a first reading is only the baseline
    const message = this.statusMessage()!;
    for (const s of this.members) s.send(message);
  }

  statusMessage(): ServerMessage | null {
    return this.status && { type: "status", runId: this.runId, status: this.status.status, version: this.status.version };
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        await this.pumpOnce();
      } while (this.again && this.live.size > 0);
    } catch (err) {
      // The 2-second poll wakes this feed again; nothing is lost, only delayed.
      this.deps.log.warn(`log stream: reading lines of run ${this.runId} failed (${(err as Error).message})`);
    } finally {
      this.pumping = false;
    }
  }

  private async pumpOnce(): Promise<void> {
    const after = this.lowestSent();
    const local = this.recent.after(after, PAGE_SIZE);
    const lines = local ?? (await readLinesAfter(this.deps.pool, this.runId, after, PAGE_SIZE));
    if (local) this.deps.counters.localPages += 1;
    else this.deps.counters.liveReads += 1;
    if (lines.length === PAGE_SIZE) this.again = true;
    const frames = new PageFrames(this.runId, lines);
    for (const session of this.live) {
      if (!session.open) this.leave(session); // closing: it must not hold the others back
      // Joined while we were reading, further back than this page starts: next pass.
      else if (session.lastSentSeq < after) this.again = true;
      else {
        const frame = frames.after(session.lastSentSeq);
        if (frame) session.sendFrame(frame);
      }
    }
    this.deps.counters.liveFrames += frames.built;
    this.recent.dropThrough(this.lowestSent());
  }

  private lowestSent(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const s of this.live) lowest = Math.min(lowest, s.lastSentSeq);
    return lowest;
  }
}
