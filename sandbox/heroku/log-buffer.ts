// One app's recent log lines in memory, as Logplex keeps them: what log sessions read, filtered
// by dyno and source, and followed (tail) as new lines arrive.

export type LogSource = "app" | "heroku";

export interface LogLine {
  seq: number;
  at: string;
  source: LogSource;
  dyno: string;
  text: string;
}

export interface LogFilter {
  /** A dyno name (`run.1234`) or a process type (`run`, `web`). */
  dyno?: string;
  source?: LogSource;
}

export interface FollowOptions {
  /** How many matching lines from before the session to send first. */
  lines: number;
  tail: boolean;
  signal: AbortSignal;
}

const DEFAULT_CAPACITY = 10_000;
// Names of finished dynos remembered so a late tail still ends; older ones are forgotten.
const MAX_ENDED = 1_000;

/** The log file's and the log session's line format: `<iso> app[run.1234]: text`. */
export function formatLogLine(line: Omit<LogLine, "seq">): string {
  return `${line.at} ${line.source}[${line.dyno}]: ${line.text}\n`;
}

export function matchesFilter(line: LogLine, filter: LogFilter): boolean {
  if (filter.source && line.source !== filter.source) return false;
  if (!filter.dyno) return true;
  return line.dyno === filter.dyno || line.dyno.startsWith(`${filter.dyno}.`);
}

export class LogBuffer {
  private lines: LogLine[] = [];
  private nextSeq = 1;
  /** Finished dyno → the last seq before it ended. */
  private ended = new Map<string, number>();
  private waiters = new Set<() => void>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  append(line: Omit<LogLine, "seq">): LogLine {
    const stored = { seq: this.nextSeq++, ...line };
    this.lines.push(stored);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    this.wake();
    return stored;
  }

  /** A dyno of this name starts (names are reused once forgotten): tails of it wait for its end again. */
  begin(dyno: string): void {
    this.ended.delete(dyno);
  }

  /** No more lines will come from this dyno: tails that follow only it may end. */
  end(dyno: string): void {
    this.ended.set(dyno, this.nextSeq - 1);
    if (this.ended.size > MAX_ENDED) this.ended.delete(this.ended.keys().next().value!);
    this.wake();
  }

  /** The last `count` lines matching the filter, oldest first. */
  recent(filter: LogFilter, count: number): LogLine[] {
    const found: LogLine[] = [];
    for (let i = this.lines.length - 1; i >= 0 && found.length < count; i--) {
      if (matchesFilter(this.lines[i]!, filter)) found.push(this.lines[i]!);
    }
    return found.reverse();
  }

  /** Formatted text, one chunk per batch: the backlog, then (tail) new lines until the dyno ends or the signal aborts. */
  async *follow(filter: LogFilter, opts: FollowOptions): AsyncGenerator<string> {
    const backlog = this.recent(filter, opts.lines);
    let cursor = this.nextSeq - 1;
    if (backlog.length > 0) yield backlog.map(formatLogLine).join("");
    while (opts.tail && !opts.signal.aborted) {
      // A dyno's final lines are appended before it is ended; nothing after that belongs to it.
      const endSeq = filter.dyno === undefined ? undefined : this.ended.get(filter.dyno);
      const fresh = this.since(cursor).filter((l) => matchesFilter(l, filter) && (endSeq === undefined || l.seq <= endSeq));
      cursor = this.nextSeq - 1;
      if (fresh.length > 0) yield fresh.map(formatLogLine).join("");
      if (endSeq !== undefined) return;
      await this.changed(opts.signal);
    }
  }

  private since(seq: number): LogLine[] {
    const first = this.lines[0]?.seq ?? this.nextSeq;
    return this.lines.slice(Math.max(0, seq + 1 - first));
  }

  private changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
