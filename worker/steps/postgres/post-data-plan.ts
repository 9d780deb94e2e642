/** One line of `pg_restore -l`: "<dumpId>; <catalog table oid> <object oid> <desc> <schema> <tag> <owner>". */
export interface TocEntry {
  dumpId: number;
  classOid: number;
  oid: number;
  line: string;
}

// pg_class and pg_constraint: the catalogs an index's and a constraint's TOC entry point into.
const PG_CLASS = 1259;
const PG_CONSTRAINT = 2606;

export function parseToc(listing: string): TocEntry[] {
  const out: TocEntry[] = [];
  for (const line of listing.split("\n")) {
    const m = /^(\d+); (\d+) (\d+) /.exec(line);
    if (m) out.push({ dumpId: Number(m[1]), classOid: Number(m[2]), oid: Number(m[3]), line });
  }
  return out;
}

/**
 * What the source's catalog says about a post-data object on the copied tables: whose it is and
 * how it may be built while other tables still load.
 */
export interface CatalogObject {
  /** index: CREATE INDEX (shares its table); constraint: primary key, unique or exclusion
   * (ALTER TABLE, which locks its table); foreign-key: validated once both tables are complete. */
  kind: "index" | "constraint" | "foreign-key";
  tableOid: number;
  /** The referenced table of a foreign key. */
  refTableOid?: number;
  /** The index's or the constraint's own name, as pg_restore's header shows it. */
  name: string;
  /**
   * A primary key or unique constraint built as its unique index first (which, unlike ALTER TABLE,
   * runs beside the table's other index builds), then attached with ADD CONSTRAINT … USING INDEX.
   */
  viaIndex?: { createIndex: string; attach: string };
}

export interface CatalogObjects {
  /** index oid → its facts, for the copied tables' indexes that back no constraint. */
  indexes: Map<number, CatalogObject>;
  /** pg_constraint oid → its facts, for the copied tables' keys and the foreign keys between them. */
  constraints: Map<number, CatalogObject>;
}

/** A post-data object run on the copy's own connections, with pg_restore's SQL for it. */
export type EarlyObject = CatalogObject & { entry: TocEntry; sql: string };

/** Which TOC entries can run per table during the copy; the rest are left to pg_restore at the end. */
export function pickEarly(toc: TocEntry[], catalog: CatalogObjects): Array<Omit<EarlyObject, "sql">> {
  const early: Array<Omit<EarlyObject, "sql">> = [];
  for (const entry of toc) {
    const desc = entry.line.split(" ").slice(3).join(" ");
    const index = entry.classOid === PG_CLASS && desc.startsWith("INDEX ") && !desc.startsWith("INDEX ATTACH ") ? catalog.indexes.get(entry.oid) : undefined;
    const constraint = entry.classOid === PG_CONSTRAINT && /^(FK )?CONSTRAINT /.test(desc) ? catalog.constraints.get(entry.oid) : undefined;
    const found = index ?? constraint;
    if (found && (found.kind === "foreign-key") === desc.startsWith("FK ")) early.push({ entry, ...found });
  }
  return early;
}

/** The -L list for everything else: the whole listing with the early entries commented out. */
export function restList(listing: string, early: ReadonlyArray<{ entry: TocEntry }>): string {
  const skip = new Set(early.map((e) => e.entry.line));
  return listing
    .split("\n")
    .map((line) => (skip.has(line) ? `;${line}` : line))
    .join("\n");
}

export interface ScriptEntry {
  name: string;
  type: string;
  sql: string;
}

const HEADER = /^--\n-- (?:Data for )?Name: (.*); Type: (.*?); Schema: .*\n--\n/gm;
const SETTING = /^SET [a-z_]+ = .*;$/;

/**
 * Splits `pg_restore -f` output into the session preamble and one SQL text per TOC entry, using
 * the "-- Name: …; Type: …" header pg_restore writes before each. A SET line that ends an entry
 * belongs to the next one (pg_restore switches tablespace or access method before the header);
 * psql meta-commands (\restrict) are dropped, since these texts run over a plain connection.
 */
export function splitScript(script: string): { preamble: string; entries: ScriptEntry[] } {
  const marks = [...script.matchAll(HEADER)];
  const bodies = marks.map((m, i) => script.slice(m.index! + m[0].length, marks[i + 1]?.index ?? script.length));
  const preambleLines = script.slice(0, marks[0]?.index ?? script.length).split("\n");
  const entries: ScriptEntry[] = [];
  let carried: string[] = [];
  for (let i = 0; i < marks.length; i++) {
    const lines = bodies[i]!.split("\n").filter((l) => !l.startsWith("\\"));
    const trailing: string[] = [];
    // Blank lines, comments and SET lines after the statement belong to what comes next.
    while (lines.length && (lines.at(-1)!.trim() === "" || lines.at(-1)!.startsWith("--") || SETTING.test(lines.at(-1)!))) {
      const line = lines.pop()!;
      if (SETTING.test(line)) trailing.unshift(line);
    }
    entries.push({ name: marks[i]![1]!, type: marks[i]![2]!, sql: [...carried, lines.join("\n").trim()].join("\n").trim() });
    carried = trailing;
  }
  // The connection keeps node-postgres's UTF8 (the archive is dumped in UTF8 too).
  const preamble = preambleLines.filter((l) => !l.startsWith("\\") && !l.startsWith("--") && !l.startsWith("SET client_encoding")).join("\n").trim();
  return { preamble, entries };
}

const TYPE: Record<CatalogObject["kind"], string> = { index: "INDEX", constraint: "CONSTRAINT", "foreign-key": "FK CONSTRAINT" };

/**
 * Pairs the early objects with their SQL from the script pg_restore printed for exactly those
 * entries, in TOC order. Null when the two disagree, so the caller can fall back to running
 * everything through pg_restore rather than guess.
 */
export function attachSql(early: Array<Omit<EarlyObject, "sql">>, script: string): { preamble: string; objects: EarlyObject[] } | null {
  const { preamble, entries } = splitScript(script);
  if (entries.length !== early.length) return null;
  const objects: EarlyObject[] = [];
  for (let i = 0; i < early.length; i++) {
    const want = early[i]!;
    const got = entries[i]!;
    const named = got.name === want.name || got.name.endsWith(` ${want.name}`);
    if (got.type !== TYPE[want.kind] || !named || !got.sql) return null;
    objects.push({ ...want, sql: got.sql });
  }
  return { preamble, objects };
}
