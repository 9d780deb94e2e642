import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { createPool } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Logger } from "@/lib/log";
import { parseSecretKey } from "@/lib/security/secret-key";
import { mintWsToken } from "@/lib/ws/token";
import { LogWriter } from "@/worker/logs/log-writer";
import { spawnWorker, type WorkerProcess } from "../support/engine-harness";
import { waitUntil } from "../support/fault-kit";
import { makeCutover, makeRun } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

// Hostile input at the real worker's /ws (a worker process, its HTTP server, the database behind
// it): tokens and queries that are forged, huge or full of metacharacters, messages that are not
// JSON, not the protocol, too deep, too big or binary. Each such client is closed with 1008 (1009
// for an oversized frame) and nothing else happens: the worker stays up, a well-behaved viewer on
// the same worker keeps getting every line, and no row changes.
const t = useTestDatabase();
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
let worker: WorkerProcess;
let pool: pg.Pool;
let logs: LogWriter;
let cutoverId: string;
let runId: string;
const base = () => `ws://127.0.0.1:${worker.wsPort}`;
const key = () => parseSecretKey(t.secretKeyText).bytes;

beforeAll(async () => {
  worker = await spawnWorker(t, "worker-ws-fuzz");
  pool = createPool(t.url, { max: 3 });
  logs = new LogWriter(pool, { flushIntervalMs: 5, log: quiet });
  const { cutover } = await makeCutover(t.ctx());
  // A run no worker will pick up (queued runs are; a running one with a fresh heartbeat is not).
  const run = await makeRun(t.ctx(), cutover.id, "running");
  await t.db.cutoverRun.update({ where: { id: run.id }, data: { heartbeatAt: new Date(Date.now() + 3600_000), claimedBy: "nobody" } });
  cutoverId = cutover.id;
  runId = run.id;
  for (let i = 1; i <= 5; i++) logs.append(runId, { stream: "stdout", text: `line ${i}` });
  await logs.flush();
}, 120_000);

afterAll(async () => {
  worker?.child.kill("SIGTERM");
  await worker?.exited;
  await logs?.close();
  await pool?.end();
});

interface Client {
  ws: WebSocket;
  seqs: number[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<boolean>;
}

function open(query: string, path = "/ws"): Client {
  const ws = new WebSocket(`${base()}${path}${query}`);
  const seqs: number[] = [];
  ws.on("message", (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === "lines") seqs.push(...message.lines.map((l: { seq: number }) => l.seq));
  });
  ws.on("error", () => undefined);
  return {
    ws,
    seqs,
    closed: new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }))),
    opened: new Promise((resolve) => {
      ws.once("open", () => resolve(true));
      ws.once("unexpected-response", () => resolve(false));
    }),
  };
}

const tokenFor = (cid = cutoverId, bytes = key()) => mintWsToken({ userId: "fuzz-user", cutoverId: cid, ttlSeconds: 600 }, bytes);

async function sendAndClose(data: string | Buffer, options: { binary?: boolean } = {}) {
  const client = open(`?token=${encodeURIComponent(tokenFor())}`);
  expect(await client.opened).toBe(true);
  client.ws.send(data, { binary: options.binary ?? typeof data !== "string" });
  return client.closed;
}

async function rowCounts() {
  return { runs: await t.db.cutoverRun.count(), cutovers: await t.db.cutover.count(), lines: await t.db.logLine.count(), audit: await t.db.auditEvent.count() };
}

