import { expect, test, type APIRequestContext } from "@playwright/test";
import { BASE, DEMO_PASSWORD } from "./support";

// Every API route × every role: what a role may not do answers 403, and without a session 401.
// Each role signs in from its own forwarded address, so sign-in rate limiting does not interfere.
const NIL = "00000000-0000-4000-8000-000000000000";
type Call = { name: string; method: "GET" | "POST" | "PATCH" | "DELETE"; path: (cutoverId: string) => string; body?: unknown; allowed: string[] };

const CALLS: Call[] = [
  { name: "list cutovers", method: "GET", path: () => "/api/cutovers", allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "start a preflight", method: "POST", path: (id) => `/api/cutovers/${id}/runs`, body: { kind: "preflight" }, allowed: ["admin", "operator"] },
  { name: "roll back", method: "POST", path: () => `/api/runs/${NIL}/rollback`, body: {}, allowed: ["admin", "operator"] },
  { name: "cancel", method: "POST", path: () => `/api/runs/${NIL}/cancel`, body: {}, allowed: ["admin", "operator"] },
  { name: "stream token", method: "POST", path: (id) => `/api/cutovers/${id}/stream-token`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "create API token", method: "POST", path: () => "/api/tokens", body: { name: "e2e" }, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "list API tokens", method: "GET", path: () => "/api/tokens", allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "revoke API token", method: "DELETE", path: () => `/api/tokens/${NIL}`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "read a plan", method: "GET", path: (id) => `/api/cutovers/${id}`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "edit a plan", method: "PATCH", path: (id) => `/api/cutovers/${id}`, body: { version: 999_999, name: "x" }, allowed: ["admin", "operator"] },
  { name: "sign off", method: "POST", path: (id) => `/api/cutovers/${id}/sign-offs`, body: { planHash: "0".repeat(64), decision: "approve" }, allowed: ["admin", "approver"] },
  { name: "read a run", method: "GET", path: () => `/api/runs/${NIL}`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "read a run's logs", method: "GET", path: () => `/api/runs/${NIL}/logs?afterSeq=0&limit=10`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "read the audit trail", method: "GET", path: () => "/api/audit?limit=5", allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "export the audit trail", method: "GET", path: (id) => `/api/audit/export?format=json&cutoverId=${id}`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "who am I", method: "GET", path: () => "/api/me", allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "discover an app's source", method: "GET", path: () => `/api/heroku-apps/${NIL}/source`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "test a target connection", method: "POST", path: () => "/api/target-connection", body: { url: "postgres://u:p@127.0.0.1:1/db" }, allowed: ["admin", "operator"] },
  { name: "preview a rollback", method: "GET", path: () => `/api/runs/${NIL}/rollback-preview`, allowed: ["admin", "operator", "approver", "viewer"] },
  { name: "download a run's log", method: "GET", path: () => `/api/runs/${NIL}/logs/download`, allowed: ["admin", "operator", "approver", "viewer"] },
];
const ROLES = ["admin", "operator", "approver", "viewer"];

async function call(request: APIRequestContext, c: Call, cutoverId: string, headers: Record<string, string> = {}) {
  const options = { headers: { origin: BASE, ...headers }, data: c.body };
  if (c.method === "GET") return request.get(c.path(cutoverId), options);
  if (c.method === "DELETE") return request.delete(c.path(cutoverId), options);
  if (c.method === "PATCH") return request.patch(c.path(cutoverId), options);
  return request.post(c.path(cutoverId), options);
}

async function signedIn(playwright: typeof import("@playwright/test").request, role: string, ip: string) {
  const request = await playwright.newContext({ baseURL: BASE, extraHTTPHeaders: { "x-forwarded-for": ip } });
  const res = await request.post("/api/auth/sign-in/email", { headers: { origin: BASE }, data: { email: `${role}@switchyard.local`, password: DEMO_PASSWORD } });
  expect(res.status(), `sign in as ${role}`).toBe(200);
  return request;
}

test("each role gets 403 exactly where it lacks the permission, and no session gets 401", async ({ playwright, request }) => {
  // Every route × five callers, and `next dev` compiles each route on its first call.
  test.setTimeout(240_000);
  const anonymous = await playwright.request.newContext({ baseURL: BASE });
  const operator = await signedIn(playwright.request, "operator", "10.9.0.1");
  const { cutovers } = await (await operator.get("/api/cutovers")).json();
  const cutoverId = cutovers[0].id as string;
  for (const c of CALLS) expect((await call(anonymous, c, cutoverId)).status(), `${c.name} without a session`).toBe(401);
  for (const [i, role] of ROLES.entries()) {
    const client = await signedIn(playwright.request, role, `10.9.1.${i + 1}`);
    for (const c of CALLS) {
      const status = (await call(client, c, cutoverId)).status();
      if (c.allowed.includes(role)) expect(status, `${role}: ${c.name}`).not.toBe(403);
      else expect(status, `${role}: ${c.name}`).toBe(403);
      expect(status, `${role}: ${c.name}`).toBeLessThan(500);
    }
  }
  expect((await request.get("/api/health")).status()).toBe(200);
});

test("a personal API token works without a cookie, carries its user's role, and stops working when revoked", async ({ playwright }) => {
  const viewer = await signedIn(playwright.request, "viewer", "10.9.2.1");
  const created = await (await viewer.post("/api/tokens", { headers: { origin: BASE }, data: { name: "ci" } })).json();
  expect(created.token).toMatch(/^sy_/);
  const bearer = await playwright.request.newContext({ baseURL: BASE, extraHTTPHeaders: { authorization: `Bearer ${created.token}` } });
  expect((await bearer.get("/api/cutovers")).status()).toBe(200);
  const { cutovers } = await (await bearer.get("/api/cutovers")).json();
  expect((await bearer.post(`/api/cutovers/${cutovers[0].id}/runs`, { data: { kind: "live" } })).status()).toBe(403);
  const listed = await (await viewer.get("/api/tokens")).json();
  expect(JSON.stringify(listed)).not.toContain(created.token);
  expect((await viewer.delete(`/api/tokens/${created.id}`, { headers: { origin: BASE } })).status()).toBe(200);
  expect((await bearer.get("/api/cutovers")).status()).toBe(401);
});

test("sign-in attempts are rate limited", async ({ playwright }) => {
  const client = await playwright.request.newContext({ baseURL: BASE, extraHTTPHeaders: { "x-forwarded-for": "10.9.3.1", origin: BASE } });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    statuses.push((await client.post("/api/auth/sign-in/email", { data: { email: "viewer@switchyard.local", password: "wrong-password-x" } })).status());
  }
  expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(5)).toEqual([429, 429]);
});
