import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type pg from "pg";
import { createPool } from "@/lib/pg/connect";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "@/lib/log";
import { mintWsToken } from "@/lib/ws/token";
import { LogWriter } from "@/worker/logs/log-writer";
import { attachLogStream, type LogStreamOptions } from "@/worker/ws/attach-log-stream";
import { useTestDatabase } from "../support/test-db";
import { makeCutover, makeRun } from "../support/fixtures";

const t = useTestDatabase();
const key = randomBytes(32);
const SECRET = "ws-Secret-Pa55word";
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const frames: string[] = []; // every frame any client received: none may hold a secret
const cleanups: Array<() => Promise<void>> = [];
let pool: pg.Pool;
let writer: LogWriter;

beforeAll(() => {
  pool = createPool(t.url, { max: 8 });
  pool.on("error", () => undefined);
  writer = new LogWriter(pool, { flushIntervalMs: 5, log: quiet });
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await writer.close();
  await pool.end();
  expect(frames.length).toBeGreaterThan(0);
  for (const frame of frames) expect(frame).not.toContain(SECRET);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(5);
  }
}

function listenUrl(applicationName: string): string {
  const url = new URL(t.url);
  url.searchParams.set("application_name", applicationName);
  return url.toString();
}

async function startStream(options: Partial<LogStreamOptions> & { name?: string } = {}) {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { name = "ws-test-listener", ...rest } = options;
  const stream = attachLogStream(server, { pool, listenUrl: listenUrl(name), keyBytes: key, log: quiet, maxBufferedBytes: 256 * 1024, ...rest });
  cleanups.push(async () => {
    await stream.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  if (!options.listenUrl) await waitFor(() => stream.stats().listening);
  return { stream, base: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}` };
}

interface TestClient {
  ws: WebSocket;
  messages: Array<Record<string, any>>;
  seqs: number[];
  closed: Promise<{ code: number; reason: string }>;
}

function connect(base: string, token: string | null, options: { path?: string; autoPong?: boolean } = {}): TestClient {
  const query = token === null ? "" : `?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(`${base}${options.path ?? "/ws"}${query}`, { autoPong: options.autoPong ?? true });
  const client: TestClient = {
    ws,
    messages: [],
    seqs: [],
    closed: new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
  ws.on("message", (data) => {
    const text = data.toString();
    frames.push(text);
    const message = JSON.parse(text);
    client.messages.push(message);
    if (message.type === "lines") client.seqs.push(...message.lines.map((l: { seq: number }) => l.seq));
  });
  ws.on("error", () => undefined);
  return client;
}

async function subscribed(base: string, cutoverId: string, runId: string, afterSeq = 0, autoPong = true): Promise<TestClient> {
  const client = connect(base, mintWsToken({ userId: "user-1", cutoverId }, key), { autoPong });
  await new Promise((resolve) => client.ws.once("open", resolve));
  client.ws.send(JSON.stringify({ type: "subscribe", runId, afterSeq }));
  return client;
}

const lastSeq = (c: TestClient) => c.seqs[c.seqs.length - 1] ?? 0;
const ofType = (c: TestClient, type: string) => c.messages.filter((m) => m.type === type);

async function newRun() {
  const ctx = t.ctx();
  const { cutover } = await makeCutover(ctx);
  const run = await makeRun(ctx, cutover.id, "running");
  return { runId: run.id, cutoverId: cutover.id };
}

async function writeLines(runId: string, count: number, prefix = "line"): Promise<void> {
  for (let i = 0; i < count; i += 1) writer.append(runId, { stream: "stdout", text: `${prefix} ${i}` });
  await writer.flush();
}

describe("log stream: replay and live", () => {
  it("replays stored lines after afterSeq in pages of at most 1000, then streams live lines", async () => {
    const { base } = await startStream();
    const { runId, cutoverId } = await newRun();
    await writeLines(runId, 2500);
    const client = await subscribed(base, cutoverId, runId, 1000);
    await waitFor(() => lastSeq(client) === 2500);
    expect(client.messages[0]).toEqual({ type: "status", runId, status: "running", version: 0 });
    expect(client.seqs).toEqual(range(1001, 2500));
    expect(Math.max(...ofType(client, "lines").map((m) => m.lines.length))).toBeLessThanOrEqual(1000);
    await writeLines(runId, 10, "live");
    await waitFor(() => lastSeq(client) === 2510);
    expect(client.seqs).toEqual(range(1001, 2510));
    const last = ofType(client, "lines").at(-1)!.lines.at(-1);
    expect(last).toEqual({ seq: 2510, stream: "stdout", text: "live 9", at: expect.stringMatching(/^\d{4}-.*Z$/), stepRunId: null });
  });

  it("gives every seq exactly once across a reconnect in the middle of a stream", async () => {
    const { base } = await startStream();
    const { runId, cutoverId } = await newRun();
    const total = 3000;
    const producing = (async () => {
      for (let i = 0; i < total; i += 1) {
        writer.append(runId, { stream: "stdout", text: `p ${i}` });
        if (i % 30 === 29) await sleep(3);
      }
      await writer.flush();
    })();
    const first = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => first.seqs.length >= 500);
    first.ws.close();
    await first.closed;
    const resumeFrom = lastSeq(first);
    const second = await subscribed(base, cutoverId, runId, resumeFrom);
    await producing;
    await waitFor(() => lastSeq(second) === total);
    expect(resumeFrom).toBeLessThan(total); // the writer really was still writing
    expect([...first.seqs, ...second.seqs]).toEqual(range(1, total));
  });

  it("reads a run's new lines once per wake-up, however many clients watch it", async () => {
    const { base, stream } = await startStream({ pollMs: 60_000 });
    const { runId, cutoverId } = await newRun();
    await writeLines(runId, 1);
    const clients = await Promise.all([1, 2, 3].map(() => subscribed(base, cutoverId, runId, 0)));
    await waitFor(() => clients.every((c) => lastSeq(c) === 1));
    await sleep(50);
    const before = stream.stats().liveReads;
    await writeLines(runId, 200);
    await waitFor(() => clients.every((c) => lastSeq(c) === 201));
    expect(stream.stats().liveReads - before).toBe(1);
    for (const c of clients) expect(c.seqs).toEqual(range(1, 201));
  });

  it("fans each page out to many clients with one read and one serialization", async () => {
    const { base, stream } = await startStream({ pollMs: 60_000 });
    const { runId, cutoverId } = await newRun();
    await writeLines(runId, 1);
    const clients = await Promise.all(Array.from({ length: 25 }, () => subscribed(base, cutoverId, runId, 0)));
    await waitFor(() => clients.every((c) => lastSeq(c) === 1));
    await sleep(50);
    const before = stream.stats();
    await writeLines(runId, 300);
    await waitFor(() => clients.every((c) => lastSeq(c) === 301));
    expect(stream.stats().liveReads - before.liveReads).toBe(1);
    expect(stream.stats().liveFrames - before.liveFrames).toBe(1);
    const livePages = new Set(clients.map((c) => JSON.stringify(ofType(c, "lines").at(-1))));
    expect(livePages.size).toBe(1);
    for (const c of clients) expect(c.seqs).toEqual(range(1, 301));
  });

  it("replaces the subscription when the client subscribes to another run", async () => {
    const { base } = await startStream();
    const first = await newRun();
    await pool.query(`UPDATE cutover_runs SET status = 'succeeded' WHERE id = $1`, [first.runId]); // one active run per cutover
    const other = await makeRun(t.ctx(), first.cutoverId, "queued");
    await writeLines(first.runId, 3, "first");
    await writeLines(other.id, 2, "other");
    const client = await subscribed(base, first.cutoverId, first.runId, 0);
    await waitFor(() => lastSeq(client) === 3);
    client.ws.send(JSON.stringify({ type: "subscribe", runId: other.id, afterSeq: 0 }));
    await waitFor(() => ofType(client, "lines").some((m) => m.runId === other.id && m.lines.at(-1).seq === 2));
    await writeLines(first.runId, 5, "first");
    await writeLines(other.id, 1, "other");
    await waitFor(() => ofType(client, "lines").at(-1)!.lines.at(-1).seq === 3);
    const frames = ofType(client, "lines").map((m) => [m.runId === other.id ? "other" : "first", m.lines.map((l: { seq: number }) => l.seq)]);
    expect(frames.flatMap(([run, seqs]) => (seqs as number[]).map((seq) => `${run}:${seq}`))).toEqual(
      ["first:1", "first:2", "first:3", "other:1", "other:2", "other:3"],
    );
  });

  it("masks registered secrets and passwords in every frame", async () => {
    const { base } = await startStream();
    const { runId, cutoverId } = await newRun();
    writer.registerSecrets(runId, [SECRET]);
    writer.append(runId, { stream: "stderr", text: `password ${SECRET} rejected` });
    writer.append(runId, { stream: "system", text: `$ psql postgres://admin:${SECRET}@rds.example.com/app` });
    await writer.flush();
    const client = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => lastSeq(client) === 2);
    const texts = ofType(client, "lines").flatMap((m) => m.lines.map((l: { text: string }) => l.text));
    expect(texts).toEqual(["password **** rejected", "$ psql postgres://admin:****@rds.example.com/app"]);
  });

  it("sends the run's status on subscribe and after every NOTIFY on switchyard_status", async () => {
    const { base } = await startStream({ pollMs: 60_000 });
    const { runId, cutoverId } = await newRun();
    const client = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => ofType(client, "status").length === 1);
    await pool.query(`UPDATE cutover_runs SET status = 'cancelling', version = version + 1 WHERE id = $1`, [runId]);
    await pool.query(`SELECT pg_notify('switchyard_status', $1)`, [runId]);
    await waitFor(() => ofType(client, "status").length === 2, 1_500);
    // A step transition notifies without changing the run row: the page is told to refresh anyway.
    await pool.query(`SELECT pg_notify('switchyard_status', $1)`, [runId]);
    await waitFor(() => ofType(client, "status").length === 3, 1_500);
    expect(ofType(client, "status")).toEqual([
      { type: "status", runId, status: "running", version: 0 },
      { type: "status", runId, status: "cancelling", version: 1 },
      { type: "status", runId, status: "cancelling", version: 1 },
    ]);
  });
});

