import PgBoss from "pg-boss";
import { createPool } from "@/lib/pg/connect";
import type { EngineDeps } from "./deps";
import { executeRun } from "./execute-run";

export const RUN_QUEUE = "cutover-runs";

/**
 * pg-boss carries "run X needs a worker" to whichever worker is free; the run's advisory lock
 * makes sure only one executes it. Jobs are derived from the database (queued runs, and active
 * runs whose worker stopped sending heartbeats), so a lost job or NOTIFY is found again.
 */
export async function startDispatcher(deps: EngineDeps, connectionString: string, shutdown: AbortSignal) {
  // pg-boss gets our pool, so its connections negotiate TLS like every other one.
  const pool = createPool(connectionString, { max: 3, applicationName: "switchyard-queue" });
  pool.on("error", (err) => deps.log.warn(`queue pool: ${err.message}`));
  const db = { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) };
  const boss = new PgBoss({ db, schema: "pgboss", supervise: true, schedule: false });
  boss.on("error", (err) => deps.log.warn(`queue: ${err.message}`));
  await boss.start();
  // "short": at most one waiting job per run; one may be active meanwhile (its lock decides).
  await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, policy: "short", retryLimit: 3, retryDelay: 5, expireInSeconds: 23 * 3600 });
  await boss.work<{ runId: string }>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (job) await executeRun(deps, job.data.runId, shutdown);
  });
  return {
    /** Enqueues every run that needs a worker now. Called on NOTIFY and on a timer. */
    async sweep(): Promise<number> {
      const stale = new Date(deps.now().getTime() - deps.staleAfterMs);
      const runs = await deps.db.cutoverRun.findMany({
        where: {
          OR: [
            { status: "queued" },
            { status: { in: ["running", "cancelling", "rolling_back"] }, OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: stale } }] },
          ],
        },
        select: { id: true },
        take: 100,
      });
      for (const run of runs) await boss.send(RUN_QUEUE, { runId: run.id }, { singletonKey: run.id });
      return runs.length;
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      await pool.end().catch(() => undefined);
    },
  };
}
