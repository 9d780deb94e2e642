import { ConfigError } from "@/lib/env/parse";
import type { AppContext } from "./context";
import { createPool } from "./db";
import { appEnv } from "./env";
import { createAppLog, urlSecrets } from "./log";
import { startWeb } from "./web";
import { startWorker } from "./worker";

// The sample customer app, one process per dyno: `web.N` serves HTTP on PORT, `worker.N` writes
// a row every WORKER_INTERVAL_MS. Started by the sandbox's dyno manager as
// `node --import tsx sandbox/app/main.ts` with only the app's config vars, PORT and DYNO.

// Heroku kills a dyno 30 s after SIGTERM; we promise the dyno manager far less.
const SHUTDOWN_GRACE_MS = 4_000;

async function main(): Promise<void> {
  const env = appEnv();
  const secrets = urlSecrets(env.DATABASE_URL);
  const log = createAppLog(secrets);
  const pool = createPool(env.DATABASE_URL, log);
  const ctx: AppContext = { env, pool, log, secrets, startedAt: new Date().toISOString() };
  let stop: (graceMs: number) => Promise<void> = async () => undefined;
  onSignals(ctx, (graceMs) => stop(graceMs));
  if (env.processType === "web") {
    const web = await startWeb(ctx, env.PORT!);
    stop = (graceMs) => web.stop(graceMs);
    log.info(`at=start dyno=${env.DYNO} port=${env.PORT} app=${env.APP_NAME}`);
  } else {
    const worker = startWorker(ctx, env.WORKER_INTERVAL_MS);
    stop = () => worker.stop();
    log.info(`at=start dyno=${env.DYNO} interval=${env.WORKER_INTERVAL_MS}ms app=${env.APP_NAME}`);
  }
}

function onSignals(ctx: AppContext, stop: (graceMs: number) => Promise<void>): void {
  const shutdown = async (signal: string) => {
    ctx.log.info(`at=stop signal=${signal}`);
    // Whatever happens below, the process is gone within the grace period.
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + 500).unref();
    await stop(SHUTDOWN_GRACE_MS).catch(() => undefined);
    await ctx.pool.end().catch(() => undefined);
    ctx.log.info("at=stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

function fail(err: unknown): never {
  const message = err instanceof ConfigError ? err.message : `sample-app failed to start: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

main().catch(fail);
