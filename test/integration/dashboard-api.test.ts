import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { csvCell, exportAudit } from "@/lib/audit/export-audit";
import { listAudit } from "@/lib/audit/list-audit";
import { getCutover } from "@/lib/cutover/get-cutover";
import { testTargetConnection } from "@/lib/cutover/test-target-connection";
import { discoverAppSource } from "@/lib/heroku-app/discover-app-source";
import { dropDatabase, ensureDatabase } from "@/lib/pg/admin";
import { exportRunLog } from "@/lib/run/export-run-log";
import { listLogLines } from "@/lib/run/list-log-lines";
import { previewRollback } from "@/lib/run/preview-rollback";
import { createUser } from "@/lib/user/create-user";
import { whoAmI } from "@/lib/user/who-am-i";
import { makeCutover, makeRun } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();

async function drain(chunks: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

describe("testing a target connection from the plan form", () => {
  it("reports the server version and whether the database is empty", async () => {
    const full = await testTargetConnection({ ctx: t.ctx(), input: { url: t.url } });
    expect(full).toMatchObject({ ok: true, empty: false });
    expect(full.ok && full.serverVersion).toMatch(/^\d+\.\d+/);

    const adminUrl = inject("pgAdminUrl");
    const name = `switchyard_empty_${randomBytes(4).toString("hex")}`;
    const emptyUrl = await ensureDatabase(adminUrl, name);
    try {
      expect(await testTargetConnection({ ctx: t.ctx(), input: { url: emptyUrl } })).toMatchObject({ ok: true, empty: true, tables: 0 });
    } finally {
      await dropDatabase(adminUrl, name);
    }
  });

  it("answers a failed connection with what to fix and never the password", async () => {
    const url = new URL(t.url);
    url.password = "wrong-Pa55word-xyz";
    const result = await testTargetConnection({ ctx: t.ctx(), input: { url: url.toString() } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/could not connect to .* password authentication failed/);
    expect(JSON.stringify(result)).not.toContain("wrong-Pa55word-xyz");
  });

  it("refuses a malformed URL field by field, and a viewer", async () => {
    await expect(testTargetConnection({ ctx: t.ctx(), input: { url: "mysql://u:p@h/db" } })).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ path: "url", message: "must start with postgres:// or postgresql:// (not mysql://)" }],
    });
    const viewer = await createUser({ ctx: t.ctx(), input: { email: "v-conn@example.com", name: "V", role: "viewer" } });
    await expect(testTargetConnection({ ctx: t.ctx({ type: "user", id: viewer.id, email: viewer.email, role: "viewer" }), input: { url: t.url } })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("tests a plan's stored target without the URL leaving the server", async () => {
    const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: t.url });
    expect(await testTargetConnection({ ctx: t.ctx(), input: { cutoverId: cutover.id } })).toMatchObject({ ok: true });
    await expect(testTargetConnection({ ctx: t.ctx(), input: { cutoverId: cutover.id, which: "rehearsal" } })).rejects.toMatchObject({ code: "precondition_failed" });
  });
});

