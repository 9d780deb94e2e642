// lib/heroku failure handling against the emulator's faults (and a stub server for answers the
// emulator never gives): error shapes, the retry policy, timeouts, aborts and record hygiene.
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type HerokuClientOptions, type HerokuRequestRecord, HerokuApiError, HerokuNetworkError, HerokuResponseError,
  createHerokuClient,
} from "@/lib/heroku";
import { type Harness, MYAPP, RDS_URL, RIGID_URL, TOKEN, startHarness } from "./harness";

const RIGID = "postgresql-rigid-71273";

let h: Harness;
beforeEach(async () => { h = await startHarness({ seed: [MYAPP] }); });
afterEach(async () => { await h.close(); });

function clientFor(overrides: Partial<HerokuClientOptions> = {}) {
  const records: HerokuRequestRecord[] = [];
  const sleeps: number[] = [];
  const client = createHerokuClient({
    baseUrl: h.emu.url, token: TOKEN, onRequest: (r) => void records.push(r), sleep: async (ms) => void sleeps.push(ms), ...overrides,
  });
  return { client, records, sleeps };
}

const summary = (records: HerokuRequestRecord[]) => records.map((r) => `${r.attempt}:${r.status ?? "none"}${r.retryInMs !== undefined ? " retry" : ""}`);

/** A throwaway server for answers the emulator cannot give; closed after the test. */
async function stubServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe("error answers fail at once", () => {
  it("401 → HerokuApiError with id and message, no retry", async () => {
    const { client, records } = clientFor({ token: "wrong-token" });
    const error = await client.getApp("myapp").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HerokuApiError);
    expect(error).toMatchObject({ status: 401, id: "unauthorized", herokuMessage: "Invalid credentials provided.", method: "GET", path: "/apps/myapp" });
    expect((error as HerokuApiError).requestId).toBe(records[0].requestId);
    expect(summary(records)).toEqual(["1:401"]);
  });

  it("404 not_found names the resource", async () => {
    const { client, records } = clientFor();
    await expect(client.getApp("nope")).rejects.toThrow("Heroku API GET /apps/nope answered 404 not_found: Couldn't find that app.");
    await expect(client.getAttachment("myapp", "NOPE")).rejects.toMatchObject({ status: 404, id: "not_found", herokuMessage: "Couldn't find that add on attachment." });
    expect(records).toHaveLength(2);
  });

  it("422 rejects the whole config PATCH with Heroku's message", async () => {
    const { client, records } = clientFor();
    const error = await client.setConfigVars("myapp", { DATABASE_URL: RDS_URL, OTHER: "x" }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Heroku API PATCH /apps/myapp/config-vars answered 422 invalid_params: Cannot overwrite attachment values DATABASE_URL.");
    expect(error).toMatchObject({ status: 422, id: "invalid_params" });
    expect(h.emu.effectiveConfig("myapp")).not.toHaveProperty("OTHER");
    expect(records[0]).toMatchObject({ status: 422, error: "422 invalid_params: Cannot overwrite attachment values DATABASE_URL." });
  });

  it("confirmation_required is surfaced for the engine to handle, not retried", async () => {
    const { client, records } = clientFor();
    await expect(client.createAttachment({ addon: RIGID, app: "myapp", name: "HEROKU_POSTGRESQL_YELLOW" }))
      .rejects.toMatchObject({ id: "confirmation_required" });
    expect(records).toHaveLength(1);
  });
});

