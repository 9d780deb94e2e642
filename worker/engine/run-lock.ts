import type pg from "pg";

export interface RunLock {
  release(): Promise<void>;
}

/**
 * One worker at a time per run: a session advisory lock held on a dedicated connection for the
 * whole execution. If the worker dies, PostgreSQL drops the session and with it the lock.
 */
export async function tryLockRun(pool: pg.Pool, runId: string): Promise<RunLock | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 7)) AS locked", [runId]);
    if (!rows[0]!.locked) {
      client.release();
      return null;
    }
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  return {
    async release() {
      try {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 7))", [runId]);
        client.release();
      } catch (err) {
        // A broken connection has dropped the lock already; do not return it to the pool.
        client.release(err as Error);
      }
    },
  };
}
