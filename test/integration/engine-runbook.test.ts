import { describe, expect, it } from "vitest";
import { getCutover } from "@/lib/cutover/get-cutover";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { decideStep } from "@/lib/run/decide-step";
import { getRun } from "@/lib/run/get-run";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { signOff } from "@/lib/signoff/sign-off";
import { queryValue, useEngineWorld, waitForRun } from "../support/engine-harness";
import { useTestDatabase } from "../support/test-db";

// A runbook around the core, run live by the real worker against the sandbox: an SQL migration and
// a migration command on a one-off dyno after the switch (both proven idempotent), a manual task inside maintenance, and an approval before
// maintenance goes off. The run pauses at each person step until the right person decides.
const t = useTestDatabase();
const e = useEngineWorld(t, { scaleMb: 5, workerName: "worker-runbook" });
const app = () => e.world.sandbox.info.apps[0]!;

async function waitingAt(runId: string, key: string) {
  for (let i = 0; i < 240; i++) {
    const run = await getRun({ ctx: t.ctx(e.world.operator), input: { runId } });
    if (run.waiting?.key === key) return run;
    if (!["queued", "running"].includes(run.status)) throw new Error(`the run ended ${run.status} before waiting at ${key}: ${run.error}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the run never waited at ${key}`);
}

/** The runbook of these tests, saved and signed off: the core plus SQL and a command after the switch, a manual task, an approval. */
let saved: Awaited<ReturnType<typeof saveRunbookOnce>> | null = null;
const saveRunbook = async () => (saved ??= await saveRunbookOnce());

async function saveRunbookOnce() {
  const ctx = t.ctx(e.world.operator);
  // Each live run copies into the same target; a rolled-back one leaves its copy there.
  await t.db.cutover.update({ where: { id: e.world.cutoverId }, data: { options: { overwriteTarget: true } } });
  const cutover = await getCutover({ ctx, input: { cutoverId: e.world.cutoverId } });
  const core = cutover.steps.map(({ key, kind, params }) => ({ key, kind, params }));
  const at = (key: string) => core.findIndex((s) => s.key === key);
  const sqlKind = "database.sql";
  const steps = [
    ...core.slice(0, at("switch") + 1),
    { key: "migrate", kind: sqlKind, params: { sql: "CREATE TABLE IF NOT EXISTS feature_flags (name text PRIMARY KEY); INSERT INTO feature_flags VALUES ('checkout_v2') ON CONFLICT DO NOTHING", runTwice: true } },
    { key: "migrate_cmd", kind: "platform.command", params: { command: `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "CREATE TABLE IF NOT EXISTS cmd_marker (id int)"`, runTwice: true } },
    { key: "cdn", kind: "person.manual", params: { title: "Point the CDN at the new origin", instructions: "Run `aws cloudfront update-distribution …`, then **check** the site.", role: "operator" } },
    ...core.slice(at("switch") + 1, at("maintenance_off")),
    { key: "go_ahead", kind: "person.approval", params: { question: "Smoke results fine? May maintenance go off?" } },
    ...core.slice(at("maintenance_off")),
  ];
  const updated = await updateCutover({ ctx, input: { cutoverId: cutover.id, version: cutover.version, steps } });
  for (const approver of e.world.approvers) await signOff({ ctx: t.ctx(approver), input: { cutoverId: cutover.id, planHash: updated.planHash, decision: "approve", comment: "runbook ok" } });
  return steps;
}

describe("a live run of a runbook with people in it", () => {
  it("a rollback asked for while the run waits for a person ends the wait and rolls back at once", async () => {
    const ctx = t.ctx(e.world.operator);
    await saveRunbook();
    const run = await startRun({ ctx, input: { cutoverId: e.world.cutoverId, kind: "live" } });
    await waitingAt(run.id, "cdn");
    await requestRollback({ ctx, input: { runId: run.id, reason: "the CDN change went wrong" } });
    const done = await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 240_000);
    expect(done.status, done.error ?? "").toBe("rolled_back");
    const attempts = await t.db.stepRun.findMany({ where: { runId: run.id }, orderBy: { createdAt: "asc" } });
    expect(attempts.filter((s) => s.stepKey === "cdn").map((s) => s.status)).toEqual(["cancelled"]);
    // The rollback's own steps run on a fresh signal: none is cancelled by the request that started it.
    expect(attempts.filter((s) => s.phase === "rollback").map((s) => s.status).every((status) => status === "succeeded")).toBe(true);
    expect((await (await fetch(`${app().routerUrl}/health`)).json()).database.port).toBe(Number(new URL(app().sourceDatabaseUrl).port));
  }, 300_000);


  it("pauses at a manual task and an approval until the right people decide, and migrates the target", async () => {
    const ctx = t.ctx(e.world.operator);
    const steps = await saveRunbook();
    const run = await startRun({ ctx, input: { cutoverId: e.world.cutoverId, kind: "live" } });
    const atCdn = await waitingAt(run.id, "cdn");
    expect(atCdn.waiting).toMatchObject({ title: "Point the CDN at the new origin", role: "operator", decisions: [{ id: "done" }, { id: "skipped" }, { id: "failed" }] });
    expect(e.world.sandbox.emulator.app(app().name)!.maintenance).toBe(true);
    expect(await queryValue(app().targetDatabaseUrl, "SELECT string_agg(name, ',') FROM feature_flags")).toBe("checkout_v2");
    expect(await queryValue(app().targetDatabaseUrl, "SELECT to_regclass('public.cmd_marker')::text")).toBe("cmd_marker");

    const approver = e.world.approvers[0]!;
    await expect(decideStep({ ctx: t.ctx(approver), input: { runId: run.id, stepKey: "cdn", decision: "done" } })).rejects.toThrow(/only a person with the operator role/);
    await expect(decideStep({ ctx, input: { runId: run.id, stepKey: "cdn", decision: "skipped" } })).rejects.toMatchObject({ fields: [{ path: "reason", message: "is required to skip" }] });
    await expect(decideStep({ ctx: t.ctx(approver), input: { runId: run.id, stepKey: "go_ahead", decision: "approved" } })).rejects.toThrow(/go_ahead is not waiting for a decision/);
    await decideStep({ ctx, input: { runId: run.id, stepKey: "cdn", decision: "done", reason: "distribution updated" } });
    await expect(decideStep({ ctx, input: { runId: run.id, stepKey: "cdn", decision: "done" } })).rejects.toThrow(/cdn (was already decided|is not waiting)/);

    await waitingAt(run.id, "go_ahead");
    expect(e.world.sandbox.emulator.app(app().name)!.maintenance).toBe(true);
    await expect(decideStep({ ctx, input: { runId: run.id, stepKey: "go_ahead", decision: "approved" } })).rejects.toThrow(/approver role|someone other than the operator/);
    await decideStep({ ctx: t.ctx(approver), input: { runId: run.id, stepKey: "go_ahead", decision: "approved" } });

    const done = await waitForRun(t, run.id, ["succeeded", "needs_attention", "failed"], 240_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const rows = await t.db.stepRun.findMany({ where: { runId: run.id, phase: "forward" }, orderBy: { createdAt: "asc" } });
    expect(rows.map((s) => s.stepKey)).toEqual(steps.map((s) => s.key));
    expect(rows.find((s) => s.stepKey === "cdn")!.output).toMatchObject({ decision: "done", by: "user:op@example.com", reason: "distribution updated" });
    const decisions = await t.db.auditEvent.findMany({ where: { action: "step.decide", entityId: run.id }, orderBy: { createdAt: "asc" } });
    expect(decisions.map((d) => [d.actor, (d.after as { step: string }).step])).toEqual([["user:op@example.com", "cdn"], ["user:a1@example.com", "go_ahead"]]);
    const log = (await t.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
    expect(log).toContain("waiting for a person with the operator role: Point the CDN at the new origin");
    expect(log).toContain("the second run changed no schema object and no row count");
  }, 300_000);

  it("rolls the runbook back: the person steps and the SQL are not undone, the app is on its source again", async () => {
    const ctx = t.ctx(e.world.operator);
    const [run] = await t.db.cutoverRun.findMany({ where: { cutoverId: e.world.cutoverId, kind: "live", status: "succeeded" }, orderBy: { createdAt: "desc" }, take: 1 });
    await requestRollback({ ctx, input: { runId: run!.id, reason: "test" } });
    const done = await waitForRun(t, run!.id, ["rolled_back", "rollback_failed"], 240_000);
    expect(done.status, done.error ?? "").toBe("rolled_back");
    const undone = await t.db.stepRun.findMany({ where: { runId: run!.id, phase: "rollback" }, select: { stepKey: true } });
    expect(undone.map((s) => s.stepKey)).not.toContain("undo_cdn");
    expect(undone.map((s) => s.stepKey)).not.toContain("undo_migrate");
    expect(undone.map((s) => s.stepKey)).not.toContain("undo_migrate_cmd");
    expect((await (await fetch(`${app().routerUrl}/health`)).json()).database.port).toBe(Number(new URL(app().sourceDatabaseUrl).port));
  }, 300_000);
});
