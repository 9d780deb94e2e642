import { describe, expect, it } from "vitest";
import { transitionRun } from "@/lib/run/transition-run";
import { transitionStep } from "@/lib/run/transition-step";
import { DomainError } from "@/lib/errors";
import { useTestDatabase } from "../support/test-db";
import { makeCutover, makeRun } from "../support/fixtures";

const t = useTestDatabase();

describe("transitionRun", () => {
  it("moves the status, appends a transition row and an audit event", async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    const run = await makeRun(ctx, cutover.id);
    const moved = await transitionRun({ ctx, input: { runId: run.id, from: "queued", to: "running", reason: "claimed" } });
    expect(moved.status).toBe("running");
    expect(moved.version).toBe(1);
    expect(moved.startedAt).toBeInstanceOf(Date);
    const transitions = await t.db.runTransition.findMany({ where: { runId: run.id } });
    expect(transitions).toMatchObject([{ fromStatus: "queued", toStatus: "running", reason: "claimed", actor: "system:test" }]);
    const audit = await t.db.auditEvent.findMany({ where: { entityType: "cutover_run", entityId: run.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "run.transition", before: { status: "queued" }, after: { status: "running" } });
  });

  it("refuses a move the state machine forbids, without touching the database", async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    const run = await makeRun(ctx, cutover.id);
    await expect(
      transitionRun({ ctx, input: { runId: run.id, from: "queued", to: "succeeded", reason: "x" } }),
    ).rejects.toThrow("a run cannot move from queued to succeeded");
    expect(await t.db.runTransition.count({ where: { runId: run.id } })).toBe(0);
  });

  it("is compare-and-set: of two concurrent claims exactly one wins", async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    const run = await makeRun(ctx, cutover.id);
    const claim = (worker: string) =>
      transitionRun({ ctx, input: { runId: run.id, from: "queued", to: "running", reason: "claim", patch: { claimedBy: worker } } });
    const results = await Promise.allSettled([claim("w1"), claim("w2")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(DomainError);
    expect(loser.reason.message).toMatch(/the run is running, not queued/);
    expect(await t.db.runTransition.count({ where: { runId: run.id } })).toBe(1);
  });

  it("rolls the status change back when the audit event cannot be written (fail-closed)", async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    const run = await makeRun(ctx, cutover.id);
    await t.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_fail_audit()`);
    try {
      await expect(
        transitionRun({ ctx, input: { runId: run.id, from: "queued", to: "running", reason: "claim" } }),
      ).rejects.toThrow(/audit store unavailable/);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER test_fail_audit ON audit_events`);
    }
    const after = await t.db.cutoverRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe("queued");
    expect(await t.db.runTransition.count({ where: { runId: run.id } })).toBe(0);
  });

  it("reports a missing run as not found", async () => {
    const ctx = t.ctx();
    await expect(
      transitionRun({ ctx, input: { runId: "00000000-0000-4000-8000-000000000000", from: "queued", to: "running", reason: "x" } }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps at most one active run per cutover", async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    await makeRun(ctx, cutover.id);
    await expect(makeRun(ctx, cutover.id)).rejects.toThrow();
  });
});

describe("transitionStep", () => {
  it("moves a step attempt by compare-and-set and records output, transition and audit", async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    const run = await makeRun(ctx, cutover.id, "running");
    const step = await t.db.stepRun.create({ data: { runId: run.id, stepKey: "scale_down" } });
    await transitionStep({ ctx, input: { stepRunId: step.id, from: "pending", to: "running" } });
    await transitionStep({
      ctx,
      input: { stepRunId: step.id, from: "running", to: "succeeded", output: { formation: { worker: 1 } } },
    });
    const done = await t.db.stepRun.findUniqueOrThrow({ where: { id: step.id } });
    expect(done).toMatchObject({ status: "succeeded", version: 2, output: { formation: { worker: 1 } } });
    expect(done.finishedAt).toBeInstanceOf(Date);
    await expect(
      transitionStep({ ctx, input: { stepRunId: step.id, from: "succeeded", to: "running" } }),
    ).rejects.toThrow("a step cannot move from succeeded to running");
    await expect(
      transitionStep({ ctx, input: { stepRunId: step.id, from: "running", to: "failed" } }),
    ).rejects.toThrow("the step is succeeded, not running");
    const rows = await t.db.runTransition.findMany({ where: { stepRunId: step.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => `${r.fromStatus}->${r.toStatus}`)).toEqual(["pending->running", "running->succeeded"]);
  });
});
