import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCutover } from "@/lib/cutover/create-cutover";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { workerEnv } from "@/lib/env/worker";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { listLogLines } from "@/lib/run/list-log-lines";
import { generateSecretKeyText } from "@/lib/security/secret-key";
import { signOff } from "@/lib/signoff/sign-off";
import { checkUrl } from "@/worker/steps/smoke/check-url";
import { makeCutover } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

// Hostile and malformed input at the verbs every route and action calls: each is refused with a
// clear invalid_input (a 400 with field messages), nothing is written, nothing runs.
const t = useTestDatabase();
let herokuAppId: string;
let site: http.Server;
let siteUrl: string;

beforeAll(async () => {
  herokuAppId = (await makeCutover(t.ctx())).app.id;
  site = http.createServer((_req, res) => res.writeHead(200).end("internal"));
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  siteUrl = `http://127.0.0.1:${(site.address() as net.AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => site.close(r)));

const HOSTILE = [
  "x".repeat(10_000),
  "'; DROP TABLE cutovers; --",
  "$(rm -rf /) `reboot` | cat /etc/passwd",
  "\u0000nul byte",
  "名前 🚀 \u202e reversed",
];

async function counts() {
  return { cutovers: await t.db.cutover.count(), secrets: await t.db.secret.count(), audit: await t.db.auditEvent.count() };
}

async function refused(promise: Promise<unknown>, path: string) {
  const err = (await promise.then(() => null, (e: unknown) => e)) as { code?: string; fields?: Array<{ path: string; message: string }> } | null;
  expect(err, `expected a refusal naming ${path}`).not.toBeNull();
  expect(err!.code).toBe("invalid_input");
  expect(err!.fields?.map((f) => f.path)).toContain(path);
  for (const f of err!.fields ?? []) expect(f.message.length).toBeLessThan(300);
}

describe("bad input at the verbs", () => {
  it("refuses malformed and hostile plans field by field, writing nothing", async () => {
    const before = await counts();
    const base = { name: "ok", herokuAppId };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, name: HOSTILE[0] }, "name"],
      [{ ...base, name: "" }, "name"],
      [{ ...base, herokuAppId: HOSTILE[1] }, "herokuAppId"],
      [{ ...base, targetDatabaseUrl: "postgres://user@host/db" }, "targetDatabaseUrl"],
      [{ ...base, targetDatabaseUrl: "mysql://u:p@h/db" }, "targetDatabaseUrl"],
      [{ ...base, targetDatabaseUrl: HOSTILE[2] }, "targetDatabaseUrl"],
      [{ ...base, targetDatabaseUrl: `postgres://u:p@h:5432/${"d".repeat(3000)}` }, "targetDatabaseUrl"],
      [{ ...base, smokeChecks: [{ url: "file:///etc/passwd" }] }, "smokeChecks.0.url"],
      [{ ...base, smokeChecks: [{ url: "javascript:alert(1)" }] }, "smokeChecks.0.url"],
      [{ ...base, smokeChecks: [{ url: "https://example.com/", expectText: HOSTILE[0] }] }, "smokeChecks.0.expectText"],
      [{ ...base, smokeChecks: [{ url: "https://example.com/", expectStatus: 99 }] }, "smokeChecks.0.expectStatus"],
      [{ ...base, windowStartsAt: "2026-12-01T23:00:00Z", windowEndsAt: "2026-12-01T22:00:00Z" }, "windowEndsAt"],
      [{ ...base, windowStartsAt: "not a date" }, "windowStartsAt"],
      [{ ...base, timeZone: "Mars/Olympus_Mons" }, "timeZone"],
      [{ ...base, timeZone: HOSTILE[1] }, "timeZone"],
      [{ ...base, requiredApprovals: -1 }, "requiredApprovals"],
      [{ ...base, requiredApprovals: "2; DROP" }, "requiredApprovals"],
    ];
    for (const [input, path] of cases) await refused(createCutover({ ctx: t.ctx(), input: input as never }), path);
    expect(await counts()).toEqual(before);
  });

  it("keeps odd but valid text exactly as typed (SQL, shell and Unicode are data, never code)", async () => {
    for (const name of HOSTILE.slice(1).filter((n) => !n.includes("\u0000"))) {
      const c = await createCutover({ ctx: t.ctx(), input: { name, herokuAppId } });
      expect((await t.db.cutover.findUniqueOrThrow({ where: { id: c.id } })).name).toBe(name.trim());
    }
  });

  it("refuses hostile edits, sign-offs, log queries and Heroku apps with the field that is wrong", async () => {
    const { cutover } = await makeCutover(t.ctx());
    const before = await counts();
    await refused(updateCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id, version: 1, windowStartsAt: "2026-12-01T23:00:00Z", windowEndsAt: "2026-12-01T22:00:00Z" } }), "windowEndsAt");
    await refused(updateCutover({ ctx: t.ctx(), input: { cutoverId: HOSTILE[1]!, version: 1 } }), "cutoverId");
    await refused(signOff({ ctx: t.ctx(), input: { cutoverId: cutover.id, planHash: HOSTILE[1]!, decision: "approve" } }), "planHash");
    await refused(signOff({ ctx: t.ctx(), input: { cutoverId: cutover.id, planHash: cutover.planHash, decision: "maybe" as never } }), "decision");
    await refused(listLogLines({ ctx: t.ctx(), input: { runId: cutover.id, afterSeq: -1 } }), "afterSeq");
    await refused(listLogLines({ ctx: t.ctx(), input: { runId: cutover.id, q: HOSTILE[0] } }), "q");
    await refused(addHerokuApp({ ctx: t.ctx(), input: { name: HOSTILE[2]!, apiBaseUrl: "https://api.heroku.com", apiToken: "tok-123456789" } }), "name");
    await refused(addHerokuApp({ ctx: t.ctx(), input: { name: "ok-app", apiBaseUrl: "javascript:alert(1)", apiToken: "tok-123456789" } }), "apiBaseUrl");
    expect(await counts()).toEqual(before);
  });

  it("refuses a malformed worker environment with the variable's name", () => {
    const KEY = generateSecretKeyText();
    expect(() => workerEnv({ DATABASE_URL: "mysql://x", SWITCHYARD_SECRET_KEY: "short" })).toThrow(/DATABASE_URL/);
    expect(() => workerEnv({ DATABASE_URL: "postgres://u:p@h/db", SWITCHYARD_SECRET_KEY: KEY, WORKER_WS_PORT: "99999" })).toThrow(/WORKER_WS_PORT/);
    expect(() => workerEnv({ DATABASE_URL: "postgres://u:p@h/db", SWITCHYARD_SECRET_KEY: KEY, SMOKE_ALLOW_PRIVATE_URLS: "maybe" })).toThrow(/SMOKE_ALLOW_PRIVATE_URLS/);
  });

  it("a smoke check to an internal address is refused at request time unless allowed", async () => {
    const check = { url: siteUrl, expectStatus: 200, maxLatencyMs: 5000, imagesLoad: false };
    const refusedOutcome = await checkUrl(check);
    expect(refusedOutcome.ok).toBe(false);
    expect(refusedOutcome.error).toMatch(/resolves to 127\.0\.0\.1, a loopback address; smoke checks may only call public addresses/);
    expect((await checkUrl(check, undefined, { allowPrivate: true })).ok).toBe(true);
  });
});
