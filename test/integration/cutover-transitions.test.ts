import { describe, expect, it } from "vitest";
import type { Ctx } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { transitionCutover } from "@/lib/cutover/transition-cutover";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { requestCancel } from "@/lib/run/request-cancel";
import { startRun } from "@/lib/run/start-run";
import type { RunStatus } from "@/lib/run/state-machine";
import { transitionRun } from "@/lib/run/transition-run";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();
let counter = 0;

/** A cutover whose gate holds now (window open, no sign-offs needed), so a live run may start. */
async function readyCutover(ctx: Ctx) {
  counter += 1;
  const app = await addHerokuApp({
    ctx,
    input: { name: `cutover-moves-${counter}`, apiBaseUrl: "http://127.0.0.1:5999", apiToken: "heroku-token-abcdef123456" },
  });
  return createCutover({
    ctx,
    input: {
      name: `Cutover moves ${counter}`,
      herokuAppId: app.id,
      targetDatabaseUrl: "postgres://target:secret@127.0.0.1:5432/target",
      windowStartsAt: new Date(Date.now() - 3600_000),
      windowEndsAt: new Date(Date.now() + 3600_000),
      requiredApprovals: 0,
    },
  });
}

async function walk(ctx: Ctx, runId: string, statuses: RunStatus[]) {
  for (let i = 1; i < statuses.length; i++) {
    await transitionRun({ ctx, input: { runId, from: statuses[i - 1]!, to: statuses[i]!, reason: `to ${statuses[i]}` } });
  }
}

const cutoverStatus = async (id: string) => (await t.db.cutover.findUniqueOrThrow({ where: { id } })).status;
const moves = async (cutoverId: string) =>
  (await t.db.cutoverTransition.findMany({ where: { cutoverId }, orderBy: { id: "asc" } })).map((r) => `${r.fromStatus}->${r.toStatus}`);
const audits = (cutoverId: string) =>
  t.db.auditEvent.findMany({ where: { action: "cutover.transition", entityType: "cutover", entityId: cutoverId }, orderBy: { id: "asc" } });

/** Records that a step touching the app started, as the executor does. */
const touchApp = (runId: string) => t.db.stepRun.create({ data: { runId, stepKey: "maintenance_on", status: "succeeded" } });

