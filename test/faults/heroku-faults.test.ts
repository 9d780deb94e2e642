import { describe, expect, it } from "vitest";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { waitForRun, useEngineWorld } from "../support/engine-harness";
import { useTestDatabase } from "../support/test-db";

// Heroku misbehaving during a real cutover: rate limits, 503 bursts and slow answers are retried
// with backoff and recorded; an error that persists fails the step with Heroku's id and message,
// and a rollback from the half-finished switch puts the app back on its database.
const t = useTestDatabase();
const e = useEngineWorld(t, { scaleMb: 3, workerName: "worker-faults" });
const app = () => e.world.sandbox.info.apps[0]!;
const health = async () => (await fetch(`${app().routerUrl}/health`)).json();


describe("Heroku API faults during a cutover", () => {
  it("retries 429s, 503 bursts, slow answers and connection resets, records them, and still completes", async () => {
    e.world.sandbox.emulator.setFaults([
      { method: "GET", path: `/apps/${app().name}/formation`, status: 429, count: 2 },
      { method: "GET", path: `/apps/${app().name}/addon-attachments`, reset: true, count: 2 },
      { method: "PATCH", path: `/apps/${app().name}/config-vars`, status: 503, count: 3 },
      { method: "PATCH", path: `/apps/${app().name}`, latencyMs: 1500, count: 2 },
    ]);
    const run = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "live" } });
    const done = await waitForRun(t, run.id, ["succeeded", "needs_attention", "failed"], 240_000);
    e.world.sandbox.emulator.setFaults([]);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const requests = (await t.db.auditEvent.findMany({ where: { action: "heroku.request", entityId: run.id }, orderBy: { id: "asc" } })).map(
      (e) => e.metadata as { method: string; path: string; status: number | null; attempt: number; error?: string },
    );
    expect(requests.filter((r) => r.path.endsWith("/formation") && r.status === 429)).toHaveLength(2);
    const resets = requests.filter((r) => r.path.endsWith("/addon-attachments") && r.status === null) as Array<{ error?: string }>;
    expect(resets.length).toBeGreaterThanOrEqual(2);
    expect(resets[0]!.error).toMatch(/reset|socket|closed|ECONNRESET|terminated/i);
    expect(requests.filter((r) => r.path.endsWith("/config-vars") && r.method === "PATCH" && r.status === 503)).toHaveLength(3);
    expect(requests.some((r) => r.path.endsWith("/config-vars") && r.method === "PATCH" && r.status === 200 && r.attempt === 4)).toBe(true);
    const log = (await t.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
    expect(log).toMatch(/Heroku answered 503 to PATCH \/apps\/switchyard-demo\/config-vars; retrying in/);
    expect((await health()).database.name).toBe("app");

    // Put the app back for the next case.
    await requestRollback({ ctx: t.ctx(e.world.operator), input: { runId: run.id } });
    expect((await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 120_000)).status).toBe("rolled_back");
  }, 400_000);

  it("fails the switch with Heroku's id and message when an error persists, and rolls back from halfway", async () => {
    await t.db.cutover.update({ where: { id: e.world.cutoverId }, data: { options: { overwriteTarget: true } } });
    // The alias attachment goes through; the config change keeps failing (PATCH retries, then gives up).
    e.world.sandbox.emulator.setFaults([{ method: "PATCH", path: `/apps/${app().name}/config-vars`, status: 503 }]);
    const run = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "live" } });
    const failed = await waitForRun(t, run.id, ["failed", "succeeded"], 300_000);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/Heroku API PATCH \/apps\/switchyard-demo\/config-vars answered 503 service_unavailable/);
    const halfway = e.world.sandbox.emulator.effectiveConfig(app().name);
    expect(halfway.DATABASE_URL).toBeUndefined();
    expect(halfway.SWITCHYARD_ROLLBACK_DB_URL).toBe(app().sourceDatabaseUrl);

    e.world.sandbox.emulator.setFaults([]);
    await requestRollback({ ctx: t.ctx(e.world.operator), input: { runId: run.id, reason: "switch failed" } });
    const back = await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    expect(back.status, back.error ?? "").toBe("rolled_back");
    expect((await health()).database).toMatchObject({ name: "heroku_db", port: Number(new URL(app().sourceDatabaseUrl).port) });
    expect(e.world.sandbox.emulator.app(app().name)!.maintenance).toBe(false);
    const config = e.world.sandbox.emulator.effectiveConfig(app().name);
    expect(config.DATABASE_URL).toBe(app().sourceDatabaseUrl);
    expect(config.SWITCHYARD_ROLLBACK_DB_URL).toBeUndefined();
  }, 500_000);
});
