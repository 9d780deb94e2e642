import net from "node:net";
import type pg from "pg";
import { connect, createPool } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "@/lib/log";
import { LogWriter } from "@/worker/logs/log-writer";
import { MAX_LINE_BYTES } from "@/worker/logs/prepare-line";
import { useTestDatabase } from "../support/test-db";
import { makeCutover, makeRun } from "../support/fixtures";

const t = useTestDatabase();
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const pools: pg.Pool[] = [];

function newPool(url = t.url, applicationName = "logs-writer-test"): pg.Pool {
  const pool = createPool(url, { max: 4, applicationName: applicationName });
  pool.on("error", () => undefined);
  pools.push(pool);
  return pool;
}

async function newRunId(): Promise<string> {
  const ctx = t.ctx();
  const { cutover } = await makeCutover(ctx);
  return (await makeRun(ctx, cutover.id, "running")).id;
}

async function stored(runId: string) {
  const { rows } = await newPool().query<{ seq: number; stream: string; text: string; step_run_id: string | null }>(
    `SELECT seq, stream::text AS stream, text, step_run_id FROM log_lines WHERE run_id = $1 ORDER BY seq`,
    [runId],
  );
  return rows;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A TCP proxy to the test database that can play "the database is unreachable". */
async function startProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => (sockets.delete(s), client.destroy(), upstream.destroy()));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    setDown(value: boolean) {
      down = value;
      if (down) for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
});

