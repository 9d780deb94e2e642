// pg_restore's table of contents (`pg_restore -l`), split so that schemas come first, then the
// extensions we create ourselves, then everything else: a non-superuser cannot replay
// CREATE EXTENSION or COMMENT ON EXTENSION for extensions it does not own.

/** "12; 2615 16385 SCHEMA - heroku_ext postgres" → "SCHEMA"; "4; 0 0 COMMENT - EXTENSION citext" → "COMMENT - EXTENSION". */
export function entryKind(line: string): string | null {
  const m = /^\d+;\s+\d+\s+\d+\s+(.+)$/.exec(line.trim());
  if (!m) return null;
  const rest = m[1]!;
  if (rest.startsWith("COMMENT - EXTENSION ")) return "COMMENT - EXTENSION";
  return rest.split(" ")[0] ?? null;
}

export interface RestoreLists {
  /** CREATE SCHEMA entries: the extensions need their schema before anything else. */
  schemas: string;
  /** Everything else in pre-data, without the extensions and their comments. */
  rest: string;
}

export function splitRestoreList(toc: string): RestoreLists {
  const entries = toc.split("\n").filter((l) => entryKind(l) !== null);
  const isSchema = (l: string) => entryKind(l) === "SCHEMA";
  const isExtension = (l: string) => ["EXTENSION", "COMMENT - EXTENSION"].includes(entryKind(l)!);
  return {
    schemas: entries.filter(isSchema).join("\n") + "\n",
    rest: entries.filter((l) => !isSchema(l) && !isExtension(l)).join("\n") + "\n",
  };
}
