import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import net from "node:net";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { childProcessEnv } from "@/lib/child-env";
import { dynoBaseEnv } from "../env";

export interface DynoProcess {
  /** Unique per process: during a roll the old and the new `web.1` are listed side by side. */
  id: string;
  name: string;
  type: string;
  port: number | null;
  child: ChildProcess;
  exited: Promise<void>;
  /** Set when we asked it to stop, so its exit is not treated as a crash. */
  stopping: boolean;
  /** The release whose config it runs. */
  releaseVersion: number;
  /** Resolves true once the app logged `at=start`, false if it exited first. */
  announced: Promise<boolean>;
}

/** Where the sample app lives; dynos (one-off ones too) run here, whatever the caller's cwd. */
export const APP_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APP_SCRIPT = "sandbox/app/main.ts";

/** A free loopback port, asked of the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts one dyno of the sample app with exactly the app's config vars (plus PORT and DYNO),
 * not Switchyard's own environment. Its own process group, so it is stopped only by us.
 */
export async function spawnDyno(opts: { app: string; name: string; config: Record<string, string>; releaseVersion: number; log: WriteStream }): Promise<DynoProcess> {
  const type = opts.name.split(".")[0]!;
  const port = type === "web" ? await freePort() : null;
  const env = childProcessEnv({
    ...dynoBaseEnv(),
    ...opts.config,
    DYNO: opts.name,
    APP_NAME: opts.app,
    ...(port ? { PORT: String(port) } : {}),
  });
  const child = spawn(process.execPath, ["--import", "tsx", APP_SCRIPT], { cwd: APP_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let announce: (ok: boolean) => void = () => undefined;
  const announced = new Promise<boolean>((resolve) => (announce = resolve));
  void exited.then(() => announce(false));
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on("line", (line) => {
      if (/\bat=start\b/.test(line)) announce(true);
      opts.log.write(`${new Date().toISOString()} app[${opts.name}]: ${line}\n`);
    });
  }
  return { id: randomUUID(), name: opts.name, type, port, child, exited, stopping: false, releaseVersion: opts.releaseVersion, announced };
}

/** Booted as Heroku judges it: a web dyno accepts connections on PORT, a worker has started. */
export async function waitBooted(dyno: DynoProcess, timeoutMs: number): Promise<boolean> {
  if (dyno.port !== null) return waitListening(dyno, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([dyno.announced, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until a web dyno accepts connections (or its process ends). */
export async function waitListening(dyno: DynoProcess, timeoutMs = 20_000): Promise<boolean> {
  if (dyno.port === null) return true;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && dyno.child.exitCode === null) {
    if (await connects(dyno.port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** SIGTERM as Heroku sends it, SIGKILL after the grace period. */
export async function stopDyno(dyno: DynoProcess, graceMs = 8_000): Promise<void> {
  dyno.stopping = true;
  if (dyno.child.exitCode !== null || dyno.child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-dyno.child.pid!, s);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await dyno.exited;
  clearTimeout(timer);
}

export function openLog(file: string): WriteStream {
  return createWriteStream(file, { flags: "a" });
}
