// The "worker" side of bench:logs, in its own process so its memory can be measured: either the
// real pipeline (LogWriter → PostgreSQL → NOTIFY → /ws) or a bare ws broadcast of the same lines.
// Talks to the bench over stdin/stdout, one JSON message per line.
import http from "node:http";
import type net from "node:net";
import { createInterface } from "node:readline";
import pg from "pg";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "@/lib/log";
import { LogWriter } from "@/worker/logs/log-writer";
import { attachLogStream } from "@/worker/ws/attach-log-stream";

const [mode, databaseUrl, keyHex, runId] = process.argv.slice(2) as ["pipeline" | "bare", string, string, string];
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const say = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const TICK_MS = 10;

let peakRss = process.memoryUsage().rss;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50).unref();

async function main() {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const writer = mode === "pipeline" ? new LogWriter(pool, { log: quiet }) : null;
  const stream = mode === "pipeline" ? attachLogStream(server, { pool, listenUrl: databaseUrl, keyBytes: Buffer.from(keyHex, "hex"), log: quiet }) : null;
  const bare = mode === "bare" ? bareBroadcast(server) : null;
  say({ type: "ready", port: (server.address() as net.AddressInfo).port });

  for await (const line of createInterface({ input: process.stdin })) {
    const cmd = JSON.parse(line) as { type: "produce"; rate: number; seconds: number } | { type: "exit" };
    if (cmd.type === "exit") {
      // Closing lingering sockets must not keep the bench waiting.
      setTimeout(() => process.exit(0), 3_000).unref();
      break;
    }
    peakRss = process.memoryUsage().rss;
    const produced = await produce(cmd.rate, cmd.seconds, (texts) => {
      if (writer) for (const text of texts) writer.append(runId, { stream: "stdout", text });
      else bare!.send(texts);
    });
    await writer?.flush();
    say({ type: "produced", ...produced, peakRssMb: Math.round(peakRss / 1e6), written: writer?.stats().written ?? produced.lines });
  }
  await stream?.close();
  await writer?.close();
  await pool.end();
  server.closeAllConnections();
  server.close();
  process.exit(0);
}

/** `rate` lines a second for `seconds`, in 10 ms ticks; each line carries its send time. */
async function produce(rate: number, seconds: number, emit: (texts: string[]) => void): Promise<{ lines: number; ms: number }> {
  const started = Date.now();
  let lines = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    const texts: string[] = [];
    for (; lines < due; lines++) texts.push(`bench line ${lines} sent ${Date.now()}`);
    if (texts.length) emit(texts);
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  return { lines, ms: Date.now() - started };
}

// The anchor: one serialization per batch, sent to every client, nothing stored.
function bareBroadcast(server: http.Server) {
  const wss = new WebSocketServer({ server, path: "/ws" });
  const clients = new Set<WebSocket>();
  wss.on("connection", (ws) => {
    clients.add(ws);
    ws.on("close", () => clients.delete(ws));
  });
  let seq = 0;
  return {
    send(texts: string[]) {
      const at = new Date().toISOString();
      const frame = JSON.stringify({ type: "lines", runId, lines: texts.map((text) => ({ seq: ++seq, stream: "stdout", text, at, stepRunId: null })) });
      for (const ws of clients) ws.send(frame);
    },
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`log producer failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