describe("hostile input at the worker's /ws", () => {
  it("refuses forged, oversized and odd tokens and queries, and answers 404 off /ws", async () => {
    const before = await rowCounts();
    const refusals: Array<[string, string]> = [
      ["", "token required"],
      ["?token=", "token required"],
      [`?token=${"x".repeat(10_240)}`, "invalid token"],
      [`?token=${encodeURIComponent("'; DROP TABLE cutover_runs; --")}`, "invalid token"],
      [`?token=${encodeURIComponent("$(reboot)`id`|cat /etc/passwd")}`, "invalid token"],
      [`?token=${encodeURIComponent("名前🚀\u202e")}`, "invalid token"],
      [`?token=${encodeURIComponent(tokenFor(cutoverId, randomBytes(32)))}`, "invalid token"],
      [`?token=${encodeURIComponent(`${tokenFor()}x`)}`, "invalid token"],
      [`?token=${encodeURIComponent(tokenFor().split(".").reverse().join("."))}`, "invalid token"],
      [`?token=${encodeURIComponent("\u0000")}`, "invalid token"],
    ];
    for (const [query, reason] of refusals) {
      const client = open(query);
      expect(await client.closed, query.slice(0, 60)).toEqual({ code: 1008, reason });
    }
    for (const path of ["/", "/ws/../etc/passwd", "/ws%00", "/WS", `/${"a".repeat(4_000)}`]) {
      const client = open(`?token=${encodeURIComponent(tokenFor())}`, path);
      expect(await client.opened, path.slice(0, 60)).toBe(false);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("closes 1008 on messages that are not the protocol and 1009 on an oversized frame, whatever they carry", async () => {
    const before = await rowCounts();
    const subscribe = (fields: Record<string, unknown>) => JSON.stringify({ type: "subscribe", runId, afterSeq: 0, ...fields });
    const bad: Array<string | Buffer> = [
      "{not json",
      "",
      "null",
      "[]",
      '"subscribe"',
      JSON.stringify({ type: "SUBSCRIBE", runId, afterSeq: 0 }),
      JSON.stringify({ type: "subscribe" }),
      subscribe({ runId: "'; DROP TABLE log_lines; --" }),
      subscribe({ runId: "x".repeat(10_240) }),
      subscribe({ runId: "名前🚀\u202e" }),
      subscribe({ runId: `${runId}\u0000` }),
      subscribe({ afterSeq: -1 }),
      subscribe({ afterSeq: 1.5 }),
      subscribe({ afterSeq: "0; DROP TABLE log_lines" }),
      subscribe({ afterSeq: 1e308 }),
      subscribe({ afterSeq: null }),
      subscribe({ extra: "strict protocol: unknown keys are refused" }),
      '{"type":"subscribe","runId":"' + runId + '","afterSeq":0,"__proto__":{"polluted":true}}',
      "[".repeat(20_000) + "]".repeat(20_000),
      Buffer.from(subscribe({})),
    ];
    for (const data of bad) {
      const closed = await sendAndClose(data);
      expect(closed, String(data).slice(0, 80)).toEqual({ code: 1008, reason: "bad message" });
    }
    expect((await sendAndClose("x".repeat(70 * 1024))).code).toBe(1009);
    expect((await sendAndClose(subscribe({ runId: "x".repeat(70 * 1024) }))).code).toBe(1009);
    // Well-formed, but not a run of the token's cutover (or none at all): refused, and nothing is read for it.
    for (const other of [randomUUID(), "00000000-0000-0000-0000-000000000000"]) {
      const closed = await sendAndClose(subscribe({ runId: other }));
      expect(closed).toEqual({ code: 1008, reason: "run not found for this cutover" });
    }
    const hostileClaims = open(`?token=${encodeURIComponent(tokenFor("'; DROP TABLE cutover_runs; --"))}`);
    expect(await hostileClaims.opened).toBe(true);
    hostileClaims.ws.send(subscribe({}));
    expect(await hostileClaims.closed).toEqual({ code: 1008, reason: "run not found for this cutover" });
    expect(await rowCounts()).toEqual(before);
  });

  it("keeps serving a well-behaved viewer through all of it, and stays up", async () => {
    const viewer = open(`?token=${encodeURIComponent(tokenFor())}`);
    expect(await viewer.opened).toBe(true);
    viewer.ws.send(JSON.stringify({ type: "subscribe", runId, afterSeq: 0 }));
    await waitUntil("the viewer has the stored lines", () => viewer.seqs.length >= 5, 30_000);
    // A flood of hostile clients at once, while the viewer watches.
    const flood = Array.from({ length: 40 }, (_, i) => sendAndClose(i % 2 ? "{" : "x".repeat(70 * 1024)));
    for (let i = 6; i <= 10; i++) logs.append(runId, { stream: "stdout", text: `line ${i}` });
    await logs.flush();
    const codes = (await Promise.all(flood)).map((c) => c.code);
    expect(new Set(codes)).toEqual(new Set([1008, 1009]));
    await waitUntil("the viewer got the new lines", () => viewer.seqs.length >= 10, 30_000);
    expect(viewer.seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(viewer.ws.readyState).toBe(WebSocket.OPEN);
    viewer.ws.close();
    expect(worker.child.exitCode).toBeNull();
    const health = await fetch(`http://127.0.0.1:${worker.wsPort}/healthz`);
    expect(health.status).toBe(200);
    expect(worker.lines.filter((l) => /unhandled|uncaught|TypeError|RangeError/i.test(l))).toEqual([]);
  });
});
