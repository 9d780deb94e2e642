import type pg from "pg";
import type { CatalogObject, CatalogObjects } from "./post-data-plan";
import { listTables } from "./catalog";
import { qualified, quoteIdent } from "./client";

export interface CopyTable {
  oid: number;
  schema: string;
  name: string;
  /** Heap plus TOAST, estimated from pg_class pages: what orders the copies, largest first. */
  bytes: number;
  /** Estimated rows (pg_class.reltuples): what orders index builds, costliest first. */
  rows: number;
  /** Heap blocks by the same estimate: where ranges of a big table are cut. */
  heapPages: number;
  /** Columns COPY carries: generated columns are computed again on the target. */
  columns: string[];
  /** Every column's type has binary send/receive functions, so COPY may use the binary format. */
  binary: boolean;
  /** An inheritance parent: its statistics cover its children, so it is analyzed at the end. */
  hasChildren: boolean;
}

export interface SourceFacts {
  tables: CopyTable[];
  objects: CatalogObjects;
  largeObjects: number;
  /** server_version_num, e.g. 150004. */
  version: number;
}

/**
 * What the copy needs from the source, read inside the exported snapshot so it agrees with the
 * schema dump: every table with rows, its copyable columns and size, the indexes and key
 * constraints that can be built per table, and whether large objects exist.
 */
export async function readSourceFacts(client: pg.Client): Promise<SourceFacts> {
  // pg_get_indexdef then names every table with its schema.
  await client.query("SELECT set_config('search_path', '', true)");
  const listed = await listTables(client);
  const { rows } = await client.query<{ oid: string; schema: string; name: string; pages: string; tuples: string; columns: string[] | null; binary: boolean | null; children: boolean }>(`
    SELECT c.oid::bigint::text AS oid, n.nspname AS schema, c.relname AS name, greatest(c.relpages, 0)::text AS pages,
           c.reltuples::bigint::text AS tuples, c.relhassubclass AS children,
           array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL) AS columns,
           bool_and(ty.typsend::oid <> 0 AND ty.typreceive::oid <> 0) AS binary
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      LEFT JOIN pg_type ty ON ty.oid = a.atttypid
     WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     GROUP BY c.oid, n.nspname, c.relname, c.relpages, c.reltuples, c.relhassubclass`);
  const byName = new Map(rows.map((r) => [`${r.schema}.${r.name}`, r]));
  const tables = listed.map((t): CopyTable => {
    const r = byName.get(`${t.schema}.${t.name}`)!;
    // reltuples is -1 before the first VACUUM or ANALYZE; a row per 100 bytes stands in.
    const tuples = Number(r.tuples) >= 0 ? Number(r.tuples) : Math.round(t.bytes / 100);
    return { ...t, oid: Number(r.oid), rows: tuples, heapPages: Number(r.pages), columns: r.columns ?? [], binary: r.binary === true, hasChildren: r.children };
  });
  const oids = tables.map((t) => t.oid);
  const indexes = await client.query<{ oid: string; table_oid: string; name: string }>(
    `SELECT i.indexrelid::bigint::text AS oid, i.indrelid::bigint::text AS table_oid, c.relname AS name
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ANY($1::oid[])`,
    [oids],
  );
  return {
    tables: tables.sort((a, b) => b.bytes - a.bytes),
    objects: {
      indexes: new Map(indexes.rows.map((r) => [Number(r.oid), { kind: "index", tableOid: Number(r.table_oid), name: r.name }])),
      constraints: await readConstraints(client, oids),
    },
    ...(await readServerFacts(client)),
  };
}

/** Keys of the copied tables (with their index definitions, to build them beside other indexes) and foreign keys between copied tables. */
async function readConstraints(client: pg.Client, oids: number[]): Promise<Map<number, CatalogObject>> {
  const { rows } = await client.query<{
    oid: string;
    table_oid: string;
    ref_oid: string;
    name: string;
    type: string;
    index_def: string | null;
    index_name: string | null;
    deferrable: boolean;
    deferred: boolean;
    table_name: string;
  }>(
    `SELECT k.oid::bigint::text AS oid, k.conrelid::bigint::text AS table_oid, k.confrelid::bigint::text AS ref_oid, k.conname AS name,
            k.contype AS type, ic.relname AS index_name, k.condeferrable AS deferrable, k.condeferred AS deferred,
            format('%I.%I', n.nspname, t.relname) AS table_name,
            CASE WHEN k.contype IN ('p', 'u') AND i.indnkeyatts = i.indnatts THEN pg_get_indexdef(k.conindid) END AS index_def
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_index i ON i.indexrelid = k.conindid LEFT JOIN pg_class ic ON ic.oid = k.conindid
      WHERE k.conrelid = ANY($1::oid[]) AND (k.contype IN ('p', 'u', 'x') OR (k.contype = 'f' AND k.confrelid = ANY($1::oid[])))`,
    [oids],
  );
  const out = new Map<number, CatalogObject>();
  for (const r of rows) {
    const base = { tableOid: Number(r.table_oid), name: r.name };
    if (r.type === "f") {
      out.set(Number(r.oid), { ...base, kind: "foreign-key", refTableOid: Number(r.ref_oid) });
      continue;
    }
    const timing = `${r.deferrable ? " DEFERRABLE" : ""}${r.deferred ? " INITIALLY DEFERRED" : ""}`;
    const attach = `ALTER TABLE ONLY ${r.table_name} ADD CONSTRAINT ${quoteIdent(r.name)} ${r.type === "p" ? "PRIMARY KEY" : "UNIQUE"} USING INDEX ${quoteIdent(r.index_name ?? r.name)}${timing};`;
    out.set(Number(r.oid), { ...base, kind: "constraint", ...(r.index_def ? { viaIndex: { createIndex: `${r.index_def};`, attach } } : {}) });
  }
  return out;
}