describe("LogWriter", () => {
  it("numbers lines 1..N without gaps or duplicates when two writers append to one run at once", async () => {
    const runId = await newRunId();
    const writers = [new LogWriter(newPool(), { flushIntervalMs: 2, maxBatch: 150, log: quiet }), new LogWriter(newPool(), { flushIntervalMs: 2, maxBatch: 150, log: quiet })];
    for (let i = 0; i < 2500; i += 1) {
      writers.forEach((w, k) => w.append(runId, { stream: "stdout", text: `w${k} ${i}` }));
      if (i % 100 === 0) await sleep(1); // let batches of both writers overlap
    }
    await Promise.all(writers.map((w) => w.close()));
    const rows = await stored(runId);
    expect(rows.map((r) => r.seq)).toEqual(range(5000));
    for (const k of [0, 1]) {
      const mine = rows.filter((r) => r.text.startsWith(`w${k} `)).map((r) => Number(r.text.split(" ")[1]));
      expect(mine).toEqual(range(2500).map((i) => i - 1)); // each writer's order is kept
      expect(writers[k]!.stats()).toMatchObject({ appended: 2500, written: 2500, dropped: 0, buffered: 0 });
      expect(writers[k]!.stats().batches).toBeGreaterThan(1);
    }
    const { rows: run } = await newPool().query(`SELECT last_log_seq FROM cutover_runs WHERE id = $1`, [runId]);
    expect(run[0].last_log_seq).toBe(5000);
  });

  it("redacts the run's secrets and postgres URL passwords, and truncates long lines at 8 kB", async () => {
    const runId = await newRunId();
    const writer = new LogWriter(newPool(), { log: quiet });
    const secret = "s3cr3t-Value-42";
    writer.registerSecrets(runId, [secret]);
    writer.append(runId, { stream: "stderr", text: `auth with ${secret} failed` });
    writer.append(runId, { stream: "system", text: "$ pg_dump postgres://app:hunter2pw@db.example.com:5432/app" });
    writer.append(runId, { stream: "stdout", text: "x".repeat(MAX_LINE_BYTES - 5) + secret + "y".repeat(20_000) });
    writer.append(runId, { stream: "stdout", text: "é".repeat(6000), stepRunId: "not-a-uuid" });
    writer.append(runId, { stream: "stdout", text: "nul\u0000byte" });
    await writer.close();
    const rows = await stored(runId);
    expect(rows.map((r) => r.stream)).toEqual(["stderr", "system", "stdout", "stdout", "stdout"]);
    expect(rows[0]!.text).toBe("auth with **** failed");
    expect(rows[1]!.text).toBe("$ pg_dump postgres://app:****@db.example.com:5432/app");
    for (const row of rows) {
      expect(row.text).not.toContain(secret.slice(0, 8));
      expect(row.text).not.toContain("hunter2pw");
      expect(Buffer.byteLength(row.text)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    }
    expect(rows[2]!.text).toMatch(/ … \[truncated, 28202 bytes\]$/);
    expect(rows[3]!.text).toMatch(/^é+ … \[truncated, 12000 bytes\]$/); // cut between characters, not inside one
    expect(rows[3]!.step_run_id).toBeNull();
    expect(rows[4]!.text).toBe("nul\uFFFDbyte");
  });

  it("NOTIFYs switchyard_logs with runId:lastSeq when the batch commits", async () => {
    const runId = await newRunId();
    const listener = await connect(t.url);
    const payloads: string[] = [];
    listener.on("notification", (n) => payloads.push(n.payload ?? ""));
    await listener.query("LISTEN switchyard_logs");
    const writer = new LogWriter(newPool(), { log: quiet });
    for (const text of ["one", "two", "three"]) writer.append(runId, { stream: "stdout", text });
    await writer.flush();
    writer.append(runId, { stream: "stdout", text: "four" });
    await writer.close();
    await waitFor(() => payloads.length >= 2);
    expect(payloads).toEqual([`${runId}:3`, `${runId}:4`]);
    await listener.end();
  });

  it("writes a backlog in batches of at most maxBatch lines and about maxBatchChars of text", async () => {
    const runId = await newRunId();
    const writer = new LogWriter(newPool(), { flushIntervalMs: 1_000, maxBatch: 400, maxBatchChars: 20_000, log: quiet });
    for (let i = 0; i < 1000; i += 1) writer.append(runId, { stream: "stdout", text: `short ${i}` });
    await writer.flush();
    expect(writer.stats().batches).toBe(3); // 400 + 400 + 200
    for (let i = 0; i < 10; i += 1) writer.append(runId, { stream: "stdout", text: `${i}`.padEnd(5_000, "x") });
    await writer.flush();
    expect(writer.stats().batches).toBe(6); // 4 + 4 + 2 lines of 5,000 characters
    expect((await stored(runId)).map((r) => r.seq)).toEqual(range(1010));
    await writer.close();
  });

  it("keeps and stores every line when the pool's connections are killed mid-stream", async () => {
    const runId = await newRunId();
    const pool = newPool(t.url, "logs-writer-victim");
    const writer = new LogWriter(pool, { flushIntervalMs: 1, maxBatch: 50, log: quiet });
    const killer = newPool();
    for (let round = 0; round < 20; round += 1) {
      for (let i = 0; i < 100; i += 1) writer.append(runId, { stream: "stdout", text: `line ${round * 100 + i}` });
      await sleep(3);
      if (round % 4 === 1) {
        await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'logs-writer-victim'`);
      }
    }
    await writer.close();
    const rows = await stored(runId);
    expect(rows.map((r) => r.seq)).toEqual(range(2000));
    expect(rows.map((r) => r.text)).toEqual(range(2000).map((i) => `line ${i - 1}`));
    expect(writer.stats()).toMatchObject({ appended: 2000, written: 2000, dropped: 0 });
  });

  it("retries with backoff while the database is unreachable, then stores everything in order", async () => {
    const runId = await newRunId();
    const proxy = await startProxy(t.url);
    const writer = new LogWriter(newPool(proxy.url), { flushIntervalMs: 5, log: quiet });
    writer.append(runId, { stream: "stdout", text: "before" });
    await writer.flush();
    proxy.setDown(true);
    for (let i = 0; i < 300; i += 1) writer.append(runId, { stream: "stdout", text: `during ${i}` });
    await waitFor(() => writer.stats().failures >= 2);
    expect(writer.stats()).toMatchObject({ buffered: 300, written: 1 });
    proxy.setDown(false);
    await writer.close();
    const rows = await stored(runId);
    expect(rows.map((r) => r.text)).toEqual(["before", ...range(300).map((i) => `during ${i - 1}`)]);
    expect(rows.map((r) => r.seq)).toEqual(range(301));
    await proxy.close();
  });

  it("past maxBufferedLines drops the oldest lines and stores one counted marker in their place", async () => {
    const runId = await newRunId();
    const proxy = await startProxy(t.url);
    proxy.setDown(true);
    const writer = new LogWriter(newPool(proxy.url), { maxBufferedLines: 100, log: quiet });
    for (let i = 0; i < 250; i += 1) writer.append(runId, { stream: "stdout", text: `l${i}` });
    expect(writer.stats()).toMatchObject({ dropped: 150, buffered: 100 });
    await waitFor(() => writer.stats().failures >= 1);
    proxy.setDown(false);
    await writer.close();
    const rows = await stored(runId);
    expect(rows[0]).toMatchObject({ seq: 1, stream: "system", text: "[150 lines dropped]" });
    expect(rows.slice(1).map((r) => r.text)).toEqual(range(100).map((i) => `l${i + 149}`));
    expect(writer.stats()).toMatchObject({ appended: 250, written: 100, dropped: 150, buffered: 0 });
    await proxy.close();
  });

  it("drops lines of a run that does not exist instead of retrying forever", async () => {
    const writer = new LogWriter(newPool(), { log: quiet });
    writer.append("00000000-0000-4000-8000-000000000000", { stream: "stdout", text: "orphan" });
    await writer.close();
    expect(writer.stats()).toMatchObject({ appended: 1, written: 0, dropped: 1 });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await sleep(10);
  }
}
