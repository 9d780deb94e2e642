import { createPool } from "@/lib/pg/connect";
import { ConfigError } from "@/lib/env/parse";
import { workerEnv } from "@/lib/env/worker";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { RUNS_CHANNEL } from "@/lib/run/channels";
import { parseKeyring } from "@/lib/security/keyring";
import type { EngineDeps } from "./engine/deps";
import { startDispatcher } from "./engine/dispatcher";
import { startHealthServer } from "./health-server";
import { LogWriter } from "./logs/log-writer";
import { startNotifier } from "./notify/notifier";
import { removeLeftovers } from "./steps/postgres/leftovers";
import { startWakeups } from "./wakeup";
import { attachLogStream } from "./ws/attach-log-stream";

// The worker process: finds runs that need a worker, executes them through pg-boss with one
// worker per run (an advisory lock), writes their logs and streams them on /ws.
async function main() {
  const env = workerEnv();
  const log = createLogger("worker", env.LOG_LEVEL);
  await migrate(env.DATABASE_URL);
  const secretKey = parseKeyring(env.SWITCHYARD_SECRET_KEY, env.SWITCHYARD_PREVIOUS_SECRET_KEYS);
  const leftovers = await removeLeftovers(env.WORKER_WORK_DIR);
  if (leftovers.length) log.info(`removed ${leftovers.length} password file(s) and dump folder(s) left by workers that died`);
  const db = createDb(env.DATABASE_URL);
  const pool = createPool(env.DATABASE_URL, { max: 10 });
  pool.on("error", (err) => log.warn(`database pool: ${err.message}`));
  const logs = new LogWriter(pool, { log });
  const deps: EngineDeps = {
    db, pool, logs, secretKey, log,
    workerId: env.WORKER_ID,
    workDir: env.WORKER_WORK_DIR,
    allowPrivateSmokeUrls: env.SMOKE_ALLOW_PRIVATE_URLS,
    heartbeatMs: env.WORKER_HEARTBEAT_MS,
    staleAfterMs: env.WORKER_STALE_AFTER_MS,
    now: () => new Date(),
  };
  const shutdown = new AbortController();
  const server = await startHealthServer({ host: env.WORKER_WS_HOST, port: env.WORKER_WS_PORT, workerId: env.WORKER_ID });
  const stream = attachLogStream(server, { pool, listenUrl: env.DATABASE_URL, keyBytes: secretKey.bytes, log, localLines: logs });
  const dispatcher = await startDispatcher(deps, env.DATABASE_URL, shutdown.signal);
  const wakeups = await startWakeups({ url: env.DATABASE_URL, channel: RUNS_CHANNEL, pollMs: env.WORKER_POLL_MS, log, onWake: async () => void (await dispatcher.sweep()) });
  // Webhook deliveries from the outbox; a receiver that fails never holds up a run.
  const notifier = await startNotifier(
    { db, secretKey, log, allowPrivate: env.SMOKE_ALLOW_PRIVATE_URLS, publicUrl: env.SWITCHYARD_PUBLIC_URL ?? null },
    { listenUrl: env.DATABASE_URL },
  );
  log.info(`worker ready: id ${env.WORKER_ID}, ws://${env.WORKER_WS_HOST}:${env.WORKER_WS_PORT}/ws`);

  const stop = async (signal: string) => {
    log.info(`${signal} received, stopping (a run in progress is resumed by another worker)`);
    shutdown.abort();
    await wakeups.stop();
    await notifier.stop();
    await dispatcher.stop();
    await stream.close();
    await logs.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : `worker failed to start: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
