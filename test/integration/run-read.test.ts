import { beforeAll, describe, expect, it } from "vitest";
import type { Actor, Ctx } from "@/lib/context";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { DomainError } from "@/lib/errors";
import { getRun } from "@/lib/run/get-run";
import { listLogLines } from "@/lib/run/list-log-lines";
import { makeCutover, makeRun } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();

const T0 = Date.parse("2025-03-01T02:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000);
const NOW = at(600);
const fixedCtx = (actor?: Actor): Ctx => ({ ...t.ctx(actor), now: () => NOW });

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("getRun", () => {
  let runId = "";
  let cutoverId = "";

  beforeAll(async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    cutoverId = cutover.id;
    const run = await makeRun(ctx, cutover.id, "running");
    runId = run.id;
    await t.db.cutoverRun.update({
      where: { id: run.id },
      data: {
        startedAt: at(-130),
        claimedBy: "worker-1",
        lastLogSeq: 3,
        planSnapshot: {
          steps: defaultPlanSteps(),
          smokeChecks: [
            { url: "https://app.example.com/", expectStatus: 200, maxLatencyMs: 2000, imagesLoad: false },
            { url: "https://app.example.com/health", expectStatus: 200, maxLatencyMs: 500, imagesLoad: false },
          ],
        } as never,
      },
    });
    const step = (stepKey: string, attempt: number, status: string, from: number | null, to: number | null, extra: Record<string, unknown> = {}) =>
      t.db.stepRun.create({
        data: { runId, stepKey, attempt, status: status as never, startedAt: from === null ? null : at(from), finishedAt: to === null ? null : at(to), createdAt: at(from ?? 0), ...extra },
      });
    // Created out of plan order on purpose: the view must follow the plan, not the rows.
    await step("maintenance_on", 1, "succeeded", 0, 2);
    await step("preflight", 1, "succeeded", -120, -100, { output: { estimatedCopyMs: 50_000, sourceUrlSecretId: "00000000-0000-0000-0000-000000000000", sourceBytes: 123 } });
    await step("gate", 1, "succeeded", -100, -10);
    await step("scale_down", 1, "succeeded", 3, 5, { output: { formation: { worker: 2 } } });
    await step("write_freeze", 1, "succeeded", 6, 12);
    await step("copy", 1, "failed", 13, 40, { error: "pg_restore exited with code 1" });
    await step("copy", 2, "succeeded", 41, 101);
    await step("verify", 1, "running", 102, null);

    await t.db.runTransition.createMany({
      data: [
        { runId, fromStatus: "queued", toStatus: "running", reason: "claimed", actor: "system:worker", createdAt: at(-130) },
        { runId, fromStatus: "running", toStatus: "failed", reason: "copy failed", actor: "system:worker", createdAt: at(40) },
      ],
    });
    await t.db.smokeResult.createMany({
      data: [
        { runId, url: "https://app.example.com/", phase: "baseline", ok: true, statusCode: 200, latencyMs: 80, createdAt: at(-110) },
        { runId, url: "https://app.example.com/", phase: "after_switch", ok: false, statusCode: 500, latencyMs: 90, createdAt: at(130), checks: [{ check: "status", ok: false, detail: "status 500, expected 200" }, { check: "latency", ok: true, detail: "90 ms" }] },
        { runId, url: "https://app.example.com/", phase: "after_switch", ok: true, statusCode: 200, latencyMs: 70, createdAt: at(140), checks: [{ check: "status", ok: true, detail: "status 200" }] },
        { runId, url: "https://app.example.com/health", phase: "baseline", ok: false, statusCode: null, latencyMs: null, createdAt: at(-110), error: "request failed: ECONNREFUSED" },
      ],
    });
  });

  it("returns the run, its steps in plan order with the latest attempt, transitions, smoke and downtime", async () => {
    const view = await getRun({ ctx: fixedCtx(), input: { runId } });
    expect(view).toMatchObject({
      id: runId,
      cutoverId,
      kind: "live",
      status: "running",
      version: 0,
      error: null,
      claimedBy: "worker-1",
      startedAt: at(-130),
      finishedAt: null,
      rollbackRequestedAt: null,
      cancelRequestedAt: null,
      lastLogSeq: 3,
      canRollback: true,
      canCancel: true,
    });
    expect(view.steps.map((s) => s.key)).toEqual(defaultPlanSteps().map((s) => s.key));
    expect(view.steps[0]).toEqual({
      key: "preflight",
      description: defaultPlanSteps()[0]!.description,
      phase: "forward",
      attempts: 1,
      status: "succeeded",
      startedAt: at(-120),
      finishedAt: at(-100),
      durationMs: 20_000,
      error: null,
    });
    expect(view.steps.find((s) => s.key === "copy")).toMatchObject({ attempts: 2, status: "succeeded", startedAt: at(41), finishedAt: at(101), durationMs: 60_000, error: null });
    expect(view.steps.find((s) => s.key === "verify")).toMatchObject({ attempts: 1, status: "running", finishedAt: null, durationMs: 498_000 });
    expect(view.steps.find((s) => s.key === "smoke")).toMatchObject({ attempts: 0, status: "pending", startedAt: null, durationMs: null });
    // No step output (secret ids, formations, estimates) leaks into the view.
    expect(JSON.stringify(view)).not.toContain("sourceUrlSecretId");
    expect(JSON.stringify(view)).not.toContain("formation\":");

    expect(view.transitions).toEqual([
      { from: "queued", to: "running", reason: "claimed", actor: "system:worker", at: at(-130), stepRunId: null },
      { from: "running", to: "failed", reason: "copy failed", actor: "system:worker", at: at(40), stepRunId: null },
    ]);
    expect(view.smoke).toEqual([
      {
        url: "https://app.example.com/",
        baseline: { ok: true, statusCode: 200, latencyMs: 80, failedChecks: [] },
        afterSwitch: { ok: true, statusCode: 200, latencyMs: 70, failedChecks: [] },
        afterRollback: null,
      },
      {
        url: "https://app.example.com/health",
        baseline: { ok: false, statusCode: null, latencyMs: null, failedChecks: ["request failed: ECONNREFUSED"] },
        afterSwitch: null,
        afterRollback: null,
      },
    ]);
    expect(view.maintenance).toEqual({ since: at(0), until: null });
    expect(view.downtime).toMatchObject({ since: at(0), until: NOW, endedBy: "now", ongoing: true, totalMs: 600_000 });
    expect(view.downtime.steps).toEqual([
      { key: "maintenance_on", attempts: 1, ms: 2_000 },
      { key: "scale_down", attempts: 1, ms: 2_000 },
      { key: "write_freeze", attempts: 1, ms: 6_000 },
      { key: "copy", attempts: 2, ms: 87_000 },
      { key: "verify", attempts: 1, ms: 498_000 },
    ]);
    expect(view.downtime.betweenStepsMs).toBe(5_000);
    expect(view.downtime.copy).toEqual({ estimatedMs: 50_000, measuredMs: 60_000, differenceMs: 10_000 });
  });

  it("ends the maintenance span at maintenance_off, then lists rollback steps after the plan in creation order", async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    const run = await makeRun(ctx, cutover.id, "running");
    await t.db.cutoverRun.update({ where: { id: run.id }, data: { status: "rolled_back", finishedAt: at(200) } });
    const mk = (stepKey: string, phase: "forward" | "rollback", from: number, to: number) =>
      t.db.stepRun.create({ data: { runId: run.id, stepKey, phase, status: "succeeded", startedAt: at(from), finishedAt: at(to), createdAt: at(from) } });
    await mk("maintenance_on", "forward", 0, 1);
    await mk("maintenance_off", "forward", 10, 12);
    await mk("rollback_maintenance_on", "rollback", 100, 101);
    await mk("undo_switch", "rollback", 102, 110);
    await mk("rollback_smoke", "rollback", 111, 115);
    const view = await getRun({ ctx: fixedCtx(), input: { runId: run.id } });
    expect(view.steps.filter((s) => s.phase === "rollback").map((s) => [s.key, s.description])).toEqual([
      ["rollback_maintenance_on", "Turn maintenance mode on while rolling back."],
      ["undo_switch", "Undo switch."],
      ["rollback_smoke", "Check every smoke URL after the rollback."],
    ]);
    expect(view.steps.slice(0, 11).every((s) => s.phase === "forward")).toBe(true);
    expect(view.maintenance).toEqual({ since: at(0), until: at(12) });
    expect(view.downtime).toMatchObject({ endedBy: "maintenance_off", totalMs: 12_000, copy: { estimatedMs: null, measuredMs: null, differenceMs: null } });
    expect(view).toMatchObject({ canRollback: false, canCancel: false });
  });

  it("refuses a bad id, an unknown run and an actor who may not read", async () => {
    expect(await rejection(getRun({ ctx: t.ctx(), input: { runId: "nope" } }))).toMatchObject({ code: "invalid_input", fields: [{ path: "runId", message: "must be a run id" }] });
    expect(await rejection(getRun({ ctx: t.ctx(), input: { runId: "00000000-0000-4000-8000-000000000000" } }))).toMatchObject({ code: "not_found", message: "run was not found" });
    expect(await rejection(getRun({ ctx: t.ctx({ type: "system", name: "web" }), input: { runId } }))).toMatchObject({ code: "unauthorized" });
    // Every real role may read; a role the permission table does not know may not.
    const stranger = { type: "user", id: "00000000-0000-4000-8000-000000000001", email: "x@example.com", role: "guest" } as unknown as Actor;
    expect(await rejection(getRun({ ctx: t.ctx(stranger), input: { runId } }))).toMatchObject({ code: "forbidden" });
    const viewer: Actor = { type: "user", id: "00000000-0000-4000-8000-000000000002", email: "v@example.com", role: "viewer" };
    await expect(getRun({ ctx: t.ctx(viewer), input: { runId } })).resolves.toMatchObject({ id: runId });
  });
});

