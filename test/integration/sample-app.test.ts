import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { connect } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSourceDatabase } from "@/sandbox/dataset";
import { useEmptyDatabase } from "../support/test-db";

// The sample app runs as a real child process, exactly as the dyno manager starts it.
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const source = useEmptyDatabase();
const running: AppProcess[] = [];
let web: AppProcess;
let db: pg.Client;
let password: string;

interface AppProcess {
  child: ChildProcess;
  port: number;
  base: string;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startApp(env: Record<string, string | undefined>): Promise<AppProcess> {
  const port = await freePort();
  // Like the dyno manager: only PATH and HOME from our environment, then the app's variables.
  const fullEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DYNO: "web.1", APP_NAME: "shop", DATABASE_URL: source.url, ...env };
  const childEnv = Object.fromEntries(Object.entries(fullEnv).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/app/main.ts"], { cwd: REPO, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })));
  const app = { child, port, base: `http://127.0.0.1:${port}`, output: () => text, exit };
  running.push(app);
  return app;
}

/** Waits until the web dyno answers at all (any status), or fails if the process ends first. */
async function untilListening(app: AppProcess): Promise<AppProcess> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && app.child.exitCode === null) {
    if (await fetch(`${app.base}/health`).then(() => true, () => false)) return app;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`app did not start:\n${app.output()}`);
}

const postWrite = (app: AppProcess, body: unknown, raw = false) => fetch(`${app.base}/api/writes`, {
  method: "POST", headers: { "Content-Type": "application/json" }, body: raw ? String(body) : JSON.stringify(body),
});

beforeAll(async () => {
  await seedSourceDatabase(source.url, { scaleMb: 2 });
  password = decodeURIComponent(new URL(source.url).password);
  db = await connect(source.url);
  web = await untilListening(await startApp({}));
});
afterAll(async () => {
  for (const app of running) if (app.child.exitCode === null) app.child.kill("SIGKILL");
  await db?.end();
});

describe("sample app, web dyno", () => {
  it("serves a home page built from the database, with images that load", async () => {
    const res = await fetch(web.base);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Switchyard sample — shop");
    expect(html).toMatch(/Latest orders/);
    expect(html).toMatch(/<td>order_items<\/td><td>[\d,]+<\/td>/);
    const srcs = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThan(4);
    for (const src of srcs) {
      const img = await fetch(new URL(src, web.base));
      expect(img.status, src).toBe(200);
      expect(img.headers.get("content-type")).toMatch(/^image\//);
      expect((await img.arrayBuffer()).byteLength).toBeGreaterThan(50);
    }
    expect((await fetch(`${web.base}/images/999999`)).status).toBe(404);
  });

  it("lists orders as JSON and rejects a bad limit", async () => {
    const res = await fetch(`${web.base}/api/orders?limit=3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { orders: Array<{ id: number; totalCents: number; placedAt: string }> };
    expect(body.orders).toHaveLength(3);
    expect(typeof body.orders[0]!.totalCents).toBe("number");
    expect((await fetch(`${web.base}/api/orders?limit=abc`)).status).toBe(400);
  });

  it("names its database in /health without the password", async () => {
    const res = await fetch(`${web.base}/health`);
    const text = await res.text();
    expect(res.status).toBe(200);
    const url = new URL(source.url);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ ok: true, dyno: "web.1", pid: web.child.pid });
    expect(body.database).toMatchObject({ host: url.hostname, port: Number(url.port), name: source.name, currentDatabase: source.name });
    expect(body.database.serverPort).toBe(Number(url.port));
    if (password) expect(text).not.toContain(password);
  });

  it("answers 404 JSON for unknown paths and 405 for wrong methods", async () => {
    const res = await fetch(`${web.base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "no route for GET /nope" });
    expect((await fetch(`${web.base}/api/writes`)).status).toBe(405);
  });

  it("POST /api/writes answers 201 with a committed row", async () => {
    const res = await postWrite(web, { clientId: "test-a", seq: 7, payload: "hello" });
    expect(res.status).toBe(201);
    const row = (await res.json()) as { id: number; clientId: string; seq: number };
    expect(row).toMatchObject({ clientId: "test-a", seq: 7 });
    const stored = await db.query("SELECT client_id, seq, payload, dyno FROM page_writes WHERE id = $1", [row.id]);
    expect(stored.rows[0]).toEqual({ client_id: "test-a", seq: 7, payload: "hello", dyno: "web.1" });
  });

  it("rejects bad bodies with 400, never 500", async () => {
    const long = "x".repeat(10_000);
    const bad: Array<[unknown, boolean]> = [
      [{ seq: 1 }, false], [{ clientId: "a" }, false], [{ clientId: 1, seq: 1 }, false], [{ clientId: "a", seq: "1" }, false],
      [{ clientId: "a", seq: 1.5 }, false], [{ clientId: long, seq: 1 }, false], [{ clientId: "a", seq: 1, payload: long }, false],
      [[1, 2], false], [null, false], ["{not json", true], ["", true],
    ];
    for (const [body, raw] of bad) {
      const res = await postWrite(web, body, raw);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
    }
  });

  it("finishes an in-flight write on SIGTERM, then exits 0", async () => {
    const app = await untilListening(await startApp({ DYNO: "web.2" }));
    await db.query("BEGIN; LOCK TABLE page_writes IN EXCLUSIVE MODE");
    const pending = postWrite(app, { clientId: "in-flight", seq: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    app.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    await db.query("COMMIT");
    expect((await pending).status).toBe(201);
    expect(await app.exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
  });
});

describe("sample app, database unreachable", () => {
  it("answers 503 (not 201) to writes, and says why without leaking the password", async () => {
    const url = new URL(source.url);
    url.port = String(await freePort());
    const app = await untilListening(await startApp({ DATABASE_URL: url.toString(), DYNO: "web.3" }));
    const res = await postWrite(app, { clientId: "lost", seq: 1 });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/database unavailable/);
    const health = await fetch(`${app.base}/health`);
    expect(health.status).toBe(503);
    expect((await fetch(app.base)).status).toBe(503);
    if (password) expect((await health.text()) + app.output()).not.toContain(password);
    expect((await db.query("SELECT count(*)::int AS n FROM page_writes WHERE client_id = 'lost'")).rows[0].n).toBe(0);
  });
});

describe("sample app, worker dyno", () => {
  it("inserts a row every interval and stops cleanly on SIGTERM", async () => {
    const app = await startApp({ DYNO: "worker.1", PORT: undefined, WORKER_INTERVAL_MS: "200" });
    await new Promise((r) => setTimeout(r, 3_000));
    const rows = await db.query("SELECT tick FROM worker_events WHERE dyno = 'worker.1' ORDER BY tick");
    expect(rows.rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.rows.map((r) => r.tick)).toEqual(rows.rows.map((_, i) => i + 1));
    const signalled = Date.now();
    app.child.kill("SIGTERM");
    expect(await app.exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    if (password) expect(app.output()).not.toContain(password);
  });
});

describe("sample app, bad environment", () => {
  const cases: Array<[string, Record<string, string | undefined>, string]> = [
    ["missing DATABASE_URL", { DATABASE_URL: undefined }, "DATABASE_URL"],
    ["a PORT that is not a number", { PORT: "eighty" }, "PORT"],
    ["a web dyno without PORT", { PORT: undefined }, "PORT"],
    ["an unknown DYNO", { DYNO: "clock" }, "DYNO"],
  ];
  it.each(cases)("exits 1 with one line naming the variable: %s", async (_name, env, variable) => {
    const app = await startApp(env);
    expect((await app.exit).code).toBe(1);
    const lines = app.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
  });
});
