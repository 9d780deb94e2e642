import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRun } from "@/lib/run/get-run";
import { requestRollback } from "@/lib/run/request-rollback";
import { buildEngineWorld, spawnWorker, startWriter, waitForRun, type EngineWorld, type WorkerProcess } from "../support/engine-harness";
import {
  appHealth, emptyTarget, expectOutcome, forwardAttempts, pinCopyInDataPhase, query, rowCounts, sandboxApp, signedCutover, startLive,
  waitForEnd, waitForLogLine, waitForStep,
} from "../support/fault-kit";
import { useTestDatabase } from "../support/test-db";

// The target misbehaving: unreachable, a wrong password, not empty, a conflicting object that
// breaks the restore midway, the server restarted in the middle of the copy. The step fails
// saying what to fix; the source is untouched; the app is not left switched; the operator can
// roll back, or fix the cause and retry.
const t = useTestDatabase();
let world: EngineWorld;
let worker: WorkerProcess;
const app = () => sandboxApp(world);

beforeAll(async () => {
  world = await buildEngineWorld(t, { scaleMb: 3 });
  worker = await spawnWorker(t, "worker-target");
}, 180_000);

afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await world?.sandbox.stop();
}, 60_000);

const objectCount = async (url: string) => (await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace"))[0]!.n;

/** The app still on its Heroku Postgres: DATABASE_URL is the source's, and nothing was attached for a switch. */
function expectNotSwitched() {
  const config = world.sandbox.emulator.effectiveConfig(app().name);
  expect(config.DATABASE_URL).toBe(app().sourceDatabaseUrl);
  expect(config.SWITCHYARD_ROLLBACK_DB_URL).toBeUndefined();
}

async function canRollBack(runId: string) {
  return (await getRun({ ctx: t.ctx(world.operator), input: { runId } })).canRollback;
}

describe("target database faults", () => {
  it("refuses an unreachable host, a wrong password and a non-empty target before touching the app, saying what to fix", async () => {
    const target = new URL(app().targetDatabaseUrl);
    const refused = Object.assign(new URL(target), { port: "1" });
    const unknown = Object.assign(new URL(target), { hostname: "rds.switchyard-test.invalid" });
    const wrong = Object.assign(new URL(target), { password: "not-the-password" });
    const cases: Array<[string, RegExp]> = [
      [refused.toString(), /could not connect to 127\.0\.0\.1:1\/app as rds_user: connection refused \(is the server running and accepting TCP connections on that port\?\)/],
      [unknown.toString(), /could not connect to rds\.switchyard-test\.invalid:\d+\/app as rds_user: host name not found/],
      [wrong.toString(), /could not connect to 127\.0\.0\.1:\d+\/app as rds_user: password authentication failed for user "rds_user"/],
    ];
    await query(app().targetDatabaseUrl, "CREATE TABLE leftover (x int)");
    cases.push([app().targetDatabaseUrl, /the target database is not empty \(1 tables\); empty it, or enable "overwrite target" in the plan/]);
    const writer = startWriter(app().routerUrl, "target-refusals-writer");
    for (const [targetDatabaseUrl, message] of cases) {
      const cutoverId = await signedCutover(t, world, { targetDatabaseUrl });
      const run = await startLive(t, world.operator, cutoverId);
      const failed = await waitForEnd(t, run.id);
      expect(failed.error).toMatch(message);
      expect(failed.error).not.toContain("not-the-password");
      expect((await forwardAttempts(t, run.id)).at(-1)).toBe("preflight:failed");
      expect(await canRollBack(run.id), "nothing to roll back").toBe(false);
      // The app was never touched, and the plan is a draft again: fix the target and start again.
      await expectOutcome(t, world, run.id, { status: "failed", cutover: "draft", appOn: "source" });
    }
    await writer.stop();
    await query(app().targetDatabaseUrl, "DROP TABLE leftover");
    const last = await t.db.cutoverRun.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    await expectOutcome(t, world, last.id, { status: "failed", cutover: "draft", appOn: "source", writer });
  });

  it("fails the copy when the target stops being empty after preflight; rollback puts the app back", async () => {
    const writer = startWriter(app().routerUrl, "target-not-empty-writer");
    const run = await startLive(t, world.operator, world.cutoverId);
    // Preflight found it empty; while the write freeze watches the source, someone creates a table.
    await waitForStep(t, run.id, "write_freeze", "running");
    await query(app().targetDatabaseUrl, "CREATE TABLE someone_elses (x int)");
    const failed = await waitForEnd(t, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/the target database app at 127\.0\.0\.1:\d+ is not empty \(1 table\); empty it or set the plan's overwrite option/);
    expect((await forwardAttempts(t, run.id)).at(-1)).toBe("copy:failed");
    expectNotSwitched();
    expect(await canRollBack(run.id)).toBe(true);

    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "target not empty" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    await writer.stop();
    await expectOutcome(t, world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer });
    await emptyTarget(world);
  });

  it("fails the copy on a conflicting object created midway, naming it; the source is untouched; rollback works", async () => {
    const writer = startWriter(app().routerUrl, "target-conflict-writer");
    const run = await startLive(t, world.operator, world.cutoverId);
    let sourceBefore = { rows: {}, objects: 0 };
    const pin = await pinCopyInDataPhase(t, world, run.id, async () => {
      sourceBefore = { rows: await rowCounts(app().sourceDatabaseUrl), objects: await objectCount(app().sourceDatabaseUrl) };
    });
    // While rows stream, another tool adds, to a table already loaded, a constraint under the name
    // of a foreign key the copy adds at the end.
    await waitForLogLine(t, run.id, "copy: public.order_items done");
    await query(app().targetDatabaseUrl, "ALTER TABLE public.order_items ADD CONSTRAINT order_items_order_id_fkey CHECK (quantity > 0)");
    await pin.release();
    const failed = await waitForEnd(t, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/order_items_order_id_fkey/);
    expect(failed.error).toMatch(/already exists/);
    expect((await forwardAttempts(t, run.id)).at(-1)).toBe("copy:failed");
    expect(await rowCounts(app().sourceDatabaseUrl)).toEqual(sourceBefore.rows);
    expect(await objectCount(app().sourceDatabaseUrl)).toBe(sourceBefore.objects);
    expectNotSwitched();
    expect((await appHealth(world)).status, "still in maintenance, not serving from a half-filled target").toBe(503);

    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "conflicting index" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    await writer.stop();
    await expectOutcome(t, world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer });
    await emptyTarget(world);
  });

  it("fails the copy when the target server restarts midway; after emptying the target a retry completes", async () => {
    const writer = startWriter(app().routerUrl, "target-restart-writer");
    const run = await startLive(t, world.operator, world.cutoverId);
    let sourceBefore = {};
    const pin = await pinCopyInDataPhase(t, world, run.id, async () => {
      sourceBefore = await rowCounts(app().sourceDatabaseUrl);
    });
    await world.sandbox.restartTarget();
    await pin.release();
    const failed = await waitForEnd(t, run.id);
    expect(failed.status).toBe("failed");
    // Which table is in flight when the server goes away is timing: any schema (public, billing …).
    expect(failed.error).toMatch(/copying the rows of \w+\.\w+ failed/);
    expect(failed.error).toMatch(/terminat|connection|shut ?down/i);
    expect((await forwardAttempts(t, run.id)).at(-1)).toBe("copy:failed");
    expect(await rowCounts(app().sourceDatabaseUrl)).toEqual(sourceBefore);
    expectNotSwitched();
    expect(await canRollBack(run.id)).toBe(true);

    // Retry without rolling back: the app stays in maintenance; the new run must still bring back
    // what the app had before the first attempt (workers scaled up, maintenance off).
    await expect(startLive(t, world.operator, world.cutoverId).then((r) => waitForEnd(t, r.id)).then((r) => r.error)).resolves.toMatch(/the target database is not empty .* empty it, or enable "overwrite target"/);
    await emptyTarget(world);
    const retry = await startLive(t, world.operator, world.cutoverId);
    await waitForEnd(t, retry.id);
    await writer.stop();
    await expectOutcome(t, world, retry.id, { status: "succeeded", cutover: "done", appOn: "target", writer });

    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: retry.id, reason: "back for the next file" } });
    await waitForRun(t, retry.id, ["rolled_back", "rollback_failed"], 180_000);
    await expectOutcome(t, world, retry.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer, strandedOnTarget: true });
  });
});
