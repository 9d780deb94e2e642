import type pg from "pg";

/** Counts of the objects a cutover must carry over, in non-system schemas. */
export interface ObjectCounts {
  tables: number;
  indexes: number;
  constraints: number;
  views: number;
  functions: number;
  sequences: number;
}

export const OBJECT_KINDS = ["tables", "indexes", "constraints", "views", "functions", "sequences"] as const;

// Non-system schemas; objects that belong to an extension are left out, since CREATE EXTENSION
// brings them back and an RDS database may come with extensions already installed.
const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

const COUNT_OBJECTS = `
SELECT
  count(*) FILTER (WHERE c.relkind IN ('r', 'p'))::int AS tables,
  count(*) FILTER (WHERE c.relkind IN ('i', 'I'))::int AS indexes,
  count(*) FILTER (WHERE c.relkind IN ('v', 'm'))::int AS views,
  count(*) FILTER (WHERE c.relkind = 'S')::int AS sequences,
  (SELECT count(*)::int FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
    WHERE ${USER_SCHEMA} AND ${notExtensionMember("pg_class", "k.conrelid")}) AS constraints,
  (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE ${USER_SCHEMA} AND ${notExtensionMember("pg_proc", "p.oid")}) AS functions
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${USER_SCHEMA} AND ${notExtensionMember("pg_class", "c.oid")}`;

export async function countObjects(client: pg.Client): Promise<ObjectCounts> {
  const { rows } = await client.query<ObjectCounts>(COUNT_OBJECTS);
  return rows[0]!;
}

export interface UserTable {
  schema: string;
  name: string;
  /** Heap plus TOAST pages as of the last VACUUM/ANALYZE: an estimate of what COPY moves. */
  bytes: number;
}

/**
 * Tables that hold rows (partitioned parents hold none; their partitions are listed). Sizes come
 * from pg_class, not pg_table_size(), which would wait behind any lock on the table.
 */
export async function listTables(client: pg.Client): Promise<UserTable[]> {
  const { rows } = await client.query<{ schema: string; name: string; bytes: string }>(`
    SELECT n.nspname AS schema, c.relname AS name,
           ((c.relpages::bigint + coalesce(t.relpages, 0)) * current_setting('block_size')::bigint)::text AS bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
     WHERE c.relkind = 'r' AND ${USER_SCHEMA} AND ${notExtensionMember("pg_class", "c.oid")}
     ORDER BY 1, 2`);
  return rows.map((r) => ({ schema: r.schema, name: r.name, bytes: Number(r.bytes) }));
}

export async function listSequences(client: pg.Client): Promise<Array<{ schema: string; name: string }>> {
  const { rows } = await client.query<{ schema: string; name: string }>(`
    SELECT n.nspname AS schema, c.relname AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'S' AND ${USER_SCHEMA} AND ${notExtensionMember("pg_class", "c.oid")}
     ORDER BY 1, 2`);
  return rows;
}

/** Schemas a user created (public included), for emptying a target. */
export async function listUserSchemas(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(`
    SELECT n.nspname AS name FROM pg_namespace n
     WHERE ${USER_SCHEMA} AND ${notExtensionMember("pg_namespace", "n.oid")} ORDER BY 1`);
  return rows.map((r) => r.name);
}

const SINGULAR: Record<keyof ObjectCounts, string> = {
  tables: "table",
  indexes: "index",
  constraints: "constraint",
  views: "view",
  functions: "function",
  sequences: "sequence",
};

/** "12 tables, 3 views" — the non-zero counts, for messages. */
export function describeCounts(counts: ObjectCounts, kinds: readonly (keyof ObjectCounts)[] = OBJECT_KINDS): string {
  const parts = kinds.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${counts[k] === 1 ? SINGULAR[k] : k}`);
  return parts.join(", ") || "no objects";
}