describe("the cutover moves with its live run", () => {
  it("starting a live run locks the plan: draft -> live, with a transition row and an audit event", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    const run = await startRun({ ctx, input: { cutoverId: cutover.id, kind: "live" } });
    expect(await cutoverStatus(cutover.id)).toBe("live");
    const rows = await t.db.cutoverTransition.findMany({ where: { cutoverId: cutover.id } });
    expect(rows).toMatchObject([{ runId: run.id, fromStatus: "draft", toStatus: "live", actor: "system:test" }]);
    const events = await audits(cutover.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ before: { status: "draft" }, after: { status: "live" }, metadata: { runId: run.id } });
  });

  it("a succeeded live run marks the cutover done", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    const run = await startRun({ ctx, input: { cutoverId: cutover.id, kind: "live" } });
    await walk(ctx, run.id, ["queued", "running", "succeeded"]);
    expect(await cutoverStatus(cutover.id)).toBe("done");
    expect(await moves(cutover.id)).toEqual(["draft->live", "live->done"]);
    const events = await audits(cutover.id);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      actor: "system:test",
      before: { status: "live" },
      after: { status: "done" },
      metadata: { runId: run.id, reason: "live run succeeded: to succeeded" },
    });
  });

  it("a live run that failed before touching the app makes the plan editable again", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    const run = await startRun({ ctx, input: { cutoverId: cutover.id, kind: "live" } });
    await walk(ctx, run.id, ["queued", "running", "failed"]);
    expect(await cutoverStatus(cutover.id)).toBe("draft");
    expect(await moves(cutover.id)).toEqual(["draft->live", "live->draft"]);
    expect(await audits(cutover.id)).toHaveLength(2);
  });

  it("one that touched the app stays live until it is rolled back, then goes back to draft", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    const run = await startRun({ ctx, input: { cutoverId: cutover.id, kind: "live" } });
    await walk(ctx, run.id, ["queued", "running"]);
    await touchApp(run.id);
    await walk(ctx, run.id, ["running", "failed"]);
    expect(await cutoverStatus(cutover.id)).toBe("live");
    await walk(ctx, run.id, ["failed", "rolling_back", "rolled_back"]);
    expect(await cutoverStatus(cutover.id)).toBe("draft");
    expect(await moves(cutover.id)).toEqual(["draft->live", "live->draft"]);
    const events = await audits(cutover.id);
    expect(events.map((e) => e.after)).toEqual([{ status: "live" }, { status: "draft" }]);
  });

  it("rolling back a live run that succeeded releases the done cutover", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    const run = await startRun({ ctx, input: { cutoverId: cutover.id, kind: "live" } });
    await touchApp(run.id);
    await walk(ctx, run.id, ["queued", "running", "succeeded", "rolling_back", "rolled_back"]);
    expect(await cutoverStatus(cutover.id)).toBe("draft");
    expect(await moves(cutover.id)).toEqual(["draft->live", "live->done", "done->draft"]);
  });

  it("cancelling a queued live run releases the plan in the same transaction", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    const run = await startRun({ ctx, input: { cutoverId: cutover.id, kind: "live" } });
    await requestCancel({ ctx, input: { runId: run.id, reason: "not tonight" } });
    expect(await cutoverStatus(cutover.id)).toBe("draft");
    expect(await moves(cutover.id)).toEqual(["draft->live", "live->draft"]);
  });

  it("a rehearsal run leaves the cutover alone", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    await transitionCutover({ ctx, input: { cutoverId: cutover.id, from: "draft", to: "live", reason: "set up" } });
    const run = await t.db.cutoverRun.create({
      data: { cutoverId: cutover.id, kind: "rehearsal", planHash: cutover.planHash, planSnapshot: { steps: defaultPlanSteps() } as never },
    });
    await walk(ctx, run.id, ["queued", "running", "succeeded"]);
    const other = await t.db.cutoverRun.create({
      data: { cutoverId: cutover.id, kind: "rehearsal", planHash: cutover.planHash, planSnapshot: { steps: defaultPlanSteps() } as never },
    });
    await walk(ctx, other.id, ["queued", "running", "failed"]);
    expect(await cutoverStatus(cutover.id)).toBe("live");
    expect(await moves(cutover.id)).toEqual(["draft->live"]);
  });

  it("rolls the run's transition back when the cutover's cannot be written", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    const run = await startRun({ ctx, input: { cutoverId: cutover.id, kind: "live" } });
    await walk(ctx, run.id, ["queued", "running"]);
    await t.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_fail_cutover_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'cutover history unavailable'; END $$`);
    await t.db.$executeRawUnsafe(
      `CREATE TRIGGER test_fail_cutover_move BEFORE INSERT ON cutover_transitions FOR EACH ROW EXECUTE FUNCTION test_fail_cutover_move()`,
    );
    try {
      await expect(walk(ctx, run.id, ["running", "succeeded"])).rejects.toThrow(/cutover history unavailable/);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER test_fail_cutover_move ON cutover_transitions`);
    }
    expect((await t.db.cutoverRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");
    expect(await cutoverStatus(cutover.id)).toBe("live");
  });
});

describe("transitionCutover", () => {
  it("refuses a move the state machine forbids, without touching the database", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    await expect(
      transitionCutover({ ctx, input: { cutoverId: cutover.id, from: "draft", to: "done", reason: "x" } }),
    ).rejects.toMatchObject({ code: "conflict", message: "a cutover cannot move from draft to done" });
    expect(await moves(cutover.id)).toEqual([]);
  });

  it("is compare-and-set: a stale `from` is refused naming the actual status", async () => {
    const ctx = t.ctx();
    const cutover = await readyCutover(ctx);
    await expect(
      transitionCutover({ ctx, input: { cutoverId: cutover.id, from: "live", to: "done", reason: "x" } }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/the cutover is draft, not live/) });
    expect(await cutoverStatus(cutover.id)).toBe("draft");
    expect(await moves(cutover.id)).toEqual([]);
  });

  it("reports a missing cutover as not found", async () => {
    const ctx = t.ctx();
    await expect(
      transitionCutover({ ctx, input: { cutoverId: "00000000-0000-4000-8000-000000000000", from: "draft", to: "live", reason: "x" } }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
