import type pg from "pg";
import type { WireLine } from "./protocol";

interface LineRow {
  seq: number;
  stream: WireLine["stream"];
  text: string;
  at: Date;
  step_run_id: string | null;
}

/** Up to `limit` stored lines of a run with seq > afterSeq, in seq order. */
export async function readLinesAfter(pool: pg.Pool, runId: string, afterSeq: number, limit: number): Promise<WireLine[]> {
  const { rows } = await pool.query<LineRow>(
    `SELECT seq, stream::text AS stream, text, created_at AS at, step_run_id
       FROM log_lines WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [runId, afterSeq, limit],
  );
  return rows.map((r) => ({ seq: r.seq, stream: r.stream, text: r.text, at: r.at.toISOString(), stepRunId: r.step_run_id }));
}

export interface RunStatus {
  runId: string;
  status: string;
  version: number;
}

export async function readRunStatuses(pool: pg.Pool, runIds: string[]): Promise<RunStatus[]> {
  if (runIds.length === 0) return [];
  const { rows } = await pool.query<{ id: string; status: string; version: number }>(
    `SELECT id, status::text AS status, version FROM cutover_runs WHERE id = ANY($1::uuid[])`,
    [runIds],
  );
  return rows.map((r) => ({ runId: r.id, status: r.status, version: r.version }));
}

/** The run's status, if it exists and belongs to the cutover the token was minted for. */
export async function readOwnedRunStatus(pool: pg.Pool, runId: string, cutoverId: string): Promise<RunStatus | null> {
  const { rows } = await pool.query<{ status: string; version: number }>(
    `SELECT status::text AS status, version FROM cutover_runs WHERE id = $1 AND cutover_id::text = $2`,
    [runId, cutoverId],
  );
  return rows[0] ? { runId, status: rows[0].status, version: rows[0].version } : null;
}
