import pg from "pg";

/**
 * Holds a REPEATABLE READ transaction on the source and exports its snapshot, so a rehearsal's
 * dump and its verification both see one consistent state of a database that stays online.
 */
export async function holdSourceSnapshot(url: string): Promise<{ id: string; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: "switchyard-snapshot" });
  await client.connect();
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const { rows } = await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
  return {
    id: rows[0]!.id,
    async release() {
      await client.query("COMMIT").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
