import { ConfigError } from "@/lib/env/parse";
import { workerEnv } from "@/lib/env/worker";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { RUNS_CHANNEL } from "@/lib/run/channels";
import { startHealthServer } from "./health-server";
import { startWakeups } from "./wakeup";

// The worker process: it will claim runs and execute their steps (see the engine); for now it
// boots, migrates, listens for wake-ups and reports how many runs are waiting.
async function main() {
  const env = workerEnv();
  const log = createLogger("worker", env.LOG_LEVEL);
  await migrate(env.DATABASE_URL);
  const db = createDb(env.DATABASE_URL);
  const server = await startHealthServer({ host: env.WORKER_WS_HOST, port: env.WORKER_WS_PORT, workerId: env.WORKER_ID });
  let lastQueued = -1;
  const wakeups = await startWakeups({
    url: env.DATABASE_URL,
    channel: RUNS_CHANNEL,
    pollMs: env.WORKER_POLL_MS,
    log,
    onWake: async () => {
      const queued = await db.cutoverRun.count({ where: { status: "queued" } });
      if (queued !== lastQueued) log.info(`${queued} run(s) queued`);
      lastQueued = queued;
    },
  });
  log.info(`worker ready: id ${env.WORKER_ID}, http://${env.WORKER_WS_HOST}:${env.WORKER_WS_PORT}/healthz`);

  const shutdown = async (signal: string) => {
    log.info(`${signal} received, stopping`);
    await wakeups.stop();
    await new Promise((resolve) => server.close(resolve));
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : `worker failed to start: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