describe("the plan view's extra facts", () => {
  it("says why the gate does not hold, with no preflight or estimate yet", async () => {
    const { cutover } = await makeCutover(t.ctx());
    const detail = await getCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id } });
    expect(detail.gate.ok).toBe(false);
    expect(detail.gate.reasons).toEqual(["the maintenance window is not scheduled", "0 of 2 required sign-offs for this plan version"]);
    expect(detail.preflight).toBeNull();
    expect(detail.estimate).toEqual({ copyMs: null, windowMs: null, fits: null, basis: null });
    expect(detail.smokeBaseline).toEqual([]);
  });

  it("reads the latest preflight's estimate against the window", async () => {
    const { cutover } = await makeCutover(t.ctx());
    await t.db.cutover.update({ where: { id: cutover.id }, data: { windowStartsAt: new Date("2026-12-01T22:00:00Z"), windowEndsAt: new Date("2026-12-01T23:00:00Z") } });
    const run = await makeRun(t.ctx(), cutover.id);
    await t.db.stepRun.create({ data: { runId: run.id, stepKey: "preflight", status: "succeeded", finishedAt: new Date(), output: { sourceBytes: 5e9, estimatedCopyMs: 7_200_000 } } });
    await t.db.smokeResult.create({ data: { runId: run.id, url: "https://example.com/", phase: "baseline", ok: true, statusCode: 200, latencyMs: 42 } });
    const detail = await getCutover({ ctx: t.ctx(), input: { cutoverId: cutover.id } });
    expect(detail.estimate).toEqual({ copyMs: 7_200_000, windowMs: 3_600_000, fits: false, basis: "preflight" });
    expect(detail.preflight).toMatchObject({ runId: run.id, status: "succeeded", problems: [], facts: { sourceSizeBytes: 5e9 } });
    expect(detail.smokeBaseline).toMatchObject([{ url: "https://example.com/", ok: true, statusCode: 200, latencyMs: 42, failedChecks: [] }]);
  });

  it("names the signed-in person and their permissions", async () => {
    const op = await createUser({ ctx: t.ctx(), input: { email: "op-me@example.com", name: "Op", role: "operator" } });
    const me = await whoAmI({ ctx: t.ctx({ type: "user", id: op.id, email: op.email, role: "operator" }) });
    expect(me.user).toMatchObject({ email: "op-me@example.com", role: "operator" });
    expect(me.permissions).toContain("run.start");
    expect(me.permissions).not.toContain("user.manage");
  });

  it("explains a Heroku API that cannot be reached instead of failing with a 500", async () => {
    const { app } = await makeCutover(t.ctx());
    await expect(discoverAppSource({ ctx: t.ctx(), input: { herokuAppId: app.id } })).rejects.toMatchObject({ code: "precondition_failed", message: expect.stringMatching(/Heroku API GET \/apps\/.* could not be reached/) });
  });
});

describe("logs: search and download", () => {
  it("searches case-insensitively with the same paging, and downloads every line", async () => {
    const { cutover } = await makeCutover(t.ctx());
    const run = await makeRun(t.ctx(), cutover.id);
    const n = 12_345;
    await t.db.logLine.createMany({ data: Array.from({ length: n }, (_, i) => ({ runId: run.id, seq: i + 1, stream: i % 10 === 0 ? "stderr" : "stdout", text: i === 7 ? "COPY public.Orders 500" : `line ${i + 1}\twith tab` })) });
    await t.db.cutoverRun.update({ where: { id: run.id }, data: { lastLogSeq: n } });

    const found = await listLogLines({ ctx: t.ctx(), input: { runId: run.id, q: "copy public.orders" } });
    expect(found.lines.map((l) => l.seq)).toEqual([8]);
    expect(found.hasMore).toBe(false);
    const paged = await listLogLines({ ctx: t.ctx(), input: { runId: run.id, q: "with TAB", beforeSeq: 100, limit: 10 } });
    expect(paged.lines.map((l) => l.seq)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(paged.hasMore).toBe(true);

    const { lines } = await exportRunLog({ ctx: t.ctx(), input: { runId: run.id } });
    const text = await drain(lines);
    const rows = text.trimEnd().split("\n");
    expect(rows).toHaveLength(n);
    expect(rows[0]).toMatch(/^1\t\d{4}-\d\d-\d\dT[^\t]+\tstderr\tline 1\twith tab$/);
    expect(rows[n - 1]!.startsWith(`${n}\t`)).toBe(true);
  });
});

describe("the rollback confirmation", () => {
  it("lists what the rollback will do for the steps that started, newest first", async () => {
    const { cutover } = await makeCutover(t.ctx());
    const run = await makeRun(t.ctx(), cutover.id, "running");
    for (const key of ["preflight", "gate", "maintenance_on", "scale_down", "write_freeze", "copy"]) {
      await t.db.stepRun.create({ data: { runId: run.id, stepKey: key, status: key === "copy" ? "running" : "succeeded", output: key === "maintenance_on" ? { wasOn: false } : {} } });
    }
    const preview = await previewRollback({ ctx: t.ctx(), input: { runId: run.id } });
    expect(preview.canRollback).toBe(true);
    expect(preview.switchedAt).toBeNull();
    expect(preview.rowsChangedOnTarget).toBe(0);
    expect(preview.actions).toEqual([
      "Turn maintenance mode on (customers see the maintenance page)",
      "Make the source database writable again",
      "Scale the process types back to the formation remembered before the cutover",
      "Turn maintenance mode off",
      "Check every smoke URL again and compare with the baseline",
    ]);
  });

  it("counts the rows customers changed on the target since maintenance went off", async () => {
    const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: t.url });
    const run = await makeRun(t.ctx(), cutover.id, "running");
    await t.db.cutoverRun.update({ where: { id: run.id }, data: { planSnapshot: { steps: [], targetDatabaseSecretId: cutover.targetDatabaseSecretId } } });
    const before = Number((await t.db.$queryRawUnsafe<Array<{ n: bigint }>>("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint AS n FROM pg_stat_user_tables"))[0]!.n);
    await t.db.stepRun.create({ data: { runId: run.id, stepKey: "switch", status: "succeeded", output: { switchedAt: "2026-11-21T10:00:00.000Z" } } });
    await t.db.stepRun.create({ data: { runId: run.id, stepKey: "maintenance_off", status: "succeeded", output: { targetRowWrites: before - 3 } } });
    const preview = await previewRollback({ ctx: t.ctx(), input: { runId: run.id } });
    expect(preview.switchedAt).toBe("2026-11-21T10:00:00.000Z");
    expect(preview.rowsChangedOnTarget).toBeGreaterThanOrEqual(3);
  });
});

