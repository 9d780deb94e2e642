import { deliverOne, claimDue, type DeliverDeps } from "@/lib/notify/deliver";
import { NOTIFY_CHANNEL } from "@/lib/notify/enqueue";
import { enqueueWindowOpens } from "@/lib/notify/window-sweep";
import { startWakeups } from "../wakeup";

export interface NotifierOptions {
  /** Where to LISTEN for the outbox's hint. */
  listenUrl: string;
  /** The outbox is read at least this often (the NOTIFY is only a hint). */
  pollMs?: number;
  /** Requests in flight at once, over all channels. */
  maxInFlight?: number;
  now?: () => Date;
}

/**
 * The worker's notification loop: every second and on each NOTIFY, queues the "window opens"
 * events that became due, then claims due deliveries and sends them. Requests run in the
 * background, so a slow receiver delays only its own channel; nothing here touches a run.
 */
export async function startNotifier(deps: DeliverDeps, opts: NotifierOptions): Promise<{ stop(): Promise<void> }> {
  const inFlight = new Set<Promise<unknown>>();
  const maxInFlight = opts.maxInFlight ?? 20;
  const now = opts.now ?? (() => new Date());
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    await enqueueWindowOpens(deps.db, now());
    const rows = await claimDue(deps, Math.min(deps.batch ?? 10, maxInFlight - inFlight.size));
    for (const row of rows) {
      const sending: Promise<unknown> = deliverOne(deps, row)
        .catch((err: unknown) => deps.log.error(`notification ${row.event} (${row.id}) could not be recorded: ${(err as Error).message}; it is sent again later`))
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  };
  const wakeups = await startWakeups({ url: opts.listenUrl, channel: NOTIFY_CHANNEL, pollMs: opts.pollMs ?? 1_000, log: deps.log, onWake: tick });
  return {
    async stop() {
      stopped = true;
      await wakeups.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
