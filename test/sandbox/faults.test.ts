// Fault injection: latency, 429 with rate-limit headers, bursts limited by count, dropped
// connections, seeded rates, the admin endpoints and SANDBOX_FAULTS parsing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFaultInjector, parseFaultsEnv } from "@/sandbox/heroku/faults";
import { type Harness, MYAPP, startHarness } from "./harness";

let h: Harness;
beforeEach(async () => { h = await startHarness({ seed: [MYAPP] }); });
afterEach(async () => { await h.close(); });

describe("fault kinds", () => {
  it("adds latency to matching requests only", async () => {
    h.emu.setFaults([{ path: "/apps/myapp/config-vars", latencyMs: 300 }]);
    let started = Date.now();
    expect((await h.api("GET", "/apps/myapp/config-vars")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    started = Date.now();
    await h.api("GET", "/apps/myapp");
    expect(Date.now() - started).toBeLessThan(250);
  });

  it("answers 429 with RateLimit-Remaining: 0 and Retry-After", async () => {
    h.emu.setFaults([{ path: "/apps", status: 429 }]);
    const res = await h.api("GET", "/apps/myapp");
    expect(res.status).toBe(429);
    expect(res.body.id).toBe("rate_limit");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("request-id")).toBeTruthy();
  });

  it("limits a 503 burst to `count` matching requests", async () => {
    h.emu.setFaults([{ method: "patch", path: "/apps/myapp/config-vars", status: 503, count: 2 }]);
    expect((await h.api("GET", "/apps/myapp/config-vars")).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: String(i) } })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(h.emu.effectiveConfig("myapp").A).toBe("2");
  });

  it("drops the connection for reset rules, so fetch throws", async () => {
    h.emu.setFaults([{ path: "^/apps/[^/]+$", reset: true, count: 1 }]);
    await expect(h.api("GET", "/apps/myapp")).rejects.toThrow();
    expect((await h.api("GET", "/apps/myapp")).status).toBe(200);
  });

  it("answers a permanent 4xx with the rule's id and message, or a default per status", async () => {
    h.emu.setFaults([{ method: "PATCH", path: "/apps/myapp/config-vars", status: 403, id: "forbidden", message: "You do not have access to the app myapp." }]);
    const first = await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1" } });
    expect([first.status, first.body]).toEqual([403, { id: "forbidden", message: "You do not have access to the app myapp." }]);
    h.emu.setFaults([{ method: "PATCH", path: "/apps/myapp/config-vars", status: 422 }]);
    const second = await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1" } });
    expect([second.status, second.body.id]).toEqual([422, "invalid_params"]);
    expect(h.emu.effectiveConfig("myapp").A).toBeUndefined();
    expect(() => h.emu.setFaults([{ path: "/apps", status: 418 as never }])).toThrow();
  });

  it("answers 500 and matches regex paths", async () => {
    h.emu.setFaults([{ path: "^/client/v11/databases/.+/wait_status$", status: 500 }]);
    expect((await h.api("GET", "/client/v11/databases/x/wait_status")).status).toBe(500);
    expect((await h.api("GET", "/client/v11/databases/x")).status).toBe(404);
  });

  it("applies `rate` deterministically from the seed", () => {
    const pattern = () => {
      const injector = createFaultInjector([{ path: "/", status: 503, rate: 0.5 }], 7);
      return Array.from({ length: 40 }, () => injector.decide("GET", "/apps").status ?? 200);
    };
    const first = pattern();
    expect(first).toEqual(pattern());
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
  });
});

describe("configuring faults", () => {
  it("takes rules from opts.faults", async () => {
    const f = await startHarness({ seed: [MYAPP], faults: [{ path: "/apps", status: 503, count: 1 }] });
    try {
      expect((await f.api("GET", "/apps/myapp")).status).toBe(503);
      expect((await f.api("GET", "/apps/myapp")).status).toBe(200);
    } finally {
      await f.close();
    }
  });

  it("sets and clears rules over /__admin/faults, which faults never touch", async () => {
    const put = await h.api("PUT", "/__admin/faults", { body: [{ path: "/", status: 503 }] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual([{ path: "/", status: 503 }]);
    expect((await h.api("GET", "/apps/myapp")).status).toBe(503);
    expect((await h.api("GET", "/__admin/faults")).status).toBe(200);
    expect((await h.api("DELETE", "/__admin/faults")).status).toBe(200);
    expect((await h.api("GET", "/apps/myapp")).status).toBe(200);
  });

  it("rejects invalid rules over HTTP with 422", async () => {
    for (const body of [[{ path: "/", status: 418 }], [{ status: 503 }], { path: "/" }, [{ path: "^(", status: 500 }]]) {
      const res = await h.api("PUT", "/__admin/faults", { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
  });
});

describe("parseFaultsEnv", () => {
  it("parses a JSON array of rules, and an empty string as none", () => {
    expect(parseFaultsEnv('[{"path":"/apps","latencyMs":100,"rate":0.5}]')).toEqual([{ path: "/apps", latencyMs: 100, rate: 0.5 }]);
    expect(parseFaultsEnv("  ")).toEqual([]);
  });

  it("throws errors that name SANDBOX_FAULTS and the problem", () => {
    expect(() => parseFaultsEnv("[{")).toThrow(/^SANDBOX_FAULTS is not valid JSON/);
    expect(() => parseFaultsEnv('[{"path":"/","status":418}]')).toThrow(/SANDBOX_FAULTS .*0\.status/);
    expect(() => parseFaultsEnv('[{"path":"/","rate":2}]')).toThrow(/SANDBOX_FAULTS .*0\.rate/);
    expect(() => parseFaultsEnv('[{"path":"/","extra":1}]')).toThrow(/SANDBOX_FAULTS .*extra/);
    expect(() => parseFaultsEnv('{"path":"/"}')).toThrow(/SANDBOX_FAULTS .*\(root\)/);
  });
});
