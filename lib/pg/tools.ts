import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export const PG_TOOLS = ["pg_dump", "pg_restore", "psql"] as const;
export type PgTool = (typeof PG_TOOLS)[number];

export interface ToolVersion {
  tool: PgTool;
  major: number | null;
  version: string | null;
}

/** Reads `<tool> --version`; a missing tool gives major null. */
export async function toolVersion(tool: PgTool): Promise<ToolVersion> {
  try {
    const { stdout } = await run(tool, ["--version"], { timeout: 10_000 });
    const version = /(\d+)(?:\.(\d+))?/.exec(stdout)?.[0] ?? null;
    return { tool, version, major: version ? Number(version.split(".")[0]) : null };
  } catch {
    return { tool, version: null, major: null };
  }
}

/**
 * pg_dump refuses servers newer than itself, so every tool must be at least the server's major.
 * Returns one problem sentence per tool that is missing or too old.
 */
export async function pgToolProblems(serverMajor: number): Promise<string[]> {
  const versions = await Promise.all(PG_TOOLS.map(toolVersion));
  return versions.flatMap(({ tool, major, version }) => {
    if (major === null) return [`${tool} was not found on PATH: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)`];
    if (major < serverMajor) return [`${tool} ${version} is older than the PostgreSQL ${serverMajor} server: install postgresql-client-${serverMajor} or newer`];
    return [];
  });
}
