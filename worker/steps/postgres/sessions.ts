import type pg from "pg";
import { redact } from "@/lib/security/redact";

/** Another session connected to the same database, as pg_stat_activity shows it. */
export interface ClientSession {
  pid: number;
  application: string;
  /** null for a Unix-socket connection. */
  clientAddr: string | null;
  user: string;
  state: string | null;
  xactStart: Date | null;
  stateChange: Date | null;
  /** Holds a transaction id: it has written (or locked rows) in its open transaction. */
  holdsXid: boolean;
  /** The current or last statement, shortened and redacted. */
  query: string;
}

/** Every other client session of this database (not our own, not background workers). */
export async function otherSessions(client: pg.Client): Promise<ClientSession[]> {
  const { rows } = await client.query<{
    pid: number;
    application: string;
    client_addr: string | null;
    user: string;
    state: string | null;
    xact_start: Date | null;
    state_change: Date | null;
    holds_xid: boolean;
    query: string | null;
  }>(`
    SELECT pid, application_name AS application, host(client_addr) AS client_addr, usename AS "user", state,
           xact_start, state_change, backend_xid IS NOT NULL AS holds_xid, left(query, 300) AS query
      FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
     ORDER BY pid`);
  return rows.map((r) => ({
    pid: r.pid,
    application: r.application,
    clientAddr: r.client_addr,
    user: r.user,
    state: r.state,
    xactStart: r.xact_start,
    stateChange: r.state_change,
    holdsXid: r.holds_xid,
    // statements can carry literals such as ALTER ROLE … PASSWORD '…'
    query: redact((r.query ?? "").replace(/\s+/g, " ").trim().slice(0, 200)),
  }));
}

/** "pid 123 worker.1@10.0.0.5 as app (idle): INSERT INTO …" */
export function describeSession(s: ClientSession): string {
  const query = s.query ? `: ${s.query.slice(0, 120)}` : "";
  return `pid ${s.pid} ${s.application || "?"}@${s.clientAddr ?? "local"} as ${s.user} (${s.state ?? "unknown"})${query}`;
}
