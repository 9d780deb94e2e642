// `npm run bench:logs [-- --rate 20000 --seconds 10 --clients 50]`: log lines through the worker's
// real pipeline (runLogger → LogWriter → PostgreSQL → NOTIFY → /ws) to N websocket clients, again
// with one client that stops reading, then through a bare ws broadcast of the same lines; prints a
// table and writes bench/results/logs.json. Not a test: the numbers depend on the machine.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPool } from "@/lib/pg/connect";
import { systemActor, type Ctx } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { ensureCertificates } from "@/lib/pg/certificates";
import { startEmbeddedServer } from "@/lib/pg/embedded-server";
import { generateSecretKeyText, parseSecretKey } from "@/lib/security/secret-key";
import { mintWsToken } from "@/lib/ws/token";
import { numericFlags } from "./bench/cli-args";
import { BenchClient, waitUntil } from "./bench/log-clients";
import type { ProducerMode } from "./bench/log-producer";
import { evaluate, machine, phaseResult, table, TARGETS, type PhaseResult } from "./bench/log-report";
import { processTreeCpuMs } from "./bench/proc-cpu";
import { startProducerProcess, type ProducerProcess } from "./bench/producer-process";

const USAGE = "npm run bench:logs -- [--rate lines/s (20000)] [--seconds S (10)] [--clients N (50)]";
const flags = readFlags();
const PORTS = { postgres: 27750, worker: 27751 };
const RESULT_FILE = "bench/results/logs.json";
const SETUP_NOTE =
  "worker side (runLogger → LogWriter → embedded PostgreSQL 15, durable → NOTIFY/in-process hand-over → /ws, defaults as in worker/main.ts) in a child process; " +
  "clients in the bench process; latency = receipt − the producer's Date.now() at append, embedded in each line; bare = one JSON.stringify per 10 ms tick sent to every client";
/** How long after the last line was stored the clients may take to receive everything. */
const TAIL_MS = 15_000;

interface Phase {
  label: string;
  mode: ProducerMode;
  slowClient: boolean;
}

const PHASES: Phase[] = [
  { label: "pipeline", mode: "pipeline", slowClient: false },
  { label: "pipeline + 1 slow client", mode: "pipeline", slowClient: true },
  { label: "bare ws broadcast", mode: "bare", slowClient: false },
];

interface Setup {
  ctx: Ctx;
  pool: pg.Pool;
  databaseUrl: string;
  herokuAppId: string;
  postgresPid: number;
}

async function main() {
  for (const port of Object.values(PORTS)) await assertPortFree(port);
  const home = await mkdtemp(path.join(os.tmpdir(), "switchyard-bench-logs-"));
  console.log(`bench:logs: ${flags.rate} lines/s for ${flags.seconds} s to ${flags.clients} clients; starting PostgreSQL on ${PORTS.postgres}`);
  // TLS only, as on RDS: every connection of the pipeline pays the TLS cost it pays in production.
  const tls = await ensureCertificates(path.join(home, "tls"), { hosts: ["127.0.0.1", "localhost"], name: "bench-logs" });
  const server = await startEmbeddedServer({
    dataDir: path.join(home, "pg"),
    port: PORTS.postgres,
    password: "bench-only-local",
    logFile: path.join(home, "pg.log"),
    tls: { certPem: tls.certPem, keyPem: tls.keyPem },
    hba: "hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\n",
  });
  const verified = (url: string) => `${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(tls.caFile)}`;
  const producers: ProducerProcess[] = [];
  // Ctrl-C or a timeout must not leave the database (its own process group) running.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const p of producers) p.kill();
      void server
        .stop()
        .catch(() => undefined)
        .then(() => rm(home, { recursive: true, force: true }))
        .finally(() => process.exit(130));
    });
  }
  try {
    const setup = await prepare(verified(await server.database("bench_logs")), server.pid);
    const results: PhaseResult[] = [];
    for (const phase of PHASES) {
      const producer = startProducerProcess();
      producers.push(producer);
      results.push(await runPhase(phase, setup, producer));
    }
    await setup.pool.end();
    await setup.ctx.db.$disconnect();
    await report(results);
  } finally {
    for (const p of producers) p.kill();
    await server.stop();
    await rm(home, { recursive: true, force: true });
  }
}

async function prepare(databaseUrl: string, postgresPid: number): Promise<Setup> {
  await migrate(databaseUrl);
  const ctx: Ctx = { db: createDb(databaseUrl), actor: systemActor("cli"), now: () => new Date(), secretKey: parseSecretKey(generateSecretKeyText()) };
  const app = await addHerokuApp({ ctx, input: { name: "bench-logs", apiBaseUrl: "http://127.0.0.1:9", apiToken: "bench-logs-token-0000" } });
  const pool = createPool(databaseUrl, { max: 2 });
  pool.on("error", () => undefined); // idle connections die with the server at Ctrl-C
  return { ctx, pool, databaseUrl, herokuAppId: app.id, postgresPid };
}

/** A cutover of its own per phase (one active run per cutover) and a running run, as the engine leaves it. */
async function newRun(setup: Setup, label: string) {
  const cutover = await createCutover({ ctx: setup.ctx, input: { name: `bench: ${label}`, herokuAppId: setup.herokuAppId } });
  const run = await setup.ctx.db.cutoverRun.create({
    data: { cutoverId: cutover.id, kind: "rehearsal", status: "running", planHash: cutover.planHash, planSnapshot: {} },
  });
  return { runId: run.id, cutoverId: cutover.id };
}