describe("the audit trail's filters and export", () => {
  it("filters by cutover (its runs and steps included), action, actor and time, pages, and exports", async () => {
    const { cutover } = await makeCutover(t.ctx());
    const { cutover: other } = await makeCutover(t.ctx());
    const run = await makeRun(t.ctx(), cutover.id);
    await t.db.$transaction(async (tx) => {
      const { emitAudit } = await import("@/lib/audit/emit");
      await emitAudit(tx, { actor: { type: "system", name: "worker" }, action: "run.transition", entityType: "cutover_run", entityId: run.id, after: { status: "running" }, at: new Date() });
    });
    const mine = await listAudit({ ctx: t.ctx(), input: { cutoverId: cutover.id } });
    expect(mine.events.map((e) => e.action).sort()).toEqual(["cutover.create", "run.transition"]);
    expect(mine.chain.ok).toBe(true);
    expect(mine.actions).toContain("signoff.approve");
    expect((await listAudit({ ctx: t.ctx(), input: { cutoverId: other.id } })).events.map((e) => e.entityId)).toEqual([other.id]);
    expect((await listAudit({ ctx: t.ctx(), input: { action: "run.transition" } })).events.every((e) => e.action === "run.transition")).toBe(true);
    expect((await listAudit({ ctx: t.ctx(), input: { actor: "WORKER" } })).events.length).toBeGreaterThan(0);
    expect((await listAudit({ ctx: t.ctx(), input: { from: "2999-01-01T00:00:00Z" } })).events).toEqual([]);

    const first = await listAudit({ ctx: t.ctx(), input: { limit: 1 } });
    expect(first.nextBeforeId).toBe(first.events[0]!.id);
    const second = await listAudit({ ctx: t.ctx(), input: { limit: 1, beforeId: first.nextBeforeId! } });
    expect(BigInt(second.events[0]!.id)).toBeLessThan(BigInt(first.events[0]!.id));

    await expect(listAudit({ ctx: t.ctx(), input: { action: "drop.table" } })).rejects.toMatchObject({ code: "invalid_input", fields: [{ path: "action" }] });
    await expect(listAudit({ ctx: t.ctx(), input: { from: "yesterday" } })).rejects.toMatchObject({ code: "invalid_input", fields: [{ path: "from" }] });

    const csv = await drain((await exportAudit({ ctx: t.ctx(), input: { cutoverId: cutover.id, format: "csv" } })).chunks);
    const csvRows = csv.trimEnd().split("\n");
    expect(csvRows[0]).toBe("id,createdAt,actor,actorId,action,entityType,entityId,before,after,metadata,prevHash,hash");
    expect(csvRows).toHaveLength(3);
    const json = JSON.parse(await drain((await exportAudit({ ctx: t.ctx(), input: { cutoverId: cutover.id, format: "json" } })).chunks));
    expect(json.map((e: { action: string }) => e.action)).toEqual(["cutover.create", "run.transition"]);
  });

  it("quotes CSV cells and defuses spreadsheet formulas", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe("");
  });
});
