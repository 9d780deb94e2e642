import type pg from "pg";
import { connect as connectPg } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "@/worker/engine/step-logger";
import { lockSourceReadOnly, proveWriteFreeze, unlockSourceReadOnly } from "@/worker/steps/postgres/write-freeze";
import { useEmptyDatabase } from "../support/test-db";

const source = useEmptyDatabase();
const open: pg.Client[] = [];

async function connect(application = "pg-write-freeze-test"): Promise<pg.Client> {
  const client = await connectPg(source.url, { applicationName: application });
  client.on("error", () => undefined); // terminated on purpose by lockSourceReadOnly
  open.push(client);
  return client;
}

beforeAll(async () => {
  const setup = await connectPg(source.url);
  await setup.query("CREATE TABLE events (id bigserial PRIMARY KEY, note text); INSERT INTO events (note) SELECT 'seed' FROM generate_series(1, 100)");
  await setup.end(); // flushes its statistics
});
afterAll(() => Promise.all(open.map((c) => c.end().catch(() => undefined))));

describe("proveWriteFreeze", () => {
  it("is ok on an idle source, listing the clients still connected", async () => {
    const idle = await connect("idle-reader");
    await idle.query("SELECT count(*) FROM events");
    const log = memoryLogger();
    const proof = await proveWriteFreeze({ sourceUrl: source.url, observeMs: 2_500, log });
    expect(proof).toMatchObject({ ok: true, rowChanges: 0, writingClients: [] });
    expect(proof.connectedClients.map((c) => c.application)).toContain("idle-reader");
    expect(log.lines.map((l) => l.text)).toContainEqual(expect.stringMatching(/connected: pid \d+ idle-reader@127\.0\.0\.1 as postgres \(idle\): SELECT count/));
  });

  it("is not ok while a client inserts a row every 200 ms, and names that client", async () => {
    const writer = await connect("busy-writer");
    const timer = setInterval(() => void writer.query("INSERT INTO events (note) VALUES ('tick')").catch(() => undefined), 200);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const log = memoryLogger();
      const proof = await proveWriteFreeze({ sourceUrl: source.url, observeMs: 3_000, log });
      expect(proof.ok).toBe(false);
      expect(proof.rowChanges).toBeGreaterThan(0);
      expect(proof.writingClients.map((c) => c.application)).toEqual(["busy-writer"]);
      expect(proof.writingClients[0]).toMatchObject({ clientAddr: "127.0.0.1", user: "postgres" });
      expect(log.lines.map((l) => l.text)).toContainEqual(expect.stringMatching(/writing: pid \d+ busy-writer@127\.0\.0\.1 as postgres .*INSERT INTO events/));
    } finally {
      clearInterval(timer);
    }
  });
});

describe("lockSourceReadOnly / unlockSourceReadOnly", () => {
  it("makes new sessions read-only, ends old ones, and unlocks again (both idempotent)", async () => {
    const before = await connect("old-session");
    const log = memoryLogger();
    await lockSourceReadOnly(source.url, log);
    await lockSourceReadOnly(source.url, log);
    await expect(before.query("SELECT 1")).rejects.toThrow();
    expect(log.lines.map((l) => l.text)).toContainEqual(expect.stringMatching(/^ended session pid \d+ old-session@/));

    const fresh = await connect();
    await expect(fresh.query("INSERT INTO events (note) VALUES ('after lock')")).rejects.toMatchObject({
      code: "25006",
      message: "cannot execute INSERT in a read-only transaction",
    });

    await unlockSourceReadOnly(source.url, log);
    await unlockSourceReadOnly(source.url, log);
    const after = await connect();
    await after.query("INSERT INTO events (note) VALUES ('after unlock')");
    expect((await after.query("SELECT count(*)::int AS n FROM events WHERE note = 'after unlock'")).rows[0].n).toBe(1);
  });
});