async function runPhase(phase: Phase, setup: Setup, producer: ProducerProcess): Promise<PhaseResult> {
  const { runId, cutoverId } = await newRun(setup, phase.label);
  const keyBytes = setup.ctx.secretKey.bytes;
  producer.send({ type: "start", mode: phase.mode, port: PORTS.worker, databaseUrl: setup.databaseUrl, keyHex: keyBytes.toString("hex"), runId });
  await producer.next("ready");
  const token = () => mintWsToken({ userId: "bench", cutoverId, ttlSeconds: 3600 }, keyBytes);
  const { clients, slow } = await connectViewers(phase, runId, () => `ws://127.0.0.1:${PORTS.worker}/ws?token=${token()}`);
  const { produced, cpuMs } = await produceAndWait(producer, setup, clients);
  slow?.resumeReading(); // now it can read the close frame the server sent when it dropped it
  if (slow) await Promise.race([slow.closed, sleep(7_000)]);
  producer.send({ type: "finish" });
  const finished = await producer.next("finished");
  const closedEarly = clients.filter((c) => c.closeCode !== null).length;
  for (const c of slow ? [...clients, slow] : clients) c.ws.terminate();
  await Promise.race([producer.exit, sleep(10_000)]);
  const storedLines = phase.mode === "pipeline" ? await countStored(setup.pool, runId) : null;
  const result = phaseResult({ label: phase.label, clients, slow, produced, finished, closedEarly, cpuMs, storedLines });
  console.log(`${phase.label}: ${result.deliveredPerSecond.perClientMin} lines/s per client (min), p99 ${result.latencyMs.p99} ms, worker peak ${result.worker.peakRssMb} MB`);
  return result;
}

/** N viewers (and the one that will stop reading), subscribed and live before a line is written. */
async function connectViewers(phase: Phase, runId: string, url: () => string) {
  const open = async () => {
    const client = await BenchClient.open(url());
    if (phase.mode === "pipeline") client.subscribe(runId);
    return client;
  };
  const clients = await Promise.all(Array.from({ length: flags.clients }, open));
  const slow = phase.slowClient ? await open() : null;
  const all = slow ? [...clients, slow] : clients;
  if (phase.mode === "pipeline" && !(await waitUntil(() => all.every((c) => c.statusSeen), 10_000))) {
    throw new Error("not every client got its subscription's status within 10 s");
  }
  slow?.stopReading();
  await sleep(500); // the (empty) replays end and every session goes live
  return { clients, slow };
}

/** Produces at the configured rate and waits for the clients to get everything (bounded). */
async function produceAndWait(producer: ProducerProcess, setup: Setup, clients: BenchClient[]) {
  const before = { postgres: await processTreeCpuMs(setup.postgresPid), clients: process.cpuUsage() };
  producer.send({ type: "produce", rate: flags.rate, seconds: flags.seconds });
  const produced = await producer.next("produced");
  await waitUntil(() => clients.every((c) => c.lines >= produced.lines || c.closeCode !== null), TAIL_MS);
  const postgres = await processTreeCpuMs(setup.postgresPid);
  const clientsCpu = process.cpuUsage(before.clients);
  const cpuMs = {
    postgres: postgres === null || before.postgres === null ? null : postgres - before.postgres,
    clients: Math.round((clientsCpu.user + clientsCpu.system) / 1000),
  };
  return { produced, cpuMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function countStored(pool: pg.Pool, runId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM log_lines WHERE run_id = $1`, [runId]);
  return rows[0]!.n;
}

async function report(results: PhaseResult[]) {
  const [pipeline, withSlow, bare] = results as [PhaseResult, PhaseResult, PhaseResult];
  const checks = evaluate(flags, pipeline, withSlow, bare);
  const out = { at: new Date().toISOString(), machine: machine(), settings: flags, setup: SETUP_NOTE, targets: TARGETS, phases: results, checks };
  await mkdir(path.dirname(RESULT_FILE), { recursive: true });
  await writeFile(RESULT_FILE, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\n${table(results)}\n`);
  for (const [name, check] of Object.entries(checks)) {
    if (typeof check === "object") console.log(`${check.pass ? "PASS" : "FAIL"}  ${name}: ${check.rule}`);
  }
  if (!checks.atTargetLoad) console.log(`(settings below the target load of ${TARGETS.linesPerSecond} lines/s to ${TARGETS.clients} clients: "sustained" cannot pass)`);
  console.log(`written to ${RESULT_FILE}`);
}

function readFlags() {
  try {
    return numericFlags(process.argv.slice(2), { rate: TARGETS.linesPerSecond, seconds: 10, clients: TARGETS.clients }, USAGE);
  } catch (err) {
    console.error(`bench:logs: ${(err as Error).message}`);
    process.exit(2);
  }
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", () => reject(new Error(`port ${port} is in use; bench:logs needs ${Object.values(PORTS).join(" and ")} free`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

main().catch((err: unknown) => {
  console.error(`bench:logs failed: ${(err as Error).message}`);
  process.exit(1);
});
