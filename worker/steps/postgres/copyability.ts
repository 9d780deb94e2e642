import type pg from "pg";

// What COPY can carry, and in which format. Binary COPY is faster but its bytes are only portable
// for built-in types: arrays and composites embed element/field type OIDs (PostgreSQL 14+ accept
// user OIDs that differ, older majors refuse them), an extension's binary layout belongs to its
// version, and reg* values are bare OIDs in binary (a regclass would point at another table).

/** One copied column's type, domains unwrapped. */
export interface ColumnType {
  column: string;
  /** The declared type as format_type() spells it, e.g. "email_address" or "order_channel[]". */
  declared: string;
  isDomain: boolean;
  /** After unwrapping domains. */
  oid: number;
  name: string;
  /** pg_type.typtype: b base, c composite, e enum, r range, m multirange, p pseudo. */
  kind: string;
  hasBinary: boolean;
  /** pg_catalog's OID-alias types (regclass…), whose binary form is the OID itself. */
  isOidAlias: boolean;
  extension: string | null;
  element: { oid: number; name: string; kind: string; isOidAlias: boolean; extension: string | null } | null;
}

// FirstNormalObjectId: every type below it is built in and has the same OID on every server.
const FIRST_USER_OID = 16384;
const OID_ALIASES = ["regclass", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper", "regoperator", "regproc", "regprocedure", "regrole", "regtype"];

/** Why this column forces the text format, or null when binary COPY carries it exactly. */
export function binaryBlocker(c: ColumnType): string | null {
  const what = describeType(c);
  if (c.isOidAlias || c.element?.isOidAlias) return `${what}: binary COPY would carry the raw OID`;
  if (c.oid >= FIRST_USER_OID) return what;
  if (!c.hasBinary) return `${what}, which has no binary I/O`;
  return null;
}

/** "enum public.order_channel", "array of composite public.postal_address", "domain email_address over citext (extension citext)". */
export function describeType(c: ColumnType): string {
  const one = (t: { name: string; kind: string; extension: string | null; oid: number }) => {
    if (t.extension) return `${t.name} (extension ${t.extension})`;
    if (t.oid < FIRST_USER_OID) return t.name.replace(/^pg_catalog\./, "");
    return `${KIND_NAMES[t.kind] ?? "user-defined type"} ${t.name}`;
  };
  const base = c.element && c.oid >= FIRST_USER_OID ? `array of ${one(c.element)}` : one(c);
  return c.isDomain ? `domain ${c.declared} over ${base}` : base;
}
const KIND_NAMES: Record<string, string> = { d: "domain", c: "composite", e: "enum", r: "range", m: "multirange", b: "base type", p: "pseudo-type" };

/** The first column that forces text, as "column y: enum public.x, and 2 more columns", or null for binary. */
export function textFormatReason(columns: readonly ColumnType[]): string | null {
  const blocking = columns.flatMap((c) => {
    const why = binaryBlocker(c);
    return why ? [`column ${c.column}: ${why}`] : [];
  });
  if (!blocking.length) return null;
  const more = blocking.length - 1;
  return more ? `${blocking[0]}, and ${more} more column${more === 1 ? "" : "s"}` : blocking[0]!;
}

// One type's facts as columns named <prefix>oid, <prefix>name…; `t` is a pg_type alias, `t`n its namespace.
const TYPE_FACTS = (t: string, prefix: string) => `
  ${t}.oid::int AS ${prefix}oid, quote_ident(${t}n.nspname) || '.' || quote_ident(${t}.typname) AS ${prefix}name, ${t}.typtype AS ${prefix}kind,
  ${t}.typsend::oid <> 0 AND ${t}.typreceive::oid <> 0 AS ${prefix}has_binary,
  ${t}n.nspname = 'pg_catalog' AND ${t}.typname = ANY ($1) AS ${prefix}is_oid_alias,
  (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
    WHERE d.classid = 'pg_type'::regclass AND d.objid = ${t}.oid AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') AS ${prefix}extension`;

export const USER_TABLE_COLUMNS = `
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
   WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
     AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')`;

// Domains unwrapped (a domain over a domain too); an array's element looked up once.
const COLUMN_TYPES = `
WITH RECURSIVE cols AS (
  SELECT n.nspname AS schema, c.relname AS name, a.attnum, a.attname::text AS column,
         format_type(a.atttypid, a.atttypmod) AS declared, a.atttypid AS type, 0 AS depth
  ${USER_TABLE_COLUMNS}
  UNION ALL
  SELECT cols.schema, cols.name, cols.attnum, cols.column, cols.declared, t.typbasetype, cols.depth + 1
    FROM cols JOIN pg_type t ON t.oid = cols.type WHERE t.typtype = 'd'
)
SELECT cols.schema, cols.name, cols.column, cols.declared, cols.depth > 0 AS is_domain, ${TYPE_FACTS("t", "ty_")},
       (t.typelem <> 0 AND t.typsubscript = 'array_subscript_handler'::regproc) AS is_array, ${TYPE_FACTS("el", "el_")}
  FROM cols JOIN pg_type t ON t.oid = cols.type JOIN pg_namespace tn ON tn.oid = t.typnamespace
  LEFT JOIN pg_type el ON el.oid = t.typelem LEFT JOIN pg_namespace eln ON eln.oid = el.typnamespace
 WHERE t.typtype <> 'd'
 ORDER BY cols.schema, cols.name, cols.attnum`;

interface ColumnTypeRow {
  schema: string; name: string; column: string; declared: string; is_domain: boolean; is_array: boolean;
  ty_oid: number; ty_name: string; ty_kind: string; ty_has_binary: boolean; ty_is_oid_alias: boolean; ty_extension: string | null;
  el_oid: number | null; el_name: string; el_kind: string; el_is_oid_alias: boolean; el_extension: string | null;
}

/** Every ordinary table's (and leaf partition's) copied columns with their types, keyed "schema.name". */
export async function listColumnTypes(client: pg.ClientBase): Promise<Map<string, ColumnType[]>> {
  const { rows } = await client.query<ColumnTypeRow>(COLUMN_TYPES, [OID_ALIASES]);
  const out = new Map<string, ColumnType[]>();
  for (const r of rows) {
    const key = `${r.schema}.${r.name}`;
    const list = out.get(key) ?? out.set(key, []).get(key)!;
    list.push({
      column: r.column, declared: r.declared, isDomain: r.is_domain,
      oid: r.ty_oid, name: r.ty_name, kind: r.ty_kind, hasBinary: r.ty_has_binary, isOidAlias: r.ty_is_oid_alias, extension: r.ty_extension,
      element: r.is_array && r.el_oid !== null ? { oid: r.el_oid, name: r.el_name, kind: r.el_kind, isOidAlias: r.el_is_oid_alias, extension: r.el_extension } : null,
    });
  }
  return out;
}

export interface Uncopyable {
  /** "schema.table" */
  table: string;
  column: string;
  /** The column's declared type. */
  type: string;
  why: string;
}

// Types COPY cannot write back: the server only emits them (statistics, parse trees), pseudo-types
// (an `unknown` column from a pre-10 upgrade), and values naming roles, which the copy never creates.
const WRITE_ONLY = ["pg_node_tree", "pg_ndistinct", "pg_dependencies", "pg_mcv_list", "pg_brin_bloom_summary", "pg_brin_minmax_multi_summary"];
const NAMES_ROLES = ["aclitem", "regrole"];

// Walks each column's type through domains, array elements, composite fields and range subtypes.
const UNCOPYABLE = `
WITH RECURSIVE walk AS (
  SELECT n.nspname AS schema, c.relname AS name, a.attnum, a.attname::text AS column,
         format_type(a.atttypid, a.atttypmod) AS declared, a.atttypid AS type, ARRAY[a.atttypid] AS path
  ${USER_TABLE_COLUMNS}
  UNION ALL
  SELECT w.schema, w.name, w.attnum, w.column, w.declared, x.type, w.path || x.type
    FROM walk w JOIN pg_type t ON t.oid = w.type
   CROSS JOIN LATERAL (
     SELECT t.typbasetype WHERE t.typtype = 'd'
     UNION ALL SELECT t.typelem WHERE t.typelem <> 0 AND t.typsubscript = 'array_subscript_handler'::regproc
     UNION ALL SELECT f.atttypid FROM pg_attribute f WHERE t.typtype = 'c' AND f.attrelid = t.typrelid AND f.attnum > 0 AND NOT f.attisdropped
     UNION ALL SELECT r.rngsubtype FROM pg_range r WHERE t.typtype = 'r' AND r.rngtypid = t.oid
     UNION ALL SELECT r.rngtypid FROM pg_range r WHERE t.typtype = 'm' AND r.rngmultitypid = t.oid
   ) AS x (type)
   WHERE x.type <> ALL (w.path)
)
SELECT DISTINCT ON (w.schema, w.name, w.attnum) w.schema, w.name, w.column, w.declared, t.typname AS found, t.typtype = 'p' AS pseudo
  FROM walk w JOIN pg_type t ON t.oid = w.type JOIN pg_namespace tn ON tn.oid = t.typnamespace
 WHERE t.typtype = 'p' OR (tn.nspname = 'pg_catalog' AND t.typname = ANY ($1))
 ORDER BY w.schema, w.name, w.attnum, array_length(w.path, 1)`;

/**
 * Columns the copy cannot carry, found before anything changes (preflight): each with why and
 * what to do. Empty when every table can be copied.
 */
export async function listUncopyable(client: pg.ClientBase): Promise<Uncopyable[]> {
  const { rows } = await client.query<{ schema: string; name: string; column: string; declared: string; found: string; pseudo: boolean }>(
    UNCOPYABLE,
    [[...WRITE_ONLY, ...NAMES_ROLES]],
  );
  return rows.map((r) => {
    const inner = r.found === r.declared ? "" : ` (it holds ${r.found})`;
    const why = r.pseudo
      ? `a column of pseudo-type ${r.found}${inner} cannot be written by COPY; ALTER it to text first`
      : WRITE_ONLY.includes(r.found)
        ? `PostgreSQL only writes ${r.found} values, it does not read them back${inner}; store them as text (pg_get_expr…) or drop the column`
        : `${r.found} values name roles${inner}, and the copy does not create roles: the target refuses the ones it does not have; store them as text`;
    return { table: `${r.schema}.${r.name}`, column: r.column, type: r.declared, why };
  });
}
