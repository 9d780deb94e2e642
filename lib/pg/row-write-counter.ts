import { withClient } from "./connect";

/** Rows inserted, updated or deleted so far in a database's user tables (cumulative statistics). */
export async function rowWriteCounter(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint AS n FROM pg_stat_user_tables",
    );
    return Number(rows[0]!.n);
  });
}
