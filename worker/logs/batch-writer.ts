import type pg from "pg";
import type { Logger } from "@/lib/log";
import type { PendingLine, RunQueue } from "./run-queue";
import { batchWasStored, CommitUnknownError, isPermanent, writeBatch } from "./write-batch";

export type WriteOutcome = { kind: "stored"; lastSeq: number } | { kind: "dropped" } | { kind: "retry" };

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/** Writes batches for the LogWriter, turning database trouble into "retry later" or a counted drop. */
export class BatchWriter {
  readonly counters = { written: 0, batches: 0, dropped: 0, failures: 0 };
  private consecutiveFailures = 0;
  // node-pg emits "error" on the pool when an idle connection dies (server restart,
  // pg_terminate_backend); without a listener that would crash the worker.
  private readonly onIdleError = (err: Error) => this.log.warn(`log writer: idle connection lost (${err.message})`);

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
  ) {
    pool.on("error", this.onIdleError);
  }

  detach(): void {
    this.pool.off("error", this.onIdleError);
  }

  /** "stored" with the batch's last seq, "dropped" when it can never be stored, "retry" after a transient failure. */
  async write(queue: RunQueue, batch: PendingLine[], onCommitting?: (lastSeq: number) => void): Promise<WriteOutcome> {
    try {
      const unknown = queue.unknownCommitLastSeq;
      if (unknown !== null && (await batchWasStored(this.pool, queue.runId, unknown, batch))) return this.stored(batch, unknown);
      const result = await writeBatch(this.pool, queue.runId, batch, onCommitting);
      if (result.kind === "no-run") return this.drop(queue.runId, batch, "the run does not exist");
      return this.stored(batch, result.lastSeq);
    } catch (err) {
      if (err instanceof CommitUnknownError) queue.unknownCommitLastSeq = err.lastSeq;
      if (isPermanent(err)) return this.drop(queue.runId, batch, (err as Error).message);
      this.failed(err as Error, queue.pending);
      return { kind: "retry" };
    }
  }

  /** Waits before the next attempt: 100 ms doubling up to 5 s. */
  backoff(): Promise<void> {
    const ms = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, this.consecutiveFailures - 1));
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private stored(batch: PendingLine[], lastSeq: number): WriteOutcome {
    if (this.consecutiveFailures > 0) this.log.info(`log writer: database reachable again after ${this.consecutiveFailures} failed attempt(s)`);
    this.consecutiveFailures = 0;
    this.counters.written += countAppended(batch);
    this.counters.batches += 1;
    return { kind: "stored", lastSeq };
  }

  private drop(runId: string, batch: PendingLine[], why: string): WriteOutcome {
    this.counters.dropped += countAppended(batch);
    this.log.error(`log writer: dropped ${batch.length} line(s) of run ${runId}: ${why}`);
    return { kind: "dropped" };
  }

  private failed(err: Error, pending: number): void {
    this.counters.failures += 1;
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures === 1 || this.consecutiveFailures % 20 === 0) {
      this.log.warn(`log writer: write failed (${err.message}); ${pending} line(s) kept, retrying`);
    }
  }
}

function countAppended(batch: PendingLine[]): number {
  return batch.filter((l) => !l.marker).length;
}
