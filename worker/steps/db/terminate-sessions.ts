import { connect } from "@/lib/pg/connect";

/**
 * Ends sessions a killed worker's pg_dump/pg_restore left behind (they run as application
 * "switchyard"), so a restarted copy does not race an orphaned restore into the same target.
 */
export async function terminateOrphanedToolSessions(url: string): Promise<number> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'switchyard' AND pid <> pg_backend_pid()`,
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}
