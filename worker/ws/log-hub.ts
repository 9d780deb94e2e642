import type pg from "pg";
import type { Logger } from "@/lib/log";
import type { LogWriter } from "../logs/log-writer";
import { CLOSE, PAGE_SIZE, type WireLine } from "./protocol";
import { readLinesAfter, readOwnedRunStatus, readRunStatuses } from "./queries";
import { RunFeed } from "./run-feed";
import type { Session } from "./session";

/** This process's LogWriter, as the hub sees it. */
export type LocalLines = Pick<LogWriter, "onStored" | "isCommitting">;

/**
 * Subscriptions by run. A subscribe replays the stored lines after afterSeq page by page for that
 * session alone, then hands it to the run's feed, which continues from the session's lastSentSeq:
 * a line stored during the replay is either in a replay page or read by the feed, never both.
 */
export class LogHub {
  readonly counters = { subscribes: 0, notifications: 0, polls: 0, liveReads: 0, localPages: 0, liveFrames: 0, slowDrops: 0 };
  private readonly feeds = new Map<string, RunFeed>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly local?: LocalLines,
  ) {}

  get runs(): number {
    return this.feeds.size;
  }

  /** Replaces the session's subscription; closes 1008 when the run is not the token's cutover's. */
  subscribe(session: Session, runId: string, afterSeq: number): Promise<void> {
    const generation = ++session.generation;
    this.leave(session);
    this.counters.subscribes += 1;
    return this.track(this.startSubscription(session, runId, afterSeq, generation));
  }

  leave(session: Session): void {
    const feed = session.runId ? this.feeds.get(session.runId) : undefined;
    session.runId = null;
    if (!feed) return;
    feed.leave(session);
    if (feed.members.size === 0) this.feeds.delete(feed.runId);
  }

  tooSlow(session: Session): void {
    this.counters.slowDrops += 1;
    this.log.info(`log stream: dropped a slow client of run ${session.runId ?? "-"} (${session.ws.bufferedAmount} bytes queued)`);
    this.leave(session);
  }

  /** A `switchyard_logs` payload: "runId:lastSeq". */
  onLogsNotification(payload: string): void {
    this.counters.notifications += 1;
    const [runId = "", seqText] = payload.split(":");
    const seq = Number(seqText);
    // Our own writer's batch, notified before its COMMIT answered: onLocalLines brings it, no read.
    if (Number.isInteger(seq) && this.local?.isCommitting(runId, seq)) return;
    this.feeds.get(runId)?.wake(Number.isInteger(seq) ? seq : undefined);
  }

  /** Lines this process's LogWriter committed (the NOTIFY for them will find nothing left to read). */
  onLocalLines(runId: string, lines: WireLine[]): void {
    this.feeds.get(runId)?.offerLocal(lines);
  }

  /** A `switchyard_status` payload: the run id; the row says what changed. */
  onStatusNotification(runId: string): void {
    this.counters.notifications += 1;
    if (this.feeds.has(runId)) void this.track(this.refreshStatuses([runId], true));
  }

  /** The safety net for lost notifications: every watched run is read again. */
  poll(): void {
    this.counters.polls += 1;
    for (const feed of this.feeds.values()) feed.wake();
    void this.track(this.refreshStatuses([...this.feeds.keys()], false));
  }

  /** Resolves when no subscribe, replay or status read is running. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async startSubscription(session: Session, runId: string, afterSeq: number, generation: number): Promise<void> {
    const status = await readOwnedRunStatus(this.pool, runId, session.claims.cutoverId);
    if (generation !== session.generation || !session.open) return;
    if (!status) return session.close(CLOSE.policy, "run not found for this cutover");
    // From here to members.add nothing awaits: the session gets the newest known status now and
    // every later version through the feed, and the feed cannot vanish in between.
    const feed = this.feedFor(runId);
    feed.offerStatus(status, false);
    session.runId = runId;
    session.lastSentSeq = afterSeq;
    session.send(feed.statusMessage()!);
    feed.members.add(session);
    if (await this.replay(session, feed, generation)) feed.goLive(session);
  }

  /** True when the session is caught up (a page came back short) and still wants this run. */
  private async replay(session: Session, feed: RunFeed, generation: number): Promise<boolean> {
    for (;;) {
      const lines = await readLinesAfter(this.pool, feed.runId, session.lastSentSeq, PAGE_SIZE);
      if (generation !== session.generation || !session.open) return false;
      // Waiting for each page to reach the socket keeps a large replay from piling up in memory.
      await session.sendLinesAndWait(feed.runId, lines);
      if (lines.length < PAGE_SIZE) return generation === session.generation && session.open;
    }
  }

  private feedFor(runId: string): RunFeed {
    let feed = this.feeds.get(runId);
    if (feed) return feed;
    feed = new RunFeed(runId, { pool: this.pool, log: this.log, track: (p) => this.track(p), counters: this.counters });
    this.feeds.set(runId, feed);
    return feed;
  }

  private async refreshStatuses(runIds: string[], notified: boolean): Promise<void> {
    try {
      for (const status of await readRunStatuses(this.pool, runIds)) this.feeds.get(status.runId)?.offerStatus(status, notified);
    } catch (err) {
      this.log.warn(`log stream: reading run status failed (${(err as Error).message})`);
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }
}
