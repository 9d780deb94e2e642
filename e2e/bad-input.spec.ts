import { expect, test, type APIRequestContext } from "@playwright/test";
import { BASE, DEMO_PASSWORD } from "./support";

// Hostile and malformed input at every mutation route: a clear 4xx naming the field, never a
// 500, and nothing created. SQL and shell metacharacters in free text are stored as plain text.
const LONG = "x".repeat(10_000);

async function as(playwright: typeof import("@playwright/test").request, role: string, ip: string) {
  const api = await playwright.newContext({ baseURL: BASE, extraHTTPHeaders: { "x-forwarded-for": ip, origin: BASE } });
  expect((await api.post("/api/auth/sign-in/email", { data: { email: `${role}@switchyard.local`, password: DEMO_PASSWORD } })).status()).toBe(200);
  return api;
}

async function expect400(res: Awaited<ReturnType<APIRequestContext["post"]>>, message: RegExp) {
  const text = await res.text();
  expect(res.status(), text).toBe(400);
  expect(JSON.parse(text).error.message).toMatch(message);
}

test("cutover creation refuses bad fields one by one, with the field named", async ({ playwright }) => {
  const operator = await as(playwright.request, "operator", "10.7.0.1");
  const admin = await as(playwright.request, "admin", "10.7.0.2");
  const { apps } = await (await operator.get("/api/heroku-apps")).json();
  const base = { name: "bad input", herokuAppId: apps[0].id };
  const before = (await (await operator.get("/api/cutovers")).json()).cutovers.length;
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ name: LONG }, /name is too long/],
    [{ herokuAppId: "1; DROP TABLE cutovers" }, /herokuAppId must be the id of a connected Heroku app/],
    [{ targetDatabaseUrl: "file:///etc/passwd" }, /targetDatabaseUrl must start with postgres:\/\/ or postgresql:\/\//],
    [{ targetDatabaseUrl: "postgres://user@db.example.com:5432/app" }, /targetDatabaseUrl must include a password/],
    [{ targetDatabaseUrl: `postgres://u:p@h/${LONG}` }, /targetDatabaseUrl is too long/],
    [{ smokeChecks: [{ url: "javascript:alert(1)" }] }, /smokeChecks\.0\.url must start with http:\/\/ or https:\/\//],
    [{ smokeChecks: [{ url: "file:///etc/passwd" }] }, /smokeChecks\.0\.url must start with http:\/\/ or https:\/\//],
    [{ windowStartsAt: "2026-12-01T23:00:00Z", windowEndsAt: "2026-12-01T22:00:00Z" }, /windowEndsAt must be after the window start/],
    [{ timeZone: "Mars/Olympus" }, /timeZone must be an IANA time zone/],
    [{ windowStartsAt: "next tuesday-ish" }, /windowStartsAt must be a date and time/],
    [{ requiredApprovals: -1 }, /requiredApprovals/],
  ];
  for (const [fields, message] of cases) await expect400(await operator.post("/api/cutovers", { data: { ...base, ...fields } }), message);
  await expect400(await operator.post("/api/cutovers", { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } }), /not valid JSON/);
  await expect400(await operator.post("/api/cutovers", { data: ["an", "array"] }), /the request body must be a JSON object/);
  await expect400(await operator.post("/api/cutovers", { data: { ...base, name: "y".repeat(300_000) } }), /larger than 256 kB/);
  expect((await (await operator.get("/api/cutovers")).json()).cutovers.length).toBe(before);

  const odd = "Umzug 🚚 ünïcödé '; DROP TABLE cutovers; -- $(rm -rf /) `id`";
  const created = await operator.post("/api/cutovers", { data: { ...base, name: odd } });
  expect(created.status(), await created.text()).toBe(201);
  expect((await (await operator.get(`/api/cutovers/${(await created.json()).id}`)).json()).name).toBe(odd);

  await expect400(await admin.post("/api/heroku-apps", { data: { name: "app; rm -rf /", apiBaseUrl: "https://api.heroku.com", apiToken: "token-123456789" } }), /name must be a Heroku app name/);
  await expect400(await admin.post("/api/heroku-apps", { data: { name: "acme", apiBaseUrl: "javascript:alert(1)", apiToken: "token-123456789" } }), /apiBaseUrl must start with https:\/\//);
});

test("run, sign-off, log and edit routes refuse malformed input without a 500", async ({ playwright }) => {
  const operator = await as(playwright.request, "operator", "10.7.1.1");
  const approver = await as(playwright.request, "approver", "10.7.1.2");
  const { cutovers } = await (await operator.get("/api/cutovers")).json();
  const id = cutovers[0].id as string;
  await expect400(await operator.post(`/api/cutovers/${id}/runs`, { data: { kind: "destroy" } }), /kind must be preflight, rehearsal or live/);
  await expect400(await operator.post(`/api/cutovers/not-a-uuid/runs`, { data: { kind: "preflight" } }), /cutoverId must be a cutover id/);
  await expect400(await operator.patch(`/api/cutovers/${id}`, { data: { version: "one" } }), /version/);
  await expect400(await approver.post(`/api/cutovers/${id}/sign-offs`, { data: { planHash: "'; rm -rf /", decision: "approve" } }), /planHash must be the plan hash shown on the page/);
  await expect400(await approver.post(`/api/cutovers/${id}/sign-offs`, { data: { planHash: "0".repeat(64), decision: "maybe" } }), /decision must be approve or reject/);
  await expect400(await operator.get(`/api/runs/00000000-0000-4000-8000-000000000000/logs?limit=abc`), /limit/);
  await expect400(await operator.get(`/api/runs/00000000-0000-4000-8000-000000000000/logs?afterSeq=-1`), /afterSeq must be 0 or more/);
  await expect400(await operator.post(`/api/runs/not-a-uuid/rollback`, { data: {} }), /runId must be a run id/);
});
