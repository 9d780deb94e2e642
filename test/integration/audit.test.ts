import { describe, expect, it } from "vitest";
import { emitAudit } from "@/lib/audit/emit";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { tamperWithAuditEvent } from "../support/tamper";
import { useTestDatabase } from "../support/test-db";
import { makeCutover } from "../support/fixtures";

const t = useTestDatabase();

describe("audit trail", () => {
  it("chains every event to the previous one and verifies", async () => {
    const ctx = t.ctx();
    await makeCutover(ctx);
    await makeCutover(ctx);
    const events = await t.db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events[0]!.prevHash).toBe("");
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, checked: events.length });
  });

  it("strips secrets from before/after: URL passwords, secret-named keys and literal values", async () => {
    const ctx = t.ctx();
    await t.db.$transaction((tx) =>
      emitAudit(tx, {
        actor: ctx.actor,
        action: "heroku.request",
        entityType: "heroku_app",
        entityId: "x",
        after: { url: "postgres://u:hunter2hunter2@db:5432/app", apiToken: "tok-123456789", note: "sent tok-literal-99" },
        secrets: ["tok-literal-99"],
        at: new Date(),
      }),
    );
    const row = await t.db.auditEvent.findFirstOrThrow({ where: { action: "heroku.request" } });
    const text = JSON.stringify(row.after);
    expect(text).not.toMatch(/hunter2|tok-123456789|tok-literal-99/);
    expect(row.after).toEqual({ url: "postgres://u:****@db:5432/app", apiToken: "****", note: "sent ****" });
  });

  it("refuses updates and deletes in the database itself", async () => {
    await expect(t.db.$executeRawUnsafe(`UPDATE audit_events SET actor = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });

  it("detects a tampered row and names the first broken link", async () => {
    const target = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: "asc" }, skip: 1 });
    // Only a superuser bypassing the trigger can do this; the chain still catches it.
    await tamperWithAuditEvent(t.db, target.id);
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: false, brokenAt: target.id.toString(), reason: "content does not match its hash" });
  });
});