describe("retries", () => {
  it("429 with RateLimit-Remaining: 0 waits Retry-After, then succeeds", async () => {
    h.emu.setFaults([{ path: "/apps/myapp", status: 429, count: 1 }]);
    const { client, records, sleeps } = clientFor();
    expect((await client.getApp("myapp")).name).toBe("myapp");
    expect(summary(records)).toEqual(["1:429 retry", "2:200"]);
    expect(records[0]).toMatchObject({ retryInMs: 1000, error: expect.stringMatching(/^429 rate_limit: Your account reached the API rate limit/) });
    expect(sleeps).toEqual([1000]);
  });

  it("429 is retried even for POST (nothing was done)", async () => {
    h.emu.setFaults([{ method: "POST", path: "/addon-attachments", status: 429, count: 1 }]);
    const { client, records } = clientFor();
    await client.createAttachment({ addon: RIGID, app: "myapp", name: "HEROKU_POSTGRES_DB" });
    expect(summary(records)).toEqual(["1:429 retry", "2:201"]);
  });

  it("a 503 burst is retried with growing, jittered backoff", async () => {
    h.emu.setFaults([{ path: "/apps/myapp/config-vars", status: 503, count: 3 }]);
    const { client, records, sleeps } = clientFor();
    expect((await client.getConfigVars("myapp")).DATABASE_URL).toBe(RIGID_URL);
    expect(summary(records)).toEqual(["1:503 retry", "2:503 retry", "3:503 retry", "4:200"]);
    expect(sleeps).toHaveLength(3);
    [[250, 500], [500, 1000], [1000, 2000]].forEach(([low, high], i) => {
      expect(sleeps[i]).toBeGreaterThanOrEqual(low);
      expect(sleeps[i]).toBeLessThanOrEqual(high);
    });
    expect(records.slice(0, 3).map((r) => r.retryInMs)).toEqual(sleeps);
  });

  it("caps backoff at maxDelayMs", async () => {
    h.emu.setFaults([{ path: "/apps/myapp", status: 500, count: 5 }]);
    const { client, sleeps } = clientFor({ baseDelayMs: 100, maxDelayMs: 300 });
    await client.getApp("myapp");
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(300);
  });

  it("a permanent 503 fails after maxAttempts with the API id and message", async () => {
    h.emu.setFaults([{ path: "/apps/myapp", status: 503 }]);
    const { client, records } = clientFor({ maxAttempts: 4 });
    const error = await client.setMaintenance("myapp", true).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Heroku API PATCH /apps/myapp answered 503 service_unavailable: Service unavailable (injected fault). (after 4 attempts)");
    expect(error).toMatchObject({ status: 503, id: "service_unavailable", attempts: 4 });
    expect(summary(records)).toEqual(["1:503 retry", "2:503 retry", "3:503 retry", "4:503"]);
    expect(h.emu.app("myapp")?.maintenance).toBe(false);
  });

  it("a POST answered 503 is not retried: it may have been applied", async () => {
    h.emu.setFaults([{ method: "POST", path: "/addon-attachments", status: 503, count: 1 }]);
    const { client, records, sleeps } = clientFor();
    await expect(client.createAttachment({ addon: RIGID, app: "myapp", name: "HEROKU_POSTGRES_DB" }))
      .rejects.toMatchObject({ status: 503, id: "service_unavailable", attempts: 1 });
    expect(summary(records)).toEqual(["1:503"]);
    expect(sleeps).toEqual([]);
  });

  it("a GET whose connection is reset is retried", async () => {
    h.emu.setFaults([{ path: "^/apps/myapp$", reset: true, count: 1 }]);
    const { client, records } = clientFor();
    expect((await client.getApp("myapp")).name).toBe("myapp");
    expect(summary(records)).toEqual(["1:none retry", "2:200"]);
    expect(records[0]).toMatchObject({ requestId: null, error: expect.stringContaining("UND_ERR_SOCKET") });
  });

  it("a POST whose connection is reset is not retried", async () => {
    h.emu.setFaults([{ method: "POST", path: "/addon-attachments", reset: true, count: 1 }]);
    const { client, records } = clientFor();
    const error = await client.createAttachment({ addon: RIGID, app: "myapp", name: "HEROKU_POSTGRES_DB" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HerokuNetworkError);
    expect((error as Error).message).toMatch(/^Heroku API POST \/addon-attachments could not be reached: other side closed \(UND_ERR_SOCKET\)$/);
    expect(records).toHaveLength(1);
  });

  it("a refused POST is retried (nothing reached Heroku), then fails naming the cause", async () => {
    const gone = await stubServer(() => undefined);
    await gone.close();
    const { client, records } = clientFor({ baseUrl: gone.url, maxAttempts: 3 });
    const error = await client.createAttachment({ addon: RIGID, app: "myapp", name: "X" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HerokuNetworkError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", attempts: 3, method: "POST", path: "/addon-attachments" });
    expect((error as Error).message).toMatch(/could not be reached: connect ECONNREFUSED .* \(after 3 attempts\)$/);
    expect(summary(records)).toEqual(["1:none retry", "2:none retry", "3:none"]);
  });
});

describe("timeouts and aborts", () => {
  it("a slow answer times out per attempt and the GET is retried", async () => {
    h.emu.setFaults([{ path: "/apps/myapp", latencyMs: 400, count: 1 }]);
    const { client, records } = clientFor({ timeoutMs: 100 });
    const started = Date.now();
    expect((await client.getApp("myapp")).name).toBe("myapp");
    expect(Date.now() - started).toBeLessThan(350);
    expect(summary(records)).toEqual(["1:none retry", "2:200"]);
    expect(records[0].error).toBe("did not answer within 100 ms (ETIMEDOUT)");
  });

  it("a slow answer keeps failing until maxAttempts; a slow POST fails at once", async () => {
    h.emu.setFaults([{ path: "/", latencyMs: 300 }]);
    const { client, records } = clientFor({ timeoutMs: 50, maxAttempts: 2 });
    await expect(client.getApp("myapp")).rejects.toMatchObject({ timedOut: true, attempts: 2, message: "Heroku API GET /apps/myapp did not answer within 50 ms (after 2 attempts)" });
    records.length = 0;
    await expect(client.createAttachment({ addon: RIGID, app: "myapp", name: "X" })).rejects.toMatchObject({ timedOut: true, attempts: 1 });
    expect(records).toHaveLength(1);
  });

  it("abort stops a backoff wait", async () => {
    h.emu.setFaults([{ path: "/apps/myapp", status: 503 }]);
    const controller = new AbortController();
    let sleeping!: () => void;
    const asleep = new Promise<void>((resolve) => { sleeping = resolve; });
    const { client, records } = clientFor({ signal: controller.signal, sleep: () => { sleeping(); return new Promise<void>(() => {}); } });
    const pending = client.getApp("myapp").catch((e: unknown) => e);
    await asleep;
    controller.abort();
    const error = await pending;
    expect((error as Error).name).toBe("AbortError");
    expect(records).toHaveLength(1);
  });

  it("abort stops a request in flight, with no retry", async () => {
    h.emu.setFaults([{ path: "/apps/myapp", latencyMs: 2000 }]);
    const controller = new AbortController();
    const { client, records } = clientFor({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(client.getApp("myapp")).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(records).toEqual([expect.objectContaining({ attempt: 1, status: null, error: "aborted by the caller" })]);
    await expect(client.getApp("myapp")).rejects.toMatchObject({ name: "AbortError" });
    expect(records).toHaveLength(1);
  });
});

describe("wire details and answers the emulator never gives", () => {
  it("sends the Heroku headers and JSON body, and pauses after RateLimit-Remaining: 0 even on success", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const stub = await stubServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      res.writeHead(200, { "Content-Type": "application/json", "RateLimit-Remaining": "0", "Request-Id": "server-id-1" });
      res.end(JSON.stringify({ id: "a1", name: "acme", maintenance: true, extra: "ignored" }));
    });
    try {
      const { client, records, sleeps } = clientFor({ baseUrl: `${stub.url}/` });
      expect(await client.setMaintenance("acme", true)).toEqual({ id: "a1", name: "acme", maintenance: true });
      expect(sleeps).toEqual([]);
      await client.getApp("acme");
      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeGreaterThan(900);
      expect(sleeps[0]).toBeLessThanOrEqual(1000);
      expect(seen[0]).toMatchObject({ accept: "application/vnd.heroku+json; version=3", authorization: `Bearer ${TOKEN}`, "content-type": "application/json" });
      expect(seen[0]["request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(seen[1]["request-id"]).not.toBe(seen[0]["request-id"]);
      expect(seen[1]["content-type"]).toBeUndefined();
      expect(records.map((r) => r.requestId)).toEqual(["server-id-1", "server-id-1"]);
    } finally {
      await stub.close();
    }
  });

  it("a malformed 2xx body is a HerokuResponseError naming the path and fields", async () => {
    const stub = await stubServer((req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(req.url === "/apps/acme" ? JSON.stringify({ id: "a1", maintenance: "yes" }) : JSON.stringify({ not: "a list" }));
    });
    try {
      const { client } = clientFor({ baseUrl: stub.url });
      const error = await client.getApp("acme").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HerokuResponseError);
      expect((error as Error).message).toMatch(/^Heroku API GET \/apps\/acme answered 200 with an unexpected body: name: .*; maintenance: /);
      await expect(client.listAttachments("acme")).rejects.toThrow("Heroku API GET /apps/acme/addon-attachments answered 200 with an unexpected body: expected a JSON array (a list page)");
    } finally {
      await stub.close();
    }
  });

  it("an error answer without a JSON body still says what happened", async () => {
    const stub = await stubServer((_req, res) => { res.writeHead(502, { "Content-Type": "text/html" }); res.end("<html>Bad Gateway</html>"); });
    try {
      const { client } = clientFor({ baseUrl: stub.url, maxAttempts: 2 });
      await expect(client.getApp("acme")).rejects.toThrow("Heroku API GET /apps/acme answered 502: <html>Bad Gateway</html> (after 2 attempts)");
    } finally {
      await stub.close();
    }
  });
});

it("records never contain the token, bodies or config values", async () => {
  h.emu.setFaults([{ path: "/apps/myapp/config-vars", status: 503, count: 1 }]);
  const { client, records } = clientFor();
  const errors: unknown[] = [];
  await client.getConfigVars("myapp");
  await client.setConfigVars("myapp", { SECRET_KEY_BASE: "n3w-s3cr3t-value", API_PASSWORD: "hunter2-pass" });
  await client.setConfigVars("myapp", { DATABASE_URL: RDS_URL }).catch((e: unknown) => errors.push(e));
  await client.createAttachment({ addon: RIGID, app: "myapp", name: "DATABASE", confirm: "myapp" });
  await client.databaseInfo((await client.getAddon(RIGID)).id);
  const text = JSON.stringify(records) + errors.map(String).join("\n");
  expect(records.length).toBeGreaterThan(5);
  for (const secret of [TOKEN, RDS_URL, RIGID_URL, "s3cr3t", "n3w-s3cr3t-value", "hunter2-pass", "rigid.example.com", "Bearer"]) {
    expect(text).not.toContain(secret);
  }
  expect(Object.keys(records[0]).sort()).toEqual(["attempt", "durationMs", "error", "method", "path", "requestId", "retryInMs", "status"]);
});
