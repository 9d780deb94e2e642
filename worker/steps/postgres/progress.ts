import type { StepLogger } from "@/worker/engine/step-logger";
import { formatBytes, formatDuration, formatRate } from "./format";

export type CopyPhase = "dump" | "restore";

export interface ProgressOptions {
  phase: CopyPhase;
  jobs: number;
  totalTables: number;
  /** An estimate: the source's table sizes. */
  totalBytes: number;
  log: StepLogger;
  /** Bytes moved so far, given the tables whose data has started (e.g. the dump dir's size). */
  measure: (startedTables: readonly string[]) => number | Promise<number>;
  intervalMs?: number;
}

export interface PhaseSummary {
  tables: number;
  bytes: number;
  ms: number;
}

// What pg_dump -v / pg_restore -v print as table data starts and (in parallel mode) finishes.
const STARTED: Record<CopyPhase, RegExp> = {
  dump: /dumping contents of table "(.+)"$/,
  restore: /processing data for table "(.+)"$/,
};
const FINISHED = /finished item \d+ TABLE DATA /;
const POST_DATA = /creating (INDEX|CONSTRAINT|FK CONSTRAINT|TRIGGER) /;

/** Parses a phase's verbose output and logs a progress line every couple of seconds. */
export function trackProgress(opts: ProgressOptions) {
  const started: string[] = [];
  let finished = 0;
  let built = 0;
  let busy = false;
  const begin = Date.now();
  const tablesDone = () => Math.min(opts.totalTables, opts.jobs > 1 ? finished : Math.max(0, started.length - 1));

  const report = async () => {
    if (busy) return; // a slow directory scan must not pile up
    busy = true;
    try {
      const bytes = await opts.measure(started);
      opts.log.info(progressLine({ ...opts, done: tablesDone(), built, bytes, elapsed: Date.now() - begin }));
    } finally {
      busy = false;
    }
  };
  opts.log.info(`${opts.phase}: starting, ${opts.totalTables} tables, about ${formatBytes(opts.totalBytes)} of table data`);
  const timer = setInterval(() => void report().catch(() => undefined), opts.intervalMs ?? 2_000);

  return {
    onLine(line: string) {
      const table = STARTED[opts.phase].exec(line)?.[1];
      if (table) started.push(table);
      else if (FINISHED.test(line)) finished++;
      else if (POST_DATA.test(line)) built++;
    },
    /** Stops the ticker; on success logs and returns the phase's totals. */
    async stop(succeeded: boolean): Promise<PhaseSummary> {
      clearInterval(timer);
      const summary = { tables: started.length, bytes: await opts.measure(started), ms: Date.now() - begin };
      if (succeeded) {
        opts.log.info(
          `${opts.phase}: finished ${summary.tables} tables, ${formatBytes(summary.bytes)} in ${formatDuration(summary.ms)} (${formatRate(summary.bytes, summary.ms)})`,
        );
      }
      return summary;
    },
  };
}

interface LineFacts extends ProgressOptions {
  done: number;
  built: number;
  bytes: number;
  elapsed: number;
}

function progressLine(f: LineFacts): string {
  const approx = f.phase === "restore" ? "~" : "";
  const parts = [
    `${f.phase}: ${f.done}/${f.totalTables} tables`,
    `${approx}${formatBytes(f.bytes)} of ~${formatBytes(f.totalBytes)}`,
    formatRate(f.bytes, f.elapsed),
    eta(f),
  ];
  if (f.built > 0) parts.push(`${f.built} indexes/constraints built`);
  return parts.join(", ");
}

function eta({ bytes, totalBytes, elapsed, phase }: LineFacts): string {
  const remaining = totalBytes - bytes;
  if (remaining <= 0) return phase === "restore" ? "last tables loading, then indexes and constraints" : "ETA any moment";
  if (bytes <= 0) return "ETA unknown";
  return `ETA ${formatDuration((remaining * elapsed) / bytes)}`;
}
