import { describe, expect, it } from "vitest";
import { getRun } from "@/lib/run/get-run";
import { requestRollback } from "@/lib/run/request-rollback";
import { startWriter, useEngineWorld, waitForRun } from "../support/engine-harness";
import { emptyTarget, expectOutcome, forwardAttempts, runLog, startLive, waitForEnd } from "../support/fault-kit";
import { useTestDatabase } from "../support/test-db";

// Heroku misbehaving during a real cutover, injected by the emulator: rate limits with
// RateLimit-Remaining: 0, 503 bursts, answers seconds late, connections reset (also on a POST,
// which is never blindly resent). Each is retried with backoff and recorded in the log and the
// audit trail, and the cutover completes. A permanent refusal fails the step with Heroku's id and
// message, and a rollback from the half-finished switch puts the app back on its database.
const t = useTestDatabase();
const e = useEngineWorld(t, { scaleMb: 3, workerName: "worker-faults" });
const app = () => e.world.sandbox.info.apps[0]!;
const NAME = "switchyard-demo";

type HerokuRecord = { method: string; path: string; status: number | null; attempt: number; durationMs: number; error?: string; retryInMs?: number };
async function herokuRecords(runId: string): Promise<HerokuRecord[]> {
  const events = await t.db.auditEvent.findMany({ where: { action: "heroku.request", entityId: runId }, orderBy: { id: "asc" } });
  return events.map((ev) => ev.metadata as unknown as HerokuRecord);
}

describe("Heroku API faults during a cutover", () => {
  it("retries 429s, 503 bursts, slow answers and connection resets, records each, and completes", async () => {
    e.world.sandbox.emulator.setFaults([
      { method: "GET", path: `/apps/${NAME}/formation`, status: 429, count: 2 },
      { method: "GET", path: `/apps/${NAME}/addon-attachments`, reset: true, count: 2 },
      { method: "POST", path: "/addon-attachments", reset: true, count: 1 },
      { method: "PATCH", path: `/apps/${NAME}/config-vars`, status: 503, count: 3 },
      { method: "PATCH", path: `^/apps/${NAME}$`, latencyMs: 3_000, count: 2 },
    ]);
    const writer = startWriter(app().routerUrl, "heroku-faults-writer");
    const run = await startLive(t, e.world.operator, e.world.cutoverId);
    await waitForEnd(t, run.id);
    e.world.sandbox.emulator.setFaults([]);
    await writer.stop();
    await expectOutcome(t, e.world, run.id, { status: "succeeded", cutover: "done", appOn: "target", writer });

    const records = await herokuRecords(run.id);
    const rateLimited = records.filter((r) => r.path.endsWith("/formation") && r.status === 429);
    expect(rateLimited).toHaveLength(2);
    expect(rateLimited.every((r) => r.retryInMs! >= 1_000), "waits out Retry-After / RateLimit-Remaining: 0").toBe(true);
    const resets = records.filter((r) => r.method === "GET" && r.path.endsWith("/addon-attachments") && r.status === null);
    expect(resets).toHaveLength(2);
    expect(resets[0]!.error).toMatch(/socket|closed|reset|terminated/i);
    expect(records.filter((r) => r.path.endsWith("/config-vars") && r.method === "PATCH" && r.status === 503)).toHaveLength(3);
    expect(records.some((r) => r.path.endsWith("/config-vars") && r.method === "PATCH" && r.status === 200 && r.attempt === 4)).toBe(true);
    const slow = records.filter((r) => r.method === "PATCH" && r.path === `/apps/${NAME}`);
    expect(slow.filter((r) => r.durationMs >= 3_000), "the late answers are recorded as such").toHaveLength(2);

    // The reset POST may have reached Heroku, so it is not resent blindly: the switch attempt
    // fails, and its retry checks the app's attachments first and goes on from there.
    expect((await forwardAttempts(t, run.id)).filter((s) => s.startsWith("switch:"))).toEqual(["switch:failed", "switch:succeeded"]);
    const posts = records.filter((r) => r.method === "POST" && r.path === "/addon-attachments");
    expect(posts.map((r) => r.status)).toEqual([null, 201]);

    const log = await runLog(t, run.id);
    expect(log).toMatch(/Heroku answered 429 to GET \/apps\/switchyard-demo\/formation; retrying in [1-9]/);
    expect(log).toMatch(/Heroku answered 503 to PATCH \/apps\/switchyard-demo\/config-vars; retrying in/);
    expect(log).toMatch(/Heroku answered .*(socket|closed|reset|terminated).* to GET \/apps\/switchyard-demo\/addon-attachments; retrying in/i);
    expect(log).toMatch(/✘ switch failed: Heroku API POST \/addon-attachments could not be reached/);

    await requestRollback({ ctx: t.ctx(e.world.operator), input: { runId: run.id, reason: "next case" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    await expectOutcome(t, e.world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer, strandedOnTarget: true });
  });

  it("fails the switch with Heroku's id and message on a permanent refusal, and rolls back from halfway", async () => {
    await emptyTarget(e.world);
    // The alias attaches and DATABASE detaches; setting DATABASE_URL is refused for good.
    const refusal = "You do not have access to the app switchyard-demo.";
    e.world.sandbox.emulator.setFaults([{ method: "PATCH", path: `/apps/${NAME}/config-vars`, status: 403, id: "forbidden", message: refusal }]);
    const writer = startWriter(app().routerUrl, "heroku-permanent-writer");
    const run = await startLive(t, e.world.operator, e.world.cutoverId);
    const failed = await waitForEnd(t, run.id);
    expect(failed.status).toBe("failed");
    const shown = `Heroku API PATCH /apps/switchyard-demo/config-vars answered 403 forbidden: ${refusal}`;
    expect(failed.error).toContain(shown);
    const view = await getRun({ ctx: t.ctx(e.world.operator), input: { runId: run.id } });
    expect(view.steps.find((s) => s.key === "switch")).toMatchObject({ status: "failed", error: expect.stringContaining(shown) });
    expect(view.canRollback).toBe(true);
    // A 403 is not retried by the client: one request per step attempt.
    expect((await herokuRecords(run.id)).filter((r) => r.method === "PATCH" && r.path.endsWith("/config-vars")).every((r) => r.attempt === 1)).toBe(true);

    const halfway = e.world.sandbox.emulator.effectiveConfig(NAME);
    expect(halfway.DATABASE_URL, "DATABASE detached, DATABASE_URL not yet set").toBeUndefined();
    expect(halfway.SWITCHYARD_ROLLBACK_DB_URL).toBe(app().sourceDatabaseUrl);
    expect(e.world.sandbox.emulator.app(NAME)!.maintenance).toBe(true);

    e.world.sandbox.emulator.setFaults([]);
    await requestRollback({ ctx: t.ctx(e.world.operator), input: { runId: run.id, reason: "switch refused" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    await writer.stop();
    await expectOutcome(t, e.world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer });
    const config = e.world.sandbox.emulator.effectiveConfig(NAME);
    expect(config.DATABASE_URL).toBe(app().sourceDatabaseUrl);
    expect(config.SWITCHYARD_ROLLBACK_DB_URL).toBeUndefined();
  });
});
