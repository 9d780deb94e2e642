import type { StepLogger } from "@/worker/engine/step-logger";

const MB = 1e6;
const TICK_MS = 1_000;
const count = (n: number) => n.toLocaleString("en-US");

/**
 * The copy's progress in the step log: once a second while rows stream (tables done, rows and MB
 * moved, rate, time left), then how many indexes and key constraints are built; plus one line per
 * table when its rows are in and when its indexes are built.
 */
export function copyProgress(opts: { totalTables: number; estimatedBytes: number; totalObjects: number; log: StepLogger }) {
  const started = Date.now();
  let bytes = 0;
  let rows = 0;
  let tables = 0;
  let objects = 0;
  let analyzed = 0;
  let dataMs: number | null = null;
  // COPY moves more or fewer bytes than the pages hold; finished pieces tell by how much.
  const finished = { streamed: 0, estimated: 0 };
  const rate = () => bytes / MB / Math.max(0.001, (Date.now() - started) / 1000);
  const secondsLeft = () => {
    const expected = finished.estimated > 0 ? opts.estimatedBytes * (finished.streamed / finished.estimated) : opts.estimatedBytes;
    return Math.ceil(Math.max(0, expected - bytes) / MB / Math.max(rate(), 0.001));
  };
  const tick = () => {
    if (dataMs === null) {
      const eta = bytes > 0 ? `about ${secondsLeft()} s left` : "time left unknown";
      opts.log.info(`copy: ${tables}/${opts.totalTables} tables, ${count(rows)} rows, ${(bytes / MB).toFixed(1)} of ~${(opts.estimatedBytes / MB).toFixed(1)} MB, ${rate().toFixed(1)} MB/s, ${eta}`);
    } else {
      opts.log.info(`copy: ${objects}/${opts.totalObjects} indexes, keys and foreign keys built, ${analyzed}/${opts.totalTables} tables analyzed`);
    }
  };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  return {
    addBytes: (n: number) => void (bytes += n),
    addRows: (n: number) => void (rows += n),
    pieceDone(streamed: number, estimated: number) {
      finished.streamed += streamed;
      finished.estimated += estimated;
    },
    tableDone(name: string, tableRows: number, tableBytes: number, ms: number) {
      tables += 1;
      opts.log.info(`copy: ${name} done, ${count(tableRows)} rows, ${(tableBytes / MB).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s`);
    },
    /** Every row is in; returns how long that took. */
    dataDone(totalRows: number): number {
      dataMs = Date.now() - started;
      rows = totalRows;
      opts.log.info(`copy: finished ${tables} tables, ${count(rows)} rows, ${(bytes / MB).toFixed(1)} MB in ${(dataMs / 1000).toFixed(1)} s (${rate().toFixed(1)} MB/s)`);
      return dataMs;
    },
    objectDone: () => void (objects += 1),
    keysBuilt(name: string, n: number, ms: number) {
      opts.log.info(`copy: ${name}: ${n} ${n === 1 ? "index or key" : "indexes and keys"} built in ${(ms / 1000).toFixed(1)} s`);
    },
    analyzedOne: () => void (analyzed += 1),
    stop: () => clearInterval(timer),
  };
}

export type CopyProgress = ReturnType<typeof copyProgress>;
