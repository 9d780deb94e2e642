import type http from "node:http";
import type pg from "pg";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "@/lib/log";
import { LOGS_CHANNEL, STATUS_CHANNEL } from "@/lib/run/channels";
import type { WsTokenClaims } from "@/lib/ws/token";
import { LogHub, type LocalLines } from "./log-hub";
import { startPgListener } from "./pg-listener";
import { CLOSE, MAX_PAYLOAD_BYTES, parseClientMessage } from "./protocol";
import { Session } from "./session";
import { createUpgradeHandler } from "./upgrade";

export interface LogStreamOptions {
  pool: pg.Pool;
  /** For the dedicated LISTEN connection (a pooled one could be handed to someone else). */
  listenUrl: string;
  keyBytes: Buffer;
  log: Logger;
  heartbeatMs?: number;
  /** Queued bytes past which a client counts as behind (see slowGraceMs; 4× this drops it at once). */
  maxBufferedBytes?: number;
  /** How long a client may stay behind before it is closed with 1013. */
  slowGraceMs?: number;
  /** How often watched runs are re-read in case a notification was missed. */
  pollMs?: number;
  /** This process's LogWriter: lines it commits are streamed without reading them back. */
  localLines?: LocalLines;
}

export interface LogStreamStats {
  clients: number;
  runs: number;
  listening: boolean;
  linesSent: number;
  subscribes: number;
  notifications: number;
  polls: number;
  /** Reads of new lines for live subscribers: one per run per wake-up, however many watch it. */
  liveReads: number;
  /** Pages for live subscribers taken from what this process's writer committed, without a read. */
  localPages: number;
  /** "lines" messages serialized for live subscribers: one per read and starting seq, however many get it. */
  liveFrames: number;
  slowDrops: number;
}

export interface LogStream {
  close(): Promise<void>;
  stats(): LogStreamStats;
}

/** Serves the live log protocol on `/ws` of the worker's HTTP server (see ARCHITECTURE.md). */
export function attachLogStream(server: http.Server, opts: LogStreamOptions): LogStream {
  const { pool, log, heartbeatMs = 15_000, maxBufferedBytes = 4 * 1024 * 1024, slowGraceMs = 2_000, pollMs = 2_000 } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  const hub = new LogHub(pool, log, opts.localLines);
  const sessions = new Set<Session>();
  let linesSentByClosed = 0;

  const onSession = (ws: WebSocket, claims: WsTokenClaims) => {
    const session = new Session(ws, claims, { maxBufferedBytes, graceMs: slowGraceMs }, (s) => hub.tooSlow(s));
    sessions.add(session);
    ws.once("close", () => {
      sessions.delete(session);
      linesSentByClosed += session.linesSent;
      hub.leave(session);
    });
    serveSession(session, hub, log);
  };
  const onUpgrade = createUpgradeHandler({ wss, keyBytes: opts.keyBytes, onSession });
  server.on("upgrade", onUpgrade);

  const listener = startPgListener({
    url: opts.listenUrl,
    channels: [LOGS_CHANNEL, STATUS_CHANNEL],
    log,
    onNotification: (channel, payload) =>
      channel === LOGS_CHANNEL ? hub.onLogsNotification(payload) : hub.onStatusNotification(payload),
    onConnected: () => hub.poll(),
  });
  const stopLocal = opts.localLines?.onStored((runId, lines) => hub.onLocalLines(runId, lines));
  const heartbeat = setInterval(() => beat(sessions), heartbeatMs);
  const poller = setInterval(() => hub.poll(), pollMs);

  return {
    async close() {
      clearInterval(heartbeat);
      clearInterval(poller);
      stopLocal?.();
      server.off("upgrade", onUpgrade);
      await listener.stop();
      await closeSessions(sessions);
      await hub.idle();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    stats() {
      let linesSent = linesSentByClosed;
      for (const s of sessions) linesSent += s.linesSent;
      return { clients: sessions.size, runs: hub.runs, listening: listener.connected(), linesSent, ...hub.counters };
    },
  };
}

function serveSession(session: Session, hub: LogHub, log: Logger): void {
  const { ws } = session;
  ws.on("message", (data, isBinary) => {
    const message = parseClientMessage(data, isBinary);
    if (!message) return session.close(CLOSE.policy, "bad message");
    if (message.type !== "subscribe") return;
    hub.subscribe(session, message.runId, message.afterSeq).catch((err: Error) => {
      log.warn(`log stream: subscribe failed (${err.message})`);
      session.close(CLOSE.tryAgainLater, "server error, reconnect");
    });
  });
  ws.on("pong", () => (session.unansweredPings = 0));
  // ws reports protocol errors (an oversized frame: it closes with 1009 itself) here.
  ws.on("error", (err) => log.debug(`log stream: client error (${err.message})`));
}

// A ws ping for dead-connection detection plus a JSON heartbeat the page can see;
// two pings without a pong and the connection is cut.
function beat(sessions: Set<Session>): void {
  const at = new Date().toISOString();
  for (const session of sessions) {
    if (session.unansweredPings >= 2) {
      session.ws.terminate();
      continue;
    }
    session.unansweredPings += 1;
    session.ws.ping();
    session.send({ type: "heartbeat", at });
  }
}

async function closeSessions(sessions: Set<Session>): Promise<void> {
  const all = [...sessions];
  for (const s of all) s.close(CLOSE.goingAway, "server shutting down");
  const timeout = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
  await Promise.race([Promise.all(all.map((s) => s.closed)), timeout]);
  for (const s of all) s.ws.terminate();
}
