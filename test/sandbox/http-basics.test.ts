// Cross-cutting HTTP behaviour: auth, Request-Id, content types, Accept variants, error shapes,
// and bad input that must end in a 4xx, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, MYAPP, TOKEN, startHarness } from "./harness";

let h: Harness;
beforeAll(async () => { h = await startHarness({ seed: [MYAPP] }); });
afterAll(async () => { await h.close(); });

describe("authentication", () => {
  it("answers 401 unauthorized without a token", async () => {
    const res = await h.api("GET", "/apps/myapp", { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ id: "unauthorized" });
    expect(res.body.message).toEqual(expect.any(String));
  });

  it("answers 401 with a wrong token, on data API routes too", async () => {
    expect((await h.api("GET", "/apps/myapp/config-vars", { token: "nope" })).status).toBe(401);
    expect((await h.api("GET", "/client/v11/databases/x/wait_status", { token: "nope" })).status).toBe(401);
    expect((await h.api("PUT", "/__admin/faults", { token: "nope", body: [] })).status).toBe(401);
  });

  it("accepts Basic auth with an empty user and the token as password", async () => {
    const basic = Buffer.from(`:${TOKEN}`).toString("base64");
    const res = await h.api("GET", "/apps/myapp", { token: null, headers: { Authorization: `Basic ${basic}` } });
    expect(res.status).toBe(200);
    const wrong = Buffer.from(":other").toString("base64");
    expect((await h.api("GET", "/apps/myapp", { token: null, headers: { Authorization: `Basic ${wrong}` } })).status).toBe(401);
  });
});

describe("headers", () => {
  it("echoes the first id of a comma-joined Request-Id list", async () => {
    const res = await h.api("GET", "/apps/myapp", { headers: { "Request-Id": "first-id-1, older-2, older-3" } });
    expect(res.headers.get("request-id")).toBe("first-id-1");
  });

  it("makes up a uuid Request-Id when none is sent", async () => {
    const res = await h.api("GET", "/apps/myapp");
    expect(res.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("tolerates a very long Request-Id list", async () => {
    const long = Array.from({ length: 600 }, () => crypto.randomUUID()).join(",");
    expect(long.length).toBeGreaterThan(20_000);
    const res = await h.api("GET", "/apps/myapp", { headers: { "Request-Id": long } });
    expect(res.status).toBe(200);
    expect(res.headers.get("request-id")).toBe(long.split(",")[0]);
  });

  it("sends application/json and RateLimit-Remaining on answers, errors included", async () => {
    for (const path of ["/apps/myapp", "/apps/nope"]) {
      const res = await h.api("GET", path);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("ratelimit-remaining")).toBe("4500");
    }
  });

  it("accepts both version=3 and version=3.sdk", async () => {
    for (const accept of ["application/vnd.heroku+json; version=3", "application/vnd.heroku+json; version=3.sdk"]) {
      const res = await h.api("GET", "/apps/myapp/addons", { headers: { Accept: accept } });
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(2);
    }
  });
});

describe("not found", () => {
  it("names unknown apps, add-ons and attachments with their resource", async () => {
    expect((await h.api("GET", "/apps/nope")).body).toEqual({ id: "not_found", resource: "app", message: "Couldn't find that app." });
    const addon = await h.api("GET", "/addons/postgresql-nope-1");
    expect(addon.status).toBe(404);
    expect(addon.body).toEqual({ id: "not_found", resource: "addon", message: "Couldn't find that add-on." });
    const attachment = await h.api("GET", "/apps/myapp/addon-attachments/NOPE");
    expect(attachment.status).toBe(404);
    expect(attachment.body).toEqual({ id: "not_found", resource: "add_on attachment", message: "Couldn't find that add on attachment." });
    expect((await h.api("DELETE", "/addon-attachments/00000000-0000-0000-0000-000000000000")).body.resource).toBe("add_on attachment");
  });

  it("answers 404 not_found for unknown endpoints and methods", async () => {
    const res = await h.api("POST", "/apps/myapp");
    expect(res.status).toBe(404);
    expect(res.body.id).toBe("not_found");
    expect(res.body.message).toMatch(/endpoint was not found/);
  });
});

describe("bad input", () => {
  it("answers 413 with a clear message for bodies over 1 MB", async () => {
    const big = JSON.stringify({ BIG: "x".repeat(1024 * 1024 + 10) });
    const res = await h.api("PATCH", "/apps/myapp/config-vars", { rawBody: big, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/limit is 1048576 bytes \(1 MB\)/);
    expect((await h.api("GET", "/apps/myapp/config-vars")).body.BIG).toBeUndefined();
  });

  it("answers 400 bad_request for malformed JSON", async () => {
    const res = await h.api("PATCH", "/apps/myapp/config-vars", { rawBody: "{\"A\": ", headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.id).toBe("bad_request");
    expect(res.body.message).toMatch(/not valid JSON/);
  });

  it("answers 422 invalid_params for well-formed JSON of the wrong shape", async () => {
    const cases: Array<[string, string, unknown]> = [
      ["PATCH", "/apps/myapp/config-vars", { A: 1 }],
      ["PATCH", "/apps/myapp/config-vars", ["A"]],
      ["PATCH", "/apps/myapp", { maintenance: "yes" }],
      ["POST", "/addon-attachments", { addon: {}, app: { name: "myapp" } }],
      ["POST", "/addon-attachments", "just a string"],
      ["POST", "/actions/addon-attachments/resolve", { app: "myapp" }],
      ["PATCH", "/apps/myapp/formation", { updates: [{ type: "web", quantity: -1 }] }],
    ];
    for (const [method, path, body] of cases) {
      const res = await h.api(method, path, { body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(422);
      expect(res.body.id).toBe("invalid_params");
      expect(res.body.message).toMatch(/^Invalid request: /);
    }
  });

  it("answers 400 for malformed percent-encoding in the path", async () => {
    expect((await h.api("GET", "/apps/%E0%A4%A")).status).toBe(400);
  });
});
