import { DomainError } from "@/lib/errors";
import { toolVersion, type ToolVersion } from "@/lib/pg/tools";
import { countObjects, type ObjectCounts } from "./catalog";
import { withClient } from "./client";

export interface DatabaseFacts {
  /** e.g. "15.18" */
  serverVersion: string;
  serverMajor: number;
  sizeBytes: number;
  tables: number;
  /** No user tables, views, sequences or functions in non-system schemas. */
  isEmpty: boolean;
  objects: ObjectCounts;
}

/** What a source or target database holds; connection failures say where, never the password. */
export function inspectDatabase(url: string): Promise<DatabaseFacts> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ version: string; num: string; size: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num,
              pg_database_size(current_database())::text AS size`,
    );
    const objects = await countObjects(client);
    return {
      serverVersion: rows[0]!.version.split(" ")[0]!,
      serverMajor: Math.floor(Number(rows[0]!.num) / 10_000),
      sizeBytes: Number(rows[0]!.size),
      tables: objects.tables,
      isEmpty: objects.tables + objects.views + objects.sequences + objects.functions === 0,
      objects,
    };
  });
}

const COPY_TOOLS = ["pg_dump", "pg_restore"] as const;

/**
 * pg_dump refuses a server newer than itself, and a dump from newer tools may use syntax an
 * older pg_restore cannot read, so both must be at least the newer of the two servers.
 */
export async function checkToolsFor(sourceMajor: number, targetMajor: number): Promise<ToolVersion[]> {
  const versions = await Promise.all(COPY_TOOLS.map(toolVersion));
  const problems = versions.flatMap((v) => toolProblems(v, sourceMajor, targetMajor));
  if (problems.length) throw new DomainError("precondition_failed", problems.join("; "));
  return versions;
}

function toolProblems({ tool, major, version }: ToolVersion, sourceMajor: number, targetMajor: number): string[] {
  const needed = Math.max(sourceMajor, targetMajor);
  if (major === null) {
    return [`${tool} was not found on PATH: install the PostgreSQL client tools ${needed} or newer (Debian: apt-get install postgresql-client-${needed})`];
  }
  if (major >= needed) return [];
  const side = sourceMajor >= targetMajor ? `the source server (PostgreSQL ${sourceMajor})` : `the target server (PostgreSQL ${targetMajor})`;
  return [`${tool} ${version} is older than ${side}: install postgresql-client-${needed} or newer and put it first on PATH`];
}
