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

/** An index or a primary key/unique/exclusion constraint of one copied table, built as soon as its rows are in. */
export interface EarlyObject {
  entry: TocEntry;
  kind: "index" | "constraint";
  tableOid: number;
  /** The index's or the constraint's own name, as pg_restore's header shows it. */
  name: string;
  sql: string;
}

export interface CatalogObjects {
  /** index oid → its table's oid and its name, for the copied tables' indexes. */
  indexes: Map<number, { tableOid: number; name: string }>;
  /** pg_constraint oid → the same, for their primary key, unique and exclusion constraints. */
  constraints: Map<number, { tableOid: number; name: string }>;
}

/** Which TOC entries can run per table during the data phase; the rest wait for every table. */
export function pickEarly(toc: TocEntry[], catalog: CatalogObjects): Array<Omit<EarlyObject, "sql">> {
  const early: Array<Omit<EarlyObject, "sql">> = [];
  for (const entry of toc) {
    const desc = entry.line.split(" ").slice(3).join(" ");
    const index = entry.classOid === PG_CLASS && desc.startsWith("INDEX ") && !desc.startsWith("INDEX ATTACH ") ? catalog.indexes.get(entry.oid) : undefined;
    const constraint = entry.classOid === PG_CONSTRAINT && desc.startsWith("CONSTRAINT ") ? catalog.constraints.get(entry.oid) : undefined;
    const found = index ?? constraint;
    if (found) early.push({ entry, kind: index ? "index" : "constraint", ...found });
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
    while (lines.length && (lines.at(-1)!.trim() === "" || SETTING.test(lines.at(-1)!))) {
      const line = lines.pop()!;
      if (line.trim()) trailing.unshift(line);
    }
    entries.push({ name: marks[i]![1]!, type: marks[i]![2]!, sql: [...carried, ...lines].join("\n").trim() });
    carried = trailing;
  }
  // The connection keeps node-postgres's UTF8 (the archive is dumped in UTF8 too).
  const preamble = preambleLines.filter((l) => !l.startsWith("\\") && !l.startsWith("--") && !l.startsWith("SET client_encoding")).join("\n").trim();
  return { preamble, entries };
}

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
    if (got.type !== (want.kind === "index" ? "INDEX" : "CONSTRAINT") || !named || !got.sql) return null;
    objects.push({ ...want, sql: got.sql });
  }
  return { preamble, objects };
}
