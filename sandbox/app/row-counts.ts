import type pg from "pg";

export interface RowCount {
  table: string;
  rows: number;
  estimated: boolean;
}

const SHOWN_TABLES = ["customers", "products", "orders", "order_items", "documents", "images", "page_writes", "worker_events"];

// count(*) over gigabytes would make the page too slow to serve as a smoke check, so large
// tables show the planner's estimate. Tables never analyzed (reltuples -1, e.g. right after a
// restore) are counted exactly, so a fresh copy never looks empty.
const EXACT_BELOW = 500_000;

/** Rows per table on the home page: exact for small tables, estimated for big ones. */
export async function countRows(pool: pg.Pool): Promise<RowCount[]> {
  const stats = await pool.query<{ relname: string; reltuples: number }>(
    `SELECT relname, reltuples FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname = ANY($1)`,
    [SHOWN_TABLES],
  );
  const estimates = new Map(stats.rows.map((r) => [r.relname, Number(r.reltuples)]));
  return Promise.all(SHOWN_TABLES.map(async (table) => {
    const estimate = estimates.get(table) ?? -1;
    if (estimate >= EXACT_BELOW) return { table, rows: Math.round(estimate), estimated: true };
    // The table name comes from the constant list above, never from a request.
    const exact = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return { table, rows: Number(exact.rows[0]!.n), estimated: false };
  }));
}
