import { connect } from "@/lib/pg/connect";
import type { Logger } from "@/lib/log";

/**
 * LISTENs on a channel and calls `onWake` for each notification, and at least every `pollMs`
 * anyway: a lost notification or a dropped connection only delays work, never loses it.
 */
export async function startWakeups(opts: {
  url: string;
  channel: string;
  pollMs: number;
  log: Logger;
  onWake: () => Promise<void>;
}): Promise<{ stop(): Promise<void> }> {
  let stopped = false;
  let running = Promise.resolve();
  const wake = () => {
    running = running.then(() => (stopped ? undefined : opts.onWake())).catch((err) => opts.log.error(`wake-up failed: ${(err as Error).message}`));
  };
  const client = await connect(opts.url, { applicationName: "switchyard-wakeup" });
  client.on("notification", wake);
  client.on("error", (err) => opts.log.warn(`notification connection lost (${err.message}); polling continues`));
  await client.query(`LISTEN ${opts.channel}`);
  const timer = setInterval(wake, opts.pollMs);
  wake();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await client.end().catch(() => undefined);
    },
  };
}
