import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getRun } from "@/lib/run/get-run";
import { requestCancel } from "@/lib/run/request-cancel";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { buildEngineWorld, spawnWorker, startWriter, waitForRun, type EngineWorld, type WorkerProcess } from "../support/engine-harness";
import { appHealth, emptyTarget, expectOutcome, pinCopyInDataPhase, sandboxApp, startLive, waitForEnd, waitForStep, waitUntil } from "../support/fault-kit";
import { useTestDatabase } from "../support/test-db";

// Rollback from every state in which it is offered (running, cancelled, needs attention,
// rollback failed; failed and succeeded are in the other files, the half-finished switch in
// heroku-faults): each ends with the app out of maintenance on its source database, the health
// endpoint naming it, every process type back and every acknowledged write there. Where rollback
// is not offered, it is refused with the reason.
const t = useTestDatabase();
let world: EngineWorld;
let worker: WorkerProcess;
let site: http.Server;
let failing = false;
const app = () => sandboxApp(world);
const NAME = "switchyard-demo";

beforeAll(async () => {
  // A second smoke page that answers 200 until told to break (a regression only after the switch).
  site = http.createServer((_req, res) => (failing ? res.writeHead(500).end("broken") : res.writeHead(200).end("fine")));
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  const pageUrl = `http://127.0.0.1:${(site.address() as net.AddressInfo).port}/page`;
  world = await buildEngineWorld(t, { scaleMb: 3, smokeChecks: [{ url: pageUrl, expectStatus: 200, maxLatencyMs: 10_000 }] });
  worker = await spawnWorker(t, "worker-rollbacks");
}, 180_000);

afterAll(async () => {
  worker?.child.kill("SIGKILL");
  site?.closeAllConnections();
  site?.close();
  await world?.sandbox.stop();
}, 60_000);

const rollBack = (runId: string, reason: string) => requestRollback({ ctx: t.ctx(world.operator), input: { runId, reason } });
const offered = async (runId: string) => (await getRun({ ctx: t.ctx(world.operator), input: { runId } })).canRollback;

async function rolledBack(runId: string, writer: ReturnType<typeof startWriter>, strandedOnTarget = false) {
  await waitForRun(t, runId, ["rolled_back", "rollback_failed"], 240_000);
  await writer.stop();
  await expectOutcome(t, world, runId, { status: "rolled_back", cutover: "draft", appOn: "source", writer, strandedOnTarget });
  const health = await appHealth(world);
  expect(health.database).toMatchObject({ name: "heroku_db", port: Number(new URL(app().sourceDatabaseUrl).port) });
  expect(world.sandbox.emulator.effectiveConfig(NAME).DATABASE_URL).toBe(app().sourceDatabaseUrl);
  expect(await offered(runId)).toBe(false);
  await expect(rollBack(runId, "again")).rejects.toMatchObject({ code: "conflict", message: "a run that is rolled back cannot be rolled back" });
}

describe("rollback from every state where it is offered", () => {
  beforeEach(async () => {
    failing = false;
    world.sandbox.emulator.setFaults([]);
    await emptyTarget(world);
  });

  it("is refused, with the reason, while the run has not changed the app", async () => {
    const run = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "preflight" } });
    const done = await waitForEnd(t, run.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    await expect(rollBack(run.id, "nothing to undo")).rejects.toMatchObject({ code: "conflict", message: "a preflight never changes the app, so there is nothing to roll back" });
    const live = await startLive(t, world.operator, world.cutoverId);
    await expect(rollBack(live.id, "too early")).rejects.toMatchObject({ code: "conflict", message: "the run has not changed the app yet; cancel it instead" });
    await requestCancel({ ctx: t.ctx(world.operator), input: { runId: live.id, reason: "not now" } });
    await waitForEnd(t, live.id);
    await expectOutcome(t, world, live.id, { status: "cancelled", cutover: "draft", appOn: "source" });
  });

  it("from running (in the middle of the copy): the copy stops and the app comes back", async () => {
    const writer = startWriter(app().routerUrl, "rollback-running-writer");
    const run = await startLive(t, world.operator, world.cutoverId);
    const pin = await pinCopyInDataPhase(t, world, run.id);
    expect(await offered(run.id)).toBe(true);
    await rollBack(run.id, "stop mid-copy");
    // The worker stops the copy where it stands (it does not wait for the lock we hold).
    const copy = await waitUntil("the copy is stopped", () => t.db.stepRun.findFirst({ where: { runId: run.id, stepKey: "copy", status: { not: "running" } } }));
    await pin.release();
    expect(copy.status, "the interrupted copy is recorded as such").toBe("cancelled");
    await rolledBack(run.id, writer);
  });

  it("from cancelled (cancelled after maintenance went on): the app does not stay in maintenance", async () => {
    const writer = startWriter(app().routerUrl, "rollback-cancelled-writer");
    const run = await startLive(t, world.operator, world.cutoverId);
    await waitForStep(t, run.id, "write_freeze", "running");
    await requestCancel({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "cancel mid-freeze" } });
    const cancelled = await waitForEnd(t, run.id);
    expect(cancelled.status).toBe("cancelled");
    expect((await appHealth(world)).status, "cancelled, still in maintenance").toBe(503);
    expect(await offered(run.id)).toBe(true);
    await rollBack(run.id, "after cancel");
    await rolledBack(run.id, writer);
  });

  it("from needs attention (a smoke check regressed after the switch)", async () => {
    const writer = startWriter(app().routerUrl, "rollback-attention-writer");
    const run = await startLive(t, world.operator, world.cutoverId);
    await waitForStep(t, run.id, "preflight", "succeeded");
    failing = true;
    const done = await waitForEnd(t, run.id);
    expect(done.status, done.error ?? "").toBe("needs_attention");
    expect(done.error ?? "").toBe("");
    expect((await appHealth(world)).database?.name, "switched, serving from the target").toBe("app");
    failing = false;
    await writer.stop();
    await rollBack(run.id, "smoke regressed");
    await rolledBack(run.id, writer, true);
  });

  it("from rollback failed (Heroku refused the promotion): a second rollback completes", async () => {
    const writer = startWriter(app().routerUrl, "rollback-failed-writer");
    const run = await startLive(t, world.operator, world.cutoverId);
    const done = await waitForEnd(t, run.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    await writer.stop();
    // Attaching the source as DATABASE again is refused for good: the rollback cannot finish.
    world.sandbox.emulator.setFaults([{ method: "POST", path: "/addon-attachments", status: 403, id: "forbidden", message: "You do not have access to the add-on." }]);
    await rollBack(run.id, "first try");
    const failed = await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 240_000);
    expect(failed.status).toBe("rollback_failed");
    expect(failed.error).toContain("Heroku API POST /addon-attachments answered 403 forbidden: You do not have access to the add-on.");
    expect(await offered(run.id)).toBe(true);
    world.sandbox.emulator.setFaults([]);
    await rollBack(run.id, "second try");
    await rolledBack(run.id, writer, true);
  });
});
