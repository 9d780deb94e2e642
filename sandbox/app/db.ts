import type pg from "pg";
import { createPool as createPgPool } from "@/lib/pg/connect";
import { HttpError } from "./http-kit";
import type { AppLog } from "./log";

/**
 * A small pool, like a hobby app's. Short timeouts so that while the database is away (a
 * cutover in progress) requests fail fast with 503 instead of hanging.
 */
export function createPool(url: string, log: AppLog): pg.Pool {
  const pool = createPgPool(url, { max: 5, connectTimeoutMs: 3_000, idleTimeoutMillis: 10_000, statementTimeoutMs: 10_000, applicationName: "switchyard-sample" });
  // An idle connection killed by the server (pg_terminate_backend, restart) must not crash us.
  pool.on("error", (err) => log.error(`database connection lost: ${err.message}`));
  return pool;
}

/** Runs `work` inside BEGIN … COMMIT; resolves only once COMMIT has succeeded. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    client.release(true); // a connection in an unknown state is dropped, not reused
    throw err;
  }
}

/** What the server itself says it is, to prove which database answered. */
export async function serverIdentity(pool: pg.Pool): Promise<{ database: string; port: number | null }> {
  const result = await pool.query<{ database: string; port: number | null }>(
    "SELECT current_database() AS database, inet_server_port() AS port",
  );
  return result.rows[0]!;
}

/** A database failure as one safe line (the caller redacts it again before showing it). */
export function describeDbError(err: unknown): string {
  const e = err as { message?: string; code?: string };
  const message = e.message || (e.code ? `connection failed (${e.code})` : "database unavailable");
  return message.split("\n")[0]!;
}

/** Any database failure becomes a 503 for the client: the app is fine, its database is not. */
export async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw new HttpError(503, `database unavailable: ${describeDbError(err)}`);
  }
}
