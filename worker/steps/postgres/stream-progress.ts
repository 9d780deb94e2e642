import type { StepLogger } from "@/worker/engine/step-logger";

const MB = 1e6;
const TICK_MS = 1_000;

/**
 * Progress of the data phase, logged once a second: tables done, MB moved against the estimate,
 * the rate and the time left; plus one line per finished table.
 */
export function streamProgress(opts: { totalTables: number; estimatedBytes: number; log: StepLogger }) {
  const started = Date.now();
  let bytes = 0;
  let tables = 0;
  let rows = 0;
  const rate = () => bytes / MB / Math.max(0.001, (Date.now() - started) / 1000);
  const tick = () => {
    const left = Math.max(0, opts.estimatedBytes - bytes) / MB / Math.max(rate(), 0.001);
    opts.log.info(
      `copy: ${tables}/${opts.totalTables} tables, ${(bytes / MB).toFixed(1)} of ~${(opts.estimatedBytes / MB).toFixed(1)} MB, ${rate().toFixed(1)} MB/s, ETA ${bytes > 0 ? `${Math.ceil(left)} s` : "unknown"}`,
    );
  };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  return {
    addBytes: (n: number) => (bytes += n),
    tableDone(name: string, tableRows: number, tableBytes: number, ms: number) {
      tables += 1;
      rows += tableRows;
      opts.log.info(`copy: ${name} done, ${tableRows.toLocaleString("en-US")} rows, ${(tableBytes / MB).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s`);
    },
    finish() {
      clearInterval(timer);
      const seconds = (Date.now() - started) / 1000;
      opts.log.info(`copy: finished ${tables} tables, ${rows.toLocaleString("en-US")} rows, ${(bytes / MB).toFixed(1)} MB in ${seconds.toFixed(1)} s (${rate().toFixed(1)} MB/s)`);
      return { ms: Date.now() - started };
    },
    stop: () => clearInterval(timer),
  };
}
