import type pg from "pg";
import { connect as connectPg } from "@/lib/pg/connect";
import type { Logger } from "@/lib/log";

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export interface PgListener {
  connected(): boolean;
  stop(): Promise<void>;
}

/**
 * A dedicated connection LISTENing on a few channels, reconnecting with backoff when it drops.
 * `onConnected` runs after every (re)connect: notifications sent while it was down are gone.
 */
export function startPgListener(opts: {
  url: string;
  channels: readonly string[];
  log: Logger;
  onNotification(channel: string, payload: string): void;
  onConnected(): void;
}): PgListener {
  let current: pg.Client | null = null;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;
  const lost = new WeakSet<pg.Client>();

  const onLost = (client: pg.Client | null, err?: Error) => {
    if (client) {
      if (lost.has(client)) return;
      lost.add(client);
      if (current === client) current = null;
      void client.end().catch(() => undefined);
    }
    if (stopped) return;
    failures += 1;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (failures - 1));
    if (failures === 1 || failures % 10 === 0) {
      opts.log.warn(`log stream: LISTEN connection lost (${err?.message ?? "closed"}); retrying in ${delay} ms, polling meanwhile`);
    }
    retry = setTimeout(connect, delay);
  };

  const connect = async () => {
    retry = null;
    let client: pg.Client;
    try {
      client = await connectPg(opts.url, { applicationName: "switchyard-listen" });
    } catch (err) {
      return onLost(null, err as Error);
    }
    client.on("notification", (n) => opts.onNotification(n.channel, n.payload ?? ""));
    client.on("error", (err) => onLost(client, err));
    client.on("end", () => onLost(client));
    try {
      for (const channel of opts.channels) await client.query(`LISTEN ${channel}`);
    } catch (err) {
      return onLost(client, err as Error);
    }
    if (stopped) return void client.end().catch(() => undefined);
    current = client;
    failures = 0;
    opts.onConnected();
  };

  void connect();
  return {
    connected: () => current !== null,
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const client = current;
      current = null;
      await client?.end().catch(() => undefined);
    },
  };
}
