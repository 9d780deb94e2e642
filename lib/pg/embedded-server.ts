import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { isPidAlive } from "@/lib/os/pid-alive";
import { ensureDatabase } from "./admin";
import { connect } from "./connect";
import { postgresInstall, serverUser, type PostgresInstall, type RunAs } from "./embedded-install";
import { placeDataDir } from "./embedded-placement";
import { readPostmasterPid, stopPostmaster } from "./stale-server";

export interface EmbeddedServerOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Trade durability for speed: for tests and throwaway sandboxes only. */
  fast?: boolean;
  /** Where the server's own messages go (they are noisy for a terminal). */
  logFile: string;
  /** Serve TLS with this certificate (PEM); kept inside the data directory, readable by the server only. */
  tls?: { certPem: string; keyPem: string };
  /** The whole pg_hba.conf, replacing initdb's on every start. */
  hba?: string;
  /** Server settings (`-c name=value`), after and so over our defaults. */
  settings?: Record<string, string>;
}

export interface EmbeddedServer {
  port: number;
  pid: number;
  adminUrl: string;
  /** Where the data really is (moved out of a folder the server's user cannot enter). */
  dataDir: string;
  /** A connection URL for a database on this server (created if missing). */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

const USER = "postgres";
const run = promisify(execFile);

/** Starts (and on first use initialises) a PostgreSQL server owned by this process. */
export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  await mkdir(path.dirname(opts.logFile), { recursive: true });
  const who = await serverUser();
  const dataDir = await placeDataDir(opts.dataDir, who);
  await claimDataDir(dataDir);
  const install = await postgresInstall(who);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(install, dataDir, opts.password, who);
  await writeServerFiles(dataDir, opts, who);
  const adminUrl = `postgresql://${USER}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/postgres`;
  const pid = await spawnServer(install, { ...opts, dataDir }, who, adminUrl);
  await writeFile(ownerFile(dataDir), String(process.pid));
  return {
    port: opts.port,
    pid,
    adminUrl,
    dataDir,
    database: (name) => ensureDatabase(adminUrl, name),
    stop: async () => {
      await stopPostmaster(pid);
      await rm(ownerFile(dataDir), { force: true });
    },
  };
}

// The password reaches initdb in a file beside the data directory, never in argv.
async function initialise(install: PostgresInstall, dataDir: string, password: string, who: RunAs): Promise<void> {
  await ownedDir(dataDir, who);
  const pwfile = `${dataDir}.pwfile`;
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (who.uid !== undefined) await chown(pwfile, who.uid, who.gid!);
    const args = [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"];
    await run(install.initdb, args, who).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`initdb failed for ${dataDir}: ${(err.stderr || err.message).trim().split("\n").slice(-2).join(" | ")}`);
    });
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function ownedDir(dir: string, who: RunAs): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (who.uid !== undefined) await chown(dir, who.uid, who.gid!);
  await chmod(dir, 0o700);
}

// The key must be 0600 and the server's own, or PostgreSQL refuses to start.
async function writeServerFiles(dataDir: string, opts: EmbeddedServerOptions, who: RunAs): Promise<void> {
  const files: [string, string][] = [];
  if (opts.tls) files.push(["server.crt", opts.tls.certPem], ["server.key", opts.tls.keyPem]);
  if (opts.hba) files.push(["pg_hba.conf", opts.hba]);
  for (const [name, text] of files) {
    const file = path.join(dataDir, name);
    await writeFile(file, text, { mode: 0o600 });
    await chmod(file, 0o600);
    if (who.uid !== undefined) await chown(file, who.uid, who.gid!);
  }
}

function serverFlags(opts: EmbeddedServerOptions): string[] {
  const settings: Record<string, string> = { listen_addresses: "127.0.0.1", unix_socket_directories: "", max_connections: "200" };
  if (opts.fast) Object.assign(settings, { fsync: "off", synchronous_commit: "off", full_page_writes: "off" });
  if (opts.tls) Object.assign(settings, { ssl: "on", ssl_cert_file: "server.crt", ssl_key_file: "server.key" });
  Object.assign(settings, opts.settings);
  return ["-D", opts.dataDir, "-p", String(opts.port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}

// Its own process group, so a Ctrl-C meant for the terminal's foreground job does not stop the
// database before the processes that use it have shut down.
async function spawnServer(install: PostgresInstall, opts: EmbeddedServerOptions, who: RunAs, adminUrl: string): Promise<number> {
  const log = openSync(opts.logFile, "a");
  const child = spawn(install.postgres, serverFlags(opts), { ...who, cwd: "/", detached: true, stdio: ["ignore", log, log] });
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
  try {
    const client = await connect(url, { connectTimeoutMs: 1000 });
    await client.end();
    return true;
  } catch {
    return false;
  }
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
