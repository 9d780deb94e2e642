import { connect } from "@/lib/pg/connect";

/**
 * Holds a REPEATABLE READ transaction on the source and exports its snapshot, so a rehearsal's
 * dump and its verification both see one consistent state of a database that stays online.
 */
export async function holdSourceSnapshot(url: string): Promise<{ id: string; release(): Promise<void> }> {
  const client = await connect(url, { applicationName: "switchyard-snapshot" });
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