describe("log stream: lines this process wrote", () => {
  async function localWriter(): Promise<LogWriter> {
    const local = new LogWriter(pool, { flushIntervalMs: 5, log: quiet });
    cleanups.push(() => local.close()); // after the stream (cleanups run in reverse)
    return local;
  }

  it("streams the local writer's commits without reading them back, as a read would return them", async () => {
    const local = await localWriter();
    const dead = net.createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const url = new URL(t.url);
    url.host = `127.0.0.1:${(dead.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => dead.close(resolve));
    // No NOTIFY and no poll: lines can only come from the writer itself.
    const { base, stream } = await startStream({ listenUrl: url.toString(), pollMs: 60_000, localLines: local });
    const { runId, cutoverId } = await newRun();
    const client = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => ofType(client, "status").length === 1);
    await sleep(50);
    const before = stream.stats();
    local.registerSecrets(runId, [SECRET]);
    local.append(runId, { stepRunId: randomUUID().toUpperCase(), stream: "stderr", text: `password ${SECRET}` });
    for (let i = 0; i < 1500; i += 1) local.append(runId, { stream: "stdout", text: `local ${i}` });
    await local.flush();
    await waitFor(() => lastSeq(client) === 1501);
    expect(stream.stats().liveReads - before.liveReads).toBe(0);
    expect(stream.stats().localPages - before.localPages).toBeGreaterThanOrEqual(2); // pages of at most 1000
    expect(client.seqs).toEqual(range(1, 1501));
    const replayer = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => lastSeq(replayer) === 1501);
    const linesOf = (c: TestClient) => ofType(c, "lines").flatMap((m) => m.lines);
    expect(linesOf(client)).toEqual(linesOf(replayer));
    expect(linesOf(client)[0].text).toBe("password ****");
  });

  it("does not read a batch whose NOTIFY overtakes its COMMIT's answer: the hand-over brings it", async () => {
    const local = await localWriter();
    const { base, stream } = await startStream({ pollMs: 60_000, localLines: local });
    const { runId, cutoverId } = await newRun();
    const client = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => ofType(client, "status").length === 1);
    await sleep(50);
    const before = stream.stats();
    for (let batch = 0; batch < 20; batch += 1) {
      for (let i = 0; i < 100; i += 1) local.append(runId, { stream: "stdout", text: `b${batch} ${i}` });
      await local.flush();
    }
    await waitFor(() => lastSeq(client) === 2000 && stream.stats().notifications - before.notifications >= 20);
    expect(stream.stats().liveReads - before.liveReads).toBe(0);
    expect(client.seqs).toEqual(range(1, 2000));
  });

  it("hands a client that reconnects mid-stream from replay to the writer's batches without a gap or duplicate", async () => {
    const local = await localWriter();
    const { base, stream } = await startStream({ localLines: local });
    const { runId, cutoverId } = await newRun();
    const total = 3000;
    const producing = (async () => {
      for (let i = 0; i < total; i += 1) {
        local.append(runId, { stream: "stdout", text: `p ${i}` });
        if (i % 30 === 29) await sleep(3);
      }
      await local.flush();
    })();
    const first = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => first.seqs.length >= 500);
    first.ws.close();
    await first.closed;
    const second = await subscribed(base, cutoverId, runId, lastSeq(first));
    await producing;
    await waitFor(() => lastSeq(second) === total);
    expect(lastSeq(first)).toBeLessThan(total);
    expect([...first.seqs, ...second.seqs]).toEqual(range(1, total));
    expect(stream.stats().localPages).toBeGreaterThan(0);
  });

  it("reads another writer's lines in between from the database: each seq once, in order", async () => {
    const local = await localWriter();
    const { base, stream } = await startStream({ localLines: local });
    const { runId, cutoverId } = await newRun();
    const client = await subscribed(base, cutoverId, runId, 0);
    for (let round = 0; round < 20; round += 1) {
      const by = round % 2 === 0 ? local : writer; // `writer` plays another worker's process
      for (let i = 0; i < 50; i += 1) by.append(runId, { stream: "stdout", text: `round ${round} line ${i}` });
      if (round % 3 === 2) await Promise.all([local.flush(), writer.flush()]);
      else await sleep(2);
    }
    await Promise.all([local.flush(), writer.flush()]);
    await waitFor(() => lastSeq(client) === 1000);
    expect(client.seqs).toEqual(range(1, 1000));
    expect(stream.stats().localPages).toBeGreaterThan(0);
    expect(stream.stats().liveReads).toBeGreaterThan(1);
  });
});

describe("log stream: when notifications fail", () => {
  it("keeps serving lines and status by polling while LISTEN is unavailable", async () => {
    const dead = net.createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const url = new URL(t.url);
    url.host = `127.0.0.1:${(dead.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => dead.close(resolve));
    const { base, stream } = await startStream({ listenUrl: url.toString(), pollMs: 200 });
    const { runId, cutoverId } = await newRun();
    const client = await subscribed(base, cutoverId, runId, 0);
    await writeLines(runId, 50);
    await pool.query(`UPDATE cutover_runs SET status = 'cancelling', version = version + 1 WHERE id = $1`, [runId]);
    await waitFor(() => lastSeq(client) === 50 && ofType(client, "status").length === 2, 3_000);
    expect(client.seqs).toEqual(range(1, 50));
    expect(stream.stats().listening).toBe(false);
  });

  it("reconnects the LISTEN connection after it is killed", async () => {
    const { base, stream } = await startStream({ name: "ws-test-victim", pollMs: 60_000 });
    const { runId, cutoverId } = await newRun();
    const client = await subscribed(base, cutoverId, runId, 0);
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ws-test-victim'`);
    await waitFor(() => !stream.stats().listening);
    await writeLines(runId, 20); // notified while nobody listens: the reconnect catches up
    await waitFor(() => stream.stats().listening, 5_000);
    await waitFor(() => lastSeq(client) === 20);
    await writeLines(runId, 5);
    await waitFor(() => lastSeq(client) === 25, 1_000);
    expect(client.seqs).toEqual(range(1, 25));
  });
});

describe("log stream: refusals", () => {
  it("closes 1008 for a missing, forged or expired token, and 404s other paths", async () => {
    const { base } = await startStream();
    const { cutoverId } = await newRun();
    const forged = mintWsToken({ userId: "u", cutoverId }, randomBytes(32));
    const expired = mintWsToken({ userId: "u", cutoverId, ttlSeconds: 60 }, key, new Date(Date.now() - 61_000));
    expect(await connect(base, null).closed).toEqual({ code: 1008, reason: "token required" });
    expect(await connect(base, forged).closed).toEqual({ code: 1008, reason: "invalid token" });
    expect(await connect(base, "garbage").closed).toEqual({ code: 1008, reason: "invalid token" });
    expect(await connect(base, expired).closed).toEqual({ code: 1008, reason: "token expired" });
    const elsewhere = connect(base, mintWsToken({ userId: "u", cutoverId }, key), { path: "/other" });
    const status = await new Promise((resolve) => elsewhere.ws.on("unexpected-response", (_req, res) => resolve(res.statusCode)));
    expect(status).toBe(404);
  });

  it("closes 1008 when the run belongs to another cutover (or does not exist)", async () => {
    const { base } = await startStream();
    const mine = await newRun();
    const theirs = await newRun();
    expect(await (await subscribed(base, mine.cutoverId, theirs.runId)).closed).toEqual({ code: 1008, reason: "run not found for this cutover" });
    const missing = "4f8a2b8e-1111-4222-8333-444455556666";
    expect((await (await subscribed(base, mine.cutoverId, missing)).closed).code).toBe(1008);
  });

  it("closes 1008 on malformed JSON, unknown types and binary frames, and 1009 on oversized frames", async () => {
    const { base } = await startStream();
    const { cutoverId } = await newRun();
    const sendRaw = async (data: string | Buffer) => {
      const client = connect(base, mintWsToken({ userId: "u", cutoverId }, key));
      await new Promise((resolve) => client.ws.once("open", resolve));
      client.ws.send(data);
      return client.closed;
    };
    expect(await sendRaw("{not json")).toEqual({ code: 1008, reason: "bad message" });
    expect(await sendRaw(JSON.stringify({ type: "hello" }))).toEqual({ code: 1008, reason: "bad message" });
    expect(await sendRaw(JSON.stringify({ type: "subscribe", runId: "x", afterSeq: 0 }))).toEqual({ code: 1008, reason: "bad message" });
    expect(await sendRaw(JSON.stringify({ type: "subscribe", runId: randomUUID(), afterSeq: -1 }))).toEqual({ code: 1008, reason: "bad message" });
    expect(await sendRaw(Buffer.from("{}"))).toEqual({ code: 1008, reason: "bad message" });
    expect((await sendRaw("x".repeat(70 * 1024))).code).toBe(1009);
  });
});

describe("log stream: slow and dead clients", () => {
  it("drops a client that stops reading (1013) while the others get every line", async () => {
    const { base, stream } = await startStream({ pollMs: 60_000 });
    const { runId, cutoverId } = await newRun();
    await writeLines(runId, 1);
    const fast = await subscribed(base, cutoverId, runId, 0);
    const slow = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => lastSeq(fast) === 1 && lastSeq(slow) === 1);
    (slow.ws as unknown as { _socket: net.Socket })._socket.pause();
    const padding = "z".repeat(4000);
    let total = 1;
    while (stream.stats().slowDrops === 0 && total < 30_000) {
      for (let i = 0; i < 500; i += 1) writer.append(runId, { stream: "stdout", text: `${total + i} ${padding}` });
      total += 500;
      await writer.flush();
      await sleep(20);
    }
    expect(stream.stats().slowDrops).toBe(1);
    await waitFor(() => lastSeq(fast) === total, 20_000);
    expect(fast.seqs).toEqual(range(1, total));
    (slow.ws as unknown as { _socket: net.Socket })._socket.resume();
    expect(await slow.closed).toEqual({ code: 1013, reason: "too slow, reconnect" });
    expect(fast.ws.readyState).toBe(WebSocket.OPEN);
  }, 60_000);

  it("keeps every fast client current while a client that stopped reading fills its buffer", async () => {
    const { base, stream } = await startStream({ pollMs: 60_000 });
    const { runId, cutoverId } = await newRun();
    await writeLines(runId, 1);
    const fast = await Promise.all([1, 2, 3, 4, 5].map(() => subscribed(base, cutoverId, runId, 0)));
    const slow = await subscribed(base, cutoverId, runId, 0);
    await waitFor(() => [...fast, slow].every((c) => lastSeq(c) === 1));
    const slowSocket = (slow.ws as unknown as { _socket: net.Socket })._socket;
    slowSocket.pause();
    const padding = "z".repeat(4000);
    let total = 1;
    let batchesWhileConnected = 0;
    while (stream.stats().slowDrops === 0 && total < 30_000) {
      for (let i = 0; i < 500; i += 1) writer.append(runId, { stream: "stdout", text: `${total + i} ${padding}` });
      total += 500;
      await writer.flush();
      // Each batch reaches every fast client while the slow one is still connected and stuck.
      await waitFor(() => fast.every((c) => lastSeq(c) === total), 5_000);
      if (stream.stats().slowDrops === 0) batchesWhileConnected += 1;
    }
    expect(stream.stats().slowDrops).toBe(1);
    expect(batchesWhileConnected).toBeGreaterThan(0);
    for (const c of fast) expect(c.seqs).toEqual(range(1, total));
    slowSocket.resume();
    expect(await slow.closed).toEqual({ code: 1013, reason: "too slow, reconnect" });
    for (const c of fast) expect(c.ws.readyState).toBe(WebSocket.OPEN);
  }, 60_000);

  it("sends heartbeats and cuts a client that misses two pongs", async () => {
    const { base } = await startStream({ heartbeatMs: 100 });
    const { runId, cutoverId } = await newRun();
    const healthy = await subscribed(base, cutoverId, runId, 0);
    const silent = await subscribed(base, cutoverId, runId, 0, false);
    const cut = await silent.closed;
    expect(cut.code).toBe(1006);
    expect(ofType(healthy, "heartbeat").length).toBeGreaterThanOrEqual(2);
    expect(ofType(healthy, "heartbeat")[0]).toEqual({ type: "heartbeat", at: expect.stringMatching(/Z$/) });
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
  });
});
