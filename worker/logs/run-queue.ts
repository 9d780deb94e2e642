/** The `LogStream` enum of log_lines.stream. */
export type LogStream = "stdout" | "stderr" | "system";

export interface PendingLine {
  /** Global append order, so overflow drops the oldest line of any run and flush() knows what "so far" is. */
  n: number;
  stepRunId: string | null;
  stream: LogStream;
  text: string;
  at: Date;
  /** The "[n lines dropped]" line: stored like any other, but not one of the appended lines. */
  marker?: true;
}

/**
 * One run's lines waiting to be stored. A batch, once taken, is retried as-is until it commits, so
 * its seq range and the "[n lines dropped]" marker inside it stay stable across outages.
 */
export class RunQueue {
  batch: PendingLine[] | null = null;
  /** Set when a COMMIT's outcome is unknown (connection lost mid-commit): verify before retrying. */
  unknownCommitLastSeq: number | null = null;
  private lines: PendingLine[] = [];
  private head = 0;
  private dropped = 0;
  private droppedLastN = 0;

  constructor(readonly runId: string) {}

  push(line: PendingLine): void {
    this.lines.push(line);
  }

  get queued(): number {
    return this.lines.length - this.head;
  }

  /** Lines still to store, counting a "[n lines dropped]" marker that is owed. */
  get pending(): number {
    return this.queued + (this.batch?.length ?? 0) + (this.dropped > 0 ? 1 : 0);
  }

  /** The append number of the oldest line not yet stored, or Infinity. */
  oldestPendingN(): number {
    if (this.batch?.length) return this.batch[0]!.n;
    if (this.dropped > 0) return this.droppedLastN;
    return this.queued > 0 ? this.lines[this.head]!.n : Number.POSITIVE_INFINITY;
  }

  /** The oldest droppable line's append number (lines in a batch are not droppable). */
  oldestQueuedN(): number {
    return this.queued > 0 ? this.lines[this.head]!.n : Number.POSITIVE_INFINITY;
  }

  dropOldest(): void {
    const line = this.lines[this.head]!;
    this.head += 1;
    this.dropped += 1;
    this.droppedLastN = line.n;
    this.compact();
  }

  /** The batch to write next: the one that failed last time, or up to `max` new lines and about `maxChars` of text. */
  takeBatch(max: number, maxChars = Number.POSITIVE_INFINITY): PendingLine[] {
    if (this.batch) return this.batch;
    let end = this.head;
    for (let chars = 0; end < this.lines.length && end - this.head < max && (end === this.head || chars < maxChars); end += 1) {
      chars += this.lines[end]!.text.length;
    }
    const lines = this.lines.slice(this.head, end);
    this.head += lines.length;
    this.compact();
    if (this.dropped > 0) lines.unshift(this.droppedMarker());
    this.batch = lines;
    return lines;
  }

  batchStored(): void {
    this.batch = null;
    this.unknownCommitLastSeq = null;
  }

  private droppedMarker(): PendingLine {
    const text = `[${this.dropped} lines dropped]`;
    const marker = { n: this.droppedLastN, stepRunId: null, stream: "system" as const, text, at: new Date(), marker: true as const };
    this.dropped = 0;
    return marker;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }
}

/** Every run with lines waiting, keyed by run id. */
export class RunQueues {
  private readonly byRun = new Map<string, RunQueue>();

  for(runId: string): RunQueue {
    let queue = this.byRun.get(runId);
    if (!queue) this.byRun.set(runId, (queue = new RunQueue(runId)));
    return queue;
  }

  withPending(): RunQueue[] {
    return [...this.byRun.values()].filter((q) => q.pending > 0);
  }

  forgetIfEmpty(queue: RunQueue): void {
    if (queue.pending === 0) this.byRun.delete(queue.runId);
  }

  oldestPendingN(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const q of this.byRun.values()) oldest = Math.min(oldest, q.oldestPendingN());
    return oldest;
  }

  hasFullBatch(maxBatch: number): boolean {
    for (const q of this.byRun.values()) if (q.queued >= maxBatch) return true;
    return false;
  }

  /** Drops the oldest queued line of any run; false when only in-flight batches are left. */
  dropOldest(): boolean {
    let victim: RunQueue | undefined;
    for (const q of this.byRun.values()) if (!victim || q.oldestQueuedN() < victim.oldestQueuedN()) victim = q;
    if (!victim || victim.queued === 0) return false;
    victim.dropOldest();
    return true;
  }
}
