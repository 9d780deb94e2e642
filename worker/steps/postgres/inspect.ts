import { DomainError } from "@/lib/errors";
import { toolVersion, type ToolVersion } from "@/lib/pg/tools";

export { inspectDatabase, type DatabaseFacts } from "@/lib/pg/inspect";

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
