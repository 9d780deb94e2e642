import type pg from "pg";
import { createLogger, type Logger } from "@/lib/log";
import { cleanStepRunId, prepareText, sortSecrets } from "./prepare-line";
import { RunQueues, type LogStream, type PendingLine, type RunQueue } from "./run-queue";
import { BatchWriter } from "./batch-writer";

export interface LogWriterOptions {
  /** How long a trickle of lines waits to share a transaction. */
  flushIntervalMs?: number;
  /** Lines per transaction at most. A backlog is written in batches this large, so a slow commit makes batches bigger rather than the backlog longer. */
  maxBatch?: number;
  /** Text per transaction at most (about; in UTF-16 code units), whatever maxBatch allows. */
  maxBatchChars?: number;
  maxBufferedLines?: number;
  log?: Logger;
}

export interface LogLineInput {
  stepRunId?: string | null;
  stream: LogStream;
  text: string;
}

/** A line as stored, with its seq: what the live stream would read back from log_lines. */
export interface StoredLine {
  seq: number;
  stream: LogStream;
  text: string;
  /** created_at as ISO 8601 (millisecond precision, as the column keeps it). */
  at: string;
  stepRunId: string | null;
}

/** Called with each batch this writer committed, in seq order, right after the commit. */
export type StoredListener = (runId: string, lines: StoredLine[]) => void;

export interface LogWriterStats {
  appended: number;
  /** Appended lines stored (a "[n lines dropped]" marker is not counted). */
  written: number;
  batches: number;
  dropped: number;
  buffered: number;
  failures: number;
}

/**
 * Buffers log lines per run and stores them in batches: each batch takes its seq range from the
 * run row and NOTIFYs in the same transaction. append() never waits for the database; while the
 * database is away lines stay buffered (oldest dropped past maxBufferedLines) and writes retry.
 */
export class LogWriter {
  private readonly queues = new RunQueues();
  private readonly secrets = new Map<string, string[]>();
  private readonly waiters: Array<{ target: number; resolve: () => void }> = [];
  private readonly listeners = new Set<StoredListener>();
  /** Per run, the last seq of the batch whose COMMIT is on its way. */
  private readonly committing = new Map<string, number>();
  private readonly batches: BatchWriter;
  private readonly log: Logger;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBatchChars: number;
  private readonly maxBufferedLines: number;
  private appended = 0;
  private buffered = 0;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private roundStartedAt = 0;
  private closed = false;

  constructor(pool: pg.Pool, options: LogWriterOptions = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxBatch = options.maxBatch ?? 5000;
    this.maxBatchChars = options.maxBatchChars ?? 4 * 1024 * 1024;
    this.maxBufferedLines = options.maxBufferedLines ?? 100_000;
    this.log = options.log ?? createLogger("log-writer");
    this.batches = new BatchWriter(pool, this.log);
  }

  /**
   * Hands every committed batch to `listener` (the worker's /ws, which then needs no read to
   * stream lines written in this process). Returns the unsubscribe function.
   */
  onStored(listener: StoredListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * True while this writer waits for the COMMIT of the run's batch ending at `seq`. A NOTIFY for
   * that batch can race the COMMIT's answer; its lines reach onStored listeners right after.
   */
  isCommitting(runId: string, seq: number): boolean {
    return this.committing.get(runId) === seq;
  }

  /** Literal values masked in every later line of this run (passwords, tokens, URLs). */
  registerSecrets(runId: string, values: readonly string[]): void {
    this.secrets.set(runId, sortSecrets([...(this.secrets.get(runId) ?? []), ...values]));
  }

  /** Forget a finished run's secrets; lines appended earlier were redacted already. */
  forgetSecrets(runId: string): void {
    this.secrets.delete(runId);
  }

  append(runId: string, input: LogLineInput): void {
    if (this.closed) throw new Error("the log writer is closed");
    const text = prepareText(input.text, this.secrets.get(runId) ?? []);
    const line = { n: ++this.appended, stepRunId: cleanStepRunId(input.stepRunId), stream: input.stream, text, at: new Date() };
    const queue = this.queues.for(runId);
    queue.push(line);
    this.buffered += 1;
    this.enforceLimit();
    this.schedule(queue.queued >= this.maxBatch ? 0 : this.flushIntervalMs);
  }

  /** Resolves once every line appended before the call is stored (or was dropped). */
  flush(): Promise<void> {
    const target = this.appended;
    if (this.queues.oldestPendingN() > target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.schedule(0);
    return done;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
    this.batches.detach();
  }

  stats(): LogWriterStats {
    return { appended: this.appended, buffered: this.buffered, ...this.batches.counters };
  }

  private enforceLimit(): void {
    while (this.buffered > this.maxBufferedLines && this.queues.dropOldest()) {
      this.buffered -= 1;
      this.batches.counters.dropped += 1;
    }
  }

  private schedule(delayMs: number): void {
    if (this.draining) return; // the drain loop looks at the queues again when it finishes
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draining = this.drain().finally(() => this.afterDrain());
    }, delayMs);
  }

  // The interval runs from the start of the last round, not its end: under a steady flow whose
  // commits take longer than the interval, batches go back to back (and grow) instead of waiting.
  private afterDrain(): void {
    this.draining = null;
    if (this.queues.withPending().length === 0 || this.closed) return;
    this.schedule(this.urgent() ? 0 : Math.max(0, this.flushIntervalMs - (Date.now() - this.roundStartedAt)));
  }

  // Writes rounds (every run with pending lines, in parallel) until nothing urgent is left;
  // a trickle of lines then waits for the next tick, so batches stay large under load.
  private async drain(): Promise<void> {
    for (;;) {
      this.roundStartedAt = Date.now();
      const results = await Promise.all(this.queues.withPending().map((q) => this.writeQueue(q)));
      this.settleWaiters();
      if (results.some((ok) => !ok)) await this.batches.backoff();
      else if (!this.urgent()) return;
    }
  }

  private async writeQueue(queue: RunQueue): Promise<boolean> {
    const batch = queue.takeBatch(this.maxBatch, this.maxBatchChars);
    const outcome = await this.batches.write(queue, batch, (lastSeq) => this.committing.set(queue.runId, lastSeq));
    this.committing.delete(queue.runId);
    if (outcome.kind === "retry") return false;
    this.buffered -= batch.filter((l) => !l.marker).length;
    queue.batchStored();
    this.queues.forgetIfEmpty(queue);
    if (outcome.kind === "stored") this.announce(queue.runId, batch, outcome.lastSeq);
    return true;
  }

  private announce(runId: string, batch: PendingLine[], lastSeq: number): void {
    if (this.listeners.size === 0) return;
    const lines = storedLines(batch, lastSeq);
    for (const listener of this.listeners) {
      try {
        listener(runId, lines);
      } catch (err) {
        this.log.warn(`log writer: a stored-lines listener failed (${(err as Error).message})`);
      }
    }
  }

  private urgent(): boolean {
    return this.waiters.length > 0 || this.queues.hasFullBatch(this.maxBatch);
  }

  private settleWaiters(): void {
    const oldest = this.queues.oldestPendingN();
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      if (this.waiters[i]!.target < oldest) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }
}

// The same values the INSERT stored: seq = lastSeq - n + ordinal, created_at at millisecond
// precision, and the step run id as PostgreSQL prints a uuid.
function storedLines(batch: PendingLine[], lastSeq: number): StoredLine[] {
  const first = lastSeq - batch.length + 1;
  return batch.map((l, i) => ({ seq: first + i, stream: l.stream, text: l.text, at: l.at.toISOString(), stepRunId: l.stepRunId?.toLowerCase() ?? null }));
}
