import type pg from "pg";
import type { StepLogger } from "@/worker/engine/step-logger";
import { quoteIdent, withClient } from "./client";
import { describeSession, otherSessions } from "./sessions";

/**
 * Makes the source database read-only for every new session and ends the other sessions, so no
 * straggler can write after the dump starts. A client could still opt out with
 * SET default_transaction_read_only = off; well-behaved apps do not. Idempotent.
 */
export async function lockSourceReadOnly(sourceUrl: string, log: StepLogger): Promise<void> {
  await withClient(sourceUrl, async (client) => {
    const database = await currentDatabase(client);
    await client.query(`ALTER DATABASE ${quoteIdent(database)} SET default_transaction_read_only = on`);
    log.info(`source database ${database} is now read-only for new sessions`);
    await endOtherSessions(client, log);
  });
}

/** Makes the source writable again (rollback). Idempotent. */
export async function unlockSourceReadOnly(sourceUrl: string, log: StepLogger): Promise<void> {
  await withClient(sourceUrl, async (client) => {
    const database = await currentDatabase(client);
    await client.query(`ALTER DATABASE ${quoteIdent(database)} RESET default_transaction_read_only`);
    log.info(`source database ${database} accepts writes again (new sessions)`);
  });
}

/** Our own session starts read-only once the lock is on; the ALTER itself must still run. */
async function currentDatabase(client: pg.Client): Promise<string> {
  await client.query("SET default_transaction_read_only = off");
  const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
  return rows[0]!.db;
}

async function serverVersionNum(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(rows[0]!.v);
}

/** Sessions opened before the ALTER keep their old default; they must reconnect. */
async function endOtherSessions(client: pg.Client, log: StepLogger): Promise<void> {
  const sessions = await otherSessions(client);
  const failures: string[] = [];
  // With a timeout (PostgreSQL 14+) the call waits until the session is really gone.
  const terminate = (await serverVersionNum(client)) >= 140_000 ? "SELECT pg_terminate_backend($1, 5000)" : "SELECT pg_terminate_backend($1)";
  for (const session of sessions) {
    try {
      await client.query(terminate, [session.pid]);
      log.info(`ended session ${describeSession(session)}`);
    } catch (err) {
      failures.push(`pid ${session.pid} (${session.user}): ${(err as Error).message}`);
    }
  }
  if (failures.length) {
    throw new Error(`could not end ${failures.length} session(s) that could still write to the source: ${failures.join("; ")}`);
  }
  if (!sessions.length) log.info("no other sessions were connected to the source");
}
