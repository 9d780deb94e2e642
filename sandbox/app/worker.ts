import type { AppContext } from "./context";
import { describeDbError } from "./db";

export interface WorkerDyno {
  /** Stops scheduling and waits for the insert in progress, if any. */
  stop(): Promise<void>;
}

/**
 * The worker process: one row in worker_events per interval. Like a real background job it
 * knows nothing of maintenance mode or cutovers; a failed insert is logged and retried next tick.
 * `tick` counts attempts, so gaps in worker_events.tick show exactly which inserts failed.
 */
export function startWorker(ctx: AppContext, intervalMs: number): WorkerDyno {
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  const insertEvent = async () => {
    tick += 1;
    try {
      const result = await ctx.pool.query<{ id: string }>(
        "INSERT INTO worker_events (dyno, tick) VALUES ($1, $2) RETURNING id",
        [ctx.env.DYNO, tick],
      );
      ctx.log.info(`at=event table=worker_events id=${result.rows[0]!.id} tick=${tick}`);
    } catch (err) {
      ctx.log.error(`at=event-failed tick=${tick} error=${JSON.stringify(describeDbError(err))}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = insertEvent().finally(schedule);
    }, intervalMs);
  };

  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
