import type pg from "pg";
import { listTables } from "./catalog";
import { qualified } from "./connect";

/** What a database looks like to an idempotency check: its schema's definition and every table's exact row count. */
export interface Fingerprint {
  /** md5 of every user object's definition (relations, columns, constraints, indexes, views, functions, types, triggers). */
  catalog: string;
  rows: Record<string, number>;
}

// Definitions as PostgreSQL prints them, in a stable order; extension members and system schemas left out.
const USER = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
const CATALOG_DIGEST = `
SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) AS digest FROM (
  SELECT format('rel %s.%s %s', n.nspname, c.relname, c.relkind) AS line
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER} AND c.relkind <> 'S'
  UNION ALL
  SELECT format('col %s.%s.%s %s %s %s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE ${USER} AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT format('con %s.%s %s', n.nspname, k.conname, pg_get_constraintdef(k.oid))
    FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE ${USER}
  UNION ALL
  SELECT format('idx %s', pg_get_indexdef(i.indexrelid))
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER}
  UNION ALL
  SELECT format('view %s.%s %s', n.nspname, c.relname, pg_get_viewdef(c.oid))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER} AND c.relkind IN ('v', 'm')
  UNION ALL
  SELECT format('fn %s %s', p.oid::regprocedure, md5(coalesce(p.prosrc, '')))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER}
  UNION ALL
  SELECT format('enum %s.%s %s', n.nspname, t.typname, (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER} AND t.typtype = 'e'
  UNION ALL
  SELECT format('trg %s', pg_get_triggerdef(g.oid))
    FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER} AND NOT g.tgisinternal
) lines`;

/**
 * Reads the fingerprint. Sequences are left out on purpose: an idempotent
 * `INSERT … ON CONFLICT DO NOTHING` still advances them.
 */
export async function fingerprint(client: pg.Client): Promise<Fingerprint> {
  const { rows } = await client.query<{ digest: string }>(CATALOG_DIGEST);
  const counts: Record<string, number> = {};
  for (const t of await listTables(client)) {
    const { rows: n } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(t.schema, t.name)}`);
    counts[`${t.schema}.${t.name}`] = Number(n[0]!.n);
  }
  return { catalog: rows[0]!.digest, rows: counts };
}

/** What changed between two fingerprints, in words ("shop.orders: 10 → 12 rows"); empty when equal. */
export function fingerprintChanges(before: Fingerprint, after: Fingerprint): string[] {
  const changes = before.catalog === after.catalog ? [] : ["the schema changed (tables, columns, constraints, indexes, views, functions, types or triggers)"];
  for (const table of new Set([...Object.keys(before.rows), ...Object.keys(after.rows)])) {
    const [a, b] = [before.rows[table], after.rows[table]];
    if (a !== b) changes.push(`${table}: ${a ?? "no table"} → ${b ?? "no table"} rows`);
  }
  return changes;
}
