import type pg from "pg";
import { listSequences, listTables } from "@/lib/pg/catalog";
import { qualified, withClient } from "@/lib/pg/connect";

// Row counts can agree while values differ (a rounded float, a day and month swapped, a hstore
// with a quote lost); this compares every value. Both sides are read with the same settings.
const SESSION = "SET DateStyle = ISO; SET IntervalStyle = postgres; SET extra_float_digits = 3; SET TimeZone = 'UTC'; SET search_path = ''";

interface Snapshot {
  tables: Map<string, { rows: number; digest: string }>;
  matviews: Map<string, string>;
  sequences: Map<string, string>;
  comments: string[];
}

/** Every difference in values (tables, leaf partitions, matviews, sequences, comments but an extension's own) between two databases; [] when equal. */
export async function valueDifferences(sourceUrl: string, targetUrl: string, opts: { skipTables?: string[] } = {}): Promise<string[]> {
  const [source, target] = await Promise.all([snapshotOf(sourceUrl), snapshotOf(targetUrl)]);
  // Tables the app kept writing to after the switch, and their sequences, differ by design.
  for (const name of opts.skipTables ?? []) {
    source.tables.delete(name);
    for (const seq of source.sequences.keys()) if (seq.startsWith(`${name}_`)) source.sequences.delete(seq);
  }
  const out: string[] = [];
  for (const [name, s] of source.tables) {
    const t = target.tables.get(name);
    if (!t) out.push(`table ${name} is missing on the target`);
    else if (s.rows !== t.rows) out.push(`table ${name}: ${s.rows} rows on the source, ${t.rows} on the target`);
    else if (s.digest !== t.digest) out.push(`table ${name}: same ${s.rows} rows, different values`);
  }
  for (const [name, digest] of source.matviews) if (target.matviews.get(name) !== digest) out.push(`materialized view ${name} differs`);
  for (const [name, value] of source.sequences) if (target.sequences.get(name) !== value) out.push(`sequence ${name}: ${value} on the source, ${target.sequences.get(name) ?? "missing"} on the target`);
  const missing = source.comments.filter((c) => !target.comments.includes(c));
  if (missing.length) out.push(`comments missing on the target: ${missing.join("; ")}`);
  return out;
}

async function snapshotOf(url: string): Promise<Snapshot> {
  return withClient(url, async (c) => {
    await c.query(SESSION);
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = new Map<string, { rows: number; digest: string }>();
    for (const t of await listTables(c)) tables.set(`${t.schema}.${t.name}`, await digestOf(c, qualified(t.schema, t.name)));
    const matviews = new Map<string, string>();
    const mv = await c.query<{ schema: string; name: string }>("SELECT schemaname AS schema, matviewname AS name FROM pg_matviews");
    for (const m of mv.rows) matviews.set(`${m.schema}.${m.name}`, (await digestOf(c, qualified(m.schema, m.name))).digest);
    const sequences = new Map<string, string>();
    for (const s of await listSequences(c)) {
      const { rows } = await c.query<{ v: string }>(`SELECT last_value || '/' || is_called AS v FROM ${qualified(s.schema, s.name)}`);
      sequences.set(`${s.schema}.${s.name}`, rows[0]!.v);
    }
    const comments = await c.query<{ c: string }>(
      "SELECT pg_describe_object(classoid, objoid, objsubid) || ': ' || description AS c FROM pg_description WHERE objoid >= 16384 AND classoid <> 'pg_extension'::regclass ORDER BY 1",
    );
    await c.query("COMMIT");
    return { tables, matviews, sequences, comments: comments.rows.map((r) => r.c) };
  });
}

// Rows sorted by their text form, so tables without a key (and with duplicate rows) compare too.
async function digestOf(c: pg.Client, table: string): Promise<{ rows: number; digest: string }> {
  const { rows } = await c.query<{ n: number; d: string | null }>(
    `SELECT count(*)::int AS n, md5(string_agg(r, E'\\n' ORDER BY r COLLATE "C")) AS d FROM (SELECT t::text AS r FROM ${table} t) x`,
  );
  return { rows: rows[0]!.n, digest: rows[0]!.d ?? "" };
}
