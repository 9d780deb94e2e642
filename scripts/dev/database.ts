import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DevEnv } from "@/lib/env/dev";
import { startEmbeddedServer } from "@/lib/pg/embedded-server";
import { describePgUrl } from "@/lib/pg/url";

export interface DevDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const DATABASE = "switchyard";

/** DATABASE_URL when set; otherwise the embedded server under SWITCHYARD_HOME, started or reused. */
export async function startDatabase(env: DevEnv): Promise<DevDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => undefined };
  const server = await startEmbeddedServer({
    dataDir: path.join(env.home, "pg"),
    port: env.SWITCHYARD_DB_PORT,
    password: await embeddedPassword(env.home),
    logFile: path.join(env.home, "logs", "postgres.log"),
  });
  return { url: await server.database(DATABASE), embedded: true, stop: () => server.stop() };
}

// Generated once and kept beside the data directory it protects (0600).
async function embeddedPassword(home: string): Promise<string> {
  const file = path.join(home, "embedded-db-password");
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing) return existing.trim();
  await mkdir(home, { recursive: true });
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

export function describeDatabase(db: DevDatabase): string {
  const { host, port, database } = describePgUrl(db.url);
  return `${db.embedded ? "embedded PostgreSQL" : "PostgreSQL"} at ${host}:${port}/${database}`;
}
