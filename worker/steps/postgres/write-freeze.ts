import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { StepLogger } from "@/worker/engine/step-logger";
import { withClient } from "./client";
import { describeSession, otherSessions, type ClientSession } from "./sessions";

export { lockSourceReadOnly, unlockSourceReadOnly } from "./read-only";
export type { ClientSession } from "./sessions";

export interface WriteFreezeOptions {
  sourceUrl: string;
  /** How long to watch; at least 2.5 s, since PostgreSQL 15 publishes row counts about once a second. */
  observeMs?: number;
  log: StepLogger;
  signal?: AbortSignal;
}

export interface WriteFreezeResult {
  ok: boolean;
  /** Rows inserted, updated or deleted during the window, by the statistics. */
  rowChanges: number;
  writingClients: ClientSession[];
  connectedClients: ClientSession[];
}

const MIN_OBSERVE_MS = 2_500;
// A statement that changes data; a session that finished one during the window is a writer.
const WRITE_STATEMENT = /\b(insert\s+into|update\s+\S+\s+set|delete\s+from|merge\s+into|truncate)\b|^\s*copy\s[^;]*\sfrom\s/i;

interface Sample {
  rowChanges: bigint;
  at: Date;
  sessions: ClientSession[];
}

// PostgreSQL 15 publishes a session's row counts at most once a second, and an idle session's
// last ones up to 10 s late: row changes no session is seen making may be earlier writes, counted late.
const LATE_STATISTICS_MS = 11_000;

/** Watches the source for a few seconds and shows it takes no writes (or who still writes). */
export async function proveWriteFreeze(opts: WriteFreezeOptions): Promise<WriteFreezeResult> {
  const observeMs = Math.max(MIN_OBSERVE_MS, opts.observeMs ?? 3_000);
  return withClient(opts.sourceUrl, async (client) => {
    const lastWindowBy = Date.now() + LATE_STATISTICS_MS;
    for (;;) {
      const start = await sample(client);
      opts.log.info(`write freeze: watching the source for ${(observeMs / 1000).toFixed(1)} s`);
      await sleep(observeMs, undefined, { signal: opts.signal });
      const result = judge(start, await sample(client));
      if (result.ok || result.writingClients.length > 0 || Date.now() > lastWindowBy) {
        logResult(result, opts.log);
        return result;
      }
      opts.log.info(`write freeze: ${result.rowChanges} row change(s), but no session is writing: possibly writes from before maintenance that PostgreSQL counted late; watching again`);
    }
  });
}

async function sample(client: pg.Client): Promise<Sample> {
  // Each query runs in its own transaction; clearing the snapshot makes sure none is reused.
  await client.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await client.query<{ changes: string; at: Date }>(
    "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text AS changes, clock_timestamp() AS at FROM pg_stat_user_tables",
  );
  return { rowChanges: BigInt(rows[0]!.changes), at: rows[0]!.at, sessions: await otherSessions(client) };
}

function judge(start: Sample, end: Sample): WriteFreezeResult {
  const writers = new Map<number, ClientSession>();
  for (const s of [...start.sessions, ...end.sessions]) if (s.holdsXid) writers.set(s.pid, s);
  // Autocommit writes hold a transaction id for a millisecond; their last statement gives them away.
  for (const s of end.sessions) {
    if (s.stateChange && s.stateChange > start.at && WRITE_STATEMENT.test(s.query)) writers.set(s.pid, s);
  }
  const rowChanges = Number(end.rowChanges - start.rowChanges);
  const writingClients = [...writers.values()].sort((a, b) => a.pid - b.pid);
  return { ok: rowChanges === 0 && writingClients.length === 0, rowChanges, writingClients, connectedClients: end.sessions };
}

function logResult(result: WriteFreezeResult, log: StepLogger): void {
  log.info(
    result.ok
      ? "write freeze: no row changes and no writing sessions on the source"
      : `write freeze: the source still takes writes: ${result.rowChanges} row change(s), ${result.writingClients.length} writing session(s)`,
  );
  for (const s of result.writingClients) log.info(`  writing: ${describeSession(s)}`);
  log.info(`write freeze: ${result.connectedClients.length} other client session(s) connected`);
  for (const s of result.connectedClients) log.info(`  connected: ${describeSession(s)}`);
}
