import type pg from "pg";
import { LOGS_CHANNEL } from "@/lib/run/channels";
import type { PendingLine } from "./run-queue";

export type BatchResult = { kind: "stored"; lastSeq: number } | { kind: "no-run" };

/** Thrown when the connection died after COMMIT was sent: the batch may or may not be stored. */
export class CommitUnknownError extends Error {
  constructor(readonly lastSeq: number, cause: unknown) {
    super(`connection lost during COMMIT (${(cause as Error).message})`);
  }
}

// Seq numbers come from the run row, locked by the UPDATE until COMMIT: two writers (or two
// workers) for one run take consecutive ranges, and lines become visible in seq order. One
// statement takes the range, inserts and NOTIFYs: a batch costs three round trips, not five.
const STORE_LINES = `
  WITH taken AS (
    UPDATE cutover_runs SET last_log_seq = last_log_seq + $2 WHERE id = $1 RETURNING last_log_seq
  ), inserted AS (
    INSERT INTO log_lines (run_id, step_run_id, seq, stream, text, created_at)
    SELECT $1::uuid, u.step_run_id, taken.last_log_seq - $2::int + u.ord::int, u.stream::"LogStream", u.text, u.created_at
    FROM taken, unnest($3::uuid[], $4::text[], $5::text[], $6::timestamptz[])
      WITH ORDINALITY AS u(step_run_id, stream, text, created_at, ord)
  )
  SELECT last_log_seq, pg_notify('${LOGS_CHANNEL}', $1::text || ':' || last_log_seq::text) FROM taken`;

/**
 * Stores one run's batch in one transaction and NOTIFYs `runId:lastSeq` (delivered on commit).
 * `onCommitting` hears the seq range's end just before COMMIT is sent.
 */
export async function writeBatch(pool: pg.Pool, runId: string, lines: PendingLine[], onCommitting?: (lastSeq: number) => void): Promise<BatchResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no pool listener: a dying connection between two queries would
  // otherwise be an uncaught "error" event. The next query fails and says so anyway.
  const onError = (err: Error) => (broken = err);
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const taken = await client.query<{ last_log_seq: number }>(STORE_LINES, [runId, lines.length, ...columns(lines)]);
    if (taken.rowCount === 0) {
      await client.query("ROLLBACK");
      return { kind: "no-run" };
    }
    const lastSeq = taken.rows[0]!.last_log_seq;
    onCommitting?.(lastSeq);
    await commit(client, lastSeq);
    return { kind: "stored", lastSeq };
  } catch (err) {
    broken = err as Error;
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.off("error", onError);
    // A connection that failed mid-transaction is discarded rather than returned to the pool.
    client.release(broken);
  }
}

async function commit(client: pg.PoolClient, lastSeq: number): Promise<void> {
  try {
    await client.query("COMMIT");
  } catch (err) {
    // A SQLSTATE outside "connection" (08) and "operator intervention" (57) means the server
    // refused the commit; anything else (socket errors, a terminated backend) leaves it unknown.
    const code = String((err as { code?: unknown }).code ?? "");
    if (/^[0-9A-Z]{5}$/.test(code) && !/^(08|57)/.test(code)) throw err;
    throw new CommitUnknownError(lastSeq, err);
  }
}

function columns(lines: PendingLine[]): [Array<string | null>, string[], string[], string[]] {
  return [
    lines.map((l) => l.stepRunId),
    lines.map((l) => l.stream),
    lines.map((l) => l.text),
    lines.map((l) => l.at.toISOString()),
  ];
}

/** After a CommitUnknownError: is the batch's last line at its seq? Then the commit happened. */
export async function batchWasStored(pool: pg.Pool, runId: string, lastSeq: number, lines: PendingLine[]): Promise<boolean> {
  const last = lines[lines.length - 1]!;
  const { rowCount } = await pool.query(
    `SELECT 1 FROM log_lines WHERE run_id = $1 AND seq = $2 AND text = $3 AND created_at = $4::timestamptz`,
    [runId, lastSeq, last.text, last.at.toISOString()],
  );
  return (rowCount ?? 0) > 0;
}

/** Errors that will not go away by retrying the same batch (bad data, missing column …). */
export function isPermanent(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && /^(22|23|42)/.test(code);
}