async function readServerFacts(client: pg.Client): Promise<{ largeObjects: number; version: number }> {
  const facts = await client.query<{ lo: string; version: number }>(
    "SELECT (SELECT count(*) FROM pg_largeobject_metadata)::text AS lo, current_setting('server_version_num')::int AS version",
  );
  return { largeObjects: Number(facts.rows[0]!.lo), version: facts.rows[0]!.version };
}

/** One COPY: a whole table, or a range of its heap blocks (the last range open-ended). */
export interface Piece {
  table: CopyTable;
  blocks: { from: number; to: number | null } | null;
  bytes: number;
}

/**
 * Cuts the work into pieces of similar size so `jobs` lanes finish together: one table that is
 * most of the database would otherwise leave the other lanes idle. A table becomes ranges of
 * heap blocks when it is larger than one piece; the last range has no upper bound, so rows past
 * a stale page estimate are still copied. Largest pieces first.
 */
export function planPieces(tables: CopyTable[], opts: { jobs: number; canSplit: boolean; minPieceBytes: number }): Piece[] {
  // canSplit: TID range scans (PostgreSQL 14+) make a ctid-range COPY read only its own blocks.
  const total = tables.reduce((n, t) => n + t.bytes, 0);
  const pieceBytes = Math.max(opts.minPieceBytes, Math.ceil(total / (opts.jobs * 4)));
  const pieces: Piece[] = [];
  for (const table of tables) {
    const count = opts.canSplit && opts.jobs > 1 && table.heapPages > 1 ? Math.min(table.heapPages, Math.round(table.bytes / pieceBytes)) : 1;
    if (count < 2) {
      pieces.push({ table, blocks: null, bytes: table.bytes });
      continue;
    }
    const step = Math.ceil(table.heapPages / count);
    for (let from = 0; from < table.heapPages; from += step) {
      const to = from + step >= table.heapPages ? null : from + step;
      pieces.push({ table, blocks: { from, to }, bytes: Math.round((table.bytes * ((to ?? table.heapPages) - from)) / table.heapPages) });
    }
  }
  return pieces.sort((a, b) => b.bytes - a.bytes);
}

/**
 * The COPY pair for a piece. A whole table loads with FREEZE (after a TRUNCATE in the same
 * transaction, which FREEZE requires), so nothing on the target rewrites its pages later to set
 * hint bits. Binary format skips text formatting and parsing on both servers (a third of their
 * work on timestamps and long text); it is used when both run one major version, within which
 * its format is promised, and every column type has binary I/O.
 */
export function copyStatements(piece: Piece, binary: boolean): { out: string; into: string; freeze: boolean } {
  const t = piece.table;
  const table = qualified(t.schema, t.name);
  // A table without columns still has rows; COPY takes no column list then.
  const list = t.columns.length ? ` (${t.columns.map(quoteIdent).join(", ")})` : "";
  const freeze = !piece.blocks;
  const options = [binary && t.binary ? "FORMAT binary" : "", freeze ? "FREEZE" : ""].filter(Boolean);
  const into = `COPY ${table}${list} FROM STDIN${options.length ? ` (${options.join(", ")})` : ""}`;
  const format = binary && t.binary ? " (FORMAT binary)" : "";
  if (!piece.blocks) return { out: `COPY ${table}${list} TO STDOUT${format}`, into, freeze };
  const upper = piece.blocks.to === null ? "" : ` AND ctid < '(${piece.blocks.to},0)'::tid`;
  const select = `SELECT ${t.columns.map(quoteIdent).join(", ")} FROM ONLY ${table} WHERE ctid >= '(${piece.blocks.from},0)'::tid${upper}`;
  return { out: `COPY (${select}) TO STDOUT${format}`, into, freeze };
}

export function describePiece(piece: Piece): string {
  const name = `${piece.table.schema}.${piece.table.name}`;
  if (!piece.blocks) return name;
  return `${name} (blocks ${piece.blocks.from}–${piece.blocks.to === null ? "end" : piece.blocks.to - 1})`;
}
