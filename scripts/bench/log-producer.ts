// The "worker" of bench:logs, a process of its own so its memory and CPU can be measured: either
// the real pipeline (runLogger → LogWriter → PostgreSQL → NOTIFY → /ws, wired as worker/main.ts
// wires it) or a bare ws broadcast of the same lines. One JSON message per line on stdin/stdout;
// the database URL and key come on stdin, never in argv.
import type http from "node:http";
import { createInterface } from "node:readline";
import { createPool } from "@/lib/pg/connect";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "@/lib/log";
import { runLogger } from "@/worker/engine/run-logger";
import { startHealthServer } from "@/worker/health-server";
import { LogWriter } from "@/worker/logs/log-writer";
import { attachLogStream, type LogStream } from "@/worker/ws/attach-log-stream";
import { LatencyHistogram } from "./latency-histogram";

export type ProducerMode = "pipeline" | "bare";
export type ProducerCommand =
  | { type: "start"; mode: ProducerMode; port: number; databaseUrl: string; keyHex: string; runId: string }
  | { type: "produce"; rate: number; seconds: number }
  | { type: "finish" };

export interface Produced {
  type: "produced";
  lines: number;
  startedAt: number;
  /** When the last line was appended. */
  producedAt: number;
  /** When the last line was stored (LogWriter.flush() resolved); producedAt for the bare broadcast. */
  persistedAt: number;
  written: number;
}

export interface Finished {
  type: "finished";
  peakRssMb: number;
  idleRssMb: number;
  /** CPU time from the start of production to "finish". */
  cpuMs: number;
  /** From append to commit (the LogWriter's share of the latency); null for the bare broadcast. */
  appendToStoredMs: ReturnType<LatencyHistogram["summary"]> | null;
  /** ms after production started that the server first dropped a slow client, or null. */
  firstSlowDropMs: number | null;
  stream: ReturnType<LogStream["stats"]> | null;
}

const TICK_MS = 10;
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const say = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const padding = "pg_restore: processing data for table \"public.order_items\"";

interface Sink {
  emit(texts: string[]): void;
  flush(): Promise<number>;
  slowDrops(): number;
  stats(): Finished["stream"];
  storedLatency(): Finished["appendToStoredMs"];
  close(): Promise<void>;
}

async function pipelineSink(server: http.Server, cmd: Extract<ProducerCommand, { type: "start" }>): Promise<Sink> {
  const pool = createPool(cmd.databaseUrl, { max: 10 });
  pool.on("error", () => undefined);
  const writer = new LogWriter(pool, { log: quiet });
  const keyBytes = Buffer.from(cmd.keyHex, "hex");
  const stream = attachLogStream(server, { pool, listenUrl: cmd.databaseUrl, keyBytes, log: quiet, localLines: writer });
  while (!stream.stats().listening) await new Promise((resolve) => setTimeout(resolve, 20));
  const logger = runLogger(writer, cmd.runId);
  const stored = new LatencyHistogram();
  writer.onStored((_runId, lines) => {
    const now = Date.now();
    for (const line of lines) stored.add(now - Number.parseInt(line.text, 10));
  });
  return {
    emit: (texts) => texts.forEach((text) => logger.write("stdout", text)),
    flush: async () => (await writer.flush(), writer.stats().written),
    slowDrops: () => stream.stats().slowDrops,
    stats: () => stream.stats(),
    storedLatency: () => stored.summary(),
    close: async () => {
      await stream.close();
      await writer.close();
      await pool.end();
    },
  };
}

// The anchor: each batch serialized once and sent to every client; nothing stored.
function bareSink(server: http.Server, runId: string): Sink {
  const wss = new WebSocketServer({ server, path: "/ws" });
  const clients = new Set<WebSocket>();
  wss.on("connection", (ws) => {
    clients.add(ws);
    ws.on("close", () => clients.delete(ws));
    ws.on("error", () => undefined);
  });
  let seq = 0;
  let written = 0;
  return {
    emit(texts) {
      const at = new Date().toISOString();
      const lines = texts.map((text) => ({ seq: ++seq, stream: "stdout", text, at, stepRunId: null }));
      const frame = JSON.stringify({ type: "lines", runId, lines });
      for (const ws of clients) ws.send(frame);
      written += texts.length;
    },
    flush: async () => written,
    slowDrops: () => 0,
    stats: () => null,
    storedLatency: () => null,
    close: () => {
      for (const ws of clients) ws.terminate(); // ws 8 calls back only once every client is gone
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `rate` lines a second for `seconds`, appended in 10 ms ticks; each line starts with its append time. */
async function produce(sink: Sink, rate: number, seconds: number): Promise<Produced> {
  const startedAt = Date.now();
  let lines = 0;
  for (let now = startedAt; now - startedAt < seconds * 1000; now = Date.now()) {
    const due = Math.min(Math.floor(((now - startedAt) / 1000) * rate), Math.floor(rate * seconds));
    const texts: string[] = [];
    for (; lines < due; lines += 1) texts.push(`${now} line ${lines + 1} ${padding}`);
    if (texts.length) sink.emit(texts);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const producedAt = Date.now();
  const written = await sink.flush();
  return { type: "produced", lines, startedAt, producedAt, persistedAt: Date.now(), written };
}

async function main() {
  const commands = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const start = JSON.parse((await commands.next()).value as string) as Extract<ProducerCommand, { type: "start" }>;
  const server = await startHealthServer({ host: "127.0.0.1", port: start.port, workerId: `bench-${start.mode}` });
  const sink = start.mode === "pipeline" ? await pipelineSink(server, start) : bareSink(server, start.runId);
  const idleRss = process.memoryUsage().rss;
  let cpuBefore = process.cpuUsage();
  let firstSlowDropMs: number | null = null;
  let watchSlowDrops: NodeJS.Timeout | undefined;
  say({ type: "ready" });
  for (let next = await commands.next(); !next.done; next = await commands.next()) {
    const cmd = JSON.parse(next.value as string) as ProducerCommand;
    if (cmd.type === "produce") {
      const startedAt = Date.now();
      cpuBefore = process.cpuUsage();
      watchSlowDrops = setInterval(() => (firstSlowDropMs ??= sink.slowDrops() > 0 ? Date.now() - startedAt : null), 20);
      say(await produce(sink, cmd.rate, cmd.seconds));
    }
    if (cmd.type !== "finish") continue;
    clearInterval(watchSlowDrops);
    const cpu = process.cpuUsage(cpuBefore);
    const finished: Finished = {
      type: "finished",
      // ru_maxrss: the true high-water mark, not a sample that could miss a spike.
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      idleRssMb: Math.round(idleRss / 2 ** 20),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      firstSlowDropMs,
      appendToStoredMs: sink.storedLatency(),
      stream: sink.stats(),
    };
    say(finished);
    break;
  }
  await sink.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench log producer failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
