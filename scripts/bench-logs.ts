// `npm run bench:logs [-- --rate R --seconds S --clients N]`: log lines through the worker's real
// pipeline (LogWriter → PostgreSQL → NOTIFY → /ws) to N websocket clients, against a bare ws
// broadcast of the same lines; writes bench/results/logs.json. Not a test.
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { WebSocket } from "ws";
import { systemActor } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { startEmbeddedServer } from "@/lib/pg/embedded-server";
import { generateSecretKeyText, parseSecretKey } from "@/lib/security/secret-key";
import { mintWsToken } from "@/lib/ws/token";
import { numericFlags, round } from "./bench/cli-args";

const USAGE = "npm run bench:logs -- [--rate 20000] [--seconds 10] [--clients 50]";
const flags = numericFlags(process.argv.slice(2), { rate: 20_000, seconds: 10, clients: 50 }, USAGE);
const PORT = 27711;
const TARGETS = { rate: 20_000, p99Ms: 250, deliveredVsBare: 0.8, slowClientRateDrop: 0.05 };

interface Client {
  ws: WebSocket;
  lines: number;
  lags: number[];
  firstAt: number;
  lastAt: number;
  closedWith: number | null;
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function startProducer(mode: "pipeline" | "bare", databaseUrl: string, keyHex: string, runId: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/log-producer.ts", mode, databaseUrl, keyHex, runId], { stdio: ["pipe", "pipe", "inherit"] });
  const messages: Array<Record<string, any>> = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on("line", (l) => {
    messages.push(JSON.parse(l));
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (type: string) => {
    for (;;) {
      const found = messages.find((m) => m.type === type);
      if (found) return messages.splice(messages.indexOf(found), 1)[0]!;
      if (child.exitCode !== null) throw new Error(`the ${mode} producer exited`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const send = (msg: object) => child.stdin!.write(`${JSON.stringify(msg)}\n`);
  return { child, next, send };
}

function connectClient(url: string, subscribe: object | null, slow: boolean): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const c: Client = { ws, lines: 0, lags: [], firstAt: 0, lastAt: 0, closedWith: null };
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type !== "lines") return;
      const now = Date.now();
      c.firstAt ||= now;
      c.lastAt = now;
      for (const l of msg.lines as Array<{ text: string }>) {
        c.lines += 1;
        c.lags.push(now - Number(l.text.slice(l.text.lastIndexOf(" ") + 1)));
      }
    });
    ws.on("close", (code) => (c.closedWith = code));
    ws.on("error", reject);
    ws.on("open", () => {
      if (subscribe) ws.send(JSON.stringify(subscribe));
      // A client that stops reading: its socket buffers fill and the server must not wait for it.
      if (slow) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      resolve(c);
    });
  });
}

async function phase(name: string, producer: ReturnType<typeof startProducer>, url: string, subscribe: object | null, withSlow: boolean) {
  const clients = await Promise.all(Array.from({ length: flags.clients }, () => connectClient(url, subscribe, false)));
  const slow = withSlow ? await connectClient(url, subscribe, true) : null;
  await new Promise((r) => setTimeout(r, 500));
  const started = Date.now();
  producer.send({ type: "produce", rate: flags.rate, seconds: flags.seconds });
  const produced = await producer.next("produced");
  // Let the tail arrive (bounded), then measure.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && clients.some((c) => c.lines < produced.lines)) await new Promise((r) => setTimeout(r, 50));
  const lags = clients.flatMap((c) => c.lags);
  const perClient = clients.map((c) => c.lines / ((Math.max(c.lastAt, started + produced.ms) - started) / 1000));
  const result = {
    phase: name,
    produced: produced.lines,
    producedPerSecond: round(produced.lines / (produced.ms / 1000), 0),
    persistedPerSecond: round(produced.written / (produced.ms / 1000), 0),
    deliveredPerClientPerSecond: round(percentile(perClient, 50), 0),
    deliveredAggregatePerSecond: round(perClient.reduce((a, b) => a + b, 0), 0),
    complete: clients.every((c) => c.lines >= produced.lines),
    latencyMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.reduce((a, b) => Math.max(a, b), 0) },
    producerPeakRssMb: produced.peakRssMb,
    slowClient: slow ? { linesReceived: slow.lines, closedWithCode: slow.closedWith } : null,
  };
  for (const c of [...clients, ...(slow ? [slow] : [])]) c.ws.terminate();
  console.log(`${name}: ${result.deliveredPerClientPerSecond} lines/s per client, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, producer peak ${result.producerPeakRssMb} MB${slow ? `, slow client closed with ${slow.closedWith}` : ""}`);
  return result;
}

