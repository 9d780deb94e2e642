import pg from "pg";

/** Rows inserted, updated or deleted so far in a database's user tables (cumulative statistics). */
export async function rowWriteCounter(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint AS n FROM pg_stat_user_tables",
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}