describe("listLogLines", () => {
  let runId = "";
  let stepRunId = "";
  const seqs = (r: { lines: Array<{ seq: number }> }) => r.lines.map((l) => l.seq);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  beforeAll(async () => {
    const ctx = t.ctx();
    const { cutover } = await makeCutover(ctx);
    const run = await makeRun(ctx, cutover.id, "running");
    runId = run.id;
    stepRunId = (await t.db.stepRun.create({ data: { runId, stepKey: "copy", status: "running" } })).id;
    await t.db.logLine.createMany({
      data: range(1, 25).map((seq) => ({ runId, seq, stream: seq % 2 ? "stdout" : "system", text: `line ${seq}`, stepRunId: seq > 20 ? stepRunId : null, createdAt: at(seq) })),
    });
    await t.db.cutoverRun.update({ where: { id: runId }, data: { lastLogSeq: 25 } });
  });

  it("returns the newest lines by default, ascending, with the run's lastSeq", async () => {
    const all = await listLogLines({ ctx: t.ctx(), input: { runId } });
    expect(seqs(all)).toEqual(range(1, 25));
    expect(all).toMatchObject({ lastSeq: 25, hasMore: false });
    expect(all.lines[0]).toEqual({ seq: 1, stream: "stdout", text: "line 1", at: at(1), stepRunId: null });
    expect(all.lines[24]).toEqual({ seq: 25, stream: "stdout", text: "line 25", at: at(25), stepRunId });
    const newest = await listLogLines({ ctx: t.ctx(), input: { runId, limit: 5 } });
    expect(seqs(newest)).toEqual([21, 22, 23, 24, 25]);
    expect(newest.hasMore).toBe(true);
  });

  it("pages forward with afterSeq", async () => {
    const p1 = await listLogLines({ ctx: t.ctx(), input: { runId, afterSeq: 0, limit: 10 } });
    expect(seqs(p1)).toEqual(range(1, 10));
    expect(p1.hasMore).toBe(true);
    const p3 = await listLogLines({ ctx: t.ctx(), input: { runId, afterSeq: 20, limit: 10 } });
    expect(seqs(p3)).toEqual(range(21, 25));
    expect(p3.hasMore).toBe(false);
    const exact = await listLogLines({ ctx: t.ctx(), input: { runId, afterSeq: 15, limit: 10 } });
    expect(seqs(exact)).toEqual(range(16, 25));
    expect(exact.hasMore).toBe(false);
    const past = await listLogLines({ ctx: t.ctx(), input: { runId, afterSeq: 25 } });
    expect(past).toEqual({ lines: [], lastSeq: 25, hasMore: false });
  });

  it("pages backward with beforeSeq, returning the lines just before in ascending order", async () => {
    const p = await listLogLines({ ctx: t.ctx(), input: { runId, beforeSeq: 21, limit: 5 } });
    expect(seqs(p)).toEqual([16, 17, 18, 19, 20]);
    expect(p.hasMore).toBe(true);
    const first = await listLogLines({ ctx: t.ctx(), input: { runId, beforeSeq: 4, limit: 5 } });
    expect(seqs(first)).toEqual([1, 2, 3]);
    expect(first.hasMore).toBe(false);
    const exact = await listLogLines({ ctx: t.ctx(), input: { runId, beforeSeq: 6, limit: 5 } });
    expect(seqs(exact)).toEqual([1, 2, 3, 4, 5]);
    expect(exact.hasMore).toBe(false);
    expect(seqs(await listLogLines({ ctx: t.ctx(), input: { runId, beforeSeq: 1 } }))).toEqual([]);
  });

  it("never returns more than limit and accepts 1 and 1000", async () => {
    expect(seqs(await listLogLines({ ctx: t.ctx(), input: { runId, limit: 1 } }))).toEqual([25]);
    expect(seqs(await listLogLines({ ctx: t.ctx(), input: { runId, afterSeq: 3, limit: 1 } }))).toEqual([4]);
    expect(seqs(await listLogLines({ ctx: t.ctx(), input: { runId, limit: 1000 } }))).toHaveLength(25);
  });

  it("refuses bad numbers with a message naming the field", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ limit: 0 }, "limit", "must be 1 or more"],
      [{ limit: 1001 }, "limit", "must be at most 1000"],
      [{ limit: 2.5 }, "limit", "must be a whole number"],
      [{ limit: Number.NaN }, "limit", "must be a whole number"],
      [{ afterSeq: -1 }, "afterSeq", "must be 0 or more"],
      [{ afterSeq: 1e12 }, "afterSeq", "must be at most 2147483647"],
      [{ beforeSeq: 0 }, "beforeSeq", "must be 1 or more"],
      [{ beforeSeq: "5" }, "beforeSeq", "must be a whole number"],
      [{ afterSeq: 1, beforeSeq: 5 }, "beforeSeq", "cannot be combined with afterSeq"],
    ];
    for (const [extra, path, message] of cases) {
      const err = await rejection(listLogLines({ ctx: t.ctx(), input: { runId, ...extra } as never }));
      expect(err.code, JSON.stringify(extra)).toBe("invalid_input");
      expect(err.fields, JSON.stringify(extra)).toEqual([{ path, message }]);
      expect(err.message).toBe(`${path} ${message}`);
    }
    expect(await rejection(listLogLines({ ctx: t.ctx(), input: { runId: "x" } }))).toMatchObject({ code: "invalid_input", fields: [{ path: "runId", message: "must be a run id" }] });
    expect(await rejection(listLogLines({ ctx: t.ctx(), input: { runId: "00000000-0000-4000-8000-000000000000" } }))).toMatchObject({ code: "not_found" });
  });

  it("refuses the anonymous web actor and unknown roles", async () => {
    expect(await rejection(listLogLines({ ctx: t.ctx({ type: "system", name: "web" }), input: { runId } }))).toMatchObject({ code: "unauthorized", message: "sign in first" });
    const stranger = { type: "user", id: "00000000-0000-4000-8000-000000000001", email: "x@example.com", role: "guest" } as unknown as Actor;
    expect(await rejection(listLogLines({ ctx: t.ctx(stranger), input: { runId } }))).toMatchObject({ code: "forbidden" });
  });
});