async function main() {
  const home = await mkdtemp(path.join(os.tmpdir(), "switchyard-bench-logs-"));
  await chmod(home, 0o755);
  const server = await startEmbeddedServer({ dataDir: path.join(home, "pg"), port: PORT, password: "bench-only-local", logFile: path.join(home, "pg.log") });
  const producers: ChildProcess[] = [];
  process.once("SIGINT", () => void server.stop().then(() => process.exit(130)));
  try {
    const databaseUrl = await server.database("bench_logs");
    await migrate(databaseUrl);
    const keyText = generateSecretKeyText();
    const secretKey = parseSecretKey(keyText);
    const db = createDb(databaseUrl);
    const ctx = { db, actor: systemActor("cli"), now: () => new Date(), secretKey };
    const app = await addHerokuApp({ ctx, input: { name: "bench-app", apiBaseUrl: "http://127.0.0.1:1", apiToken: "bench-token-0000" } });
    const cutover = await createCutover({ ctx, input: { name: "bench", herokuAppId: app.id } });
    const results = [];
    const phases: Array<["pipeline" | "bare", string, boolean]> = [
      ["pipeline", "pipeline", false],
      ["pipeline", "pipeline + 1 slow client", true],
      ["bare", "bare ws broadcast", false],
    ];
    for (const [mode, name, withSlow] of phases) {
      const run = await db.cutoverRun.create({ data: { cutoverId: cutover.id, kind: "rehearsal", status: "running", planHash: cutover.planHash, planSnapshot: {} } });
      const producer = startProducer(mode, databaseUrl, secretKey.bytes.toString("hex"), run.id);
      producers.push(producer.child);
      const { port } = await producer.next("ready");
      const token = mintWsToken({ userId: "bench", cutoverId: cutover.id, ttlSeconds: 600 }, secretKey.bytes);
      const url = mode === "pipeline" ? `ws://127.0.0.1:${port}/ws?token=${token}` : `ws://127.0.0.1:${port}/ws`;
      results.push(await phase(name, producer, url, mode === "pipeline" ? { type: "subscribe", runId: run.id, afterSeq: 0 } : null, withSlow));
      producer.send({ type: "exit" });
      await new Promise((r) => producer.child.once("exit", r));
    }
    await db.$disconnect();
    await writeResult(results);
  } finally {
    for (const p of producers) p.kill("SIGKILL");
    await server.stop();
    await rm(home, { recursive: true, force: true });
  }
}

async function writeResult(results: Array<Awaited<ReturnType<typeof phase>>>) {
  const [pipeline, withSlow, bare] = results as [typeof results[0], typeof results[0], typeof results[0]];
  const checks = {
    sustainedRate: pipeline.complete && pipeline.persistedPerSecond >= TARGETS.rate * 0.98 && pipeline.deliveredPerClientPerSecond >= TARGETS.rate * 0.95,
    p99Under250Ms: pipeline.latencyMs.p99 < TARGETS.p99Ms,
    deliveredVsBare: round(pipeline.deliveredPerClientPerSecond / bare.deliveredPerClientPerSecond, 3),
    slowClientHarmless:
      withSlow.complete && withSlow.latencyMs.p99 < TARGETS.p99Ms && withSlow.deliveredPerClientPerSecond >= pipeline.deliveredPerClientPerSecond * (1 - TARGETS.slowClientRateDrop),
  };
  const out = {
    at: new Date().toISOString(),
    machine: { cores: os.availableParallelism(), memoryGb: round(os.totalmem() / 2 ** 30, 1), node: process.version },
    settings: flags,
    targets: TARGETS,
    results,
    checks: { ...checks, deliveredVsBareMet: checks.deliveredVsBare >= TARGETS.deliveredVsBare },
  };
  await mkdir("bench/results", { recursive: true });
  await writeFile("bench/results/logs.json", `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nchecks: ${JSON.stringify(out.checks)}\nwritten to bench/results/logs.json`);
}

main().catch((err: unknown) => {
  console.error(`bench:logs failed: ${(err as Error).message}`);
  process.exit(1);
});
