import path from "node:path";
import pg from "pg";
import { startEmbeddedServer, type EmbeddedServer } from "@/lib/pg/embedded-server";
import { withDatabase } from "@/lib/pg/url";
import type { SandboxCredentials } from "./credentials";

export interface SandboxDatabases {
  source: EmbeddedServer;
  target: EmbeddedServer;
  sourceUrl: string;
  targetUrl: string;
  /** A second database on the target server, for rehearsals. */
  rehearsalUrl: string;
  /** Stops the target server and starts it again on the same port and data (a fault for rehearsals). */
  restartTarget(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Two separate servers, so a dump and restore really cross servers: "Heroku Postgres" holds the
 * app's database; "RDS" is the empty target, owned by its own password-protected user.
 */
export async function startSandboxDatabases(dir: string, ports: { source: number; target: number }, creds: SandboxCredentials): Promise<SandboxDatabases> {
  const targetOptions = { dataDir: path.join(dir, "target-pg"), port: ports.target, password: creds.targetAdminPassword, fast: true, logFile: path.join(dir, "logs", "target-pg.log") };
  const started = await Promise.allSettled([
    startEmbeddedServer({ dataDir: path.join(dir, "source-pg"), port: ports.source, password: creds.sourceAdminPassword, fast: true, logFile: path.join(dir, "logs", "source-pg.log") }),
    startEmbeddedServer(targetOptions),
  ]);
  // If one server failed, stop the other rather than leave it running without an owner.
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  const [source, firstTarget] = started.map((s) => (s as PromiseFulfilledResult<EmbeddedServer>).value) as [EmbeddedServer, EmbeddedServer];
  let target = firstTarget;
  const sourceUrl = await ownedDatabase(source.adminUrl, "heroku_app_user", creds.sourceAppPassword, "heroku_db");
  const targetUrl = await ownedDatabase(target.adminUrl, "rds_user", creds.targetAppPassword, "app");
  const rehearsalUrl = await ownedDatabase(target.adminUrl, "rds_user", creds.targetAppPassword, "app_rehearsal");
  return {
    source,
    get target() {
      return target;
    },
    sourceUrl,
    targetUrl,
    rehearsalUrl,
    restartTarget: async () => {
      await target.stop();
      target = await startEmbeddedServer(targetOptions);
    },
    stop: async () => {
      await Promise.all([source.stop(), target.stop()]);
    },
  };
}

/** A login role with a password and a database it owns; returns the role's URL to it. */
async function ownedDatabase(adminUrl: string, role: string, password: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    const verb = exists.rowCount ? "ALTER" : "CREATE";
    await client.query(`${verb} ROLE ${role} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    const db = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!db.rowCount) await client.query(`CREATE DATABASE ${database} OWNER ${role}`);
  } finally {
    await client.end();
  }
  const url = new URL(withDatabase(adminUrl, database));
  url.username = role;
  url.password = password;
  return url.toString();
}
