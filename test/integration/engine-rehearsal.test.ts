import { connect } from "@/lib/pg/connect";
import { describe, expect, it } from "vitest";
import { requestCancel } from "@/lib/run/request-cancel";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { queryValue, useEngineWorld, waitForRun } from "../support/engine-harness";
import { useTestDatabase } from "../support/test-db";

// A rehearsal copies and verifies for real without touching the app; a cancelled live run can
// still be rolled back, which leaves the app exactly as it was.
const t = useTestDatabase();
const e = useEngineWorld(t, { scaleMb: 40, workerName: "worker-r" });
const app = () => e.world.sandbox.info.apps[0]!;

const count = async (url: string, sql: string) => Number(await queryValue(url, sql));


describe("an on-demand preflight", () => {
  it("checks the app and both databases and records the smoke baseline, changing nothing", async () => {
    const run = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "preflight" } });
    const done = await waitForRun(t, run.id, ["succeeded", "failed"], 120_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const steps = await t.db.stepRun.findMany({ where: { runId: run.id } });
    expect(steps.filter((s) => s.status === "succeeded").map((s) => s.stepKey)).toEqual(["preflight"]);
    expect(steps.filter((s) => s.status === "skipped")).toHaveLength(10);
    expect(await t.db.smokeResult.findMany({ where: { runId: run.id }, select: { phase: true, ok: true } })).toEqual([{ phase: "baseline", ok: true }]);
    const log = (await t.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
    expect(log).toMatch(/estimated copy time \d+ s, maintenance page about \d+ s; the window is \d+ min/);
    expect(e.world.sandbox.emulator.app(app().name)!.maintenance).toBe(false);
  }, 120_000);

  it("fails with a clear message when the target database is not empty", async () => {
    const client = await connect(app().targetDatabaseUrl);
    await client.query("CREATE TABLE leftover (id int)");
    try {
      const run = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "preflight" } });
      const done = await waitForRun(t, run.id, ["succeeded", "failed"], 120_000);
      expect(done.status).toBe("failed");
      expect(done.error).toBe('the target database is not empty (1 tables); empty it, or enable "overwrite target" in the plan');
      // A live run refused at preflight changed nothing: the plan is editable again at once.
      const live = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "live" } });
      expect((await waitForRun(t, live.id, ["succeeded", "failed"], 120_000)).status).toBe("failed");
      expect((await t.db.cutover.findUniqueOrThrow({ where: { id: e.world.cutoverId } })).status).toBe("draft");
    } finally {
      await client.query("DROP TABLE leftover");
      await client.end();
    }
  }, 120_000);
});

describe("a rehearsal", () => {
  it("copies and verifies into the scratch target while the app stays online and untouched", async () => {
    const releases = e.world.sandbox.emulator.releases(app().name).length;
    const run = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "rehearsal" } });
    const done = await waitForRun(t, run.id, ["succeeded", "failed"], 240_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const steps = await t.db.stepRun.findMany({ where: { runId: run.id }, orderBy: { createdAt: "asc" } });
    expect(steps.filter((s) => s.status === "succeeded").map((s) => s.stepKey)).toEqual(["preflight", "copy", "verify"]);
    expect(steps.filter((s) => s.status === "skipped")).toHaveLength(8);
    expect(e.world.sandbox.emulator.releases(app().name)).toHaveLength(releases);
    expect(e.world.sandbox.emulator.app(app().name)!.maintenance).toBe(false);
    const orders = "SELECT count(*) AS n FROM orders";
    expect(await count(app().rehearsalTargetDatabaseUrl, orders)).toBe(await count(app().sourceDatabaseUrl, orders));
    await expect(requestRollback({ ctx: t.ctx(e.world.operator), input: { runId: run.id } })).rejects.toThrow("a rehearsal never changes the app");
  }, 300_000);
});

describe("a cancelled live run", () => {
  it("stops before switching, and a rollback then restores the app as it was", async () => {
    const run = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "live" } });
    const deadline = Date.now() + 120_000;
    while (!(await t.db.stepRun.findFirst({ where: { runId: run.id, stepKey: "copy", status: "running" } }))) {
      if (Date.now() > deadline) throw new Error("the copy did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
    await requestCancel({ ctx: t.ctx(e.world.operator), input: { runId: run.id, reason: "test" } });
    const cancelled = await waitForRun(t, run.id, ["cancelled"], 60_000);
    expect(cancelled.status).toBe("cancelled");
    // The copy is interrupted, or finishes just before the request is seen; nothing after it runs.
    const copy = await t.db.stepRun.findFirstOrThrow({ where: { runId: run.id, stepKey: "copy" } });
    expect(["cancelled", "succeeded"]).toContain(copy.status);
    expect(await t.db.stepRun.count({ where: { runId: run.id, stepKey: { in: ["switch", "restore_formation", "maintenance_off", "smoke"] } } })).toBe(0);
    expect(e.world.sandbox.emulator.app(app().name)!.maintenance).toBe(true);

    await requestRollback({ ctx: t.ctx(e.world.operator), input: { runId: run.id, reason: "undo the cancelled run" } });
    const rolledBack = await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 120_000);
    expect(rolledBack.status, rolledBack.error ?? "").toBe("rolled_back");
    expect(e.world.sandbox.emulator.app(app().name)!.maintenance).toBe(false);
    expect(e.world.sandbox.emulator.formation(app().name).find((f) => f.type === "worker")!.quantity).toBe(1);
    const res = await fetch(`${app().routerUrl}/api/writes`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: "after-cancel", seq: 1 }) });
    expect(res.status).toBe(201);
    const undone = await t.db.stepRun.findMany({ where: { runId: run.id, phase: "rollback" }, orderBy: { createdAt: "asc" } });
    expect(undone.map((s) => `${s.stepKey}:${s.status}`)).toEqual([
      "rollback_maintenance_on:succeeded", "undo_write_freeze:succeeded", "undo_scale_down:succeeded", "rollback_maintenance_off:succeeded", "rollback_smoke:succeeded",
    ]);
  }, 300_000);
});
